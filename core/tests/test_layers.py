"""The layers of docs/architecture.md hold: no app imports a higher one.

The order is written once, in the "Layers" block of docs/architecture.md; this test reads
it, parses every import (top-level or inside a function) of every app's code with ``ast``
(tests and migrations aside: they may build a world from any app), and fails on an
import that points up, or sideways without being recorded as a same-level call.
"""

from __future__ import annotations

import ast
import re
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
DOC = ROOT / "docs" / "architecture.md"
SKIPPED = {"tests", "migrations"}


def layers() -> tuple[dict[str, int], set[tuple[str, str]]]:
    """{app: level (0 = highest)} and the recorded one-way same-level calls."""
    text = DOC.read_text(encoding="utf-8")
    block = text.split("## Layers", 1)[1].split("```", 2)[1]
    level: dict[str, int] = {}
    for line in block.splitlines():
        if not line.strip() or line.startswith(" "):
            continue  # the block's opening or a description's continuation
        names = re.match(r"^([a-z_]+(?:, [a-z_]+)*)", line).group(1)
        this = len(set(level.values()))
        for name in names.split(", "):
            level[name] = this
    same = re.search(r"^Same-level calls:(.*?)(?:\n\n|\Z)", text, re.M | re.S).group(1)
    return level, set(re.findall(r"`([a-z_]+) → ([a-z_]+)`", same))


def apps() -> list[str]:
    return sorted(p.parent.name for p in ROOT.glob("*/apps.py"))


def imported_apps(app: str) -> list[tuple[str, int, str]]:
    """(file, line, imported app) for every import of another app in ``app``'s code."""
    found, names = [], set(apps())
    for path in sorted((ROOT / app).rglob("*.py")):
        rel = path.relative_to(ROOT)
        if SKIPPED & set(rel.parts[1:-1]):
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                modules = [node.module]
            elif isinstance(node, ast.Import):
                modules = [a.name for a in node.names]
            else:
                continue
            for module in modules:
                top = module.split(".")[0]
                if top in names and top != app:
                    found.append((str(rel), node.lineno, top))
    return found


def test_the_layers_block_is_read():
    level, same = layers()
    assert level["core"] > level["geo"] > level["accounts"] > level["registry"]
    assert level["registry"] > level["ledger"] > level["payments"] == level["messaging"]
    assert level["payments"] > level["credit"] == level["purchasing"] > level["monitoring"]
    assert level["monitoring"] > level["web"]
    assert ("purchasing", "credit") in same


def test_every_app_has_its_place():
    level, _same = layers()
    missing = [app for app in apps() if app not in level]
    assert not missing, f"place these apps in docs/architecture.md's Layers block: {missing}"


@pytest.mark.parametrize("app", apps())
def test_imports_point_down(app):
    level, same = layers()
    wrong = [
        f"{file}:{line} {app} imports {other}"
        + (" (same level, not recorded)" if level[other] == level[app] else " (a higher layer)")
        for file, line, other in imported_apps(app)
        if level[other] < level[app] or (level[other] == level[app] and (app, other) not in same)
    ]
    assert not wrong, "\n".join(wrong)


def test_an_upward_import_is_caught(tmp_path, monkeypatch):
    """The check itself: a lower app importing a higher one is reported."""
    fake = tmp_path / "registry"
    fake.mkdir()
    (fake / "apps.py").write_text("")
    (fake / "services.py").write_text("def f():\n    from training.models import Session\n")
    (tmp_path / "training").mkdir()
    (tmp_path / "training" / "apps.py").write_text("")
    here = sys.modules[__name__]
    monkeypatch.setattr(here, "ROOT", tmp_path)
    assert imported_apps("registry") == [("registry/services.py", 2, "training")]
    monkeypatch.setattr(here, "ROOT", ROOT)
    monkeypatch.setattr(here, "imported_apps", lambda app: [("x.py", 1, "training")])
    with pytest.raises(AssertionError, match="a higher layer"):
        test_imports_point_down("registry")
