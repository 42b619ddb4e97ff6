"""Issue 23, point 6: a bench report is compared with the previous one; regressions over
20 % are flagged, noise of a millisecond is not."""

from bench.compare import compare_reports, comparison_lines


def report(when, p95, import_rate=2500.0, nightly_rate=8000.0):
    return {
        "generated_at": when,
        "p95": p95,
        "import": {"rows_per_second": import_rate},
        "nightly": {"loans_per_second": nightly_rate},
    }


def test_a_page_slower_by_more_than_20_percent_is_a_regression():
    before = report("2026-12-01", {"floor": 4.0, "person_search": 100.0, "home": 40.0})
    after = report("2026-12-06", {"floor": 4.0, "person_search": 121.0, "home": 47.0})
    comparison = compare_reports(before, after)
    assert comparison["pages"]["person_search"]["regression"] is True
    assert comparison["pages"]["home"]["regression"] is False  # ×1.175
    assert comparison["regressions"] == ["person_search: p95 100.0 → 121.0 ms (×1.21)"]
    assert "RÉGRESSION person_search" in "\n".join(comparison_lines(comparison))


def test_a_millisecond_of_noise_on_a_fast_page_is_not_a_regression():
    comparison = compare_reports(report("a", {"floor": 1.0}), report("b", {"floor": 2.5}))
    assert comparison["pages"]["floor"]["ratio"] == 2.5
    assert comparison["regressions"] == []


def test_a_throughput_that_falls_by_more_than_20_percent_is_a_regression():
    comparison = compare_reports(report("a", {}, import_rate=2500.0), report("b", {}, 2000.0))
    assert comparison["throughputs"]["import_rows_per_second"]["regression"] is True
    assert comparison["throughputs"]["nightly_loans_per_second"]["regression"] is False


def test_the_first_report_has_nothing_to_compare_with():
    comparison = compare_reports(None, report("b", {"floor": 1.0}))
    assert comparison["regressions"] == []
    assert "pas de rapport précédent" in comparison_lines(comparison)[0]


def test_the_capabilities_measures_are_compared_wherever_they_sit():
    before = report("a", {})
    before["network"] = {
        "pages": {"directory": {"p95_ms": 80.0, "target_p95_ms": 100}},
        "pledges": {"load": {"rate_per_s": 100.0}},
    }
    before["sync"] = {"changes": {"p95_ms": 120.0}}
    before["valuechain"] = {"sales": {"p95_ms": 60.0}}  # not measured in the next run
    after = report("b", {})
    after["network"] = {
        "pages": {"directory": {"p95_ms": 99.0, "target_p95_ms": 100}},
        "pledges": {"load": {"rate_per_s": 70.0}},
    }
    after["sync"] = {"changes": {"p95_ms": 125.0}}
    comparison = compare_reports(before, after)
    caps = comparison["capabilities"]
    assert set(caps) == {
        "network.pages.directory.p95_ms",
        "network.pledges.load.rate_per_s",
        "sync.changes.p95_ms",
    }
    assert caps["network.pages.directory.p95_ms"]["regression"] is True  # ×1.24
    assert caps["sync.changes.p95_ms"]["regression"] is False  # ×1.04
    assert caps["network.pledges.load.rate_per_s"]["regression"] is True  # ×0.7
    assert comparison["regressions"] == [
        "network.pages.directory.p95_ms: p95 80.0 → 99.0 ms (×1.24)",
        "network.pledges.load.rate_per_s: 100.0 → 70.0 (×0.7)",
    ]
