"""The calls for tenders' demo: an open call with two sealed offers, loaded once."""

import pytest

from demo.loader import ensure_user
from demo.tenders_data import load_tenders
from network.models import Organisation
from tenders import selectors
from tenders.models import Tender

pytestmark = pytest.mark.django_db


def test_demo_tenders_load_once():
    load_tenders(ensure_user=ensure_user)
    assert load_tenders(ensure_user=ensure_user)[-1] == "appels d'offres : déjà chargés"
    tender = Tender.objects.get()
    assert selectors.tender_status(tender) == "open" and tender.submissions.count() == 2
    buyer = ensure_user("network-admin", "Kadiatou", "Traoré")
    assert not selectors.submission_list(actor=buyer, tender=tender).exists()  # sealed
    assert Organisation.objects.filter(name__startswith="Secrétariat").count() == 1
