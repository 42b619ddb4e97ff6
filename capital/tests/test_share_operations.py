import datetime

import pytest
from django.utils import timezone

from capital.models import OperationStatus, ShareMovement
from capital.selectors import holding_of, unpaid_overdue
from capital.services import (
    share_operation_approve,
    share_operation_execute,
    share_operation_refuse,
    share_operation_request,
)
from capital.tests.factories import StatutesFactory, done_operation
from core.errors import Conflict, ValidationFailed
from registry.models import MembershipStatus
from registry.tests.factories import CooperativeFactory, MembershipFactory

TODAY = datetime.date(2026, 6, 1)


@pytest.fixture
def coop(world):
    StatutesFactory(cooperative=world.coop_tc, share_value=5000)
    return world.coop_tc


def subscribe(world, coop, person, shares=4, amount=0, **kw):
    return done_operation(
        actor=world.officer,
        cooperative=coop,
        kind="subscription",
        person=person,
        shares=shares,
        amount=amount,
        effective_on=kw.pop("on", TODAY),
        today=TODAY,
        **kw,
    )


def test_subscription_goes_draft_approved_done_and_moves_capital_only_when_done(world, coop):
    person = world.persons_tc[0]
    op = share_operation_request(
        actor=world.officer,
        cooperative=coop,
        kind="subscription",
        person=person,
        shares=4,
        amount=5000,
        effective_on=TODAY,
        today=TODAY,
    )
    assert op.status == OperationStatus.DRAFT
    assert op.nominal == 20000
    share_operation_approve(operation=op, actor=world.officer, today=TODAY)
    assert op.__class__.objects.get(pk=op.pk).status == OperationStatus.APPROVED
    assert holding_of(coop, person).shares == 0
    share_operation_execute(operation=op, actor=world.officer, today=TODAY)
    h = holding_of(coop, person)
    assert (h.shares, h.subscribed, h.paid) == (4, 20000, 5000)


def test_done_operation_cannot_be_decided_again(world, coop):
    op = subscribe(world, coop, world.persons_tc[0])
    with pytest.raises(Conflict) as e:
        share_operation_approve(operation=op, actor=world.officer, today=TODAY)
    assert e.value.code == "not_draft"
    with pytest.raises(Conflict):
        share_operation_refuse(operation=op, reason="non", actor=world.officer)


def test_draft_cannot_be_executed_and_refusal_needs_a_reason(world, coop):
    op = share_operation_request(
        actor=world.officer,
        cooperative=coop,
        kind="subscription",
        person=world.persons_tc[0],
        shares=1,
        effective_on=TODAY,
        today=TODAY,
    )
    with pytest.raises(Conflict) as e:
        share_operation_execute(operation=op, actor=world.officer, today=TODAY)
    assert e.value.code == "not_approved"
    with pytest.raises(ValidationFailed):
        share_operation_refuse(operation=op, reason=" ", actor=world.officer)
    share_operation_refuse(operation=op, reason="Dossier incomplet", actor=world.officer)
    op.refresh_from_db()
    assert op.status == OperationStatus.REFUSED
    assert not ShareMovement.objects.exists()


def test_effective_date_in_the_future_is_refused(world, coop):
    kwargs = dict(
        actor=world.officer,
        cooperative=coop,
        kind="subscription",
        person=world.persons_tc[0],
        shares=1,
        today=TODAY,
    )
    with pytest.raises(ValidationFailed) as e:
        share_operation_request(effective_on=TODAY + datetime.timedelta(days=1), **kwargs)
    assert (e.value.code, e.value.field) == ("date_out_of_range", "effective_on")
    assert share_operation_request(effective_on=TODAY, **kwargs).pk


def test_amounts_are_integers(world, coop):
    kwargs = dict(
        actor=world.officer,
        cooperative=coop,
        kind="subscription",
        person=world.persons_tc[0],
        effective_on=TODAY,
        today=TODAY,
    )
    with pytest.raises(ValidationFailed) as e:
        share_operation_request(shares=2, amount=2500.5, **kwargs)
    assert e.value.code == "not_integer"
    with pytest.raises(ValidationFailed):
        share_operation_request(shares=-1, **kwargs)
    assert share_operation_request(shares=2, amount=2500, **kwargs).amount == 2500


def test_coop_ca_member_pays_at_least_a_quarter_at_subscription(world):
    coop = CooperativeFactory(legal_form="COOP-CA", commune=world.koumpentoum)
    StatutesFactory(cooperative=coop, share_value=5000)
    person = world.persons_tc[0]
    MembershipFactory(cooperative=coop, person=person)
    kwargs = dict(
        actor=world.agent_tc,
        cooperative=coop,
        kind="subscription",
        person=person,
        shares=3,  # 15 000 F: a quarter is 3 750 F
        effective_on=TODAY,
        today=TODAY,
    )
    with pytest.raises(ValidationFailed) as e:
        share_operation_request(amount=3749, **kwargs)
    assert (e.value.code, e.value.field) == ("coopca_quarter_unpaid", "amount")
    assert share_operation_request(amount=3750, **kwargs).pk


def test_scoops_may_subscribe_without_paying_at_once(world, coop):
    op = subscribe(world, coop, world.persons_tc[0], shares=2, amount=0)
    assert op.status == OperationStatus.DONE


def test_coop_ca_rest_is_due_within_three_years(world):
    coop = CooperativeFactory(legal_form="COOP-CA", commune=world.koumpentoum)
    StatutesFactory(cooperative=coop, share_value=1000)
    person = world.persons_tc[1]
    MembershipFactory(cooperative=coop, person=person)
    common = dict(actor=world.agent_tc, cooperative=coop, person=person, today=TODAY)
    done_operation(
        kind="subscription", shares=8, amount=2000, effective_on=datetime.date(2022, 3, 1), **common
    )
    # Due on the third anniversary; late the day after.
    assert unpaid_overdue(coop, person, as_of=datetime.date(2025, 3, 1)) == (
        0,
        datetime.date(2025, 3, 1),
    )
    assert unpaid_overdue(coop, person, as_of=datetime.date(2025, 3, 2)) == (6000, None)
    done_operation(kind="payment", amount=6000, effective_on=datetime.date(2025, 3, 2), **common)
    assert unpaid_overdue(coop, person, as_of=datetime.date(2025, 3, 2)) == (0, None)


def test_scoops_has_no_three_year_deadline(world, coop):
    person = world.persons_tc[0]
    subscribe(world, coop, person, shares=2, amount=0, on=datetime.date(2020, 1, 1))
    assert unpaid_overdue(coop, person, as_of=TODAY) == (0, None)


def test_payment_cannot_exceed_unpaid_capital(world, coop):
    person = world.persons_tc[0]
    subscribe(world, coop, person, shares=2, amount=4000)  # 10 000 subscribed
    kwargs = dict(
        actor=world.officer,
        cooperative=coop,
        kind="payment",
        person=person,
        effective_on=TODAY,
        today=TODAY,
    )
    with pytest.raises(ValidationFailed) as e:
        share_operation_request(amount=6001, **kwargs)
    assert e.value.code == "payment_exceeds_due"
    done_operation(amount=6000, **kwargs)
    assert holding_of(coop, person).paid == 10000


def test_transfer_to_a_non_member_is_refused(world, coop):
    seller, buyer = world.persons_tc[0], world.persons_tc[1]
    subscribe(world, coop, seller, shares=4, amount=20000)
    kwargs = dict(
        actor=world.officer,
        cooperative=coop,
        kind="transfer",
        person=seller,
        shares=2,
        effective_on=TODAY,
        today=TODAY,
    )
    outsider = world.persons_mbour[0]  # member of another cooperative only
    with pytest.raises(Conflict) as e:
        share_operation_request(to_person=outsider, **kwargs)
    assert (e.value.code, e.value.field) == ("transfer_not_member", "to_person")
    done_operation(to_person=buyer, **kwargs)
    assert holding_of(coop, seller).shares == 2
    h = holding_of(coop, buyer)
    assert (h.shares, h.subscribed, h.paid) == (2, 10000, 10000)


def test_transfer_rechecked_when_carried_out(world, coop):
    seller, buyer = world.persons_tc[0], world.persons_tc[1]
    subscribe(world, coop, seller, shares=4, amount=20000)
    op = share_operation_request(
        actor=world.officer,
        cooperative=coop,
        kind="transfer",
        person=seller,
        to_person=buyer,
        shares=1,
        effective_on=TODAY,
        today=TODAY,
    )
    share_operation_approve(operation=op, actor=world.officer, today=TODAY)
    buyer.memberships.update(status=MembershipStatus.LEFT, left_on=TODAY)
    with pytest.raises(Conflict) as e:
        share_operation_execute(operation=op, actor=world.officer, today=TODAY)
    assert e.value.code == "transfer_not_member"


def test_only_paid_up_shares_are_transferred(world, coop):
    seller, buyer = world.persons_tc[0], world.persons_tc[1]
    subscribe(world, coop, seller, shares=4, amount=5000)
    kwargs = dict(
        actor=world.officer,
        cooperative=coop,
        kind="transfer",
        person=seller,
        to_person=buyer,
        effective_on=TODAY,
        today=TODAY,
    )
    with pytest.raises(Conflict) as e:
        share_operation_request(shares=2, **kwargs)
    assert e.value.code == "transfer_unpaid"
    assert share_operation_request(shares=1, **kwargs).pk


def test_refund_only_on_exit_and_clears_the_holding(world, coop):
    person = world.persons_tc[2]
    subscribe(world, coop, person, shares=3, amount=9000)
    kwargs = dict(
        actor=world.officer,
        cooperative=coop,
        kind="refund",
        person=person,
        effective_on=TODAY,
        today=TODAY,
    )
    with pytest.raises(Conflict) as e:
        share_operation_request(**kwargs)
    assert e.value.code == "refund_member_active"
    person.memberships.update(status=MembershipStatus.LEFT, left_on=TODAY)
    op = done_operation(**kwargs)
    assert (op.shares, op.amount) == (3, 9000)
    h = holding_of(coop, person)
    assert (h.shares, h.subscribed, h.paid) == (0, 0, 0)


def test_subscription_needs_an_active_member(world, coop):
    with pytest.raises(Conflict) as e:
        subscribe(world, coop, world.persons_thies[0])
    assert e.value.code == "not_member"


def test_default_today_is_the_local_date(world, coop):
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    with pytest.raises(ValidationFailed):
        share_operation_request(
            actor=world.officer,
            cooperative=coop,
            kind="subscription",
            person=world.persons_tc[0],
            shares=1,
            effective_on=tomorrow,
        )
