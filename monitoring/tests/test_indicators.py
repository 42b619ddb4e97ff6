"""Each indicator against a small data set built by hand (expected values worked out below)."""

import datetime
from decimal import Decimal

import pytest

from accounts.models import Role
from accounts.services import role_assign
from accounts.tests.factories import UserFactory
from core.errors import Forbidden, NotFound
from credit.tests.factories import active_loan, lender_staff, product
from geo.models import Area
from ledger.services import entry_post
from monitoring.selectors import indicator_values, monitoring_area_get
from registry.models import Employment
from registry.tests.factories import MembershipFactory
from training.tests.factories import ParticipantFactory, SessionFactory, VisitFactory, module

AS_OF = datetime.date(2026, 11, 1)


@pytest.fixture
def data(world):
    """Koumpentoum (TC) founded 2025, Mbour (TH) founded 2026, Thiès (TH) founded 2025 and
    dissolved on 1 June 2026. Members: 3 per cooperative; one Koumpentoum member also
    joins Mbour (a person counted once)."""
    w = world
    for coop, founded in [
        (w.coop_tc, "2025-04-01"),
        (w.coop_mbour, "2026-02-01"),
        (w.coop_thies, "2025-05-01"),
    ]:
        coop.founded_on = datetime.date.fromisoformat(founded)
        coop.save()
    w.coop_thies.stage, w.coop_thies.stage_changed_on = "dissoute", datetime.date(2026, 6, 1)
    w.coop_thies.save()
    # Sex and age: Koumpentoum F 25, F 50, M 30 years; Mbour F 20, M 60, M 40 years.
    for person, sex, born in zip(
        w.persons_tc + w.persons_mbour,
        ["F", "F", "M", "F", "M", "M"],
        ["2001-03-01", "1976-01-01", "1996-01-01", "2006-01-01", "1966-01-01", "1986-01-01"],
        strict=True,
    ):
        person.sex, person.birth_date = sex, datetime.date.fromisoformat(born)
        person.save()
    for membership in w.coop_mbour.memberships.all():
        membership.joined_on = datetime.date(2026, 2, 1)
        membership.save()
    MembershipFactory(
        cooperative=w.coop_mbour, person=w.persons_tc[0], joined_on=datetime.date(2026, 3, 1)
    )
    # Jobs: one decent (written contract, pay over the minimum, social security), one not.
    Employment.objects.create(
        cooperative=w.coop_tc,
        person=w.persons_tc[1],
        job_title="tisserande",
        contract_type="cdi",
        started_on=datetime.date(2025, 6, 1),
        monthly_pay=100_000,
        social_security=True,
    )
    Employment.objects.create(
        cooperative=w.coop_mbour,
        person=w.persons_mbour[1],
        job_title="vendeur",
        contract_type="verbal",
        started_on=datetime.date(2026, 3, 1),
        monthly_pay=100_000,
    )
    # Koumpentoum is supported: a completed training and a visit in the last 6 months.
    session = SessionFactory(
        module=module("think-coop"),
        commune=w.koumpentoum,
        starts_on=datetime.date(2026, 6, 2),
        ends_on=datetime.date(2026, 6, 2),
    )
    ParticipantFactory(
        session=session, person=w.persons_tc[0], cooperative=w.coop_tc, completed=True
    )
    VisitFactory(cooperative=w.coop_tc, visited_on=datetime.date(2026, 9, 1))
    # Sales of 10 000 F in Koumpentoum's books in 2026 (account 7021).
    entry_post(
        actor=w.officer,
        cooperative=w.coop_tc,
        journal="CA",
        on=datetime.date(2026, 3, 10),
        label="Vente de pagnes",
        lines=[("5711", 10_000, 0), ("7021", 0, 10_000)],
    )
    # A loan of 1 000 000 F to Koumpentoum, disbursed 15/01/2026, nothing repaid.
    maker, checker = lender_staff(w.lender_obj), lender_staff(w.lender_obj)
    prod = product(maker, w.lender_obj)
    active_loan(maker=maker, checker=checker, product=prod, borrower_cooperative=w.coop_tc)
    return w


def values(actor, code="SN", year=2026, as_of=AS_OF):
    area = Area.objects.get(code=code)
    return {
        r["code"]: r["value"]
        for r in indicator_values(actor=actor, area=area, year=year, as_of=as_of)
    }


def test_every_required_indicator_exists(data):
    assert set(values(data.national)) == {
        "cooperatives_total",
        "cooperatives_created",
        "members_total",
        "members_women",
        "members_youth",
        "decent_jobs",
        "cooperatives_supported_pct",
        "production_value",
        "loans_outstanding",
        "par30",
        "recovery_rate",
        "trained_people",
        "purchases_value",  # issue 16
        "purchases_savings",
        "cooperatives_buying_together",
        "health_covered_persons",  # issue 22
        "health_households_covered",
        "health_contribution_recovery",
        "health_loss_ratio",
    }


def test_national_figures(data):
    v = values(data.national)
    assert v["cooperatives_total"] == 2  # Thiès dissolved in June
    assert v["cooperatives_created"] == 1  # Mbour, 2026
    assert v["members_total"] == 6  # 3 + 3, the member of both counted once
    assert v["members_women"] == 3
    assert v["members_youth"] == 3  # 25, 30 and 20 years old on 1/11/2026 (band 15-35)
    assert v["decent_jobs"] == 1
    assert v["cooperatives_supported_pct"] == Decimal("50.0")  # Koumpentoum of 2
    assert v["production_value"] == 10_000
    assert v["loans_outstanding"] == 1_000_000
    assert Decimal(v["par30"]) == 1  # every franc outstanding is over 30 days late
    assert Decimal(v["recovery_rate"]) == 0
    assert v["trained_people"] == 1


def test_figures_as_of_the_end_of_2025(data):
    v = values(data.national, year=2025, as_of=datetime.date(2025, 12, 31))
    assert v["cooperatives_total"] == 2  # Koumpentoum and Thiès (not yet dissolved)
    assert v["cooperatives_created"] == 2
    assert v["members_total"] == 6  # Koumpentoum and Thiès members; Mbour joined in 2026
    assert v["production_value"] == 0
    assert v["loans_outstanding"] == 0


def test_region_figures_count_only_the_region(data):
    v = values(data.national, code="SN-TH")
    assert v["cooperatives_total"] == 1
    assert v["members_total"] == 4  # Mbour's 3 + the Koumpentoum member who joined
    assert v["production_value"] == 0 and v["loans_outstanding"] == 0


def test_agent_figures_are_limited_to_their_area(data):
    assert values(data.agent_th, code="SN-TH") == values(data.national, code="SN-TH")
    with pytest.raises(NotFound):
        monitoring_area_get(actor=data.agent_th, code="SN-TC")
    with pytest.raises(NotFound):
        monitoring_area_get(actor=data.agent_th, code="SN")
    assert monitoring_area_get(actor=data.agent_th).code == "SN-TH"


@pytest.mark.parametrize("who", ["officer", "lender", "member", "nobody"])
def test_other_roles_have_no_national_monitoring(data, who):
    with pytest.raises(Forbidden):
        monitoring_area_get(actor=getattr(data, who))


def test_an_agent_of_a_department_defaults_to_it(world):
    user = UserFactory()
    role_assign(user=user, role=Role.AGENT, area=Area.objects.get(code="SN-TH-MBO"))
    assert monitoring_area_get(actor=user).code == "SN-TH-MBO"
