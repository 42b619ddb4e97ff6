"""Africa's countries: the African Union's 55 member states (ISO 3166-1 alpha-2); their
names come from ISO 3166 through pycountry, translated by its own catalogues."""

from __future__ import annotations

import gettext
from functools import lru_cache

import pycountry
from django.utils.translation import get_language

from geo.boundaries import AFRICA_CODES

AFRICA = AFRICA_CODES  # defined once, in geo (the maps draw the same 55)


@lru_cache(maxsize=8)
def _translator(language: str):
    try:
        return gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=[language])
    except OSError:
        return None


def country_name(code: str, language: str | None = None) -> str:
    country = pycountry.countries.get(alpha_2=(code or "").upper())
    if country is None:
        return code or ""
    name = getattr(country, "common_name", None) or country.name
    translator = _translator((language or get_language() or "fr")[:2])
    return translator.gettext(name) if translator else name


def country_choices(language: str | None = None) -> list[tuple[str, str]]:
    return sorted(((c, country_name(c, language)) for c in AFRICA), key=lambda x: x[1])


def is_african(code: str) -> bool:
    return (code or "").upper() in AFRICA
