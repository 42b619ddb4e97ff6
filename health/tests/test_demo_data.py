"""The health demo: two schemes (Senegal, Mali), households of two cooperatives, claims in
every state; loading twice adds nothing."""

import pytest

from demo.health_data import load_health
from demo.loader import ensure_user, load_demo
from health.models import Claim, ClaimStatus, Household, Scheme


@pytest.mark.django_db(transaction=True)
def test_the_demo_has_both_schemes_two_cooperatives_and_every_claim_state():
    load_demo()
    assert set(Scheme.objects.values_list("country", flat=True)) == {"SN", "ML"}
    assert Household.objects.values("cooperative").distinct().count() == 2
    assert set(Claim.objects.values_list("status", flat=True)) == set(ClaimStatus.values)
    counts = (Household.objects.count(), Claim.objects.count())
    from accounts.models import User

    assert load_health(actor=User.objects.get(username="national"), ensure_user=ensure_user) == [
        "santé : déjà chargée"
    ]
    assert (Household.objects.count(), Claim.objects.count()) == counts
