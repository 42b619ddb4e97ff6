"""The solidarity value chain in the demo: "Céréales locales de Mbour" with its four
boutiques (source, technologique, production, témoin), CARE Sénégal and a CARE member
enterprise as partners, a vocational training centre, three opportunities scored and
decided, eight weeks of production (millet harvested, milled into flour, flour into
thiakry), lots sent to the shop on consignment, a week of till sales (cash and mobile
money), the Z reports and a consignment settlement.

Users: ``boutique-mbour`` (the shop's officer; operates the till), ``partenaire-care``
(a partner enterprise's staff: reads the chain). Through the services; idempotent (the
chain existing, nothing is added); dates relative to the load day, never future.
"""

from __future__ import annotations

import datetime
import uuid

from django.utils import timezone

from accounts.services import role_assign
from core import dates
from geo.models import Area
from purchasing import services as purchasing
from purchasing.models import Product
from registry.models import Cooperative, Partner, Sector
from registry.services import partner_create
from valuechain import services
from valuechain.models import ValueChain

CHAIN = "Céréales locales de Mbour"
NS = uuid.UUID("6f1c1a8e-1f9a-4c9b-9a57-0b6b3c3f1d17")  # the demo's sale uuids (uuid5)
WEEKS = 8


def _product(actor, name, unit):
    return Product.objects.filter(name=name, unit=unit).first() or purchasing.product_create(
        actor=actor, name=name, unit=unit, category="céréales"
    )


def _partner(actor, name, kind):
    return Partner.objects.filter(name=name).first() or partner_create(
        actor=actor, name=name, kind=kind
    )


def _setup(actor, ensure_user):
    mbour = Area.objects.get(code="SN-TH-MBO")
    coops = list(Cooperative.objects.filter(commune__path__startswith=mbour.path).order_by("pk"))
    producer, shop_coop = coops[0], coops[1] if len(coops) > 1 else coops[0]
    commune = producer.commune
    chain = services.value_chain_create(
        actor=actor,
        name=CHAIN,
        sector=Sector.objects.get(code="transformation-agroalimentaire"),
        area=mbour,
        description="Mil, farine et thiakry des transformatrices de Mbour.",
        partners=[
            (_partner(actor, "CARE Sénégal", "ONG"), "programme"),
            (_partner(actor, "Entreprise membre CARE de Mbour", "entreprise"), "enterprise"),
            (
                _partner(actor, "Centre de formation professionnelle de Mbour", "CFP"),
                "training_centre",
            ),
        ],
        cooperatives=[(producer, "production"), (shop_coop, "temoin")],
    )
    sites = {
        kind: services.site_create(
            actor=actor,
            name=name,
            kind=kind,
            commune=commune,
            cooperative=coop,
            value_chain=chain,
            commission_pct=10 if kind == "temoin" else 0,
        )
        for kind, name, coop in [
            ("source", "Boutique source de Mbour", None),
            ("technologique", "Boutique technologique de Mbour (moulin partagé)", None),
            ("production", "Unité de transformation de céréales de Mbour", producer),
            ("temoin", "Boutique témoin de Mbour", shop_coop),
        ]
    }
    cashier = ensure_user("boutique-mbour", "Khady", "Diouf")
    role_assign(user=cashier, role="officer", cooperative=shop_coop, actor=actor)
    care = ensure_user("partenaire-care", "Ibrahima", "Gueye")
    services.partner_staff_add(
        actor=actor, user=care, partner=Partner.objects.get(name="Entreprise membre CARE de Mbour")
    )
    return chain, sites, mbour


def _opportunities(actor, mbour, chain, today):
    grid = [
        (
            "Céréales locales transformées",
            "transformation-agroalimentaire",
            120,
            {"market": 5, "inputs": 4, "skills": 4, "jobs": 4, "risk": 3},
            "go",
            "Débouchés sûrs à Mbour et Saly ; transformatrices formées par le CFP.",
        ),
        (
            "Poisson fumé et séché",
            "peche-transformation",
            80,
            {"market": 4, "inputs": 3, "skills": 3, "jobs": 4, "risk": 2},
            "later",
            "Attendre le four amélioré de la boutique technologique.",
        ),
        (
            "Savon au beurre de karité",
            "savonnerie-cosmetique",
            15,
            {"market": 2, "inputs": 1, "skills": 2, "jobs": 1, "risk": 2},
            "no",
            "Karité non disponible localement.",
        ),
    ]
    for title, sector, jobs, scores, decision, reason in grid:
        opp = services.opportunity_propose(
            actor=actor,
            area=mbour,
            sector=Sector.objects.get(code=sector),
            title=title,
            proposed_on=today - datetime.timedelta(days=90),
            jobs_expected=jobs,
            scores=scores,
            market="Enquête de marché de la boutique source",
        )
        services.opportunity_decide(
            actor=actor,
            opportunity=opp,
            decision=decision,
            reason=reason,
            decided_on=today - datetime.timedelta(days=80),
            value_chain=chain if decision == "go" else None,
        )


def _production(actor, sites, products, today):
    """Weekly: 200 kg of millet harvested, milled into 160 kg of flour; 40 kg of flour
    into 70 sachets of thiakry; 100 kg of flour and the sachets sent to the shop."""
    prod, shop = sites["production"], sites["temoin"]
    millet, flour, thiakry = products
    lots = []
    for week in range(WEEKS, 0, -1):
        on = today - datetime.timedelta(days=7 * week)
        harvest = services.lot_open(
            actor=actor,
            product=millet,
            quantity=200,
            site=prod,
            on=on,
            origin="harvest",
            origin_note="Récolte des membres",
        )
        run = services.production_run_record(
            actor=actor,
            site=prod,
            on=on,
            inputs=[(harvest, 200)],
            outputs=[(flour, 160)],
            work_days=8,
            quality_ok=True,
            quality_note="Humidité < 12 %",
        )
        flour_lot = run.outputs.get()
        run2 = services.production_run_record(
            actor=actor,
            site=prod,
            on=on,
            inputs=[(flour_lot, 40)],
            outputs=[(thiakry, 70)],
            work_days=4,
            quality_ok=True,
        )
        sachets = run2.outputs.get()
        for lot, qty in ((flour_lot, 100), (sachets, 70)):
            services.stock_transfer(
                actor=actor, lot=lot, quantity=qty, from_site=prod, to_site=shop, on=on
            )
        lots.append((flour_lot, sachets))
    return lots


def _sales(actor, shop, lots, today):
    flour_lot, sachets = lots[-1]
    now = timezone.now()
    count = 0
    for day in range(7, 0, -1):
        for i in range(5):
            sold_at = now - datetime.timedelta(days=day, hours=i + 1)
            lot, price = (sachets, 500) if i % 2 else (flour_lot, 650)
            qty = 1 + (day + i) % 3
            mm = i == 3
            services.sale_record(
                actor=actor,
                client_uuid=uuid.uuid5(NS, f"{day}-{i}"),
                site=shop,
                sold_at=sold_at,
                lines=[(lot, qty, price)],
                payments=[
                    (
                        "mobile_money" if mm else "cash",
                        qty * price,
                        f"WAVE-DEMO-{day}{i}" if mm else "",
                    )
                ],
                buyer_phone=f"+22177100{day:02d}{i:02d}",
            )
            count += 1
    till = shop.tills.get()
    for day in range(7, 1, -1):
        on = timezone.localtime(now - datetime.timedelta(days=day)).date()
        expected = services.till_day(till, on)["expected_cash"]
        services.till_close(actor=actor, till=till, on=on, counted_cash=expected)
    return count


def _workshop(actor, site, today) -> int:
    """The boutique technologique: a shared mill and a dryer booked by the producers and
    the shop, last week's slots used and invoiced; a packaging project with its trials."""
    chain = site.value_chain
    producer = chain.cooperatives.get(level="production").cooperative
    shop_coop = chain.cooperatives.get(level="temoin").cooperative
    mill = services.equipment_add(
        actor=actor, site=site, name="Moulin à mil partagé", kind="mill", hourly_rate=2500
    )
    services.equipment_add(
        actor=actor, site=site, name="Séchoir solaire", kind="dryer", hourly_rate=1000
    )
    used = 0
    for offset, coop, hour, hours in [
        (-6, producer, 8, "3"),
        (-4, producer, 9, "2.5"),
        (-2, shop_coop, 14, "1.5"),
        (1, producer, 8, None),
        (3, shop_coop, 10, None),
    ]:
        day = today + datetime.timedelta(days=offset)
        start = timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))
        booking = services.equipment_book(
            actor=actor,
            equipment=mill,
            cooperative=coop,
            starts_at=start,
            ends_at=start + datetime.timedelta(hours=3),
        )
        if hours:
            services.equipment_use_record(actor=actor, booking=booking, hours=hours, on=day)
            used += 1
    project = services.innovation_project_create(
        actor=actor,
        site=site,
        title="Sachet refermable de thiakry",
        kind="packaging",
        started_on=today - datetime.timedelta(days=40),
        cooperative=producer,
        description="Un emballage qui garde le thiakry sec 30 jours.",
    )
    for days, kind, text, result, ok in [
        (30, "prototype", "Sachet kraft doublé, fermeture zip", "", None),
        (20, "test", "Conservation 30 jours en boutique", "Humidité après 12 jours", False),
        (10, "prototype", "Sachet kraft doublé aluminium", "", None),
        (2, "test", "Conservation 30 jours en boutique", "Sec après 30 jours", True),
    ]:
        services.project_trial_record(
            actor=actor,
            project=project,
            kind=kind,
            on=today - datetime.timedelta(days=days),
            description=text,
            result=result,
            success=ok,
        )
    return used


def load_valuechain(*, actor, ensure_user) -> list[str]:
    if ValueChain.objects.filter(name=CHAIN).exists():
        return ["chaîne de valeur : déjà chargée"]
    today = dates.today()
    chain, sites, mbour = _setup(actor, ensure_user)
    _opportunities(actor, mbour, chain, today)
    products = (
        _product(actor, "Mil", "kg"),
        _product(actor, "Farine de mil", "kg"),
        _product(actor, "Thiakry (sachet de 500 g)", "piece"),
    )
    _workshop(actor, sites["technologique"], today)
    lots = _production(actor, sites, products, today)
    sales = _sales(actor, sites["temoin"], lots, today)
    shop = sites["temoin"]
    services.settlement_make(
        actor=actor,
        site=shop,
        cooperative=shop.value_chain.cooperatives.get(level="production").cooperative,
        period_from=today - datetime.timedelta(days=8),
        period_to=today - datetime.timedelta(days=1),
        paid_on=today,
    )
    return [f"chaîne de valeur : {CHAIN}, {WEEKS} semaines de production, {sales} ventes"]
