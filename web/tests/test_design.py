"""Design rules that can be checked without a browser: contrast, no external asset,
skip link first, one h1 per page."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

CSS = (Path(settings.BASE_DIR) / "static" / "css" / "sunucoop.css").read_text()
EXTERNAL = re.compile(r"""(?:src|href|action)\s*=\s*["']?\s*(?:https?:)?//""", re.I)


def luminance(hex_colour: str) -> float:
    h = hex_colour.lstrip("#")
    if len(h) == 3:
        h = "".join(c * 2 for c in h)
    channels = [int(h[i : i + 2], 16) / 255 for i in (0, 2, 4)]
    lin = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]


def contrast(a: str, b: str) -> float:
    la, lb = sorted((luminance(a), luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def var(name: str) -> str:
    return re.search(rf"--{name}:\s*(#[0-9a-fA-F]{{6}}|#[0-9a-fA-F]{{3}})\b", CSS).group(1)


@pytest.mark.parametrize(
    ("fg", "bg"),
    [
        ("ink", "bg"),
        ("ink", "card"),
        ("muted", "bg"),
        ("muted", "card"),
        ("green", "card"),  # links and outline buttons
        ("green-dark", "card"),
        ("red", "card"),
    ],
)
def test_text_colours_meet_wcag_aa(fg, bg):
    assert contrast(var(fg), var(bg)) >= 4.5


def test_white_text_on_the_top_bar_meets_wcag_aa():
    assert contrast("#ffffff", var("green")) >= 4.5
    assert contrast("#ffffff", var("green-dark")) >= 4.5
    assert contrast(var("gold"), var("green")) >= 3  # focus ring on the bar (non-text)


def test_focus_is_always_visible():
    assert re.search(r":focus-visible\s*\{[^}]*outline:\s*3px solid", CSS)
    assert "outline: none" not in CSS.replace("main:focus { outline: none; }", "")


def test_stylesheet_loads_nothing_from_outside():
    assert not re.search(r"url\(\s*['\"]?(?:https?:)?//", CSS)
    assert "@import" not in CSS


@pytest.mark.django_db
@pytest.mark.parametrize("who", [None, "national", "officer"])
def test_rendered_layout_has_no_external_asset_and_a_sound_outline(world, client, who):
    if who:
        client.force_login(getattr(world, who))
        url = "/"
    else:
        url = reverse("login")
    html = client.get(url).content.decode()
    assert not EXTERNAL.search(html)
    assert "http://" not in html and "https://" not in html
    body = html.split("<body", 1)[1]
    first_link = re.search(r"<a [^>]*>", body).group(0)
    assert 'class="skip"' in first_link and 'href="#main"' in first_link
    assert '<main id="main"' in html
    assert len(re.findall(r"<h1[ >]", html)) == 1
    assert '<meta name="viewport" content="width=device-width, initial-scale=1">' in html
