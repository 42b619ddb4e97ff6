"""Consultants, requests, proposals, engagements, payments through the Wave sandbox,
the split in the platform's books, disputes holding payouts, ratings; the bad input."""

import datetime

import pytest
from django.db.models import Sum

from consulting import services
from consulting.models import EngagementPayment, ProfileStatus
from consulting.tests.conftest import make_consultant, pay_by_phone, sign
from core import dates
from core.errors import Conflict, Forbidden, NotFound, ValidationFailed
from network.models import BookEntry, BookLine
from payments.models import Payout

pytestmark = pytest.mark.django_db


def balance(account):
    sums = BookLine.objects.filter(account=account).aggregate(d=Sum("debit"), c=Sum("credit"))
    return (sums["c"] or 0) - (sums["d"] or 0)


def assert_books_balance():
    sums = BookLine.objects.aggregate(d=Sum("debit"), c=Sum("credit"))
    assert sums["d"] == sums["c"]


# --------------------------------------------------------------------------- profiles


def test_a_profile_waits_for_a_moderator_of_one_of_its_countries(net):
    from accounts.tests.factories import UserFactory

    user = UserFactory(username="moussa")
    profile = make_consultant(user, countries=["ML"])
    assert profile.status == ProfileStatus.PENDING
    assert profile.payout_phone == "+22370123456"
    with pytest.raises(Forbidden):  # Senegal's moderator: not a country of this consultant
        services.consultant_verify(actor=net.mod_sn, profile=profile, decision="verify")
    with pytest.raises(ValidationFailed) as err:
        services.consultant_verify(actor=net.mod_ml, profile=profile, decision="refuse")
    assert err.value.field == "reason"
    profile = services.consultant_verify(actor=net.mod_ml, profile=profile, decision="verify")
    assert profile.status == ProfileStatus.VERIFIED and profile.moderated_by == net.mod_ml
    # an edit goes back to verification
    profile = make_consultant(user, countries=["ML"], day_rate=90_000)
    assert profile.status == ProfileStatus.PENDING and profile.day_rate == 90_000


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"countries": ["FR"]}, "countries"),  # not an African country
        ({"countries": []}, "countries"),
        ({"languages": ["xx"]}, "languages"),
        ({"skills": []}, "skills"),
        ({"day_rate": 0}, "day_rate"),
        ({"day_rate": "75000"}, "day_rate"),
        ({"payout_phone": "12"}, "payout_phone"),
        ({"payout_provider": "paypal"}, "payout_provider"),
        ({"references": ""}, "references"),
    ],
)
def test_bad_profiles_are_refused(net, changes, field):
    from accounts.tests.factories import UserFactory

    with pytest.raises(ValidationFailed) as err:
        make_consultant(UserFactory(), **changes)
    assert err.value.field == field


# --------------------------------------------------------------------------- requests


def test_request_proposal_accept_signs_the_engagement(cast):
    request = services.support_request_create(
        actor=cast.owner, organisation=cast.org, title="Plan d'affaires de l'unité de mil",
        description="Un plan d'affaires sur 3 ans.", skills="finance", budget=500_000,
    )  # fmt: skip
    with pytest.raises(Forbidden):  # not a member of the organisation
        services.support_request_create(
            actor=cast.outsider, organisation=cast.org, title="X", description="Y"
        )
    proposal = services.proposal_submit(
        actor=cast.consultant_user, request=request, amount=450_000, days=6, message="Démarche."
    )
    with pytest.raises(Conflict) as err:
        services.proposal_submit(
            actor=cast.consultant_user, request=request, amount=1, days=1, message="Encore."
        )
    assert err.value.code == "already_proposed"
    from accounts.tests.factories import UserFactory

    other = make_consultant(UserFactory(username="kofi"), verify_by=cast.admin, name="Kofi")
    second = services.proposal_submit(
        actor=other.user, request=request, amount=400_000, days=5, message="Moins cher."
    )
    engagement = services.proposal_accept(
        actor=cast.owner,
        proposal=proposal,
        milestones=[
            {"title": "Diagnostic", "amount": 150_000, "due_on": datetime.date(2027, 1, 15)},
            {"title": "Plan d'affaires", "amount": 300_000, "due_on": None},
        ],
    )
    assert engagement.amount == 450_000 and engagement.consultant == cast.consultant
    assert [str(v) for v in engagement.split.values()] == ["80.00", "10.00", "10.00"]
    assert engagement.milestones.count() == 2
    request.refresh_from_db()
    second.refresh_from_db()
    assert request.status == "awarded" and second.status == "declined"
    third = make_consultant(UserFactory(username="fatou"), verify_by=cast.admin, name="Fatou")
    with pytest.raises(Conflict) as err:  # the request is awarded: no more proposals
        services.proposal_submit(actor=third.user, request=request, amount=1, days=1, message="x")
    assert err.value.code == "request_closed"


def test_an_unverified_consultant_or_the_clients_own_member_may_not_propose(cast):
    from accounts.tests.factories import UserFactory

    request = services.support_request_create(
        actor=cast.owner, organisation=cast.org, title="Étude", description="Une étude."
    )
    pending = make_consultant(UserFactory(username="pending"))
    with pytest.raises(Forbidden) as err:
        services.proposal_submit(actor=pending.user, request=request, amount=1, days=1, message="x")
    assert err.value.code == "not_verified"
    own = make_consultant(cast.owner, verify_by=cast.admin, name="La propriétaire")
    assert own.status == "verified"
    with pytest.raises(Conflict) as err:
        services.proposal_submit(actor=cast.owner, request=request, amount=1, days=1, message="x")
    assert err.value.code == "own_organisation"


# --------------------------------------------------------------------------- engagements


def test_milestones_must_sum_to_the_amount_and_the_split_to_100(cast):
    with pytest.raises(ValidationFailed) as err:
        sign(cast, amount=300_000, milestones=[{"title": "A", "amount": 100_000}])
    assert err.value.code == "milestones_sum"
    with pytest.raises(ValidationFailed) as err:
        sign(cast, split={"consultant": "70", "platform": "20", "ess_fund": "20"}, actor=cast.admin)
    assert err.value.code == "split_not_100"
    with pytest.raises(Forbidden) as err:  # a client may not lower the platform's share
        sign(cast, split={"consultant": "95", "platform": "5", "ess_fund": "0"})
    assert err.value.code == "split_admin_only"
    with pytest.raises(Forbidden):
        sign(cast, actor=cast.outsider)
    engagement = sign(cast, split={"consultant": "70", "platform": "20", "ess_fund": "10"},
                      actor=cast.admin)  # fmt: skip
    assert engagement.consultant_percent == 70


def test_the_split_is_frozen_when_signed(cast, settings):
    engagement = sign(cast)
    settings.CONSULTING_SPLIT = ("60", "20", "20")
    payment = services.engagement_payment_record(
        actor=cast.admin, engagement=engagement, amount=100_000, paid_on=dates.today()
    )
    assert (payment.consultant_share, payment.platform_share, payment.ess_share) == (
        80_000, 10_000, 10_000,
    )  # fmt: skip


def test_a_payment_by_phone_pays_the_consultant_the_platform_and_the_fund(client, cast, wave):
    engagement = sign(cast, amount=333_333, split={"consultant": "70", "platform": "20",
                      "ess_fund": "10"}, actor=cast.admin)  # fmt: skip
    assert pay_by_phone(client, cast, engagement, 333_333) == "applied"
    payment = EngagementPayment.objects.get(engagement=engagement)
    assert (payment.consultant_share, payment.platform_share, payment.ess_share) == (
        233_333, 66_667, 33_333,
    )  # fmt: skip
    payout = Payout.objects.get(kind="consultant")
    assert payout.amount == 233_333 and payout.phone == "+22370123456"
    assert payment.payout == payout and not payment.held
    assert balance("706") == 66_667 and balance("4675") == 33_333
    assert balance("4673") == 0 and balance("4192") == 0  # owed paid out, receipt split
    assert balance("552") == -(333_333 - 233_333)  # the wallet (a debit account) keeps 100 000
    assert_books_balance()
    engagement.refresh_from_db()
    assert engagement.status == "completed"
    # the same webhook again: nothing more
    pay_again = Payout.objects.filter(kind="consultant").count()
    assert pay_again == 1 and EngagementPayment.objects.count() == 1


def test_a_payment_above_what_is_due_is_refused(client, cast, wave):
    engagement = sign(cast, amount=300_000)
    services.engagement_payment_record(
        actor=cast.admin, engagement=engagement, amount=200_000, paid_on=dates.today()
    )
    with pytest.raises(Conflict) as err:
        services.engagement_payment_record(
            actor=cast.admin, engagement=engagement, amount=100_001, paid_on=dates.today()
        )
    assert err.value.code == "above_due" and err.value.field == "amount"
    nb = "\u202f"
    assert err.value.message == (
        f"Le paiement (100{nb}001{nb}F{nb}CFA) dépasse ce qui reste dû (100{nb}000{nb}F{nb}CFA)."
    )
    from payments.services import payment_start

    with pytest.raises(ValidationFailed):  # by phone: payments refuses above amount_due
        payment_start(purpose="engagement", target_id=engagement.pk, amount=100_001,
                      phone="77 900 12 34", provider="wave", actor=cast.owner)  # fmt: skip
    for bad in (0, -5, "100", 1.5, True):
        with pytest.raises(ValidationFailed):
            services.engagement_payment_record(
                actor=cast.admin, engagement=engagement, amount=bad, paid_on=dates.today()
            )
    with pytest.raises(ValidationFailed):  # a payment dated in the future
        services.engagement_payment_record(
            actor=cast.admin, engagement=engagement, amount=1,
            paid_on=dates.today() + datetime.timedelta(days=2),
        )  # fmt: skip


def test_who_may_record_and_pay(cast, wave):
    engagement = sign(cast)
    with pytest.raises(Forbidden):  # a party, not an administrator
        services.engagement_payment_record(
            actor=cast.owner, engagement=engagement, amount=1, paid_on=dates.today()
        )
    with pytest.raises(NotFound):  # an outsider does not learn it exists
        services.engagement_payment_record(
            actor=cast.outsider, engagement=engagement, amount=1, paid_on=dates.today()
        )
    with pytest.raises(Forbidden):
        services.engagement_payment_start(actor=cast.consultant_user, engagement=engagement,
                                          amount=1, phone="771234567", provider="wave")  # fmt: skip
    with pytest.raises(NotFound):
        services.engagement_payment_start(actor=cast.outsider, engagement=engagement,
                                          amount=1, phone="771234567", provider="wave")  # fmt: skip


def test_the_idempotency_key_records_a_payment_once(cast):
    engagement = sign(cast)
    today = dates.today()
    first = services.engagement_payment_record(
        actor=cast.admin, engagement=engagement, amount=50_000, paid_on=today, idempotency_key="k1"
    )
    again = services.engagement_payment_record(
        actor=cast.admin, engagement=engagement, amount=50_000, paid_on=today, idempotency_key="k1"
    )
    assert again.pk == first.pk and EngagementPayment.objects.count() == 1
    with pytest.raises(Conflict):
        services.engagement_payment_record(
            actor=cast.admin, engagement=engagement, amount=60_000, paid_on=today,
            idempotency_key="k1",
        )  # fmt: skip


def test_a_dispute_holds_the_payouts_until_resolved(client, cast, wave):
    engagement = sign(cast, amount=200_000)
    with pytest.raises(NotFound):
        services.dispute_open(actor=cast.outsider, engagement=engagement, reason="?")
    services.dispute_open(actor=cast.owner, engagement=engagement, reason="Rapport non remis.")
    with pytest.raises(Conflict) as err:
        services.dispute_open(actor=cast.consultant_user, engagement=engagement, reason="Et moi")
    assert err.value.code == "already_disputed"
    assert pay_by_phone(client, cast, engagement, 100_000) == "applied"
    payment = EngagementPayment.objects.get()
    assert payment.held and payment.payout is None
    assert not Payout.objects.filter(kind="consultant").exists()
    assert balance("4673") == 80_000  # owed to the consultant, held
    with pytest.raises(Forbidden):
        services.dispute_resolve(actor=cast.owner, engagement=engagement, resolution="ok")
    services.dispute_resolve(
        actor=cast.admin, engagement=engagement, resolution="Rapport remis le 3 décembre."
    )
    payment.refresh_from_db()
    assert not payment.held and payment.payout.amount == 80_000
    assert balance("4673") == 0
    assert_books_balance()
    with pytest.raises(Conflict):
        services.dispute_resolve(actor=cast.admin, engagement=engagement, resolution="encore")


def test_the_client_rates_the_work_once_paid(cast):
    engagement = sign(cast, amount=100_000)
    with pytest.raises(Conflict) as err:
        services.engagement_rate(actor=cast.owner, engagement=engagement, rating=5)
    assert err.value.code == "not_completed"
    services.engagement_payment_record(
        actor=cast.admin, engagement=engagement, amount=100_000, paid_on=dates.today()
    )
    with pytest.raises(Forbidden):  # the consultant does not rate itself
        services.engagement_rate(actor=cast.consultant_user, engagement=engagement, rating=5)
    with pytest.raises(ValidationFailed):
        services.engagement_rate(actor=cast.owner, engagement=engagement, rating=6)
    services.engagement_rate(actor=cast.owner, engagement=engagement, rating=4, comment="Utile.")
    with pytest.raises(Conflict) as err:
        services.engagement_rate(actor=cast.owner, engagement=engagement, rating=5)
    assert err.value.code == "already_rated"
    assert BookEntry.objects.filter(source="engagement_payout").count() == 1
