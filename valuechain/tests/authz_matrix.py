"""Authorization-matrix entries of the value chain (see accounts/tests/authz.py and
docs/valuechain.md, "Droits").

Each side has a value chain in its commune with a production site run by a producers'
cooperative and a shop (boutique témoin) run by the side's cooperative (the officer's on
side A); a lot made at the production site, part of it consigned to the shop and sold."""

import datetime

from django.utils import timezone

from accounts.tests.authz import E, Pair, api, page
from purchasing import services as purchasing
from registry.models import Sector
from registry.tests.factories import CooperativeFactory
from valuechain import services

TODAY = timezone.localdate().isoformat()
# The world's consigned sale is an hour old: yesterday's date just after midnight.
YESTERDAY = (timezone.localdate() - datetime.timedelta(days=1)).isoformat()
NOW = (timezone.now() - datetime.timedelta(minutes=5)).isoformat()
UUID = "0b7c6a53-6f1e-4a55-9a3e-3c1d2f0a9e11"


def _side(world, product, *, commune, coop, label):
    actor = world.national
    day = timezone.localdate() - datetime.timedelta(days=2)
    producer = CooperativeFactory(name=f"Productrices de mil {label}", commune=commune)
    chain = services.value_chain_create(
        actor=actor,
        name=f"Filière mil {label}",
        sector=Sector.objects.get(code="transformation-agroalimentaire"),
        area=commune,
        cooperatives=[(producer, "production"), (coop, "temoin")],
    )
    site = services.site_create(
        actor=actor,
        name=f"Moulin {label}",
        kind="production",
        commune=commune,
        cooperative=producer,
        value_chain=chain,
    )
    shop = services.site_create(
        actor=actor,
        name=f"Boutique {label}",
        kind="temoin",
        commune=commune,
        cooperative=coop,
        value_chain=chain,
        commission_pct=10,
    )
    lot = services.lot_open(
        actor=actor, product=product, quantity=100, site=site, on=day, origin="harvest"
    )
    services.stock_transfer(actor=actor, lot=lot, quantity=40, from_site=site, to_site=shop, on=day)
    sale, _ = services.sale_record(
        actor=actor,
        client_uuid=f"{label == 'A' and 1 or 2:08d}-0000-4000-8000-000000000000",
        site=shop,
        sold_at=timezone.now() - datetime.timedelta(hours=1),
        lines=[(lot, 2, 500)],
        payments=[("cash", 1000, "")],
    )
    opp = services.opportunity_propose(
        actor=actor,
        area=commune,
        sector=chain.sector,
        title=f"Opportunité {label}",
        proposed_on=day,
        scores={"market": 3},
    )
    workshop = services.site_create(
        actor=actor,
        name=f"Atelier {label}",
        kind="technologique",
        commune=commune,
        cooperative=producer,
        value_chain=chain,
    )
    press = services.equipment_add(
        actor=actor, site=workshop, name=f"Presse {label}", kind="press", hourly_rate=2000
    )
    start = timezone.now() - datetime.timedelta(hours=3)
    booking = services.equipment_book(
        actor=actor,
        equipment=press,
        cooperative=coop,
        starts_at=start,
        ends_at=start + datetime.timedelta(hours=2),
    )
    project = services.innovation_project_create(
        actor=actor, site=workshop, title=f"Emballage {label}", kind="packaging", started_on=day
    )
    earlier = timezone.now() - datetime.timedelta(days=2)
    services.sale_record(
        actor=actor,
        client_uuid=f"{label == 'A' and 3 or 4:08d}-0000-4000-8000-000000000000",
        site=shop,
        sold_at=earlier,
        lines=[(lot, 1, 500)],
        payments=[("cash", 500, "")],
    )
    on = timezone.localdate(earlier)
    settlement = services.settlement_make(
        actor=actor, site=shop, cooperative=producer, period_from=on, period_to=on, paid_on=on
    )
    bought = services.stock_transfer(
        actor=actor,
        lot=lot,
        quantity=5,
        from_site=site,
        to_site=shop,
        on=day,
        terms="outright",
        unit_price=400,
    )
    return (
        bought.invoice,
        settlement,
        chain,
        site,
        shop,
        lot,
        sale,
        shop.tills.get(),
        opp,
        producer,
        workshop,
        press,
        booking,
        project,
    )


def build(world, objs):
    product = purchasing.product_create(actor=world.national, name="Mil (matrice)", unit="kg")
    a = _side(world, product, commune=world.koumpentoum, coop=world.coop_tc, label="A")
    b = _side(world, product, commune=world.mbour, coop=world.coop_mbour, label="B")
    names = [
        "vc_invoice",
        "vc_settlement",
        "vc_chain",
        "vc_site",
        "vc_shop",
        "vc_lot",
        "vc_sale",
        "vc_till",
        "vc_opp",
        "vc_producer",
        "vc_workshop",
        "vc_press",
        "vc_booking",
        "vc_project",
    ]
    for i, name in enumerate(names):
        objs[name] = Pair(a[i], b[i])
    objs["vc_product"] = Pair(product, product)


READ = E(200, lender=404, member=404, nobody=404)
# The shop is operated by the side's cooperative: its officer and the national role act.
OPERATE = E(201, region=403, department=403, lender=404, member=404, nobody=404)
SET_UP = E(403, national=201, region=201, department=201)
SET_UP_OUT = {"region": 403, "department": 403, "officer": 403, "lender": 403, "member": 403}

ENTRIES = [
    api("GET /api/v1/value-chains", expect=E(200)),
    api("GET /api/v1/value-chains/{chain_id}", chain_id="@vc_chain", expect=READ),
    api(
        "POST /api/v1/value-chains",
        body={"name": "Nouvelle filière", "sector": "artisanat", "area": "@commune.code"},
        expect=SET_UP,
        out=SET_UP_OUT,
    ),
    api("GET /api/v1/sites", expect=E(200)),
    api(
        "POST /api/v1/sites",
        body={
            "name": "Nouveau site",
            "kind": "production",
            "commune": "@commune.code",
            "value_chain": "@vc_chain",
        },
        expect=E(201, officer=403, lender=404, member=404, nobody=404),
    ),
    api("GET /api/v1/lots", expect=E(200)),
    api("GET /api/v1/lots/{lot_id}", lot_id="@vc_lot", expect=READ),
    api(
        "POST /api/v1/lots",
        body={
            "product": "@vc_product",
            "quantity": 10,
            "site": "@vc_shop",
            "on": TODAY,
            "origin": "purchase",
        },
        expect=OPERATE,
    ),
    api("GET /api/v1/lots/{lot_id}/trace", lot_id="@vc_lot", expect=READ),
    api("GET /api/v1/lots/{lot_id}/recall", lot_id="@vc_lot", expect=READ),
    api("GET /api/v1/stock", query={"site": "@vc_shop"}, expect=READ),
    api(
        "POST /api/v1/stock/transfers",
        body={
            "lot": "@vc_lot",
            "quantity": 1,
            "from_site": "@vc_shop",
            "to_site": "@vc_site",
            "on": TODAY,
        },
        expect=OPERATE,
    ),
    api(
        "POST /api/v1/production-runs",
        body={
            "site": "@vc_shop",
            "on": TODAY,
            "inputs": [{"lot": "@vc_lot", "quantity": 2}],
            "outputs": [{"product": "@vc_product", "quantity": 2}],
        },
        expect=OPERATE,
    ),
    api("GET /api/v1/shop/sales", expect=E(200)),
    api("GET /api/v1/shop/sales/{sale_id}", sale_id="@vc_sale", expect=READ),
    api(
        "POST /api/v1/shop/sales",
        body={
            "client_uuid": UUID,
            "site": "@vc_shop",
            "sold_at": NOW,
            "lines": [{"lot": "@vc_lot", "quantity": 1, "unit_price": 500}],
            "payments": [{"channel": "cash", "amount": 500}],
        },
        expect=OPERATE,
    ),
    api(
        "POST /api/v1/shop/tills/{till_id}/close",
        till_id="@vc_till",
        body={"on": TODAY, "counted_cash": 1000},
        expect=OPERATE,
    ),
    api("GET /api/v1/shop/settlements", expect=E(200)),
    api(
        "POST /api/v1/shop/settlements",
        body={
            "site": "@vc_shop",
            "cooperative": "@vc_producer",
            "period_from": YESTERDAY,
            "period_to": TODAY,
            "paid_on": TODAY,
        },
        expect=OPERATE,
    ),
    api(
        "GET /api/v1/shop/settlements/{settlement_id}", settlement_id="@vc_settlement", expect=READ
    ),
    api("GET /api/v1/shop/purchases", expect=E(200)),
    api("GET /api/v1/shop/purchases/{invoice_id}", invoice_id="@vc_invoice", expect=READ),
    api(
        "POST /api/v1/shop/purchases/{invoice_id}/pay",
        invoice_id="@vc_invoice",
        body={"paid_on": TODAY, "channel": "cash"},
        expect=E(200, region=403, department=403, lender=404, member=404, nobody=404),
    ),
    api("GET /api/v1/stock/losses", expect=E(200)),
    api(
        "POST /api/v1/stock/losses",
        body={"site": "@vc_shop", "lot": "@vc_lot", "quantity": 1, "on": TODAY, "note": "Pluie"},
        expect=OPERATE,
    ),
    api("GET /api/v1/stock/counts", expect=E(200)),
    api(
        "POST /api/v1/stock/counts",
        body={"site": "@vc_shop", "lot": "@vc_lot", "counted": 30, "on": TODAY},
        expect=OPERATE,
    ),
    api("GET /api/v1/opportunities", expect=E(200)),
    api(
        "POST /api/v1/opportunities",
        body={
            "area": "@commune.code",
            "sector": "artisanat",
            "title": "Nouvelle",
            "proposed_on": TODAY,
        },
        expect=SET_UP,
        out=SET_UP_OUT,
    ),
    api(
        "POST /api/v1/opportunities/{opportunity_id}/decide",
        opportunity_id="@vc_opp",
        body={"decision": "no", "reason": "Marché trop étroit", "decided_on": TODAY},
        expect=E(200, officer=404, lender=404, member=404, nobody=404),
    ),
]

VIEW = E(200, lender=404, member=404, nobody=404)
TILL = E(200, region=403, department=403, lender=404, member=404, nobody=404)

ENTRIES += [
    page("valuechain:index", expect=E(200)),
    page("valuechain:chain_detail", pk="@vc_chain", expect=VIEW),
    page("valuechain:site_detail", pk="@vc_shop", expect=VIEW),
    page("valuechain:lot_detail", pk="@vc_lot", expect=VIEW),
    page("valuechain:sale_detail", pk="@vc_sale", expect=VIEW),
    page("valuechain:till", pk="@vc_shop", expect=TILL),
    page(
        "valuechain:till_sync",
        method="POST",
        pk="@vc_shop",
        data={
            "client_uuid": UUID,
            "sold_at": NOW,
            "lot": "@vc_lot",
            "quantity": 1,
            "unit_price": 500,
        },
        expect=OPERATE,
    ),
    page(
        "valuechain:till_close",
        method="POST",
        pk="@vc_till",
        data={"on": TODAY, "counted_cash": 1000},
        expect=E(200, region=403, department=403, lender=404, member=404, nobody=404),
    ),
]

ENTRIES += [
    api(
        "GET /api/v1/value-chains/{chain_id}/production",
        chain_id="@vc_chain",
        query={"year": timezone.localdate().year, "baseline_year": timezone.localdate().year - 1},
        expect=READ,
    ),
]

# The boutique technologique: each side's workshop is run by its producers' cooperative
# (no user of the world); the officer's cooperative is in the chain (its shop): it sees
# the equipment and books it for itself, records no use and no project.
WORKSHOP = E(201, officer=404, lender=404, member=404, nobody=404)
BOOKING_START = (timezone.now() + datetime.timedelta(days=2)).replace(microsecond=0)
ENTRIES += [
    api("GET /api/v1/innovation-projects", expect=E(200)),
    api(
        "POST /api/v1/innovation-projects",
        body={
            "site": "@vc_workshop",
            "title": "Farine enrichie",
            "kind": "product",
            "started_on": TODAY,
        },
        expect=WORKSHOP,
    ),
    api(
        "POST /api/v1/innovation-projects/{project_id}/trials",
        project_id="@vc_project",
        body={"kind": "prototype", "on": TODAY, "description": "Sachet kraft"},
        expect=E(201, officer=403, lender=404, member=404, nobody=404),
    ),
    api("GET /api/v1/equipment", expect=E(200)),
    api(
        "POST /api/v1/equipment",
        body={"site": "@vc_workshop", "name": "Séchoir", "kind": "dryer", "hourly_rate": 1500},
        expect=WORKSHOP,
    ),
    api(
        "GET /api/v1/equipment/{equipment_id}/bookings",
        equipment_id="@vc_press",
        expect=READ,
    ),
    api(
        "POST /api/v1/equipment/{equipment_id}/bookings",
        equipment_id="@vc_press",
        body={
            "cooperative": "@cooperative",
            "starts_at": BOOKING_START.isoformat(),
            "ends_at": (BOOKING_START + datetime.timedelta(hours=2)).isoformat(),
        },
        expect=E(201, lender=404, member=404, nobody=404),
    ),
    api(
        "POST /api/v1/equipment-bookings/{booking_id}/use",
        booking_id="@vc_booking",
        body={"hours": 1.5, "on": TODAY},
        expect=E(200, officer=403, lender=404, member=404, nobody=404),
    ),
    api(
        "POST /api/v1/equipment-bookings/{booking_id}/cancel",
        booking_id="@vc_booking",
        expect=E(200, lender=404, member=404, nobody=404),
    ),
    page(
        "valuechain:site_detail",
        pk="@vc_workshop",
        expect=E(200, officer=404, lender=404, member=404, nobody=404),
    ),
    page("valuechain:equipment_detail", pk="@vc_press", expect=VIEW),
    page(
        "valuechain:equipment_detail",
        method="POST",
        pk="@vc_press",
        data={
            "action": "book",
            "cooperative": "@cooperative",
            "day": BOOKING_START.date().isoformat(),
            "start": "08:00",
            "end": "10:00",
        },
        expect=E(302, lender=404, member=404, nobody=404),
    ),
]

ENTRIES += [page("valuechain:lot_label", pk="@vc_lot", expect=VIEW, leak_check=False)]

ENTRIES += [
    page("valuechain:settlement_detail", pk="@vc_settlement", expect=VIEW),
    page("valuechain:purchase_invoice", pk="@vc_invoice", expect=VIEW),
    page(
        "valuechain:site_detail",
        method="POST",
        pk="@vc_shop",
        data={"action": "loss", "lot": "@vc_lot", "quantity": 1, "on": TODAY, "note": "Sac percé"},
        expect=E(302, region=403, department=403, lender=404, member=404, nobody=404),
    ),
]

ENTRIES += [
    page("valuechain:project_detail", pk="@vc_project", expect=VIEW),
    page(
        "valuechain:project_detail",
        method="POST",
        pk="@vc_project",
        data={"action": "trial", "kind": "prototype", "on": TODAY, "description": "Maquette"},
        expect=E(302, officer=403, lender=404, member=404, nobody=404),
    ),
]

ENTRIES += [
    page(
        "valuechain:sale_sms",
        method="POST",
        pk="@vc_sale",
        data={"phone": "77 123 45 67"},
        expect=E(302, region=403, department=403, lender=404, member=404, nobody=404),
    ),
]

ENTRIES += [
    page("valuechain:scan", expect=E(200)),
    page(
        "valuechain:scan",
        query={"code": "@vc_lot.code"},
        expect=E(302, lender=200, member=200, nobody=200),
        out={r: 200 for r in ("region", "department", "officer", "lender", "member", "nobody")},
    ),
]
