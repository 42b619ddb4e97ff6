"""The portal's demo data: four countries, two campaigns, idempotent."""

import pytest

from demo.loader import ensure_user
from demo.network_data import load_network
from network.models import Campaign, Organisation
from network.selectors import campaign_figures

pytestmark = pytest.mark.django_db


def test_demo_network_loads_once():
    load_network(ensure_user=ensure_user)
    assert load_network(ensure_user=ensure_user) == ["réseau : déjà chargé"]
    countries = set(Organisation.objects.values_list("country", flat=True))
    assert countries == {"SN", "ML", "BF", "CI"}
    figures = [campaign_figures(c) for c in Campaign.objects.order_by("goal")]
    assert [(f["raised"], f["matched"]) for f in figures] == [(90_000, 70_000), (25_000, 0)]
