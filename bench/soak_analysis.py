"""What ``make soak`` concludes from its samples (bench/soak.py): errors inside and outside
the faults' windows, p95 per operation over time and whether it drifts up, each worker's
memory and whether it grows. Pure functions of the samples, tested in
bench/tests/test_soak_analysis.py."""

from __future__ import annotations

import statistics

AFTER_FAULT_S = 30.0  # a fault's window lasts this long after it ends (reconnections)
DRIFT_RATIO, DRIFT_MIN_MS = 1.5, 25.0  # p95 of the last third over the first third
MEMORY_RATIO, MEMORY_MIN_KB = 1.25, 20 * 1024  # a worker's RSS, last quarter over first
MIN_SAMPLES = 20


def p95(values: list[float]) -> float | None:
    if not values:
        return None
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(0.95 * (len(ordered) - 1))))]


def during(fault: dict, second: float, ms: float = 0.0) -> bool:
    """Whether a request sent at ``second`` that took ``ms`` was in flight in the fault's
    window: one sent a moment before the fault began and still waiting when it did is the
    fault's too (a page asked 0.1 s before the database restarted)."""
    return second <= fault["until"] + AFTER_FAULT_S and second + ms / 1000 >= fault["at"]


def in_faults(second: float, faults: list[dict], ms: float = 0.0) -> dict | None:
    for fault in faults:
        if during(fault, second, ms):
            return fault
    return None


def per_operation(samples: list[tuple], faults: list[dict], window_s: float) -> dict:
    """Per operation: counts, errors and p95 outside the faults, p95 per window."""
    ops: dict[str, dict] = {}
    for second, name, ms, status, ok in samples:
        op = ops.setdefault(
            name, {"count": 0, "errors": 0, "no_answer": 0, "ms": [], "windows": {}}
        )
        op["count"] += 1
        if in_faults(second, faults, ms):
            continue
        if not ok:
            op["errors"] += 1
            op["no_answer"] += status == 0
        op["ms"].append(ms)
        op["windows"].setdefault(int(second // window_s), []).append(ms)
    out = {}
    for name, op in sorted(ops.items()):
        out[name] = {
            "count": op["count"],
            "errors": op["errors"],
            "no_answer": op["no_answer"],
            "p50_ms": statistics.median(op["ms"]) if op["ms"] else None,
            "p95_ms": p95(op["ms"]),
            "p95_by_window": {k * window_s: p95(v) for k, v in sorted(op["windows"].items())},
        }
    return out


def drift(samples: list[tuple], faults: list[dict], seconds: float) -> dict:
    """Per operation, p95 of the last third over the first third (faults left out)."""
    thirds: dict[str, tuple[list, list]] = {}
    for second, name, ms, _status, ok in samples:
        if not ok or in_faults(second, faults):
            continue
        first, last = thirds.setdefault(name, ([], []))
        if second < seconds / 3:
            first.append(ms)
        elif second >= 2 * seconds / 3:
            last.append(ms)
    out = {}
    for name, (first, last) in sorted(thirds.items()):
        if len(first) < MIN_SAMPLES or len(last) < MIN_SAMPLES:
            continue
        a, b = p95(first), p95(last)
        out[name] = {
            "p95_first_ms": a,
            "p95_last_ms": b,
            "ratio": round(b / a, 2) if a else None,
            "drifts": b > a * DRIFT_RATIO and b - a > DRIFT_MIN_MS,
        }
    return out


def memory_growth(rows: list[tuple], seconds: float) -> dict:
    """Per worker that lived at least half the run: RSS first quarter vs last quarter."""
    by_pid: dict[int, list[tuple]] = {}
    for second, pid, kb in rows:
        if kb:
            by_pid.setdefault(pid, []).append((second, kb))
    out = {}
    for pid, series in sorted(by_pid.items()):
        span = series[-1][0] - series[0][0]
        if span < seconds / 2 or len(series) < 4:
            continue
        quarter = max(1, len(series) // 4)
        a = statistics.median(kb for _, kb in series[:quarter])
        b = statistics.median(kb for _, kb in series[-quarter:])
        out[str(pid)] = {
            "first_kb": a,
            "last_kb": b,
            "grows": b > a * MEMORY_RATIO and b - a > MEMORY_MIN_KB,
        }
    return out


def fault_effects(samples: list[tuple], faults: list[dict]) -> list[dict]:
    """Each fault with what users saw in its window: answers by status, lost answers, and
    the second of the last failure after it began (None: nobody saw it)."""
    out = []
    for fault in faults:
        seen: dict[str, int] = {}
        last_failure = None
        for second, _name, ms, status, ok in samples:
            if during(fault, second, ms) and not ok:
                seen[str(status)] = seen.get(str(status), 0) + 1
                last_failure = max(last_failure or 0.0, second - fault["at"])
        out.append(
            {
                **fault,
                "failures_by_status": seen,
                "no_answer": seen.get("0", 0),
                "last_failure_after_s": last_failure,
            }
        )
    return out


def report(*, samples, memory, faults, checks, settings, database_bytes) -> dict:
    seconds = settings["minutes"] * 60
    window = 60.0 if seconds >= 600 else max(10.0, seconds / 10)
    ops = per_operation(samples, faults, window)
    drifts = drift(samples, faults, seconds)
    workers = memory_growth(memory, seconds)
    errors = sum(o["errors"] for o in ops.values())
    before, after = database_bytes
    met = {
        "no_error_outside_faults": errors == 0,
        "p95_flat": not any(d["drifts"] for d in drifts.values()),
        "memory_flat": not any(w["grows"] for w in workers.values()),
        "checks": bool(checks.get("ok")),
    }
    return {
        "settings": settings,
        "requests": len(samples),
        "achieved_rate": round(len(samples) / seconds, 1) if seconds else None,
        "errors_outside_faults": errors,
        "operations": ops,
        "drift": drifts,
        "workers_memory": workers,
        "faults": fault_effects(samples, faults),
        "database_growth_bytes": after - before,
        "database_bytes": {"before": before, "after": after},
        "checks": checks,
        "goals": met,
        "met": all(met.values()),
    }


def summary_lines(r: dict) -> list[str]:
    lines = [
        f"soak : {r['requests']} requêtes ({r['achieved_rate']}/s), "
        f"erreurs hors pannes : {r['errors_outside_faults']}",
    ]
    for name, op in r["operations"].items():
        p95_ms = "-" if op["p95_ms"] is None else f"{op['p95_ms']:.0f} ms"
        d = r["drift"].get(name)
        trend = f", p95 fin/début ×{d['ratio']}" if d and d["ratio"] else ""
        lines.append(
            f"  {name:<18} {op['count']:>6}  p95 {p95_ms:>8}  erreurs {op['errors']}{trend}"
        )
    for f in r["faults"]:
        lines.append(
            f"  panne {f['kind']} à {f['at']} s : échecs {f['failures_by_status']}, "
            f"dernier à +{f['last_failure_after_s']} s"
        )
    grows = [pid for pid, w in r["workers_memory"].items() if w["grows"]]
    lines.append(
        f"  mémoire : {len(r['workers_memory'])} workers suivis, en hausse : {grows or 'aucun'}"
    )
    lines.append(f"  base : +{r['database_growth_bytes'] // 1024} Kio")
    failed = [k for k, v in r["checks"].items() if isinstance(v, dict) and not v.get("ok")]
    lines.append(
        f"  vérifications : {'toutes bonnes' if not failed else 'ÉCHEC ' + ', '.join(failed)}"
    )
    lines.append(f"  objectifs : {'atteints' if r['met'] else 'MANQUÉS'} {r['goals']}")
    return lines
