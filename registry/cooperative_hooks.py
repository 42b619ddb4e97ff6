"""The communes where the apps above the registry count a cooperative's rows elsewhere than
in the cooperative's own commune, grouped by one of its fields.

``registry`` is a low layer: it must not import the apps above it. A loan to a member
counts in the member's commune (``credit.Loan.area``) and is grouped there by the sector
of the cooperative it goes through (credit's portfolio rollups). So each such app
registers, in its ``AppConfig.ready``, one function ``communes(cooperative_ids)``;
:func:`registry.services.cooperative_update` marks those communes too
(``geo.changes.areas_touch``) when the cooperative's sector changes, so that their
stored figures are recomputed.

    # credit/apps.py
    register_cooperative_communes("credit", loan_cooperative_communes)
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

_hooks: dict[str, Callable[[list[int]], Iterable[int]]] = {}


def register_cooperative_communes(app: str, communes: Callable[[list[int]], Iterable[int]]):
    """Register (or replace: ``ready`` may run twice in tests) the function of ``app``."""
    _hooks[app] = communes


def cooperative_communes_elsewhere(cooperative_ids: list[int]) -> list[int]:
    """The communes whose figures in the apps above count these cooperatives' rows."""
    found: list[int] = []
    for app in sorted(_hooks):
        found.extend(c for c in _hooks[app](cooperative_ids) if c is not None)
    return found
