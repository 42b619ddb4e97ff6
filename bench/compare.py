"""Compare a bench report with the previous one of the same scale and database.

A page whose p95 grew by more than 20 % (and by at least 2 ms, below which a loaded
machine's noise dominates), or a throughput (import rows/s, nightly loans/s) that fell
by more than 20 %, is flagged as a regression. Issue 23, point 6.

The capabilities' own measures (buying together, offline sync, the network portal,
payments, the value chain, the replica) are compared the same way, found by their keys
wherever they sit in their section of the report: a ``…p95_ms`` is a latency, a
``rate_per_s`` or ``per_second`` a throughput (``target…`` keys are goals, not measures).
A capability measured in one run and not in the other is left out of the comparison.
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


CAPABILITIES = ("purchasing", "sync", "network", "payments", "valuechain", "replica")
LATENCY_SUFFIX = "p95_ms"
THROUGHPUT_KEYS = ("rate_per_s", "per_second")


def _leaves(node, path: str):
    """(dotted path, key, number) of every numeric leaf under ``node``."""
    if isinstance(node, dict):
        for key, value in node.items():
            yield from _leaves(value, f"{path}.{key}" if path else str(key))
    elif isinstance(node, int | float) and not isinstance(node, bool):
        yield path, path.rsplit(".", 1)[-1], float(node)


def capability_measures(report: dict) -> tuple[dict[str, float], dict[str, float]]:
    """(latencies, throughputs) of the capabilities' sections, by dotted path."""
    latencies, throughputs = {}, {}
    for section in CAPABILITIES:
        for path, key, value in _leaves(report.get(section) or {}, section):
            if key.startswith("target"):
                continue
            if key.endswith(LATENCY_SUFFIX):
                latencies[path] = value
            elif key in THROUGHPUT_KEYS:
                throughputs[path] = value
    return latencies, throughputs


def _latency(name: str, before: float, after: float, regressions: list) -> dict:
    ratio = round(after / before, 2) if before else None
    worse = bool(ratio) and ratio > REGRESSION and after - before >= NOISE_MS
    if worse:
        regressions.append(f"{name}: p95 {before:.1f} → {after:.1f} ms (×{ratio})")
    return {"before": before, "after": after, "ratio": ratio, "regression": worse}


def _throughput(name: str, before: float, after: float, regressions: list) -> dict:
    ratio = round(after / before, 2) if before else None
    worse = bool(ratio) and ratio < 1 / REGRESSION
    if worse:
        regressions.append(f"{name}: {before} → {after} (×{ratio})")
    return {"before": before, "after": after, "ratio": ratio, "regression": worse}


def compare_reports(previous: dict | None, current: dict) -> dict:
    """``{"previous": when, "pages": {name: {before, after, ratio, regression}}, ...}``."""
    if not previous:
        return {
            "previous": None,
            "pages": {},
            "throughputs": {},
            "capabilities": {},
            "regressions": [],
        }
    result = {"previous": previous.get("generated_at"), "pages": {}, "throughputs": {}}
    regressions: list[str] = []
    before_p95, after_p95 = previous.get("p95", {}), current.get("p95", {})
    for name in sorted(set(before_p95) & set(after_p95)):
        result["pages"][name] = _latency(name, before_p95[name], after_p95[name], regressions)
    before_rates, after_rates = _throughputs(previous), _throughputs(current)
    for name in sorted(set(before_rates) & set(after_rates)):
        result["throughputs"][name] = _throughput(
            name, before_rates[name], after_rates[name], regressions
        )
    (lat_before, rate_before), (lat_after, rate_after) = (
        capability_measures(previous),
        capability_measures(current),
    )
    capabilities = {}
    for name in sorted(set(lat_before) & set(lat_after)):
        capabilities[name] = _latency(name, lat_before[name], lat_after[name], regressions)
    for name in sorted(set(rate_before) & set(rate_after)):
        capabilities[name] = _throughput(name, rate_before[name], rate_after[name], regressions)
    result["capabilities"] = capabilities
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
