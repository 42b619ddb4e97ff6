"""French first, English available: default, switcher, <html lang>, and the catalogue."""

from __future__ import annotations

import gettext
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

pytestmark = pytest.mark.django_db

LOCALE = Path(settings.BASE_DIR) / "locale" / "en" / "LC_MESSAGES"
# Where the foundation's user-facing strings live: all must have an English translation.
FOUNDATION = ("templates/", "web/", "accounts/", "core/", "config/", "geo/", "registry/models.py")


def switch_to(client, code, next_url="/"):
    response = client.post(reverse("set_language"), {"language": code, "next": next_url})
    assert response.status_code == 302
    assert response["Location"] == next_url


def test_french_is_the_default(client):
    html = client.get(reverse("login")).content.decode()
    assert '<html lang="fr">' in html
    assert ">Connexion</h1>" in html
    assert settings.LANGUAGE_CODE == "fr"


def test_an_unsupported_browser_language_falls_back_to_french(client):
    html = client.get(reverse("login"), headers={"accept-language": "wo-SN,wo"}).content.decode()
    assert '<html lang="fr">' in html


def test_switching_to_english_translates_the_login_page(client):
    switch_to(client, "en", reverse("login"))
    html = client.get(reverse("login")).content.decode()
    assert '<html lang="en">' in html
    assert ">Sign in</h1>" in html
    assert "Username" in html and "Forgot your password?" in html
    assert "Connexion" not in html
    switch_to(client, "fr", reverse("login"))
    assert ">Connexion</h1>" in client.get(reverse("login")).content.decode()


def test_switching_to_english_translates_the_home_page(world, client):
    client.force_login(world.agent_tc)
    assert "Bonjour" in client.get("/").content.decode()
    switch_to(client, "en")
    html = client.get("/").content.decode()
    assert '<html lang="en">' in html
    assert "Hello" in html and "Bonjour" not in html
    assert "Field agent · Region Tambacounda" in html
    assert "By department" in html and "active members (persons)" in html
    assert "Sign out" in html


def test_switcher_works_without_javascript_and_marks_the_current_language(client):
    html = client.get(reverse("login")).content.decode()
    form = re.search(r'<form action="/i18n/setlang/" method="post".*?</form>', html, re.S).group(0)
    assert 'name="next" type="hidden" value="/comptes/connexion/"' in form
    # the other language is a real submit button; the current one is marked, not a button
    assert re.search(r'<button type="submit" name="language" value="en" lang="en"', form)
    assert 'aria-current="true"' in form and 'value="fr"' not in form
    assert "onchange" not in html and "<script>" not in html


def test_set_language_refuses_an_unknown_language(client):
    client.post(reverse("set_language"), {"language": "de", "next": "/"})
    assert '<html lang="fr">' in client.get(reverse("login")).content.decode()


# The catalogue -----------------------------------------------------------------------------


def po_entries(path: Path) -> list[dict]:
    """(context, msgid, plural, translations, locations, fuzzy) of each .po entry."""
    entries, cur, field = [], None, None
    for line in [*path.read_text(encoding="utf-8").splitlines(), ""]:
        if not line.strip():
            if cur and cur["msgid"]:
                entries.append(cur)
            cur = None
            continue
        if cur is None:
            cur = {"ctx": None, "msgid": "", "plural": None, "str": {}, "locs": [], "fuzzy": False}
        if line.startswith("#:"):
            cur["locs"] += [loc.split(":")[0].removeprefix("./") for loc in line[2:].split()]
        elif line.startswith("#,"):
            cur["fuzzy"] = cur["fuzzy"] or "fuzzy" in line
        elif line.startswith("#"):
            continue
        else:
            m = re.match(r'(msgctxt|msgid_plural|msgid|msgstr(?:\[(\d)\])?) "(.*)"$', line)
            if m:
                field = (m.group(1), m.group(2))
                text = m.group(3)
            else:
                text = line.strip()[1:-1]
            text = text.encode().decode("unicode_escape").encode("latin-1").decode("utf-8")
            name, index = field
            if name == "msgctxt":
                cur["ctx"] = (cur["ctx"] or "") + text
            elif name == "msgid":
                cur["msgid"] += text
            elif name == "msgid_plural":
                cur["plural"] = (cur["plural"] or "") + text
            else:
                key = int(index or 0)
                cur["str"][key] = cur["str"].get(key, "") + text
    return entries


def test_every_foundation_string_has_an_english_translation():
    entries = [
        e
        for e in po_entries(LOCALE / "django.po")
        if any(loc.startswith(FOUNDATION) for loc in e["locs"])
    ]
    assert len(entries) > 200
    untranslated = [e["msgid"] for e in entries if e["fuzzy"] or not all(e["str"].values())]
    assert untranslated == []


def test_compiled_catalogue_matches_the_po_file():
    with (LOCALE / "django.mo").open("rb") as fh:
        mo = gettext.GNUTranslations(fh)
    for e in po_entries(LOCALE / "django.po"):
        if e["fuzzy"] or not all(e["str"].values()):
            continue
        msgid = e["msgid"] if e["ctx"] is None else f"{e['ctx']}\x04{e['msgid']}"
        if e["plural"] is None:
            assert mo.gettext(msgid) == e["str"][0], e["msgid"]
        else:
            assert mo.ngettext(msgid, e["plural"], 1) == e["str"][0], e["msgid"]
            assert mo.ngettext(msgid, e["plural"], 2) == e["str"][1], e["msgid"]


# French plurals: 0 is singular -------------------------------------------------------------

FRENCH = Path(settings.BASE_DIR) / "locale" / "fr" / "LC_MESSAGES"
# events.views.fees_paid_count's (a name, not literals: makemessages reads the tests too)
FEES_PAID = ("%(n)s inscription", "%(n)s inscriptions")


@pytest.mark.parametrize(
    ("language", "said"),
    [
        ("fr", ["0 inscrit", "1 inscrit", "2 inscrits"]),
        ("pt", ["0 inscrit", "1 inscrit", "2 inscrits"]),  # no catalogue: the French text
        ("en", ["0 enrolled", "1 enrolled", "2 enrolled"]),
    ],
)
def test_a_count_of_zero_is_singular_in_french_only(language, said):
    """French says "0 inscrit" (plural for n > 1), English "0 registrations" (n != 1): the
    training worklist's and the payout statement's strings. Portuguese, without a
    catalogue, shows the French text with French's rule."""
    from django.template import Context, Template
    from django.utils import translation

    places = Template(
        "{% load i18n %}{% blocktranslate count n=n %}{{ n }} inscrit{% plural %}"
        "{{ n }} inscrits{% endblocktranslate %}"
    )
    with translation.override(language):
        assert [places.render(Context({"n": n})) for n in (0, 1, 2)] == said
        fees = [translation.ngettext(*FEES_PAID, n) for n in (0, 2)]
    assert (
        fees
        == {
            "fr": ["%(n)s inscription", "%(n)s inscriptions"],
            "pt": ["%(n)s inscription", "%(n)s inscriptions"],
            "en": ["%(n)s registrations", "%(n)s registrations"],
        }[language]
    )


def test_the_cooperative_search_says_0_cooperative_in_french(world, client):
    client.force_login(world.national)
    url = reverse("registry:cooperative_list") + "?q=introuvable"
    assert ">0 coopérative</p>" in client.get(url).content.decode()
    switch_to(client, "en", url)
    assert ">0 cooperatives</p>" in client.get(url).content.decode()


def test_the_french_catalogue_holds_exactly_the_plural_entries():
    """locale/fr is the sources' plural entries, each translated by itself (msgstr[0] the
    singular, msgstr[1] the plural), under French's rule: `make messages` writes it
    (`manage.py french_plurals`)."""
    header = (FRENCH / "django.po").read_text(encoding="utf-8").split("\n\n", 1)[0]
    assert '"Plural-Forms: nplurals=2; plural=(n > 1);\\n"' in header
    assert "fuzzy" not in header
    french = po_entries(FRENCH / "django.po")
    english = [e for e in po_entries(LOCALE / "django.po") if e["plural"] is not None]

    def keys(entries):
        return sorted((e["ctx"] or "", e["msgid"], e["plural"]) for e in entries)

    assert keys(french) == keys(english)
    assert len(french) > 30
    wrong = [e["msgid"] for e in french if e["str"] != {0: e["msgid"], 1: e["plural"]}]
    assert [e["msgid"] for e in french if e["fuzzy"]] == []
    assert wrong == []


def test_compiled_french_catalogue_matches_the_po_file():
    with (FRENCH / "django.mo").open("rb") as fh:
        mo = gettext.GNUTranslations(fh)
    for e in po_entries(FRENCH / "django.po"):
        msgid = e["msgid"] if e["ctx"] is None else f"{e['ctx']}\x04{e['msgid']}"
        assert [mo.ngettext(msgid, e["plural"], n) for n in (0, 1, 2)] == [
            e["msgid"],
            e["msgid"],
            e["plural"],
        ], e["msgid"]
