"""The price watch: what a campaign saved against market prices, and speculation alerts.

- Saving of an offer: (median market price − unit price) × units bought, where the median
  is over every market price of the product recorded in the group's area (its subtree)
  during the 4 weeks before the campaign's closing (``closed_on``, else ``closes_on``).
  Units bought: those arrived undamaged once received, else the packs ordered at closing,
  else the quantities ordered. No market price in the window: no saving (None).
- Alert: the latest price of a product in an area (within the last 7 days before
  ``as_of``) is more than ``PURCHASING_PRICE_ALERT_PERCENT`` % (default 20) above the
  median of that product's prices in that area over the 4 weeks before it.
"""

from __future__ import annotations

import datetime
import statistics
from collections import defaultdict
from dataclasses import asdict, dataclass
from decimal import Decimal

from django.conf import settings
from django.db.models import Q, Sum

from accounts.scoping import scope_for
from core import dates
from core.money import round_xof
from purchasing.models import Campaign, CampaignStatus, MarketPrice, OrderLine

WINDOW = datetime.timedelta(days=28)
RECENT = datetime.timedelta(days=7)


def alert_percent() -> Decimal:
    return Decimal(str(getattr(settings, "PURCHASING_PRICE_ALERT_PERCENT", 20)))


def median_price(product_id: int, area_path: str, before: datetime.date) -> int | None:
    prices = list(
        MarketPrice.objects.filter(
            product_id=product_id,
            area__path__startswith=area_path,
            observed_on__gte=before - WINDOW,
            observed_on__lt=before,
        ).values_list("price", flat=True)
    )
    return round_xof(Decimal(str(statistics.median(prices)))) if prices else None


@dataclass
class SavingRow:
    offer: int
    product: str
    unit_price: int
    market_median: int | None
    units: int
    saving: int | None

    def as_dict(self) -> dict:
        return asdict(self)


def _units_bought(campaign: Campaign, offers) -> dict[int, int]:
    if campaign.status == CampaignStatus.RECEIVED:
        return {o.pk: (o.received or 0) - (o.damaged or 0) for o in offers}
    if campaign.status == CampaignStatus.CLOSED:
        return {o.pk: o.units for o in offers}
    rows = (
        OrderLine.objects.filter(order__campaign=campaign)
        .values("offer_id")
        .annotate(q=Sum("quantity"))
        .order_by()
    )
    ordered = {r["offer_id"]: r["q"] for r in rows}
    return {o.pk: ordered.get(o.pk, 0) for o in offers}


def campaign_savings(campaign: Campaign) -> list[SavingRow]:
    """Per offer: price paid against the median market price and the saving in F CFA."""
    offers = list(campaign.offers.select_related("product").order_by("id"))
    units = _units_bought(campaign, offers)
    day = campaign.closed_on or campaign.closes_on
    path = campaign.group.area.path
    rows = []
    for o in offers:
        median = median_price(o.product_id, path, day)
        saving = None if median is None else (median - o.unit_price) * units[o.pk]
        rows.append(SavingRow(o.pk, o.product.name, o.unit_price, median, units[o.pk], saving))
    return rows


@dataclass
class Alert:
    product: int
    product_name: str
    area: str
    area_name: str
    observed_on: datetime.date
    price: int
    median: int
    jump_percent: Decimal

    def as_dict(self) -> dict:
        d = asdict(self)
        d["jump_percent"] = str(self.jump_percent)
        return d


def price_alerts(*, actor, as_of: datetime.date | None = None, area=None) -> list[Alert]:
    """Speculation alerts the actor may see: every area for the national role, their own
    area for an agent (others: none). ``area``: narrow to a subtree."""
    scope = scope_for(actor)
    if not scope.national and not scope.area_paths:
        return []
    as_of = as_of or dates.today()
    qs = MarketPrice.objects.filter(observed_on__gt=as_of - RECENT - WINDOW, observed_on__lte=as_of)
    if not scope.national:
        visible = Q(pk__in=[])
        for path in sorted(scope.area_paths):
            visible |= Q(area__path__startswith=path)
        qs = qs.filter(visible)
    if area is not None:
        qs = qs.filter(area__path__startswith=area.path)
    series = defaultdict(list)
    names = {}
    for row in qs.values_list(
        "product_id", "product__name", "area__code", "area__name", "observed_on", "price", "id"
    ).order_by("observed_on", "id"):
        series[(row[0], row[2])].append((row[4], row[5]))
        names[(row[0], row[2])] = (row[1], row[3])
    return _jumps(series, names, as_of)


def _jumps(series, names, as_of) -> list[Alert]:
    threshold = alert_percent()
    alerts = []
    for key, points in series.items():
        last_day, last_price = points[-1]
        if last_day <= as_of - RECENT:
            continue
        before = [p for d, p in points if last_day - WINDOW <= d < last_day]
        if not before:
            continue
        median = Decimal(str(statistics.median(before)))
        if median <= 0:
            continue
        jump = (Decimal(last_price) - median) * 100 / median
        if jump > threshold:
            alerts.append(
                Alert(
                    key[0],
                    names[key][0],
                    key[1],
                    names[key][1],
                    last_day,
                    last_price,
                    round_xof(median),
                    jump.quantize(Decimal("0.1")),
                )
            )
    alerts.sort(key=lambda a: -a.jump_percent)
    return alerts


def medians(keys) -> dict[tuple[int, str, datetime.date], int | None]:
    """The 4-week market median of each ``(product id, area path, day)``: every price of
    the product recorded in the area's subtree in the 4 weeks before ``day``
    (:func:`median_price` for many keys: one query per distinct day)."""
    keys = set(keys)
    by_day: dict[datetime.date, list[tuple[int, str]]] = defaultdict(list)
    for product_id, path, day in keys:
        by_day[day].append((product_id, path))
    out: dict[tuple[int, str, datetime.date], int | None] = {}
    for day, wanted in by_day.items():
        prices = defaultdict(list)
        for product_id, path, price in MarketPrice.objects.filter(
            product_id__in={p for p, _a in wanted},
            observed_on__gte=day - WINDOW,
            observed_on__lt=day,
        ).values_list("product_id", "area__path", "price"):
            prices[product_id].append((path, price))
        for product_id, area_path in wanted:
            found = [v for path, v in prices[product_id] if path.startswith(area_path)]
            out[(product_id, area_path, day)] = (
                round_xof(Decimal(str(statistics.median(found)))) if found else None
            )
    return out


def savings_by(rows) -> dict:
    """The saving of invoiced quantities per key: ``rows`` of ``(key, product id, group's
    area path, closing day, quantity, amount)``; a row saves median × quantity − amount
    (the amount is unit price × quantity); no market price: 0. The medians are read once
    for all rows."""
    rows = list(rows)
    found = medians((p, path, day) for _k, p, path, day, _q, _a in rows)
    out: dict = defaultdict(int)
    for key, p, path, day, q, a in rows:
        median = found[(p, path, day)]
        out[key] += 0 if median is None else median * q - a
    return dict(out)


SAVING_FIELDS = (
    "offer__product_id",
    "invoice__campaign__group__area__path",
    "invoice__campaign__closed_on",
    "invoice__campaign__closes_on",
)


def saving_rows(lines, *, by: str | None = None):
    """Invoice lines summed per (``by``,) product, group area and closing day, as
    :func:`savings_by` wants them (``by``: a field to keep, e.g. the commune)."""
    fields = ((by,) if by else ()) + SAVING_FIELDS
    for *head, product, path, closed_on, closes_on, q, a in (
        lines.order_by().values_list(*fields).annotate(q=Sum("quantity"), a=Sum("amount"))
    ):
        yield (*head, product, path, closed_on or closes_on, int(q or 0), int(a or 0))


def invoices_saving(invoices) -> int:
    """What ``invoices`` saved against the market: per line, (median market price in the
    group's area over the 4 weeks before the campaign's closing − unit price) × quantity;
    lines without a market price count 0."""
    from purchasing.models import InvoiceLine

    rows = saving_rows(InvoiceLine.objects.filter(invoice__in=invoices))
    return savings_by((None, *row) for row in rows).get(None, 0)
