"""The root conftest's browser-test gate: loud skip locally, hard failure when required."""

from __future__ import annotations

import pytest

import conftest as root


class FakeItem:
    def __init__(self, nodeid, *, marked=False, fixtures=()):
        self.nodeid = nodeid
        self.fixturenames = list(fixtures)
        self.markers = ["browser"] if marked else []

    def get_closest_marker(self, name):
        return name if name in self.markers else None

    def add_marker(self, marker):
        self.markers.append(marker.name if hasattr(marker, "name") else marker.mark.name)


class FakeConfig:
    pass


@pytest.fixture
def items():
    return [
        FakeItem("a::marked", marked=True),
        FakeItem("b::uses_page", fixtures=["page", "db"]),
        FakeItem("c::plain", fixtures=["db"]),
    ]


def test_browser_tests_are_found_by_marker_or_fixture(items):
    assert [root._is_browser_test(i) for i in items] == [True, True, False]


def test_without_chromium_they_are_skipped_with_a_banner(monkeypatch, items, capsys):
    monkeypatch.setattr(root, "CHROMIUM", None)
    monkeypatch.delenv("SUNUCOOP_REQUIRE_BROWSER", raising=False)
    config = FakeConfig()
    root.pytest_collection_modifyitems(config, items)
    assert "2 BROWSER TESTS SKIPPED" in config._sunucoop_browser_banner
    assert "2 BROWSER TESTS SKIPPED" in capsys.readouterr().err
    assert "skip" in items[0].markers and "skip" in items[1].markers
    assert "browser" in items[1].markers  # the unmarked one got the marker
    assert items[2].markers == []


@pytest.mark.parametrize("value", ["1", "true", "yes"])
def test_when_required_a_missing_chromium_is_an_error(monkeypatch, items, value):
    monkeypatch.setattr(root, "CHROMIUM", None)
    monkeypatch.setenv("SUNUCOOP_REQUIRE_BROWSER", value)
    with pytest.raises(pytest.UsageError, match="SUNUCOOP_REQUIRE_BROWSER"):
        root.pytest_collection_modifyitems(FakeConfig(), items)


def test_require_flag_set_to_zero_does_not_require(monkeypatch, items):
    monkeypatch.setattr(root, "CHROMIUM", None)
    monkeypatch.setenv("SUNUCOOP_REQUIRE_BROWSER", "0")
    config = FakeConfig()
    root.pytest_collection_modifyitems(config, items)
    assert "SKIPPED" in config._sunucoop_browser_banner


def test_with_chromium_nothing_is_skipped(monkeypatch, items):
    monkeypatch.setattr(root, "CHROMIUM", "/usr/bin/chromium")
    monkeypatch.setattr(root, "_browser_missing", lambda: None)
    config = FakeConfig()
    root.pytest_collection_modifyitems(config, items)
    assert not hasattr(config, "_sunucoop_browser_banner")
    assert "skip" not in items[0].markers
