"""Which tables carry their cooperative (issue 23, point 5; docs/scale-out.md).

Distributing by cooperative (Citus) needs the cooperative's id in every tenant table,
so that a cooperative's rows live on one node and its joins stay local. This module
classifies every table of the project from the models themselves:

- ``cooperative``: the table has its own ``cooperative`` column (a distribution key);
- ``via <path>``: it reaches a cooperative through a chain of foreign keys (the key
  would have to be copied into it before distributing);
- ``reference``: no path to a cooperative (geography, catalogues, lenders, the network,
  accounts): a reference table replicated to every node, or kept on the coordinator.

``manage.py tenancy`` prints the table that docs/scale-out.md reproduces.
"""

from __future__ import annotations

from dataclasses import dataclass

from core.apps import project_app_configs

MAX_DEPTH = 3


@dataclass(frozen=True)
class Table:
    app: str
    model: str
    db_table: str
    key: str  # "cooperative", "cooperative (column)", "via a.b", or "reference"


def _own_models():
    for config in project_app_configs():
        # the history of a table follows its table
        yield from (m for m in config.get_models() if not m.__name__.startswith("Historical"))


def _is_cooperative(model) -> bool:
    return model._meta.label == "registry.Cooperative"


def _parents(model):
    for field in model._meta.concrete_fields:
        if field.many_to_one and field.related_model is not None:
            yield field.name, field.related_model


def path_to_cooperative(model, depth: int = 0) -> list[str] | None:
    """The shortest chain of foreign keys from ``model`` to a cooperative, or None; a
    nullable link is marked with a ``?`` (the row may have no cooperative)."""
    if _is_cooperative(model):
        return []
    if depth >= MAX_DEPTH:
        return None
    best = None
    for name, parent in _parents(model):
        if model._meta.get_field(name).null:
            name += "?"
        if _is_cooperative(parent):
            return [name]
        rest = path_to_cooperative(parent, depth + 1)
        if rest is not None and (best is None or len(rest) + 1 < len(best)):
            best = [name, *rest]
    return best


def classify(model) -> str:
    path = path_to_cooperative(model)
    if path is None:
        return "reference"
    if path == [] or path == ["cooperative"]:
        return "cooperative"
    if len(path) == 1:
        return f"cooperative ({path[0]})"
    return "via " + ".".join(path)


def tables() -> list[Table]:
    return sorted(
        (
            Table(m._meta.app_label, m.__name__, m._meta.db_table, classify(m))
            for m in _own_models()
        ),
        key=lambda t: (t.app, t.model),
    )
