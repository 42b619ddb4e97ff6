"""The three data scales of the benchmark (issue 9)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Scale:
    name: str
    cooperatives: int
    persons: int
    communes_per_department: int
    loans: int
    repayments: int
    second_membership_share: float = 0.08  # persons in two cooperatives
    jobs_per_cooperative: float = 2.5


SCALES = {
    "small": Scale(
        "small",
        cooperatives=60,
        persons=1_500,
        communes_per_department=2,
        loans=600,
        repayments=10_000,
    ),
    "national": Scale(
        "national",
        cooperatives=3_000,
        persons=150_000,
        communes_per_department=12,
        loans=30_000,
        repayments=500_000,
    ),
    # A cooperative for every household: the national programme's cooperatives grown to
    # 2.5 million persons, with as many loans per person as at national (one for five), so
    # that repayments reach about 10 million (instalments paid in two payments where needed).
    "household": Scale(
        "household",
        cooperatives=3_000,
        persons=2_500_000,
        communes_per_department=12,
        loans=500_000,
        repayments=10_000_000,
    ),
}
