"""The directory's map (issue 20 point 2): Africa's countries drawn as inline SVG from the
shipped Natural Earth geometry, coloured by their number of organisations; a click on a
country filters the directory (the other filters kept)."""

import re
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from playwright.sync_api import expect

from accounts.tests.factories import UserFactory
from network import selectors, services
from network.tests.conftest import make_org

SHOTS = Path(django_settings.BASE_DIR) / "var" / "screenshots"


def approved_in_mali(net, name="Union des maraîchers de Ségou", city="Ségou"):
    org = make_org(UserFactory(), name=name, country="ML", city=city)
    services.organisation_moderate(actor=net.mod_ml, organisation=org, decision="approve")
    return org


@pytest.mark.django_db
def test_counts_per_country_follow_the_other_filters_not_the_country(net):
    approved_in_mali(net)
    approved_in_mali(net, name="Caisse villageoise de Kayes", city="Kayes")
    make_org(UserFactory(), name="Pending Bamako", country="ML", city="Bamako")  # pending
    assert selectors.organisation_counts_by_country() == {"SN": 1, "ML": 2}
    assert selectors.organisation_counts_by_country(q="kayes") == {"ML": 1}
    assert selectors.organisation_counts_by_country(sector="sante") == {}


@pytest.mark.django_db
def test_the_directory_draws_africa_with_a_link_per_country(
    client, net, django_assert_max_num_queries
):
    approved_in_mali(net)
    with django_assert_max_num_queries(6):
        html = client.get("/reseau/organisations/?q=union").content.decode()
    svg = re.search(r'<figure class="areamap areamap-africa".*?</svg>', html, re.S).group(0)
    assert "<title" in svg and "Organisations par pays" in svg
    links = dict(re.findall(r'<a href="([^"]+)" class="shape[^"]*" data-code="(\w\w)"', svg))
    assert len(links) == 55 and set(links.values()) >= {"SN", "ML", "CV", "SC", "EH"}
    assert "?q=union&amp;country=ML" in links
    # Mali holds the one organisation found: darkest; Senegal's (not "union") has none.
    assert re.search(r'data-code="ML"[^>]*aria-label="Mali : 1"', svg)
    assert re.search(r'data-code="SN"[^>]*aria-label="Sénégal : 0"', svg)
    table = re.search(r'data-testid="country-map-table".*?</table>', html, re.S).group(0)
    assert "Mali" in table and "Sénégal" not in table  # the table lists countries with some
    assert "http" not in svg and "<script" not in svg  # nothing from outside, no script


@pytest.mark.django_db
def test_a_country_filter_marks_the_country_and_offers_all_countries(client, net):
    approved_in_mali(net)
    html = client.get("/reseau/organisations/?country=ML").content.decode()
    assert re.search(r'class="shape current" data-code="ML"', html)
    assert "Union des maraîchers de Ségou" in html and net.org.name not in html
    assert 'href="?">Tous les pays</a>' in html


@pytest.mark.browser
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_visitor_clicks_mali_on_the_map(django_db_serialized_rollback, page, net):
    SHOTS.mkdir(parents=True, exist_ok=True)
    approved_in_mali(net)
    page.set_viewport_size({"width": 1000, "height": 900})
    page.goto(f"{page.base_url}/reseau/organisations/")
    expect(page.get_by_text(net.org.name)).to_be_visible()
    page.screenshot(path=str(SHOTS / "network-map.png"), full_page=True)
    page.locator('[data-testid="country-map"] a[data-code="ML"]').click()
    page.wait_for_url("**country=ML")
    expect(page.get_by_role("link", name="Union des maraîchers de Ségou")).to_be_visible()
    expect(page.get_by_text(net.org.name)).to_have_count(0)
    # The keyboard reaches the countries: a focused country is a link with its figure.
    page.locator('[data-testid="country-map"] a[data-code="SN"]').focus()
    focused = page.evaluate("document.activeElement.getAttribute('aria-label')")
    assert focused == "Sénégal : 1"
    page.screenshot(path=str(SHOTS / "network-map-mali.png"), full_page=True)


@pytest.mark.django_db
def test_the_directory_counts_once_for_the_map_and_the_list(
    client, net, django_assert_max_num_queries
):
    """Issue 20, point 11: the list's figure is the map's counts (no second COUNT over the
    search): three queries (the counts, the page, its sectors) whatever the filters, and one
    for the sponsored announcements' slot (docs/sponsoring.md)."""
    approved_in_mali(net)
    approved_in_mali(net, name="Union des éleveurs de Kayes", city="Kayes")
    approved_in_mali(net, name="Caisse villageoise de Kayes", city="Kayes")
    for url, shown in (
        ("/reseau/organisations/?q=union", "2 organisations"),
        ("/reseau/organisations/?q=union&country=ML&sector=agriculture", "2 organisations"),
        ("/reseau/organisations/?q=kayes&country=SN", "0 organisation"),  # French: 0 is singular
        ("/reseau/organisations/", "4 organisations"),
    ):
        with django_assert_max_num_queries(3 + 1):
            html = client.get(url).content.decode()
        assert f'<p class="muted">{shown}</p>' in html, url


@pytest.mark.django_db
def test_a_search_orders_by_name_whatever_its_plan(net):
    """Few matches are sorted after the trigram index found them, many are walked along
    the name index: the same order either way (name, then id)."""
    for name in ("Union B de Ségou", "union a de Kayes", "Union B de Ségou", "Zèbre union"):
        approved_in_mali(net, name=name, city="Kayes")
    walked = list(selectors.organisation_list(q="union"))
    sorted_ = list(selectors.organisation_list(q="union", matches=4))
    assert [o.pk for o in walked] == [o.pk for o in sorted_]
    assert [o.name for o in walked] == sorted(o.name for o in walked)


def _map_and_filters(html: str) -> str:
    found = re.search(r'<form method="get" class="filters.*?</section>', html, re.S)
    return found.group(0)


@pytest.mark.django_db
def test_the_cached_map_and_filters_follow_the_counts_the_filters_and_the_language(client, net):
    """The map's and the filters' HTML are cached (views.organisation_list), keyed by all
    they are drawn from: a new approval, another filter or another language is drawn anew."""
    from django.core.cache import cache

    cache.clear()
    url = "/reseau/organisations/?country=ML"
    first = _map_and_filters(client.get(url).content.decode())
    assert re.search(r'data-code="ML"[^>]*aria-label="Mali : 0"', first)
    assert _map_and_filters(client.get(url).content.decode()) == first  # from the cache
    approved_in_mali(net)  # the counts change: the map is drawn anew
    html = client.get(url).content.decode()
    assert re.search(r'data-code="ML"[^>]*aria-label="Mali : 1"', html)
    assert "Union des maraîchers de Ségou" in html
    # another filter: its own map (links keep it) and its own form (the value shown)
    html = _map_and_filters(client.get(url + "&q=union").content.decode())
    assert 'value="union"' in html and "?q=union&amp;country=SN" in html
    assert 'value="union"' not in first
    # another language: the same filters and counts, drawn in English
    french = _map_and_filters(client.get("/reseau/organisations/").content.decode())
    english = _map_and_filters(client.get("/en/reseau/organisations/").content.decode())
    assert 'aria-label="Sénégal : 1"' in french and 'aria-label="Senegal : 1"' in english
    assert "Sénégal" not in english
