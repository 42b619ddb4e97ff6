"""Health staff (a scheme's agents, a provider's staff) hold no accounts role: they get
the health entries of the menu and a home panel of their own, nothing else."""

import datetime

import pytest
from django.test import RequestFactory
from django.urls import reverse

from health import services
from health.tests.factories import (
    enrolled,
    mutual_agent,
    national_user,
    provider_with_convention,
    scheme_of_example,
)
from web.navigation import menu_for

D = datetime.date


def _menu(user):
    request = RequestFactory().get("/")
    request.user = user
    return [item["url"] for item in menu_for(request)]


@pytest.mark.django_db
def test_health_staff_get_their_menu_and_home(world, client):
    national = national_user()
    scheme = scheme_of_example(national)
    agent = mutual_agent(national, scheme)
    provider, provider_staff = provider_with_convention(national, scheme)
    household = enrolled(world.officer, scheme, world.coop_tc, 2)
    services.contribution_pay(
        actor=world.officer,
        household=household,
        amount=7_200,
        paid_on=D(2026, 1, 1),
        channel="cash",
    )
    services.claim_enter(
        actor=provider_staff,
        household=household,
        beneficiary=household.head,
        provider=provider,
        service_on=D(2026, 2, 15),
        lines=[{"code": "CONS", "quantity": 1}],
    )

    home, health, claims, report = (
        reverse(n) for n in ("home", "health:index", "health:claim_list", "health:report")
    )
    assert _menu(agent) == [home, health, claims, report]
    assert _menu(provider_staff) == [home, health, claims]
    assert reverse("ledger:home") not in _menu(agent)
    assert claims not in _menu(world.officer)  # an accounts role keeps its own menu

    client.force_login(agent)
    page = client.get(home).content.decode()
    assert 'data-testid="health-home-mutual"' in page and scheme.name in page
    assert "1 demande à vérifier" in page
    assert "Aucun rôle attribué" not in page

    client.force_login(provider_staff)
    page = client.get(home).content.decode()
    assert 'data-testid="health-home-provider"' in page and provider.name in page
    assert 'data-testid="health-home-mutual"' not in page

    client.force_login(world.nobody)
    assert "Aucun rôle attribué" in client.get(home).content.decode()
