"""Mediation's demo data: a mediator on the list and a dispute closed by an agreement,
its file read by the parties and the mediator only; loaded once."""

import pytest
from django.contrib.auth import get_user_model

from demo.loader import ensure_user
from demo.mediation_data import load_mediation
from mediation import selectors

pytestmark = pytest.mark.django_db


def test_demo_mediation_loads_once():
    load_mediation(ensure_user=ensure_user)
    assert load_mediation(ensure_user=ensure_user)[-1] == "médiation : déjà chargée"
    users = get_user_model().objects
    case = selectors.case_list(actor=users.get(username="mediateur")).get()
    assert (case.status, case.outcome) == ("closed", "agreement")
    assert selectors.case_list(actor=users.get(username="orga-1")).get() == case
    assert not selectors.case_list(actor=users.get(username="network-admin")).exists()
    assert not selectors.case_list(actor=users.get(username="orga-3")).exists()
    assert selectors.statistics(actor=users.get(username="network-admin"))["total"] == 1
