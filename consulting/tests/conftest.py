"""Fixtures of consulting's tests: the network's cast (network.tests.conftest), a verified
consultant working in Mali and Senegal, and paying an engagement through the Wave sandbox
(a signed webhook, as Wave sends it)."""

import pytest
from django.db.models import Sum

from accounts.tests.factories import UserFactory
from consulting import services
from network.tests import conftest as network_conftest
from payments.models import PaymentIntent
from payments.tests.conftest import completed, wave, wave_post  # noqa: F401 - fixtures

net = network_conftest.net  # the network's cast, a fixture

PROFILE = {
    "name": "Aminata Traoré",
    "headline": "Gouvernance coopérative et finance solidaire",
    "skills": ["gouvernance coopérative", "comptabilité SYSCOHADA"],
    "countries": ["ML", "SN"],
    "languages": ["fr", "bm"],
    "day_rate": 75_000,
    "references": "Appui à 12 coopératives de Ségou (2019-2024).",
    "payout_phone": "+223 70 12 34 56",
    "payout_provider": "wave",
}


def make_consultant(user, *, verify_by=None, **changes):
    profile = services.consultant_profile_save(actor=user, **{**PROFILE, **changes})
    if verify_by is not None:
        profile = services.consultant_verify(actor=verify_by, profile=profile, decision="verify")
    return profile


@pytest.fixture
def cast(net):
    """``net`` plus a verified consultant (Mali and Senegal) and an outsider."""
    net.consultant_user = UserFactory(username="aminata")
    net.consultant = make_consultant(net.consultant_user, verify_by=net.mod_ml)
    net.outsider = UserFactory(username="outsider")
    return net


def sign(cast, *, amount=300_000, split=None, actor=None, milestones=None):
    return services.engagement_create(
        actor=actor or cast.owner,
        client=cast.org,
        consultant=cast.consultant,
        title="Diagnostic organisationnel",
        amount=amount,
        split=split,
        milestones=milestones,
    )


def pay_by_phone(client, cast, engagement, amount, *, event_id=None):
    """The client's user starts a payment; Wave's signed webhook says it succeeded."""
    intent = services.engagement_payment_start(
        actor=cast.owner, engagement=engagement, amount=amount, phone="77 900 12 34",
        provider="wave",
    )  # fmt: skip
    intent = PaymentIntent.objects.get(pk=intent.pk)
    response = wave_post(client, completed(intent, event_id=event_id or f"EV{intent.pk}"))
    assert response.status_code == 200, response.content
    return response.json()["outcome"]


def assert_books_balance():
    """The ledger's balance check on the platform's books: every entry balanced, and so
    the whole book."""
    from network.models import BookEntry, BookLine

    for entry in BookEntry.objects.prefetch_related("lines"):
        lines = list(entry.lines.all())
        assert sum(li.debit for li in lines) == sum(li.credit for li in lines), entry.label
    sums = BookLine.objects.aggregate(d=Sum("debit"), c=Sum("credit"))
    assert sums["d"] == sums["c"]
