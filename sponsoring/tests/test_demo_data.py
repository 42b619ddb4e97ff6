"""The demo's sponsored announcements: two live, one waiting for moderation, loaded once."""

import pytest

from core import dates
from demo.loader import ensure_user
from demo.sponsoring_data import load_sponsoring
from sponsoring import selectors
from sponsoring.models import Booking

pytestmark = pytest.mark.django_db


def test_demo_sponsoring_loads_once():
    load_sponsoring(ensure_user=ensure_user)
    assert load_sponsoring(ensure_user=ensure_user)[-1] == "annonces sponsorisées : déjà chargées"
    statuses = sorted(Booking.objects.values_list("status", flat=True))
    assert statuses == ["approved", "approved", "pending"]
    today = dates.today()
    on_mali = selectors.live_candidates(
        placement="directory", country="ML", sector="sante", on=today
    )
    assert [b["format"] for b in on_mali] == ["announcement", "listing"]
    assert selectors.live_candidates(placement="home", country="", sector="", on=today) == []
