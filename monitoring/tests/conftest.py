"""The hand-built data set the indicator tests share (expected values worked out in
test_indicators.py)."""

import datetime

import pytest

from credit.tests.factories import active_loan, lender_staff, product
from ledger.services import entry_post
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
