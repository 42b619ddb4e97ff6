"""The portal's languages (issue 20 point 1): one address per language (French without a
prefix, /en/, /pt/, /ar/), hreflang alternates on every public page and in the sitemap,
Arabic right-to-left, the French text where a catalogue is missing, the list a setting;
the programme's pages keep the language the visitor chose."""

import re

import pytest

pytestmark = pytest.mark.django_db

LANGS = ["fr", "en", "pt", "ar"]


def html_tag(html: str) -> str:
    return re.search(r"<html[^>]*>", html).group(0)


def hreflangs(html: str) -> dict[str, str]:
    return dict(re.findall(r'<link rel="alternate" hreflang="([\w-]+)" href="([^"]+)">', html))


def test_a_french_page_announces_its_addresses_in_every_language(client, settings):
    assert [code for code, _ in settings.LANGUAGES] == LANGS  # the default list
    html = client.get("/reseau/organisations/?q=thies").content.decode()
    assert html_tag(html) == '<html lang="fr">'
    assert hreflangs(html) == {
        "fr": "http://testserver/reseau/organisations/",
        "x-default": "http://testserver/reseau/organisations/",
        "en": "http://testserver/en/reseau/organisations/",
        "pt": "http://testserver/pt/reseau/organisations/",
        "ar": "http://testserver/ar/reseau/organisations/",
    }


def test_the_english_address_is_english_whatever_the_cookie(client):
    client.cookies["django_language"] = "fr"
    html = client.get("/en/reseau/organisations/").content.decode()
    assert html_tag(html) == '<html lang="en">'
    assert "Directory of organisations" in html and "Annuaire des organisations" not in html
    assert '<link rel="canonical" href="http://testserver/en/reseau/organisations/">' in html
    assert hreflangs(html)["fr"] == "http://testserver/reseau/organisations/"
    # its links stay in English
    assert 'href="/en/reseau/projets/"' in html


def test_arabic_is_right_to_left_and_falls_back_to_french(client):
    html = client.get("/ar/reseau/organisations/").content.decode()
    assert html_tag(html) == '<html lang="ar" dir="rtl">'
    assert "Annuaire des organisations" in html  # no Arabic catalogue yet: the French text
    html = client.get("/pt/reseau/organisations/").content.decode()
    assert html_tag(html) == '<html lang="pt">'
    assert "Annuaire des organisations" in html


def test_the_address_decides_on_the_portal_the_cookie_in_the_programme(client):
    client.cookies["django_language"] = "en"
    assert html_tag(client.get("/reseau/").content.decode()) == '<html lang="fr">'
    login = client.get("/comptes/connexion/").content.decode()
    assert html_tag(login) == '<html lang="en">' and ">Sign in</h1>" in login
    assert client.get("/en/comptes/connexion/").status_code == 404  # the programme: one address


def test_the_switcher_moves_to_the_same_page_in_the_other_language(client):
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/reseau/projets/"})
    assert response["Location"] == "/en/reseau/projets/"
    response = client.post("/i18n/setlang/", {"language": "fr", "next": "/en/reseau/projets/"})
    assert response["Location"] == "/reseau/projets/"


def test_the_sitemap_lists_the_alternates(client, net):
    xml = client.get("/sitemap.xml").content.decode()
    assert 'xmlns:xhtml="http://www.w3.org/1999/xhtml"' in xml
    entry = re.search(rf"<url><loc>[^<]*/reseau/organisations/{net.org.slug}/</loc>.*?</url>", xml)
    links = dict(re.findall(r'hreflang="([\w-]+)" href="([^"]+)"', entry.group(0)))
    assert links["ar"] == f"http://testserver/ar/reseau/organisations/{net.org.slug}/"
    assert set(links) == {*LANGS, "x-default"}


def test_the_language_list_is_a_setting(client, settings):
    settings.LANGUAGES = [("fr", "Français"), ("en", "English")]
    html = client.get("/reseau/").content.decode()
    assert set(hreflangs(html)) == {"fr", "en", "x-default"}
    assert client.get("/pt/reseau/").status_code == 404
    assert 'value="pt"' not in html  # the switcher offers the setting's languages only
