"""The ESS fund: what it receives, what it supports within its balance, its public page."""

import pytest
from django.urls import reverse

from consulting import services
from consulting.selectors import ess_fund_balance, ess_fund_totals
from consulting.tests.conftest import sign
from core import dates
from core.errors import Conflict, Forbidden, ValidationFailed
from payments.models import Payout

pytestmark = pytest.mark.django_db


def fund_with(cast, amount):
    engagement = sign(cast, amount=amount)
    services.engagement_payment_record(
        actor=cast.admin, engagement=engagement, amount=amount, paid_on=dates.today()
    )


def test_the_fund_supports_a_project_and_training_seats_within_its_balance(cast):
    fund_with(cast, 1_000_000)  # 10 %: 100 000 F to the fund
    assert ess_fund_balance() == 100_000
    today = dates.today()
    with pytest.raises(Forbidden):
        services.ess_support_grant(
            actor=cast.owner, kind="grant", organisation=cast.org, project=cast.project,
            amount=1, on=today, description="x",
        )  # fmt: skip
    with pytest.raises(ValidationFailed) as err:  # a grant goes to a project
        services.ess_support_grant(actor=cast.admin, kind="grant", organisation=cast.org,
                                   amount=1, on=today, description="x")  # fmt: skip
    assert err.value.field == "project"
    with pytest.raises(Conflict) as err:
        services.ess_support_grant(actor=cast.admin, kind="grant", organisation=cast.org,
                                   project=cast.project, amount=100_001, on=today,
                                   description="Séchoir solaire")  # fmt: skip
    assert err.value.code == "fund_insufficient"
    grant = services.ess_support_grant(
        actor=cast.admin, kind="grant", organisation=cast.org, project=cast.project,
        amount=60_000, on=today, description="Séchoir solaire",
    )  # fmt: skip
    assert grant.payout.amount == 60_000 and grant.payout.kind == "settlement"
    seats = services.ess_support_grant(
        actor=cast.admin, kind="training", organisation=cast.org, seats=4, amount=40_000,
        on=today, description="Formation à la gestion coopérative (BIT)",
    )  # fmt: skip
    assert seats.seats == 4 and seats.payout is None
    assert ess_fund_totals() == {
        "received": 100_000, "grants": 60_000, "training": 40_000, "seats": 4, "balance": 0,
        "held": 0, "engagements": 1,
    }  # fmt: skip
    with pytest.raises(Conflict):
        services.ess_support_grant(actor=cast.admin, kind="training", organisation=cast.org,
                                   seats=1, amount=1, on=today, description="x")  # fmt: skip
    assert Payout.objects.filter(kind="settlement").count() == 1


def test_the_public_totals_page(cast, client):
    fund_with(cast, 500_000)
    response = client.get(reverse("consulting:ess_fund"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "50\u202f000\u202fF\u202fCFA" in html and "Décider un soutien" not in html
