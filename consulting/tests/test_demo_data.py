"""Consulting's demo data: consultants in several countries, a finished engagement, an
open request, the ESS fund's support; loaded once."""

import pytest

from consulting.models import ConsultantProfile, Engagement, Proposal
from consulting.selectors import ess_fund_totals
from demo.consulting_data import load_consulting
from demo.loader import ensure_user

pytestmark = pytest.mark.django_db


def test_demo_consulting_loads_once():
    load_consulting(ensure_user=ensure_user)
    assert load_consulting(ensure_user=ensure_user) == ["appui-conseil : déjà chargé"]
    verified = ConsultantProfile.objects.filter(status="verified")
    countries = {c for p in verified for c in p.country_list}
    assert {"SN", "ML", "CI"} <= countries and verified.count() == 3
    engagement = Engagement.objects.get()
    assert engagement.status == "completed" and engagement.rating == 5
    assert [p.amount for p in engagement.payments.order_by("id")] == [150_000, 300_000]
    assert Proposal.objects.filter(status="submitted").count() == 2
    assert ess_fund_totals()["received"] == 45_000 and ess_fund_totals()["balance"] == 5_000
