"""Issue 17, point 8: ``production_volume`` (kg produced by the value chains) computed from
recorded production, the same from the rollups and from scratch, per area, with its
records per value chain and product, and its target ×2 of a baseline year."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from geo.models import Area
from monitoring.models import Target
from monitoring.selectors import (
    indicator_records,
    indicator_values,
    indicator_values_from_scratch,
)
from purchasing import services as purchasing
from valuechain import services
from valuechain.tests.factories import DAY, chain, flour_at_shop

pytestmark = pytest.mark.django_db
AS_OF = timezone.localdate()
YEAR = DAY.year


def volume(actor, code, from_scratch=False, year=YEAR, as_of=AS_OF):
    pick = indicator_values_from_scratch if from_scratch else indicator_values
    rows = pick(
        actor=actor,
        area=Area.objects.get(code=code),
        year=year,
        as_of=as_of,
        codes=["production_volume"],
    )
    return rows[0]


def test_volume_counts_harvests_and_production_in_kg_not_purchases_nor_pieces(world):
    c = chain(world)
    flour_at_shop(c, to_shop=0)  # 100 kg of millet harvested, 80 kg of flour made
    sachet = purchasing.product_create(actor=world.national, name="Thiakry", unit="piece")
    tonne = purchasing.product_create(actor=world.national, name="Mil en gros", unit="tonne")
    for product, quantity, origin in (
        (sachet, 70, "harvest"),  # not a weight: not in kilograms
        (c.millet, 500, "purchase"),  # bought, not produced
        (tonne, 2, "harvest"),  # 2 000 kg
    ):
        services.lot_open(
            actor=c.officer_mbour,
            product=product,
            quantity=quantity,
            site=c.production,
            on=DAY,
            origin=origin,
        )
    mbour = world.mbour.parent.code
    for code in ("SN", mbour):
        assert volume(world.national, code)["value"] == 2180
        assert volume(world.national, code, from_scratch=True)["value"] == 2180
    assert volume(world.national, "SN-TC")["value"] == 0  # Tambacounda: none
    assert (
        volume(world.national, "SN", year=YEAR - 1, as_of=datetime.date(YEAR - 1, 12, 31))["value"]
        == 0
    )
    records = indicator_records(
        actor=world.national,
        code="production_volume",
        area=Area.objects.get(code="SN"),
        year=YEAR,
        as_of=AS_OF,
    )
    assert records["kind"] == "production"
    assert [(r["chain"], r["product"], r["quantity"], r["kg"]) for r in records["rows"]] == [
        (c.chain.name, "Mil en gros", 2, 2000),
        (c.chain.name, "Mil", 100, 100),
        (c.chain.name, "Farine de mil", 80, 80),
    ]


def test_target_doubles_the_baseline_year(world):
    c = chain(world)
    flour_at_shop(c, to_shop=0)
    sn = Area.objects.get(code="SN")
    Target.objects.update_or_create(  # 2027 is seeded (2 × 2025): the year after this one
        indicator="production_volume",
        area=sn,
        year=YEAR + 1,
        defaults={"value": None, "baseline_year": YEAR, "multiplier": 2},
    )
    row = volume(world.national, "SN", year=YEAR + 1, as_of=datetime.date(YEAR + 1, 1, 31))
    assert row["target"] == Decimal(360) and row["value"] == 0
    assert "2 × valeur" in row["target_basis"]


def test_dashboard_and_records_page_show_the_volume(world, client):
    c = chain(world)
    flour_at_shop(c, to_shop=0)
    client.force_login(world.national)
    page = client.get(f"/suivi/?area=SN&year={YEAR}").content.decode()
    assert "Volume produit (kg)" in page
    records = client.get(f"/suivi/indicateurs/production_volume/?area=SN&year={YEAR}")
    body = records.content.decode()
    assert records.status_code == 200 and "Farine de mil" in body and c.chain.name in body
    client.force_login(world.agent_tc)
    assert (
        "Farine de mil"
        not in client.get(
            f"/suivi/indicateurs/production_volume/?area=SN-TC&year={YEAR}"
        ).content.decode()
    )
