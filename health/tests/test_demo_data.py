"""The health demo: two schemes (Senegal, Mali), households of two cooperatives, claims in
every state (one paid by phone per scheme); the mutuals' books; loading twice adds
nothing."""

import pytest

from demo.health_data import load_health
from demo.loader import ensure_user
from health.models import Claim, ClaimStatus, Household, Scheme


@pytest.mark.django_db(transaction=True)
def test_the_demo_has_both_schemes_two_cooperatives_and_every_claim_state(demo_data):
    assert set(Scheme.objects.values_list("country", flat=True)) == {"SN", "ML"}
    assert Household.objects.values("cooperative").distinct().count() == 2
    assert set(Claim.objects.values_list("status", flat=True)) == set(ClaimStatus.values)
    from health.models import PersonPhoto

    assert PersonPhoto.objects.count() == 3  # three heads' cards carry a drawn portrait
    by_phone = Claim.objects.filter(status=ClaimStatus.PAID, payout__status="succeeded")
    assert by_phone.count() == 2  # one per scheme, through a payments payout
    from health.postings import HOLDER
    from ledger.models import HolderBook, HolderEntry

    assert HolderBook.objects.filter(holder=HOLDER).count() == 2
    for source in (
        "health_contribution",
        "health_earned",
        "health_claim",
        "health_claim_paid",
        "health_payout_fee",  # the operator's fee on each payout (sandbox: 1 %)
    ):
        assert HolderEntry.objects.filter(source=source).exists(), source
    counts = (Household.objects.count(), Claim.objects.count())
    from accounts.models import User

    assert load_health(actor=User.objects.get(username="national"), ensure_user=ensure_user) == [
        "santé : déjà chargée"
    ]
    assert (Household.objects.count(), Claim.objects.count()) == counts
