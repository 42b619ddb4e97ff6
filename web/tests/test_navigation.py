"""The menu follows the role: nobody sees an entry their roles do not name."""

from __future__ import annotations

import pytest
from django.test import RequestFactory

from accounts.models import Role
from web import navigation
from web.navigation import ALL, MENU, STAFF, NavItem, menu_for

pytestmark = pytest.mark.django_db

NATIONAL_ONLY = NavItem("Pilotage national", "admin:index", frozenset({Role.NATIONAL}))
STAFF_ONLY = NavItem("Terrain", "healthz", STAFF)
HOME = NavItem("Accueil", "home", ALL)
NOT_YET_ROUTED = NavItem("Plus tard", "nowhere:list", ALL)


def labels(user, path="/"):
    request = RequestFactory().get(path)
    request.user = user
    return [item["label"] for item in menu_for(request)]


@pytest.fixture
def test_menu(monkeypatch):
    monkeypatch.setattr(navigation, "MENU", [HOME, STAFF_ONLY, NATIONAL_ONLY, NOT_YET_ROUTED])


def test_each_role_gets_only_its_entries(world, test_menu):
    assert labels(world.national) == ["Accueil", "Terrain", "Pilotage national"]
    assert labels(world.agent_tc) == ["Accueil", "Terrain"]
    assert labels(world.officer) == ["Accueil"]
    assert labels(world.lender) == ["Accueil"]  # no national-only nor staff entry
    assert labels(world.member) == ["Accueil"]
    assert labels(world.nobody) == []


def test_anonymous_gets_no_menu(test_menu):
    from django.contrib.auth.models import AnonymousUser

    assert labels(AnonymousUser()) == []


def test_current_page_is_marked_active(world, test_menu):
    request = RequestFactory().get("/healthz")
    request.user = world.national
    active = {i["label"]: i["active"] for i in menu_for(request)}
    assert active == {"Accueil": False, "Terrain": True, "Pilotage national": False}


@pytest.mark.parametrize(
    "user", ["national", "agent_tc", "agent_mbour", "officer", "lender", "member"]
)
def test_real_menu_in_the_page_follows_the_role(world, client, user):
    """Whatever the apps add to MENU, a user's page links exactly the entries of their roles."""
    from django.urls import NoReverseMatch, reverse

    from accounts.scoping import scope_for

    actor = getattr(world, user)
    roles = scope_for(actor).roles
    client.force_login(actor)
    response = client.get("/")
    nav = [i["url"] for i in response.context["nav_items"]]
    for item in MENU:
        try:
            url = reverse(item.url_name)
        except NoReverseMatch:
            continue
        assert (url in nav) == bool(roles & item.roles), (user, item.url_name)
    assert nav[0] == "/"


def test_lender_page_has_no_national_only_link(world, client, test_menu):
    client.force_login(world.lender)
    html = client.get("/").content.decode()
    assert "Pilotage national" not in html
    assert "Terrain" not in html
    client.force_login(world.national)
    assert "Pilotage national" in client.get("/").content.decode()


def test_partner_enterprise_staff_get_the_value_chain_entry(world, client):
    """Issue 17, point 1: a partner enterprise's staff (no accounts role) find the value
    chains it sponsors from the menu; a user without any role does not get the entry."""
    from accounts.tests.factories import UserFactory
    from registry.models import Partner
    from valuechain.services import partner_staff_add

    staff = UserFactory(username="partenaire-menu")
    partner = Partner.objects.create(name="Entreprise partenaire", kind="entreprise")
    partner_staff_add(actor=world.national, user=staff, partner=partner)
    client.force_login(staff)
    nav = [i["url"] for i in client.get("/").context["nav_items"]]
    assert "/filiere/" in nav
    client.force_login(UserFactory(username="sans-role"))
    assert "/filiere/" not in [i["url"] for i in client.get("/").context["nav_items"]]
