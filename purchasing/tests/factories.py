"""Purchasing test data, built through the services."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from accounts.services import role_assign
from accounts.tests.factories import UserFactory
from geo.models import Area
from purchasing import services

OPENS = datetime.date(2026, 3, 1)
CLOSES = datetime.date(2026, 3, 20)
TODAY = datetime.date(2026, 3, 10)


@dataclass
class Market:
    group: object
    campaign: object
    rice: object  # offer: sacs of 50 kg of rice, packs of 10 sacs, 15 000 F a sac
    seed: object  # offer: groundnut seed in kg, packs of 25 kg, 600 F a kg, min 2 packs
    supplier: object
    officer_mbour: object
    officer_thies: object


def market(world) -> Market:
    """A group in Thiès (Mbour and Thiès cooperatives), led by Thiès, managed by agent_th,
    with one open campaign of two offers, and an officer for each cooperative."""
    actor = world.agent_th
    supplier = services.supplier_create(
        actor=actor, name="Sénégal Intrants SA", phone="+221338001122"
    )
    rice = services.product_create(actor=actor, name="Riz brisé", unit="sac", category="vivres")
    seed = services.product_create(
        actor=actor, name="Semence d'arachide", unit="kg", category="semences"
    )
    group = services.group_create(
        actor=actor,
        name="Centrale Rencas Thiès",
        area=Area.objects.get(code="SN-TH"),
        lead_cooperative=world.coop_thies,
        cooperatives=[world.coop_mbour],
        joined_on=datetime.date(2026, 1, 5),
        depot="Magasin de Thiès",
        network="Rencas",
    )
    campaign = services.campaign_create(
        actor=actor,
        group=group,
        name="Hivernage 2026",
        opens_on=OPENS,
        closes_on=CLOSES,
        offers=[
            {
                "product": rice,
                "supplier": supplier,
                "pack_size": 10,
                "unit_price": 15000,
                "min_packs": 0,
            },
            {
                "product": seed,
                "supplier": supplier,
                "pack_size": 25,
                "unit_price": 600,
                "min_packs": 2,
            },
        ],
    )
    rice_offer, seed_offer = campaign.offers.order_by("id")
    officer_mbour = UserFactory(username="officer-mbour")
    role_assign(user=officer_mbour, role="officer", cooperative=world.coop_mbour)
    officer_thies = UserFactory(username="officer-thies")
    role_assign(user=officer_thies, role="officer", cooperative=world.coop_thies)
    return Market(group, campaign, rice_offer, seed_offer, supplier, officer_mbour, officer_thies)
