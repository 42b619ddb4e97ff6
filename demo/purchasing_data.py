"""Buying together in the demo: the Thiès centrale d'achat with the Réseau national des
calebasses de solidarité (Rencas), managed by ``agent-thies``; three suppliers with
quotes compared and a choice; three campaigns (one closed and received with a short
delivery, invoiced, partly delivered and paid; one open with two orders; one open under
its minimum); a year of weekly market prices in Thiès and Mbour, the last one a jump of
rice in Mbour (the speculation alert).

Users: ``officer-thies`` and ``officer-mbour`` (officers of two member cooperatives).
Through the purchasing services, so every rule holds. Idempotent: the group existing,
nothing is added. Dates are relative to the load day (never future).
"""

from __future__ import annotations

import datetime

from accounts.services import role_assign
from core import dates
from geo.models import Area
from purchasing import services
from purchasing.models import PurchasingGroup
from registry.models import Cooperative, Stage

GROUP = "Centrale d'achat Rencas de Thiès"
WEEKS = 52
# product -> (unit, category, usual market price per unit in Thiès, the centrale's price)
PRODUCTS = {
    "Riz brisé (sac de 50 kg)": ("sac", "vivres", 17_500, 15_000),
    "Engrais NPK 15-15-15 (sac de 50 kg)": ("sac", "engrais", 16_000, 14_000),
    "Semence d'arachide": ("kg", "semences", 700, 600),
    "Huile végétale": ("l", "vivres", 1_300, 1_150),
}


def _members(agent_area):
    """The group's cooperatives: working cooperatives of Thiès, lead one in Thiès Nord."""
    coops = list(
        Cooperative.objects.filter(
            commune__path__startswith=agent_area.path,
            stage__in=[Stage.EN_ACTIVITE, Stage.CONSOLIDEE, Stage.IMMATRICULEE],
        ).order_by("commune__code", "name")[:8]
    )
    lead = next((c for c in coops if c.commune.code == "SN-TH-THI-01"), coops[0])
    mbour = next((c for c in coops if c.commune.code == "SN-TH-MBO-01"), coops[-1])
    return lead, mbour, coops


def _officers(*, actor, ensure_user, lead, mbour):
    thies = ensure_user("officer-thies", "Fatou", "Sarr")
    role_assign(user=thies, role="officer", cooperative=lead, actor=actor)
    mb = ensure_user("officer-mbour", "Aminata", "Ndiaye")
    role_assign(user=mb, role="officer", cooperative=mbour, actor=actor)
    return thies, mb


def _reference(agent):
    suppliers = [
        services.supplier_create(actor=agent, name=name, phone=phone, contact_name=contact)
        for name, phone, contact in [
            ("Sénégal Intrants SA", "+221338001122", "Moussa Diop"),
            ("Agri-Sahel SARL", "+221339512244", "Khadija Mbaye"),
            ("Comptoir du Cayor", "+221776543210", "Ibrahima Fall"),
        ]
    ]
    products = {
        name: services.product_create(actor=agent, name=name, unit=unit, category=category)
        for name, (unit, category, _m, _p) in PRODUCTS.items()
    }
    return suppliers, products


def _quotes(agent, group, suppliers, products, day):
    rice = products["Riz brisé (sac de 50 kg)"]
    quotes = [
        services.quote_record(
            actor=agent,
            group=group,
            product=rice,
            supplier=s,
            unit_price=price,
            pack_size=10,
            received_on=day,
        )
        for s, price in zip(suppliers, [15_000, 15_400, 15_900], strict=True)
    ]
    services.supplier_choose(
        actor=agent,
        group=group,
        quote=quotes[0],
        reason="Le moins cher des trois devis, livraison au dépôt de Thiès comprise.",
        on=day,
    )


def _offers(products, supplier, *, minimum_seed=2):
    return [
        {
            "product": products[name],
            "supplier": supplier,
            "pack_size": pack,
            "unit_price": PRODUCTS[name][3],
            "min_packs": minimum,
        }
        for name, pack, minimum in [
            ("Riz brisé (sac de 50 kg)", 10, 1),
            ("Engrais NPK 15-15-15 (sac de 50 kg)", 20, 1),
            ("Semence d'arachide", 25, minimum_seed),
            ("Huile végétale", 20, 0),
        ]
    ]


def _order(officer_or_agent, campaign, coop, wanted, today):
    offers = list(campaign.offers.order_by("id"))
    lines = [(offers[i], q, t) for i, q, t in wanted]
    services.order_place(
        actor=officer_or_agent, campaign=campaign, cooperative=coop, lines=lines, today=today
    )


def _received_campaign(agent, group, products, supplier, coops, officers, today):
    """Hivernage: closed and received (rice short by 5 sacs, 2 damaged), invoiced, the
    lead cooperative delivered, Mbour's invoice paid in cash."""
    opens = today - datetime.timedelta(days=120)
    closes = today - datetime.timedelta(days=100)
    campaign = services.campaign_create(
        actor=agent,
        group=group,
        name="Hivernage : intrants et vivres",
        season="hivernage",
        opens_on=opens,
        closes_on=closes,
        offers=_offers(products, supplier),
    )
    on = opens + datetime.timedelta(days=5)
    lead, mbour, *others = coops
    _order(officers[0], campaign, lead, [(0, 12, 3), (1, 25, 5), (2, 40, 10), (3, 30, 5)], on)
    _order(officers[1], campaign, mbour, [(0, 9, 2), (1, 14, 4), (2, 30, 5)], on)
    for k, coop in enumerate(others[:4]):
        _order(agent, campaign, coop, [(0, 4 + k, 2), (1, 6, 3), (3, 10, 5)], on)
    services.campaign_close(actor=agent, campaign=campaign, on=closes, today=closes)
    campaign.refresh_from_db()
    lines = []
    for offer in campaign.offers.order_by("id"):
        if not offer.packs:
            continue
        short = 5 if offer.product.unit == "sac" and offer.pack_size == 10 else 0
        damaged = 2 if short else 0
        lines.append((offer, offer.units - short, damaged))
    received = closes + datetime.timedelta(days=4)
    invoices = services.campaign_receive(
        actor=agent, campaign=campaign, on=received, lines=lines, today=received
    )
    services.delivery_record(
        actor=agent,
        campaign=campaign,
        cooperative=lead,
        on=received,
        received_by="Fatou Sarr",
        today=received,
    )
    for invoice in invoices:
        if invoice.cooperative_id == mbour.pk:
            paid = received + datetime.timedelta(days=10)
            services.invoice_pay(
                actor=officers[1],
                invoice=invoice,
                on=paid,
                channel="cash",
                reference="Reçu n° 0042",
                today=paid,
            )
    return campaign


def _open_campaigns(agent, group, products, supplier, coops, officers, received, today):
    """Contre-saison (a copy of the hivernage campaign: open, two orders) and Tabaski
    (open, its only offer under its minimum of packs)."""
    lead, mbour, *_others = coops
    open_one = services.campaign_copy(
        actor=agent,
        campaign=received,
        name="Contre-saison : intrants et vivres",
        season="contre-saison",
        opens_on=today - datetime.timedelta(days=6),
        closes_on=today + datetime.timedelta(days=20),
    )
    _order(officers[0], open_one, lead, [(0, 8, 2), (1, 15, 5), (3, 20, 5)], today)
    _order(officers[1], open_one, mbour, [(0, 6, 3), (2, 20, 5)], today)
    under = services.campaign_create(
        actor=agent,
        group=group,
        name="Tabaski : semence d'arachide",
        season="tabaski",
        opens_on=today - datetime.timedelta(days=3),
        closes_on=today + datetime.timedelta(days=25),
        offers=_offers(products, supplier, minimum_seed=8)[2:3],
    )
    _order(officers[1], under, mbour, [(0, 60, 10)], today)
    _order(officers[0], under, lead, [(0, 40, 5)], today)


def _prices(actor, products, today):
    """A year of weekly prices in the departments of Thiès and Mbour (a market
    information system's bulletin); rice jumps in Mbour this week."""
    areas = [Area.objects.get(code=c) for c in ("SN-TH-THI", "SN-TH-MBO")]
    count = 0
    for week in range(WEEKS, -1, -1):
        day = today - datetime.timedelta(weeks=week)
        for name, (_u, _c, market, _p) in PRODUCTS.items():
            for k, area in enumerate(areas):
                wobble = 1 + ((week * 7 + k * 3 + len(name)) % 9 - 4) / 100  # ±4 %
                price = round(market * wobble)
                if week == 0 and k == 1 and name.startswith("Riz"):
                    price = round(market * 1.3)
                services.market_price_record(
                    actor=actor,
                    product=products[name],
                    area=area,
                    price=price,
                    observed_on=day,
                    source="Bulletin SIM (demo)",
                )
                count += 1
    return count


def load_purchasing(*, actor, ensure_user) -> list[str]:
    if PurchasingGroup.objects.filter(name=GROUP).exists():
        return ["achats groupés : déjà chargés"]
    today = dates.today()
    region = Area.objects.get(code="SN-TH")
    agent = ensure_user("agent-thies", "Ndèye", "Faye")
    lead, mbour, coops = _members(region)
    others = [c for c in coops if c.pk not in (lead.pk, mbour.pk)]
    officers = _officers(actor=actor, ensure_user=ensure_user, lead=lead, mbour=mbour)
    suppliers, products = _reference(agent)
    group = services.group_create(
        actor=agent,
        name=GROUP,
        area=region,
        lead_cooperative=lead,
        cooperatives=[mbour, *others],
        joined_on=today - datetime.timedelta(days=200),
        depot="Magasin de la centrale, Thiès Nord",
        network="Rencas",
        manager=agent,
    )
    _quotes(agent, group, suppliers, products, today - datetime.timedelta(days=130))
    ordered = [lead, mbour, *others]
    received = _received_campaign(agent, group, products, suppliers[0], ordered, officers, today)
    _open_campaigns(agent, group, products, suppliers[0], ordered, officers, received, today)
    prices = _prices(actor, products, today)
    return [
        f"achats groupés : 1 centrale ({len(ordered)} coopératives), 3 campagnes, "
        f"{prices} prix du marché"
    ]
