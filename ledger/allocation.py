"""The OHADA allocation of a year's surplus, computed on plain integers (no database).

Order and rounding (whole francs, every step explicit):

1. General reserve and training reserve: each ``ceil(surplus × rate)`` with a rate of at
   least 20 %, rounded UP because the law sets a minimum; each capped at what the reserve
   still lacks to equal the paid-up capital (``max(capital − reserve, 0)``); once a reserve
   equals the capital, nothing more is compulsory and nothing is put in it.
2. Optional reserves: ``floor(surplus × rate)``, rate at most 20 %, rounded DOWN because
   the law sets a maximum.
3. Interest on paid-up shares: for each member ``floor(paid_up × rate)``, rate at most the
   cap (a setting); paid only from what remains of the surplus, else refused.
4. Patronage refunds (ristournes): the pool (by default everything left) shared in
   proportion to each member's recorded transactions with the cooperative. Each member
   gets ``floor(pool × volume / total_volume)``; the francs left by rounding go one each to
   the members with the largest fractional parts (ties: the larger volume, then the lower
   person id), so the whole pool is paid (largest remainder method).
5. What is left (including the pool when no member has recorded any transaction) is
   carried forward (report à nouveau, account 121).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import ROUND_CEILING, ROUND_FLOOR, Decimal

from django.utils.translation import gettext as _

from core.errors import ValidationFailed
from ledger.errors import Code

MIN_COMPULSORY_RESERVE_RATE = Decimal("0.20")
MAX_OPTIONAL_RESERVE_RATE = Decimal("0.20")


def _ceil(value: Decimal) -> int:
    return int(value.to_integral_value(rounding=ROUND_CEILING))


def _floor(value: Decimal) -> int:
    return int(value.to_integral_value(rounding=ROUND_FLOOR))


@dataclass
class AllocationPlan:
    surplus: int
    general_reserve: int = 0
    training_reserve: int = 0
    optional_reserve: int = 0
    interest: dict[int, int] = field(default_factory=dict)
    refunds: dict[int, int] = field(default_factory=dict)
    retained: int = 0

    @property
    def share_interest(self) -> int:
        return sum(self.interest.values())

    @property
    def patronage(self) -> int:
        return sum(self.refunds.values())

    @property
    def total(self) -> int:
        return (
            self.general_reserve
            + self.training_reserve
            + self.optional_reserve
            + self.share_interest
            + self.patronage
            + self.retained
        )


def share_by_volume(pool: int, volumes: dict[int, int]) -> dict[int, int]:
    """Split ``pool`` francs in proportion to ``volumes`` (largest remainder method)."""
    total = sum(volumes.values())
    if pool <= 0 or total <= 0:
        return {}
    shares, remainders = {}, []
    for pid, volume in volumes.items():
        quotient, remainder = divmod(pool * volume, total)
        shares[pid] = quotient
        remainders.append((remainder, volume, -pid, pid))
    left = pool - sum(shares.values())
    for _r, _v, _neg, pid in sorted(remainders, reverse=True)[:left]:
        shares[pid] += 1
    return {pid: amount for pid, amount in shares.items() if amount}


def check_rates(
    *,
    surplus: int,
    general_reserve_rate: Decimal,
    training_reserve_rate: Decimal,
    optional_reserve_rate: Decimal,
    share_interest_rate: Decimal,
    share_interest_cap: Decimal,
) -> None:
    """The law's bounds on an allocation's rates (a surplus to allocate, the compulsory
    reserves' floors, the optional reserve's and the share interest's caps)."""
    if surplus <= 0:
        raise ValidationFailed(_("Il n'y a pas d'excédent à affecter."), code=Code.NO_SURPLUS)
    for name, rate in [
        ("general_reserve_rate", general_reserve_rate),
        ("training_reserve_rate", training_reserve_rate),
    ]:
        if rate < MIN_COMPULSORY_RESERVE_RATE or rate > 1:
            raise ValidationFailed(
                _(
                    "La réserve générale et la réserve de formation reçoivent chacune au moins "
                    "20 % de l'excédent net."
                ),
                code=Code.RESERVE_RATE_TOO_LOW,
                field=name,
            )
    if optional_reserve_rate < 0 or optional_reserve_rate > MAX_OPTIONAL_RESERVE_RATE:
        raise ValidationFailed(
            _("Les réserves facultatives ne peuvent dépasser 20 % de l'excédent net."),
            code=Code.OPTIONAL_RESERVE_TOO_HIGH,
            field="optional_reserve_rate",
        )
    if share_interest_rate < 0 or share_interest_rate > share_interest_cap:
        raise ValidationFailed(
            _("Le taux d'intérêt aux parts ne peut dépasser %(cap).2f %%.")
            % {"cap": share_interest_cap * 100},
            code=Code.SHARE_INTEREST_TOO_HIGH,
            field="share_interest_rate",
        )


def compute_allocation(
    *,
    surplus: int,
    capital: int,
    general_reserve_balance: int,
    training_reserve_balance: int,
    general_reserve_rate: Decimal = MIN_COMPULSORY_RESERVE_RATE,
    training_reserve_rate: Decimal = MIN_COMPULSORY_RESERVE_RATE,
    optional_reserve_rate: Decimal = Decimal("0"),
    share_interest_rate: Decimal = Decimal("0"),
    share_interest_cap: Decimal,
    paid_up: dict[int, int] | None = None,
    volumes: dict[int, int] | None = None,
    patronage_pool: int | None = None,
) -> AllocationPlan:
    check_rates(
        surplus=surplus,
        general_reserve_rate=general_reserve_rate,
        training_reserve_rate=training_reserve_rate,
        optional_reserve_rate=optional_reserve_rate,
        share_interest_rate=share_interest_rate,
        share_interest_cap=share_interest_cap,
    )
    plan = AllocationPlan(surplus=surplus)
    s = Decimal(surplus)
    plan.general_reserve = min(
        _ceil(s * general_reserve_rate), max(capital - general_reserve_balance, 0)
    )
    plan.training_reserve = min(
        _ceil(s * training_reserve_rate), max(capital - training_reserve_balance, 0)
    )
    plan.optional_reserve = _floor(s * optional_reserve_rate)
    left = surplus - plan.general_reserve - plan.training_reserve - plan.optional_reserve
    if left < 0:
        raise ValidationFailed(
            _("Les réserves dépassent l'excédent à affecter."), code=Code.RESERVES_EXCEED_SURPLUS
        )
    interest = {
        pid: _floor(Decimal(amount) * share_interest_rate)
        for pid, amount in (paid_up or {}).items()
        if amount > 0
    }
    interest = {pid: v for pid, v in interest.items() if v}
    if sum(interest.values()) > left:
        raise ValidationFailed(
            _(
                "Les intérêts aux parts ne peuvent être payés que sur l'excédent restant après "
                "les réserves."
            ),
            code=Code.INTEREST_EXCEEDS_SURPLUS,
            field="share_interest_rate",
        )
    plan.interest = interest
    left -= plan.share_interest
    pool = left if patronage_pool is None else patronage_pool
    if pool < 0 or pool > left:
        raise ValidationFailed(
            _("Le montant des ristournes dépasse l'excédent restant."),
            code=Code.PATRONAGE_EXCEEDS_SURPLUS,
            field="patronage_pool",
        )
    plan.refunds = share_by_volume(pool, {k: v for k, v in (volumes or {}).items() if v > 0})
    plan.retained = left - plan.patronage
    assert plan.total == surplus
    return plan
