"""Issue 16's two measures (``manage.py bench_purchasing``), on any database, inside a
transaction rolled back afterwards (the database is left unchanged):

- **Closing at national scale**: a centrale of ``coops`` cooperatives (500) and a
  campaign of ``offers`` offers (20), every cooperative ordering every offer (10 000
  lines, oldest first); ``purchasing.services.campaign_close`` is timed (the rule, the
  packs and every allocation written). Target: under 2 s.
- **The price-watch page**: ``weeks`` (157: 3 years) of weekly prices of ``products``
  products in every department; the page ``/achats/prix/`` (alerts over every area, the
  list's first page) is requested ``requests`` times by the national role, p95 reported.
  Target: p95 under 150 ms.

The bench data is bench data: written in bulk (``bulk_create``), not through the
services, except the group, the campaign and the closing.
"""

from __future__ import annotations

import datetime
import statistics
import time

from django.db import transaction
from django.test import Client
from django.utils import timezone

from core import dates

CLOSE_TARGET_SECONDS = 2.0
PAGE_TARGET_MS = 150


class _Rollback(Exception):
    pass


def _national_user():
    from accounts.models import User
    from accounts.services import role_assign

    user = User.objects.create(username=f"bench-purchasing-{time.monotonic_ns()}")
    role_assign(user=user, role="national", actor=None)
    return user


def _commune():
    from geo.models import Area
    from geo.services import area_create

    found = Area.objects.filter(level="commune", path__startswith="SN/SN-TH/").first()
    if found:
        return found
    return area_create(
        code="SN-TH-THI-99",
        name="Commune du banc",
        level="commune",
        parent=Area.objects.get(code="SN-TH-THI"),
    )


def _cooperatives(n: int, commune):
    from registry.models import Cooperative, Sector

    sector = Sector.objects.order_by("pk").first()
    return Cooperative.objects.bulk_create(
        [
            Cooperative(
                name=f"Coopérative du banc {i:04d}",
                legal_form="SCOOPS",
                commune=commune,
                sector=sector,
                value_chain_stage="production",
                stage="en_activite",
            )
            for i in range(n)
        ],
        batch_size=1000,
    )


def _campaign(actor, coops, offers: int):
    from geo.models import Area
    from purchasing import services

    today = dates.today()
    supplier = services.supplier_create(actor=actor, name="Fournisseur du banc")
    products = [
        services.product_create(actor=actor, name=f"Produit du banc {k:02d}", unit="kg")
        for k in range(offers)
    ]
    group = services.group_create(
        actor=actor,
        name="Centrale du banc",
        area=Area.objects.get(code="SN-TH"),
        lead_cooperative=coops[0],
        cooperatives=coops[1:],
    )
    campaign = services.campaign_create(
        actor=actor,
        group=group,
        name="Campagne du banc",
        opens_on=today - datetime.timedelta(days=10),
        closes_on=today,
        offers=[
            {
                "product": p,
                "supplier": supplier,
                "pack_size": 25 + k,
                "unit_price": 500 + 10 * k,
                "min_packs": 2,
            }
            for k, p in enumerate(products)
        ],
    )
    return campaign, products


def _orders(actor, campaign, coops) -> int:
    from purchasing.models import Order, OrderLine

    start = timezone.now() - datetime.timedelta(days=5)
    orders = Order.objects.bulk_create(
        [
            Order(
                campaign=campaign,
                cooperative=c,
                placed_at=start + datetime.timedelta(seconds=i),
                placed_by=actor,
            )
            for i, c in enumerate(coops)
        ],
        batch_size=1000,
    )
    offers = list(campaign.offers.order_by("id"))
    lines = [
        OrderLine(
            order=o,
            offer=offer,
            quantity=1 + (i * 7 + k * 3) % 40,
            tolerance=(i + k) % offer.pack_size,
        )
        for i, o in enumerate(orders)
        for k, offer in enumerate(offers)
    ]
    OrderLine.objects.bulk_create(lines, batch_size=2000)
    return len(lines)


def measure_close(*, coops: int = 500, offers: int = 20) -> dict:
    """Seconds ``campaign_close`` takes on ``coops`` × ``offers`` order lines."""
    from purchasing import services
    from purchasing.models import Allocation

    result: dict = {}
    try:
        with transaction.atomic():
            actor = _national_user()
            members = _cooperatives(coops, _commune())
            campaign, _products = _campaign(actor, members, offers)
            lines = _orders(actor, campaign, members)
            started = time.perf_counter()
            services.campaign_close(actor=actor, campaign=campaign, on=dates.today())
            seconds = time.perf_counter() - started
            result = {
                "cooperatives": coops,
                "offers": offers,
                "order_lines": lines,
                "allocations": Allocation.objects.filter(offer__campaign=campaign).count(),
                "seconds": round(seconds, 3),
                "target_seconds": CLOSE_TARGET_SECONDS,
                "ok": seconds < CLOSE_TARGET_SECONDS,
            }
            raise _Rollback
    except _Rollback:
        pass
    return result


def _prices(actor, products, weeks: int) -> int:
    from geo.models import Area
    from purchasing.models import MarketPrice

    today = dates.today()
    departments = list(Area.objects.filter(level="department"))
    rows = [
        MarketPrice(
            product=p,
            area=d,
            price=1000 + (w * 13 + d.pk * 7 + k * 5) % 300,
            observed_on=today - datetime.timedelta(weeks=w),
            source="banc",
            recorded_by=actor,
        )
        for w in range(weeks)
        for d in departments
        for k, p in enumerate(products)
    ]
    MarketPrice.objects.bulk_create(rows, batch_size=5000)
    return len(rows)


def measure_price_page(*, weeks: int = 157, products: int = 5, requests: int = 30) -> dict:
    """p95 of the price-watch page over ``weeks`` of weekly prices in every department."""
    from purchasing import services

    result: dict = {}
    try:
        with transaction.atomic():
            actor = _national_user()
            made = [
                services.product_create(actor=actor, name=f"Produit suivi {k}", unit="kg")
                for k in range(products)
            ]
            count = _prices(actor, made, weeks)
            client = Client(HTTP_HOST="localhost")  # a host every settings file allows
            client.force_login(actor)
            client.get("/achats/prix/", secure=True)  # warm-up (HTTPS, as in production)
            times = []
            for _ in range(requests):
                started = time.perf_counter()
                response = client.get("/achats/prix/", secure=True)
                times.append((time.perf_counter() - started) * 1000)
                assert response.status_code == 200, response.status_code
            times.sort()
            p95 = times[max(0, int(round(0.95 * len(times))) - 1)]
            result = {
                "prices": count,
                "weeks": weeks,
                "products": products,
                "requests": requests,
                "p50_ms": round(statistics.median(times), 1),
                "p95_ms": round(p95, 1),
                "target_p95_ms": PAGE_TARGET_MS,
                "ok": p95 < PAGE_TARGET_MS,
            }
            raise _Rollback
    except _Rollback:
        pass
    return result
