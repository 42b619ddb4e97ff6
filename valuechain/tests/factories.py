"""Value chain test data, built through the services: a Mbour cereals value chain (side B
of the world) with a production site run by the Mbour cooperative, a shop run by a second
Mbour cooperative, and an officer for each; a Koumpentoum production site (side A)."""

from __future__ import annotations

import datetime
import uuid
from dataclasses import dataclass

from django.utils import timezone

from accounts.services import role_assign
from accounts.tests.factories import UserFactory
from purchasing import services as purchasing
from registry.models import Partner, Sector
from registry.tests.factories import CooperativeFactory
from valuechain import services

TODAY = timezone.localdate()
DAY = TODAY - datetime.timedelta(days=3)


@dataclass
class Chain:
    chain: object
    millet: object  # product, kg
    flour: object  # product, kg
    production: object  # site run by world.coop_mbour
    shop: object  # temoin site run by shop_coop, 10 % commission
    shop_coop: object
    officer_mbour: object  # officer of world.coop_mbour (the producer)
    cashier: object  # officer of shop_coop
    partner: object
    partner_user: object
    site_tc: object  # a production site in Koumpentoum (side A), run by world.coop_tc


def chain(world) -> Chain:
    actor = world.national
    millet = purchasing.product_create(actor=actor, name="Mil", unit="kg")
    flour = purchasing.product_create(actor=actor, name="Farine de mil", unit="kg")
    partner = Partner.objects.create(name="Entreprise membre CARE Mbour", kind="entreprise")
    shop_coop = CooperativeFactory(name="Coopérative boutique de Mbour", commune=world.mbour)
    vc = services.value_chain_create(
        actor=actor,
        name="Céréales locales de Mbour",
        sector=Sector.objects.get(code="transformation-agroalimentaire"),
        area=world.mbour.parent,
        partners=[(partner, "enterprise")],
        cooperatives=[(world.coop_mbour, "production"), (shop_coop, "temoin")],
    )
    production = services.site_create(
        actor=actor,
        name="Unité de transformation de Mbour",
        kind="production",
        commune=world.mbour,
        cooperative=world.coop_mbour,
        value_chain=vc,
    )
    shop = services.site_create(
        actor=actor,
        name="Boutique témoin de Mbour",
        kind="temoin",
        commune=world.mbour,
        cooperative=shop_coop,
        value_chain=vc,
        commission_pct=10,
    )
    vc_tc = services.value_chain_create(
        actor=actor,
        name="Céréales de Koumpentoum",
        sector=Sector.objects.get(code="transformation-agroalimentaire"),
        area=world.koumpentoum,
    )
    site_tc = services.site_create(
        actor=actor,
        name="Atelier de Koumpentoum",
        kind="production",
        commune=world.koumpentoum,
        cooperative=world.coop_tc,
        value_chain=vc_tc,
    )
    officer_mbour = UserFactory(username="officer-mbour")
    role_assign(user=officer_mbour, role="officer", cooperative=world.coop_mbour)
    cashier = UserFactory(username="cashier-mbour")
    role_assign(user=cashier, role="officer", cooperative=shop_coop)
    partner_user = UserFactory(username="care-partner")
    services.partner_staff_add(actor=actor, user=partner_user, partner=partner)
    return Chain(
        vc,
        millet,
        flour,
        production,
        shop,
        shop_coop,
        officer_mbour,
        cashier,
        partner,
        partner_user,
        site_tc,
    )


def flour_at_shop(c: Chain, *, actor=None, flour_kg: int = 80, to_shop: int = 50):
    """100 kg of millet harvested, milled into ``flour_kg`` kg of flour, ``to_shop`` kg of
    it sent to the shop on consignment. Returns (millet lot, flour lot)."""
    actor = actor or c.officer_mbour
    millet = services.lot_open(
        actor=actor, product=c.millet, quantity=100, site=c.production, on=DAY, origin="harvest"
    )
    run = services.production_run_record(
        actor=actor,
        site=c.production,
        on=DAY,
        inputs=[(millet, 100)],
        outputs=[(c.flour, flour_kg)],
        work_days=6,
        quality_ok=True,
    )
    flour = run.outputs.get()
    if to_shop:
        services.stock_transfer(
            actor=actor, lot=flour, quantity=to_shop, from_site=c.production, to_site=c.shop, on=DAY
        )
    return millet, flour


def sell(c: Chain, lot, *, quantity=2, unit_price=600, actor=None, channel="cash", uid=None):
    sale, _created = services.sale_record(
        actor=actor or c.cashier,
        client_uuid=uid or uuid.uuid4(),
        site=c.shop,
        sold_at=timezone.now() - datetime.timedelta(hours=1),
        lines=[(lot, quantity, unit_price)],
        payments=[(channel, quantity * unit_price, "")],
    )
    return sale
