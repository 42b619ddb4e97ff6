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
