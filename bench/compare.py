"""Compare a bench report with the previous one of the same scale and database.

A page whose p95 grew by more than 20 % (and by at least 2 ms, below which a loaded
machine's noise dominates), or a throughput (import rows/s, nightly loans/s) that fell
by more than 20 %, is flagged as a regression. Issue 23, point 6.
"""

from __future__ import annotations

REGRESSION = 1.20
NOISE_MS = 2.0


def _throughputs(report: dict) -> dict[str, float]:
    found = {}
    if "import" in report:
        found["import_rows_per_second"] = report["import"]["rows_per_second"]
    if "nightly" in report:
        found["nightly_loans_per_second"] = report["nightly"]["loans_per_second"]
    return found


def compare_reports(previous: dict | None, current: dict) -> dict:
    """``{"previous": when, "pages": {name: {before, after, ratio, regression}}, ...}``."""
    if not previous:
        return {"previous": None, "pages": {}, "throughputs": {}, "regressions": []}
    result = {"previous": previous.get("generated_at"), "pages": {}, "throughputs": {}}
    regressions = []
    before_p95, after_p95 = previous.get("p95", {}), current.get("p95", {})
    for name in sorted(set(before_p95) & set(after_p95)):
        before, after = before_p95[name], after_p95[name]
        ratio = round(after / before, 2) if before else None
        worse = bool(ratio) and ratio > REGRESSION and after - before >= NOISE_MS
        result["pages"][name] = {
            "before": before,
            "after": after,
            "ratio": ratio,
            "regression": worse,
        }
        if worse:
            regressions.append(f"{name}: p95 {before:.1f} → {after:.1f} ms (×{ratio})")
    before_rates, after_rates = _throughputs(previous), _throughputs(current)
    for name in sorted(set(before_rates) & set(after_rates)):
        before, after = before_rates[name], after_rates[name]
        ratio = round(after / before, 2) if before else None
        worse = bool(ratio) and ratio < 1 / REGRESSION
        result["throughputs"][name] = {
            "before": before,
            "after": after,
            "ratio": ratio,
            "regression": worse,
        }
        if worse:
            regressions.append(f"{name}: {before} → {after} (×{ratio})")
    result["regressions"] = regressions
    return result


def comparison_lines(comparison: dict) -> list[str]:
    if comparison["previous"] is None:
        return ["comparaison : pas de rapport précédent pour cette échelle et cette base"]
    lines = [f"comparaison avec le rapport du {comparison['previous']} :"]
    if not comparison["regressions"]:
        lines.append("  aucune régression de plus de 20 %")
    lines += [f"  RÉGRESSION {line}" for line in comparison["regressions"]]
    return lines
