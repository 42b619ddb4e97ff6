"""The value chain's rules, each with the bad input next to the good one (issue 17)."""

import datetime
import uuid

import pytest
from django.utils import timezone

from core.errors import Conflict, Forbidden, ValidationFailed
from ledger.models import JournalEntry
from valuechain import services, trace
from valuechain.models import Sale, SaleLine, StockLevel, StockMovement
from valuechain.selectors import stock_sum_of_movements
from valuechain.tests.factories import DAY, chain, flour_at_shop, sell

pytestmark = pytest.mark.django_db


def level(site, lot) -> int:
    row = StockLevel.objects.filter(site=site, lot=lot).first()
    return row.quantity if row else 0


def test_millet_milled_into_flour_worked_example(world):
    """100 kg of millet into 80 kg of flour: the millet is consumed, a flour lot is made."""
    c = chain(world)
    millet, flour = flour_at_shop(c, to_shop=0)
    assert level(c.production, millet) == 0
    assert level(c.production, flour) == 80
    assert flour.code.startswith("L") and flour.run.inputs.get().lot == millet
    assert flour.run.work_days == 6 and flour.run.quality_ok is True
    assert flour.cooperative == world.coop_mbour


def test_output_heavier_than_inputs_needs_a_reason(world):
    c = chain(world)
    millet = services.lot_open(
        actor=c.officer_mbour,
        product=c.millet,
        quantity=100,
        site=c.production,
        on=DAY,
        origin="harvest",
    )
    args = dict(actor=c.officer_mbour, site=c.production, on=DAY, inputs=[(millet, 100)])
    with pytest.raises(ValidationFailed) as e:
        services.production_run_record(**args, outputs=[(c.flour, 120)])
    assert e.value.code == "output_exceeds_inputs" and "motif" in str(e.value.message)
    assert level(c.production, millet) == 100  # nothing half-written
    run = services.production_run_record(
        **args, outputs=[(c.flour, 120)], gain_reason="eau ajoutée au pétrissage"
    )
    assert run.outputs.get().quantity == 120


@pytest.mark.parametrize("quantity", [0, -5])
def test_negative_or_zero_quantities_are_refused(world, quantity):
    c = chain(world)
    with pytest.raises(ValidationFailed) as e:
        services.lot_open(
            actor=c.officer_mbour,
            product=c.millet,
            quantity=quantity,
            site=c.production,
            on=DAY,
            origin="harvest",
        )
    assert e.value.field == "quantity" and "positive" in str(e.value.message)


def test_transfer_above_stock_is_409_and_writes_nothing(world):
    c = chain(world)
    _millet, flour = flour_at_shop(c, to_shop=0)
    before = StockMovement.objects.count()
    with pytest.raises(Conflict) as e:
        services.stock_transfer(
            actor=c.officer_mbour,
            lot=flour,
            quantity=81,
            from_site=c.production,
            to_site=c.shop,
            on=DAY,
        )
    assert e.value.code == "insufficient_stock"
    assert StockMovement.objects.count() == before
    services.stock_transfer(
        actor=c.officer_mbour,
        lot=flour,
        quantity=80,
        from_site=c.production,
        to_site=c.shop,
        on=DAY,
    )
    assert (level(c.production, flour), level(c.shop, flour)) == (0, 80)


def test_a_retried_sale_never_creates_a_duplicate(world):
    """Odoo's lesson: the same client_uuid again answers the first sale, writes nothing."""
    c = chain(world)
    _m, flour = flour_at_shop(c)
    uid = uuid.uuid4()
    first = sell(c, flour, uid=uid)
    counts = (Sale.objects.count(), StockMovement.objects.count(), JournalEntry.objects.count())
    again, created = services.sale_record(
        actor=c.cashier,
        client_uuid=str(uid),
        site=c.shop,
        sold_at=timezone.now(),
        lines=[(flour, 2, 600)],
        payments=[("cash", 1200, "")],
    )
    assert again.pk == first.pk and created is False
    assert (
        Sale.objects.count(),
        StockMovement.objects.count(),
        JournalEntry.objects.count(),
    ) == counts
    assert level(c.shop, flour) == 48


def test_sale_payments_must_equal_the_total(world):
    c = chain(world)
    _m, flour = flour_at_shop(c)
    with pytest.raises(ValidationFailed) as e:
        services.sale_record(
            actor=c.cashier,
            client_uuid=uuid.uuid4(),
            site=c.shop,
            sold_at=timezone.now(),
            lines=[(flour, 2, 600)],
            payments=[("cash", 1000, "")],
        )
    assert e.value.code == "payments_mismatch" and e.value.status == 400
    assert not Sale.objects.exists() and level(c.shop, flour) == 50


def test_a_price_of_zero_is_refused(world):
    c = chain(world)
    _m, flour = flour_at_shop(c)
    with pytest.raises(ValidationFailed) as e:
        services.sale_record(
            actor=c.cashier,
            client_uuid=uuid.uuid4(),
            site=c.shop,
            sold_at=timezone.now(),
            lines=[(flour, 2, 0)],
            payments=[],
        )
    assert e.value.code == "invalid_price" and "1 F CFA" in str(e.value.message)


def test_an_offline_sale_below_stock_is_flagged_never_refused(world):
    c = chain(world)
    _m, flour = flour_at_shop(c, to_shop=3)
    sale = sell(c, flour, quantity=5)
    assert sale.below_zero is True and level(c.shop, flour) == -2
    assert stock_sum_of_movements(site=c.shop, lot=flour) == -2


def test_receipts_are_numbered_per_till(world):
    c = chain(world)
    _m, flour = flour_at_shop(c)
    numbers = [sell(c, flour, quantity=1).receipt_number for _ in range(3)]
    assert numbers == [1, 2, 3]


def test_sale_posts_in_the_shop_books_consigned_goods_owed_to_the_producer(world):
    c = chain(world)
    _m, flour = flour_at_shop(c)
    sale = sell(c, flour, quantity=2, unit_price=600)
    line = SaleLine.objects.get(sale=sale)
    assert line.consignor == world.coop_mbour
    entry = JournalEntry.objects.get(source="valuechain.sale", source_ref=f"sale:{sale.pk}")
    assert entry.cooperative == c.shop_coop
    lines = sorted((ln.account.code, ln.debit, ln.credit) for ln in entry.lines.all())
    assert lines == [("471", 0, 1200), ("5711", 1200, 0)]


def test_own_products_sold_post_in_7021(world):
    c = chain(world)
    soap = services.lot_open(
        actor=c.cashier, product=c.flour, quantity=10, site=c.shop, on=DAY, origin="purchase"
    )
    sale = sell(c, soap, quantity=1, unit_price=900, channel="mobile_money")
    entry = JournalEntry.objects.get(source="valuechain.sale", source_ref=f"sale:{sale.pk}")
    lines = sorted((ln.account.code, ln.debit, ln.credit) for ln in entry.lines.all())
    # a mobile-money payment without a reference is awaited: a receivable until confirmed
    assert lines == [("411", 900, 0), ("7021", 0, 900)]
    payment = sale.payments.get()
    services.sale_mobile_money_confirm(actor=None, payment=payment, reference="W-1", on=DAY)
    services.sale_mobile_money_confirm(actor=None, payment=payment, reference="W-1", on=DAY)
    confirm = JournalEntry.objects.filter(source="valuechain.sale_mobile_money")
    assert confirm.count() == 1
    assert sorted((ln.account.code, ln.debit, ln.credit) for ln in confirm.get().lines.all()) == [
        ("411", 0, 900),
        ("552", 900, 0),
    ]


def test_consignment_settlement_pays_sales_less_commission_once(world):
    c = chain(world)
    _m, flour = flour_at_shop(c)
    sell(c, flour, quantity=2, unit_price=600)
    sell(c, flour, quantity=3, unit_price=700)
    args = dict(
        actor=c.cashier,
        site=c.shop,
        cooperative=world.coop_mbour,
        period_from=DAY,
        period_to=timezone.localdate(),
        paid_on=timezone.localdate(),
    )
    s = services.settlement_make(**args)
    assert (s.gross, s.commission, s.net) == (3300, 330, 2970)
    assert services.settlement_make(**args).pk == s.pk
    shop = JournalEntry.objects.get(source="valuechain.settlement_paid")
    coop = JournalEntry.objects.get(source="valuechain.settlement_received")
    assert shop.cooperative == c.shop_coop and coop.cooperative == world.coop_mbour
    assert sorted((ln.account.code, ln.debit, ln.credit) for ln in shop.lines.all()) == [
        ("471", 3300, 0),
        ("5711", 0, 2970),
        ("7061", 0, 330),
    ]
    assert sorted((ln.account.code, ln.debit, ln.credit) for ln in coop.lines.all()) == [
        ("5711", 2970, 0),
        ("632", 330, 0),
        ("7021", 0, 3300),
    ]
    with pytest.raises(Conflict):  # another period holding no unsettled sale
        services.settlement_make(**{**args, "period_from": DAY - datetime.timedelta(days=30)})


def test_z_report_counts_cash_against_expected(world):
    c = chain(world)
    _m, flour = flour_at_shop(c)
    sale = sell(c, flour, quantity=2, unit_price=600)
    sell(c, flour, quantity=1, unit_price=600, channel="mobile_money")
    on = timezone.localtime(sale.sold_at).date()
    z = services.till_close(actor=c.cashier, till=sale.till, on=on, counted_cash=1100)
    assert (z.sales_count, z.total, z.expected_cash, z.mobile_money) == (2, 1800, 1200, 600)
    assert z.difference == -100
    with pytest.raises(Conflict):
        services.till_close(actor=c.cashier, till=sale.till, on=on, counted_cash=1200)


def test_trace_both_ways_and_recall(world):
    c = chain(world)
    millet, flour = flour_at_shop(c)
    run2 = services.production_run_record(
        actor=c.officer_mbour,
        site=c.production,
        on=DAY,
        inputs=[(flour, 20)],
        outputs=[(c.flour, 18)],
        work_days=1,
    )
    packed = run2.outputs.get()
    services.stock_transfer(
        actor=c.officer_mbour,
        lot=packed,
        quantity=18,
        from_site=c.production,
        to_site=c.shop,
        on=DAY,
    )
    s1 = sell(c, flour)
    s2, _ = services.sale_record(
        actor=c.cashier,
        client_uuid=uuid.uuid4(),
        site=c.shop,
        sold_at=timezone.now(),
        lines=[(packed, 1, 800)],
        payments=[("cash", 800, "")],
        buyer_phone="+221770000001",
    )
    t = trace.trace(millet)
    assert t.upstream == [] and t.downstream == sorted([flour.pk, packed.pk])
    assert t.sales == sorted([s1.pk, s2.pk])
    t = trace.trace(packed)
    assert t.upstream == sorted([millet.pk, flour.pk]) and t.downstream == [] and t.sales == [s2.pk]
    r = trace.recall(millet)
    assert {lot.pk for lot in r.lots} == {millet.pk, flour.pk, packed.pk}
    assert {s.pk for s in r.sites} == {c.production.pk, c.shop.pk}
    assert r.phones == ["+221770000001"]


def test_operators_act_for_their_sites_only(world):
    c = chain(world)
    for actor in (c.cashier, world.officer, world.agent_mbour, c.partner_user, world.member):
        with pytest.raises(Forbidden):
            services.lot_open(
                actor=actor,
                product=c.millet,
                quantity=1,
                site=c.production,
                on=DAY,
                origin="harvest",
            )


def test_opportunity_scored_on_the_grid_and_a_go_opens_a_value_chain(world):
    from registry.models import Sector

    sector = Sector.objects.get(code="peche-transformation")
    opp = services.opportunity_propose(
        actor=world.agent_mbour,
        area=world.mbour,
        sector=sector,
        title="Poisson fumé",
        proposed_on=DAY,
        market="Marchés de Mbour et Dakar",
        jobs_expected=40,
        scores={"market": 5, "inputs": 4, "skills": 3, "jobs": 4, "risk": 2},
    )
    assert opp.score == 2 * 5 + 4 + 3 + 2 * 4 + 2
    with pytest.raises(ValidationFailed):
        services.opportunity_propose(
            actor=world.agent_mbour,
            area=world.mbour,
            sector=sector,
            title="X",
            proposed_on=DAY,
            scores={"market": 6},
        )
    with pytest.raises(ValidationFailed):  # a decision needs its reason
        services.opportunity_decide(
            actor=world.agent_mbour, opportunity=opp, decision="go", reason=" ", decided_on=DAY
        )
    opp = services.opportunity_decide(
        actor=world.agent_mbour,
        opportunity=opp,
        decision="go",
        reason="Débouchés sûrs, femmes transformatrices formées",
        decided_on=DAY,
    )
    assert opp.value_chain is not None and opp.value_chain.area == world.mbour
    with pytest.raises(Forbidden):
        services.opportunity_propose(
            actor=world.agent_tc, area=world.mbour, sector=sector, title="Y", proposed_on=DAY
        )


def test_production_doubled_report_against_the_baseline_year(world):
    """The volume made per product this year against a baseline year, target ×2."""
    from valuechain.models import Lot
    from valuechain.selectors import production_report

    c = chain(world)
    flour_at_shop(c, flour_kg=80, to_shop=0)
    flour_at_shop(c, flour_kg=70, to_shop=0)
    year = DAY.year
    # a baseline year's production (dated back: the lots' date is what counts)
    _m, old = flour_at_shop(c, flour_kg=75, to_shop=0)
    Lot.objects.filter(pk__in=[old.pk, _m.pk]).update(on=datetime.date(year - 1, 6, 1))
    rows = {
        r["name"]: r for r in production_report(chain=c.chain, year=year, baseline_year=year - 1)
    }
    assert rows["Farine de mil"]["volume"] == 150
    assert rows["Farine de mil"]["baseline_volume"] == 75
    assert rows["Farine de mil"]["target_volume"] == 150 and rows["Farine de mil"]["ratio"] == 2.0
    assert rows["Mil"]["volume"] == 200 and rows["Mil"]["baseline_volume"] == 100


def test_opportunity_put_off_then_joins_an_existing_chain_and_is_decided_once(world):
    """Point 2: "later" keeps it open; a later "go" joins the chain given; then 409."""
    from registry.models import Sector

    c = chain(world)
    sector = Sector.objects.get(code="transformation-agroalimentaire")

    def propose(title):
        return services.opportunity_propose(
            actor=world.agent_mbour, area=world.mbour, sector=sector, title=title, proposed_on=DAY
        )

    opp = propose("Farine de maïs")
    later = services.opportunity_decide(
        actor=world.agent_mbour,
        opportunity=opp,
        decision="later",
        reason="Attendre la récolte",
        decided_on=DAY,
    )
    assert (later.decision, later.value_chain) == ("later", None)
    joined = services.opportunity_decide(
        actor=world.agent_mbour,
        opportunity=opp,
        decision="go",
        reason="Le moulin de la filière a de la capacité",
        decided_on=DAY,
        value_chain=c.chain,
    )
    assert joined.value_chain == c.chain
    with pytest.raises(Conflict) as exc:
        services.opportunity_decide(
            actor=world.agent_mbour, opportunity=opp, decision="no", reason="x", decided_on=DAY
        )
    assert exc.value.code == "already_decided" and "déjà décidée" in str(exc.value.message)
    refused = services.opportunity_decide(
        actor=world.agent_mbour,
        opportunity=propose("Jus de bissap"),
        decision="no",
        reason="Marché saturé",
        decided_on=DAY,
    )
    assert (refused.decision, refused.value_chain, refused.reason) == ("no", None, "Marché saturé")
