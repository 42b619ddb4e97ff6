"""The payout split (fixed by docs/api.md, "Network portal"): each party's share of a
payment is rounded down to the franc; the francs left go one each to the parties with the
largest remainders (ties: in the order consultant, platform, ESS fund), so the shares
always sum to the payment. Pure arithmetic on whole francs and percentages with at most
two decimals (computed exactly in hundredths of a percent)."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext as _

from consulting.errors import Code
from core.errors import ValidationFailed

PARTIES = ("consultant", "platform", "ess_fund")
WHOLE = 10_000  # 100 % in hundredths of a percent


def check_split(split) -> dict[str, Decimal]:
    """A split given by a person: the three parties, each 0 to 100 with at most two
    decimals, summing to exactly 100 %; refused otherwise (400, field ``split``)."""
    if not isinstance(split, dict) or set(split) != set(PARTIES):
        raise ValidationFailed(
            _("Donnez la part du consultant, de la plateforme et du fonds ESS."),
            code=Code.INVALID_SPLIT,
            field="split",
        )
    clean = {}
    for party in PARTIES:
        value = split[party]
        try:
            if isinstance(value, bool | float):
                raise InvalidOperation
            number = Decimal(str(value).strip())
        except (InvalidOperation, ValueError):
            number = Decimal("NaN")
        if (
            not number.is_finite()
            or not 0 <= number <= 100
            or number != number.quantize(Decimal("0.01"))
        ):
            raise ValidationFailed(
                _("Chaque part est un pourcentage de 0 à 100 (deux décimales au plus)."),
                code=Code.INVALID_SPLIT,
                field="split",
            )
        clean[party] = number.quantize(Decimal("0.01"))
    total = sum(clean.values())
    if total != 100:
        raise ValidationFailed(
            _("Les parts doivent faire 100 %% au total (ici %(total)s %%).") % {"total": total},
            code=Code.SPLIT_NOT_100,
            field="split",
        )
    return clean


def split_amount(amount: int, split: dict) -> dict[str, int]:
    """Each party's whole francs of ``amount`` (shares rounded down, the francs left one
    each to the largest remainders)."""
    if isinstance(amount, bool) or not isinstance(amount, int) or amount < 0:
        raise ValueError("amount must be a non-negative integer")
    hundredths = {p: int(Decimal(split[p]) * 100) for p in PARTIES}
    if sum(hundredths.values()) != WHOLE or min(hundredths.values()) < 0:
        raise ValueError("split must sum to 100 %")
    return apportion(amount, hundredths)


def apportion(amount: int, weights: dict) -> dict:
    """``amount`` shared in proportion to whole ``weights`` (the same rule: rounded down,
    the francs left one each to the largest remainders, ties in the weights' order). Used
    for the split and for reversing held shares when a client is refunded: no part ever
    exceeds its weight's exact share rounded up, so none goes negative or above its
    weight when ``amount`` is at most the weights' total."""
    if isinstance(amount, bool) or not isinstance(amount, int) or amount < 0:
        raise ValueError("amount must be a non-negative integer")
    if any(isinstance(w, bool) or not isinstance(w, int) or w < 0 for w in weights.values()):
        raise ValueError("weights must be non-negative integers")
    total = sum(weights.values())
    if total == 0:
        if amount:
            raise ValueError("nothing to apportion over")
        return dict.fromkeys(weights, 0)
    order = list(weights)
    shares = {k: amount * weights[k] // total for k in order}
    remainders = {k: amount * weights[k] % total for k in order}
    left = amount - sum(shares.values())
    for key in sorted(order, key=lambda k: (-remainders[k], order.index(k)))[:left]:
        shares[key] += 1
    return shares
