"""Stock kept by movements (append-only). ``move`` writes one movement and adds it to the
(site, lot)'s running level under a row lock, in the caller's transaction: the level is
always the sum of the movements (tested as a property)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from core.errors import Conflict
from valuechain.errors import Code
from valuechain.models import StockLevel, StockMovement


def insufficient(lot, available: int) -> Conflict:
    return Conflict(
        _("Stock insuffisant pour le lot %(code)s : %(n)s disponible(s).")
        % {"code": lot.code, "n": available},
        code=Code.INSUFFICIENT_STOCK,
        field="quantity",
    )


def move(*, site, lot, kind, quantity: int, on, allow_negative=False, **refs) -> bool:
    """Add the signed ``quantity`` of ``lot`` at ``site``; return True when the level went
    below zero (allowed only with ``allow_negative``, for an offline sale)."""
    level, _created = StockLevel.objects.select_for_update().get_or_create(site=site, lot=lot)
    after = level.quantity + quantity
    if quantity < 0 and after < 0 and not allow_negative:
        raise insufficient(lot, max(level.quantity, 0))
    StockMovement.objects.create(
        site=site,
        lot=lot,
        cooperative_id=site.cooperative_id,
        kind=kind,
        quantity=quantity,
        on=on,
        **refs,
    )
    level.quantity = after
    level.save(update_fields=["quantity"])
    return after < 0
