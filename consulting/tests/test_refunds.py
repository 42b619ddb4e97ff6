"""Issue 21 point 2 (and 10): a dispute resolved by refunding the client, all or part of
what it paid while the dispute held the payouts, through the payments app's payout rail,
the held shares reversed in proportion in the platform's books, exactly once."""

import pytest
from django.db.models import Sum
from hypothesis import given, settings
from hypothesis import strategies as st

from consulting import services
from consulting.models import DisputeRefund, EngagementPayment
from consulting.split import apportion
from consulting.tests.conftest import assert_books_balance, pay_by_phone, sign
from core import dates
from core.errors import Conflict, Forbidden, NotFound, ValidationFailed
from network.models import BookEntry, BookLine
from payments.models import Payout

pytestmark = pytest.mark.django_db
SPLIT = {"consultant": "70", "platform": "20", "ess_fund": "10"}


def balance(account):
    sums = BookLine.objects.filter(account=account).aggregate(d=Sum("debit"), c=Sum("credit"))
    return (sums["c"] or 0) - (sums["d"] or 0)


def disputed_and_paid(client, cast, amount=333_333, paid=333_333):
    engagement = sign(cast, amount=amount, split=SPLIT, actor=cast.admin)
    services.dispute_open(actor=cast.owner, engagement=engagement, reason="Rapport non remis.")
    assert pay_by_phone(client, cast, engagement, paid) == "applied"
    return engagement


def refund(cast, engagement, amount, **kwargs):
    return services.dispute_refund(
        actor=cast.admin, engagement=engagement, amount=amount,
        resolution=kwargs.pop("resolution", "Rapport jamais remis."), **kwargs,
    )  # fmt: skip


def test_a_full_refund_reverses_the_three_held_shares(client, cast, wave):
    engagement = disputed_and_paid(client, cast)
    assert balance("4673") == 233_333  # held for the consultant
    done = refund(cast, engagement, 333_333)
    assert (done.consultant_part, done.platform_part, done.ess_part) == (233_333, 66_667, 33_333)
    payout = done.payout
    assert payout.kind == "refund" and payout.purpose == "consulting_refund"
    assert payout.amount == 333_333 and payout.phone == "+221779001234"  # the phone that paid
    assert not Payout.objects.filter(kind="consultant").exists()  # nothing left to pay out
    assert balance("4673") == 0 and balance("706") == 0 and balance("4675") == 0
    assert balance("4196") == 0 and balance("552") == 0  # the money back where it came from
    assert_books_balance()
    dispute = engagement.disputes.get()
    assert dispute.outcome == "refunded" and dispute.resolved_by == cast.admin
    payment = EngagementPayment.objects.get()
    assert not payment.held and payment.consultant_refunded == 233_333


def test_a_part_refund_in_proportion_and_the_rest_paid_to_the_consultant(client, cast, wave):
    engagement = disputed_and_paid(client, cast)
    done = refund(cast, engagement, 100_001)
    # 100 001 over 233 333 / 66 667 / 33 333: 70 000.49.. / 20 000.30.. / 10 000.19..
    assert (done.consultant_part, done.platform_part, done.ess_part) == (70_001, 20_000, 10_000)
    assert done.consultant_part + done.platform_part + done.ess_part == 100_001
    consultant = Payout.objects.get(kind="consultant")
    assert consultant.amount == 233_333 - 70_001
    assert balance("4673") == 0  # paid out what was left
    assert balance("706") == 66_667 - 20_000 and balance("4675") == 33_333 - 10_000
    assert_books_balance()


def test_refunds_over_several_held_payments(client, cast, wave):
    engagement = sign(cast, amount=300_000, split=SPLIT, actor=cast.admin)
    services.dispute_open(actor=cast.consultant_user, engagement=engagement, reason="Impayé.")
    pay_by_phone(client, cast, engagement, 100_000)
    services.engagement_payment_record(actor=cast.admin, engagement=engagement, amount=50_001,
                                       paid_on=dates.today())  # fmt: skip
    done = refund(cast, engagement, 150_001)  # everything paid during the dispute
    assert done.consultant_part == sum(p.consultant_share for p in EngagementPayment.objects.all())
    assert [p.consultant_refunded for p in EngagementPayment.objects.order_by("id")] == [
        70_000, 35_001,
    ]  # fmt: skip
    assert not Payout.objects.filter(kind="consultant").exists()
    assert_books_balance()


def test_asked_twice_refunds_once(client, cast, wave):
    engagement = disputed_and_paid(client, cast)
    first = refund(cast, engagement, 50_000, idempotency_key="r-1")
    again = refund(cast, engagement, 50_000, idempotency_key="r-1")
    assert again.pk == first.pk
    with pytest.raises(Conflict) as err:  # the same key for another amount
        refund(cast, engagement, 60_000, idempotency_key="r-1")
    assert err.value.code == "idempotency_key_reused"
    with pytest.raises(Conflict) as err:  # without the key: the dispute is resolved
        refund(cast, engagement, 50_000)
    assert err.value.code == "no_dispute"
    assert DisputeRefund.objects.count() == 1
    assert Payout.objects.filter(kind="refund").count() == 1
    assert BookEntry.objects.filter(source="engagement_refund").count() == 1
    assert_books_balance()


def test_bad_refunds_are_refused_and_write_nothing(client, cast, wave):
    engagement = sign(cast, amount=300_000, split=SPLIT, actor=cast.admin)
    services.engagement_payment_record(actor=cast.admin, engagement=engagement, amount=100_000,
                                       paid_on=dates.today())  # fmt: skip
    with pytest.raises(Conflict) as err:  # no dispute
        refund(cast, engagement, 1)
    assert err.value.code == "no_dispute"
    services.dispute_open(actor=cast.owner, engagement=engagement, reason="Rapport non remis.")
    with pytest.raises(Conflict) as err:  # paid before the dispute: paid out, nothing held
        refund(cast, engagement, 1)
    assert err.value.code == "nothing_to_refund"
    pay_by_phone(client, cast, engagement, 100_000)
    entries = BookEntry.objects.count()
    with pytest.raises(Conflict) as err:  # above what was paid during the dispute
        refund(cast, engagement, 100_001)
    assert err.value.code == "refund_above_paid" and err.value.field == "amount"
    assert err.value.message.startswith("Le remboursement")
    for bad in (0, -1, "100", 1.5, True, None):
        with pytest.raises(ValidationFailed):
            refund(cast, engagement, bad)
    for resolution in ("", "x" * 1001, "nul\x00"):
        with pytest.raises(ValidationFailed):
            refund(cast, engagement, 10, resolution=resolution)
    with pytest.raises(ValidationFailed):
        refund(cast, engagement, 10, phone="12", provider="wave")
    with pytest.raises(ValidationFailed):
        refund(cast, engagement, 10, phone="771234567", provider="inconnu")
    with pytest.raises(Forbidden):  # a party does not decide
        services.dispute_refund(actor=cast.owner, engagement=engagement, amount=10,
                                resolution="Moi.")  # fmt: skip
    with pytest.raises(NotFound):
        services.dispute_refund(actor=cast.outsider, engagement=engagement, amount=10,
                                resolution="Moi.")  # fmt: skip
    assert not DisputeRefund.objects.exists() and BookEntry.objects.count() == entries
    assert not Payout.objects.filter(kind="refund").exists()
    assert engagement.disputes.get().resolved_at is None
    assert EngagementPayment.objects.filter(held=True).count() == 1
    assert_books_balance()


def test_a_refund_after_a_transfer_goes_to_the_phone_given(cast):
    engagement = sign(cast, amount=100_000)
    services.dispute_open(actor=cast.owner, engagement=engagement, reason="Rapport non remis.")
    services.engagement_payment_record(actor=cast.admin, engagement=engagement, amount=100_000,
                                       paid_on=dates.today())  # fmt: skip
    cast.org.payout_phone = ""
    cast.org.save(update_fields=["payout_phone"])
    with pytest.raises(ValidationFailed) as err:  # paid by transfer: no phone known
        refund(cast, engagement, 100_000)
    assert err.value.field == "phone"
    done = refund(cast, engagement, 100_000, phone="76 555 44 33", provider="wave")
    assert done.payout.phone == "+221765554433" and done.phone == "+221765554433"
    assert_books_balance()


def test_a_settled_refund_payout_is_dated_once(client, cast, wave):
    from payments.models import PayoutStatus

    engagement = disputed_and_paid(client, cast, amount=10_000, paid=10_000)
    done = refund(cast, engagement, 10_000)
    payout = done.payout
    payout.status = PayoutStatus.SUCCEEDED
    services.dispute_refund_settled(payout=payout)
    done.refresh_from_db()
    stamp = done.settled_at
    assert stamp is not None
    services.dispute_refund_settled(payout=payout)
    done.refresh_from_db()
    assert done.settled_at == stamp


@settings(max_examples=300, deadline=None)
@given(
    shares=st.tuples(*[st.integers(min_value=0, max_value=10**9)] * 3).filter(any),
    data=st.data(),
)
def test_the_reversal_sums_exactly_and_never_exceeds_a_share(shares, data):
    weights = dict(zip(("consultant", "platform", "ess_fund"), shares, strict=True))
    amount = data.draw(st.integers(min_value=0, max_value=sum(shares)))
    parts = apportion(amount, weights)
    assert sum(parts.values()) == amount
    for party, part in parts.items():
        assert 0 <= part <= weights[party]
        exact = amount * weights[party] / sum(shares)
        assert part <= exact + 1 and part >= exact - 1


def _training(cast, amount):
    return services.ess_support_grant(
        actor=cast.admin, kind="training", organisation=cast.org, seats=1, amount=amount,
        on=dates.today(), description="Formation à la gestion coopérative (BIT)",
    )  # fmt: skip


def test_the_fund_never_spends_a_share_a_dispute_holds_so_a_refund_never_overdraws_it(
    client, cast, wave
):
    """The path that took 4675 below zero: a payment made during a dispute credits the
    fund its share at once; a support spent it; the refund then took it back. The share a
    dispute holds is not the fund's to spend until the dispute is resolved."""
    from consulting.selectors import ess_fund_balance, ess_fund_totals

    engagement = disputed_and_paid(client, cast)  # 33 333 F of it the ESS fund's share
    assert ess_fund_balance() == 33_333
    assert ess_fund_totals()["held"] == 33_333
    page = client.get("/reseau/fonds-ess/").content.decode()
    assert "retenus par un litige" in page
    with pytest.raises(Conflict) as err:
        _training(cast, 1)
    assert (err.value.code, err.value.field) == ("fund_insufficient", "amount")
    assert "retenus par un litige" in str(err.value.message)
    refund(cast, engagement, 100_001)  # takes back 10 000 of the share, frees the rest
    assert ess_fund_balance() == 23_333 and ess_fund_totals()["held"] == 0
    with pytest.raises(Conflict):
        _training(cast, 23_334)
    _training(cast, 23_333)
    assert ess_fund_balance() == 0
    assert_books_balance()


def test_a_refund_refuses_to_take_back_more_than_the_fund_still_holds(client, cast, wave):
    """Books written before the rule (a support that spent a held share): the refund is
    refused with its code rather than taking 4675 below zero, nothing written."""
    from consulting import books
    from consulting.models import EssSupport
    from consulting.selectors import ess_fund_balance

    engagement = disputed_and_paid(client, cast)
    spent = EssSupport.objects.create(
        kind="training", organisation=cast.org, seats=1, amount=30_000, on=dates.today(),
        description="Avant la règle", created_by=cast.admin,
    )  # fmt: skip
    books.support_decided(spent)
    assert ess_fund_balance() == 3_333
    with pytest.raises(Conflict) as err:
        refund(cast, engagement, 333_333)  # would take back 33 333
    assert err.value.code == "fund_insufficient"
    assert "3 333" in str(err.value.message) or "3\u202f333" in str(err.value.message)
    assert not DisputeRefund.objects.exists() and engagement.disputes.get().resolved_at is None
    done = refund(cast, engagement, 33_330)  # its share, 3 333, is what the fund holds
    assert done.ess_part == 3_333 and ess_fund_balance() == 0
    assert_books_balance()
