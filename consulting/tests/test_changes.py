"""Issue 21 point 2 (and 10): an engagement changed before any payment (one party proposes,
the other accepts; the split stays frozen) or cancelled (unpaid milestones cancelled,
nothing paid vanishes); the bad input refused with its code, nothing written."""

import datetime

import pytest

from consulting import services
from consulting.models import Amendment, Engagement, EngagementPayment, Milestone
from consulting.tests.conftest import assert_books_balance, sign
from core import dates
from core.errors import Conflict, Forbidden, NotFound, ValidationFailed
from network.models import BookEntry
from payments.models import Payout

pytestmark = pytest.mark.django_db
LATER = dates.today() + datetime.timedelta(days=30)
STEPS = [{"title": "Diagnostic", "amount": 150_000, "due_on": LATER},
         {"title": "Restitution", "amount": 250_000, "due_on": None}]  # fmt: skip


def propose(actor, engagement, amount=400_000, milestones=STEPS, **kwargs):
    return services.amendment_propose(
        actor=actor, engagement=engagement, amount=amount, milestones=milestones, **kwargs
    )


def decide(actor, engagement, amendment, decision):
    return services.amendment_decide(
        actor=actor, engagement=engagement, amendment=amendment, decision=decision
    )


def test_the_client_proposes_the_consultant_accepts_the_split_stays(cast):
    engagement = sign(cast, amount=300_000)
    split = engagement.split
    amendment = propose(cast.owner, engagement, reason="Une restitution en plus.")
    assert amendment.side == "client" and amendment.status == "pending"
    engagement.refresh_from_db()
    assert engagement.amount == 300_000  # nothing changes until the other party accepts
    with pytest.raises(Forbidden) as err:  # not its own
        decide(cast.owner, engagement, amendment, "accept")
    assert err.value.code == "own_amendment"
    decide(cast.consultant_user, engagement, amendment, "accept")
    engagement.refresh_from_db()
    assert engagement.amount == 400_000 and engagement.split == split
    assert [(m.title, m.amount, m.due_on) for m in engagement.milestones.all()] == [
        ("Diagnostic", 150_000, LATER), ("Restitution", 250_000, None),
    ]  # fmt: skip
    amendment.refresh_from_db()
    assert amendment.status == "accepted" and amendment.decided_by == cast.consultant_user
    assert amendment.previous["amount"] == 300_000
    payment = services.engagement_payment_record(
        actor=cast.admin, engagement=engagement, amount=100_000, paid_on=dates.today()
    )
    assert payment.consultant_share == 80_000  # the split frozen at signing


def test_the_consultant_proposes_the_client_declines_or_it_is_withdrawn(cast):
    engagement = sign(cast, amount=300_000)
    amendment = propose(cast.consultant_user, engagement, amount=350_000, milestones=None)
    assert amendment.side == "consultant"
    with pytest.raises(Conflict) as err:  # one pending at a time
        propose(cast.owner, engagement)
    assert err.value.code == "amendment_pending"
    with pytest.raises(Forbidden):  # only the proposer withdraws
        decide(cast.owner, engagement, amendment, "withdraw")
    decide(cast.owner, engagement, amendment, "decline")
    with pytest.raises(Conflict) as err:
        decide(cast.owner, engagement, amendment, "accept")
    assert err.value.code == "amendment_closed"
    again = propose(cast.consultant_user, engagement, amount=320_000, milestones=None)
    decide(cast.consultant_user, engagement, again, "withdraw")
    engagement.refresh_from_db()
    assert engagement.amount == 300_000 and engagement.milestones.get().amount == 300_000


def test_who_may_change_the_terms(cast):
    engagement = sign(cast)
    with pytest.raises(Forbidden):  # an administrator is not a party
        propose(cast.admin, engagement)
    with pytest.raises(NotFound):
        propose(cast.outsider, engagement)
    amendment = propose(cast.owner, engagement)
    with pytest.raises(NotFound):
        decide(cast.outsider, engagement, amendment, "accept")
    other = sign(cast, amount=100_000)
    with pytest.raises(NotFound):  # an amendment of another engagement
        decide(cast.consultant_user, other, amendment, "accept")
    assert Amendment.objects.get().status == "pending"


def test_no_change_after_a_payment(cast):
    engagement = sign(cast, amount=300_000)
    pending = propose(cast.owner, engagement)
    services.engagement_payment_record(
        actor=cast.admin, engagement=engagement, amount=1_000, paid_on=dates.today()
    )
    with pytest.raises(Conflict) as err:  # accepted after a payment came: refused
        decide(cast.consultant_user, engagement, pending, "accept")
    assert err.value.code == "already_paid"
    decide(cast.owner, engagement, pending, "withdraw")
    with pytest.raises(Conflict) as err:
        propose(cast.owner, engagement)
    assert err.value.code == "already_paid"
    engagement.refresh_from_db()
    assert (
        engagement.amount == 300_000
        and Milestone.objects.filter(engagement=engagement).count() == 1
    )


@pytest.mark.parametrize(
    ("amount", "milestones", "code"),
    [
        (400_000, [{"title": "A", "amount": 100_000}], "milestones_sum"),
        (0, None, "out_of_range"),
        ("400000", None, "invalid_amount"),
        (400_000, [{"title": "", "amount": 400_000}], "required"),
        (400_000, [{"title": "A\x00", "amount": 400_000}], None),
        (400_000, [{"title": "A", "amount": -1}], "out_of_range"),
        (400_000, [{"title": "A", "amount": 400_000}] * 21, "invalid"),
        (
            400_000,
            [{"title": "A", "amount": 400_000, "due_on": datetime.date(1800, 1, 1)}],
            None,
        ),  # fmt: skip
    ],
)
def test_bad_amendments_are_refused_and_write_nothing(cast, amount, milestones, code):
    engagement = sign(cast, amount=300_000)
    with pytest.raises(ValidationFailed) as err:
        propose(cast.owner, engagement, amount=amount, milestones=milestones)
    if code:
        assert err.value.code == code
    assert not Amendment.objects.exists()


def test_a_split_is_not_part_of_an_amendment(cast):
    engagement = sign(cast)
    with pytest.raises(TypeError):  # the service has no such argument: the split is frozen
        services.amendment_propose(
            actor=cast.owner, engagement=engagement, amount=1,
            split={"consultant": 90, "platform": 5, "ess_fund": 5},
        )  # fmt: skip


def test_cancelling_keeps_what_was_paid(cast):
    engagement = sign(cast, amount=400_000, milestones=STEPS)
    services.engagement_payment_record(
        actor=cast.admin, engagement=engagement, amount=150_000, paid_on=dates.today()
    )
    pending_change = Amendment.objects.create(
        engagement=engagement, side="client", proposed_by=cast.owner, amount=1, milestones=[]
    )  # left from before the payment
    with pytest.raises(NotFound):
        services.engagement_cancel(actor=cast.outsider, engagement=engagement, reason="?")
    with pytest.raises(ValidationFailed) as err:
        services.engagement_cancel(actor=cast.owner, engagement=engagement, reason="  ")
    assert err.value.code == "required"
    services.engagement_cancel(actor=cast.consultant_user, engagement=engagement,
                               reason="Le client a changé de priorités.")  # fmt: skip
    engagement.refresh_from_db()
    assert engagement.status == "cancelled" and engagement.cancelled_by == cast.consultant_user
    assert [m.cancelled for m in engagement.milestones.all()] == [False, True]
    payment = EngagementPayment.objects.get()
    assert payment.amount == 150_000 and payment.payout is not None  # nothing paid vanishes
    assert Payout.objects.filter(kind="consultant").count() == 1
    from consulting.selectors import engagement_figures

    assert engagement_figures(engagement) == {
        "paid": 150_000, "due": 0, "refunded": 0, "cancelled": 250_000,
    }  # fmt: skip
    pending_change.refresh_from_db()
    assert pending_change.status == "lapsed"
    entries = BookEntry.objects.count()
    with pytest.raises(Conflict) as err:  # twice
        services.engagement_cancel(actor=cast.owner, engagement=engagement, reason="Encore.")
    assert err.value.code == "already_cancelled"
    with pytest.raises(Conflict) as err:  # nothing more is paid
        services.engagement_payment_record(
            actor=cast.admin, engagement=engagement, amount=1, paid_on=dates.today()
        )
    assert err.value.code == "engagement_cancelled"
    with pytest.raises(Conflict) as err:
        propose(cast.owner, engagement)
    assert err.value.code == "engagement_cancelled"
    assert BookEntry.objects.count() == entries and EngagementPayment.objects.count() == 1
    assert_books_balance()


def test_a_paid_engagement_is_not_cancelled(cast):
    engagement = sign(cast, amount=100_000)
    services.engagement_payment_record(
        actor=cast.admin, engagement=engagement, amount=100_000, paid_on=dates.today()
    )
    with pytest.raises(Conflict) as err:
        services.engagement_cancel(actor=cast.admin, engagement=engagement, reason="Fini.")
    assert err.value.code == "already_completed"
    assert Engagement.objects.get().status == "completed"


def test_a_cancelled_engagement_cannot_be_paid_by_phone(cast, wave):
    from payments.services import payment_start

    engagement = sign(cast, amount=100_000)
    services.engagement_cancel(actor=cast.owner, engagement=engagement, reason="Abandon.")
    with pytest.raises(Conflict) as err:  # nothing due any more
        payment_start(purpose="engagement", target_id=engagement.pk, amount=1,
                      phone="77 900 12 34", provider="wave", actor=cast.owner)  # fmt: skip
    assert err.value.code == "nothing_due"


def test_a_phone_payment_confirmed_after_the_cancellation_is_not_applied(client, cast, wave):
    from payments.models import PaymentIntent
    from payments.tests.conftest import completed, wave_post

    engagement = sign(cast, amount=100_000)
    intent = services.engagement_payment_start(
        actor=cast.owner, engagement=engagement, amount=100_000, phone="77 900 12 34",
        provider="wave",
    )  # fmt: skip
    services.engagement_cancel(actor=cast.owner, engagement=engagement, reason="Abandon.")
    intent = PaymentIntent.objects.get(pk=intent.pk)
    response = wave_post(client, completed(intent, event_id="EV-late"))
    assert response.status_code == 200 and response.json()["outcome"] == "refused_by_purpose"
    intent.refresh_from_db()
    assert intent.needs_review and "engagement_cancelled" in intent.review_reason
    assert not EngagementPayment.objects.exists() and not BookEntry.objects.exists()
