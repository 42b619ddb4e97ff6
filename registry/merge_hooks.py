"""What other apps hold of a person, moved when two person records are merged.

``registry`` is a low layer: it must not import the apps above it (training, credit,
capital, governance, ledger, health, purchasing, ...). Each of those apps registers, in
its ``AppConfig.ready``, one hook that moves its rows from the duplicate to the kept
person; :func:`registry.services.person_merge` calls every hook inside its own
transaction, so a hook that refuses (raises a ``core.errors`` error with a French message)
leaves nothing half-written.

    # health/apps.py
    class HealthConfig(AppConfig):
        def ready(self):
            from registry.merge_hooks import register_person_merge_hook
            from health.merge import move_person, person_communes

            register_person_merge_hook(
                "health", move=move_person, communes=person_communes
            )

``move(*, keep, duplicate, actor, reason)`` moves (or merges, when a unique constraint
would hold both persons: one line per session, per assembly, ...) every row of the app
that belongs to ``duplicate``; ``reason`` is the text to put in the rows' history
(``obj._change_reason = reason``). It runs after the registry's own rows moved.
``communes(person_ids)`` (optional) returns the commune ids whose figures count these
persons in that app, so monitoring recomputes them (``geo.changes.areas_touch``).
See docs/registry.md, *Merging two records of one person*.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass


@dataclass(frozen=True)
class PersonMergeHook:
    app: str
    move: Callable[..., None]
    communes: Callable[[list[int]], Iterable[int]] | None = None


_hooks: dict[str, PersonMergeHook] = {}


def register_person_merge_hook(
    app: str,
    *,
    move: Callable[..., None],
    communes: Callable[[list[int]], Iterable[int]] | None = None,
) -> None:
    """Register (or replace: ``ready`` may run twice in tests) the hook of ``app``."""
    _hooks[app] = PersonMergeHook(app=app, move=move, communes=communes)


def person_merge_hooks() -> list[PersonMergeHook]:
    """The registered hooks, in the order of their app's name (a stable order)."""
    return [_hooks[k] for k in sorted(_hooks)]


def person_communes_elsewhere(person_ids: list[int]) -> list[int]:
    """The communes counting these persons in the apps above the registry."""
    found: list[int] = []
    for hook in person_merge_hooks():
        if hook.communes is not None:
            found.extend(c for c in hook.communes(person_ids) if c is not None)
    return found
