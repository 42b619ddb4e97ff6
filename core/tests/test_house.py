"""The house's shape, checked in the code (issue 15): what a review would otherwise have
to find by reading every app.

Each test parses every app's code with ``ast`` (tests and migrations aside) and fails
on the first file that slips, naming the file and the line.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SKIPPED = {"tests", "migrations"}


def apps() -> list[str]:
    return sorted(p.parent.name for p in ROOT.glob("*/apps.py"))


def code_files(app: str):
    """(relative path, parsed module) for each module of ``app``'s code."""
    for path in sorted((ROOT / app).rglob("*.py")):
        rel = path.relative_to(ROOT)
        if SKIPPED & set(rel.parts[1:-1]):
            continue
        yield rel.as_posix(), ast.parse(path.read_text(encoding="utf-8"))


def dotted(node) -> str:
    """``a.b.c`` for a chain of names and attributes, else ``""``."""
    parts = []
    while isinstance(node, ast.Attribute):
        parts.append(node.attr)
        node = node.value
    if isinstance(node, ast.Name):
        parts.append(node.id)
        return ".".join(reversed(parts))
    return ""


# --------------------------------------------------------------------------- one today()

TODAY_SPELLINGS = {"date.today", "datetime.date.today", "dt.date.today", "timezone.localdate"}
NOW_SPELLINGS = {"timezone.now", "datetime.now", "datetime.datetime.now", "dt.datetime.now"}


def stray_todays(tree) -> list[int]:
    """Lines computing "today" other than through ``core.dates.today()``: ``date.today()``,
    ``timezone.localdate()`` without argument, ``timezone.now().date()``, or a module's
    own ``def today()``."""
    lines = []
    for node in ast.walk(tree):
        if isinstance(node, ast.FunctionDef) and node.name == "today":
            lines.append(node.lineno)
        if not isinstance(node, ast.Call) or node.args or node.keywords:
            continue
        func = node.func
        if dotted(func) in TODAY_SPELLINGS or (
            isinstance(func, ast.Attribute)
            and func.attr == "date"
            and isinstance(func.value, ast.Call)
            and dotted(func.value.func) in NOW_SPELLINGS
        ):
            lines.append(node.lineno)
    return sorted(lines)


def test_the_stray_today_finder_finds():
    bad = "import datetime\nfrom django.utils import timezone\n"
    bad += "a = datetime.date.today()\nb = timezone.localdate()\nc = timezone.now().date()\n"
    bad += "def today():\n    return 1\n"
    assert stray_todays(ast.parse(bad)) == [3, 4, 5, 6]
    good = "from core import dates\na = dates.today()\nb = timezone.localdate(paid_at)\n"
    assert stray_todays(ast.parse(good)) == []


@pytest.mark.parametrize("app", apps())
def test_one_today(app):
    """Every "today" is ``core.dates.today()`` (the server's local date, Africa/Dakar),
    the one the date rule uses and ``today_is`` pins in tests."""
    stray = [
        f"{rel}:{line}"
        for rel, tree in code_files(app)
        if rel != "core/dates.py"
        for line in stray_todays(tree)
    ]
    assert not stray, f"use core.dates.today() instead of: {stray}"


# --------------------------------------------------------------------------- one error idiom

CAUGHT_ONLY_BY_CORE = {"DomainError", "ValidationFailed", "Conflict", "Forbidden"}


def is_view_module(rel: str) -> bool:
    """A module of views or endpoints (core's own helpers are the one translation)."""
    if rel.startswith("core/"):
        return False
    name = rel.rsplit("/", 1)[-1]
    return name in ("views.py", "api.py") or name.endswith("_views.py") or "/views/" in rel


def idiom_slips(rel: str, tree) -> list[str]:
    """What breaks "one error idiom" (CONTRIBUTING.md, "Errors in views") in a module:
    a view or an endpoint catching a domain error itself (``except ValidationFailed``,
    ``except (ValidationFailed, Conflict)``, a tuple of them...) instead of
    ``core.forms.domain_errors_on`` or the middleware; ``apply_domain_error`` called by
    hand; the retired ``domain_errors_as_pages``. Catching ``NotFound`` stays allowed: a
    name the user typed that matches nothing (an area's code) is an input error."""
    slips = []
    tuples = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.Assign) and isinstance(node.value, ast.Tuple):
            names = {dotted(e).rsplit(".", 1)[-1] for e in node.value.elts}
            for target in node.targets:
                if isinstance(target, ast.Name):
                    tuples[target.id] = names
    for node in ast.walk(tree):
        if isinstance(node, ast.Name | ast.Attribute):
            name = node.id if isinstance(node, ast.Name) else node.attr
            if name == "domain_errors_as_pages" or (
                name == "apply_domain_error" and rel != "core/forms.py"
            ):
                slips.append(f"{rel}:{node.lineno} {name}")
        if isinstance(node, ast.ExceptHandler) and node.type is not None and is_view_module(rel):
            kinds = node.type.elts if isinstance(node.type, ast.Tuple) else [node.type]
            caught = set()
            for kind in kinds:
                name = dotted(kind).rsplit(".", 1)[-1]
                caught |= tuples.get(name, {name})
            if caught & CAUGHT_ONLY_BY_CORE:
                slips.append(f"{rel}:{node.lineno} except {sorted(caught)}")
    return sorted(set(slips))


def test_the_idiom_finder_finds():
    bad = (
        "USER_ERRORS = (ValidationFailed, Conflict)\n"
        "try:\n    f()\nexcept USER_ERRORS as exc:\n    apply_domain_error(form, exc)\n"
        "try:\n    f()\nexcept errors.DomainError:\n    pass\n"
        "@domain_errors_as_pages\ndef v(request):\n    pass\n"
    )
    assert idiom_slips("x/views.py", ast.parse(bad)) == [
        "x/views.py:10 domain_errors_as_pages",
        "x/views.py:4 except ['Conflict', 'ValidationFailed']",
        "x/views.py:5 apply_domain_error",
        "x/views.py:8 except ['DomainError']",
    ]
    good = "with domain_errors_on(form):\n    f()\ntry:\n    g()\nexcept NotFound:\n    pass\n"
    assert idiom_slips("x/views.py", ast.parse(good)) == []
    assert (
        idiom_slips("x/services.py", ast.parse("try:\n    f()\nexcept Conflict:\n    g()\n")) == []
    )


@pytest.mark.parametrize("app", apps())
def test_one_error_idiom_in_views_and_api(app):
    """Views and endpoints let domain errors go to the one translation: the middleware
    (404/403 pages), ``config/api.py`` (JSON), ``core.forms.domain_errors_on`` (a form,
    a message) or ``core.views.domain_errors_as_json``."""
    slips = [s for rel, tree in code_files(app) for s in idiom_slips(rel, tree)]
    assert not slips, f"use core.forms.domain_errors_on (CONTRIBUTING.md): {slips}"
