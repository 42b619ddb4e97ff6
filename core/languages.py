"""The site's languages (``settings.LANGUAGES``, from ``SUNUCOOP_LANGUAGES``; docs/web-ui.md,
"Languages").

The public portal's pages have one address per language: French without a prefix
(``/reseau/...``), the others behind theirs (``/en/reseau/``, ``/pt/reseau/``,
``/ar/reseau/``: ``i18n_patterns`` in ``config/urls.py``), announced to search engines by
hreflang alternates and the sitemap. The programme's pages keep one address and the
language the visitor chose (the switcher's cookie). A language whose catalogue is missing
from ``locale/`` shows the French source text (Django falls back to ``LANGUAGE_CODE``)."""

from __future__ import annotations

from functools import lru_cache

from django.conf import settings
from django.middleware.locale import LocaleMiddleware as DjangoLocaleMiddleware
from django.urls import LocalePrefixPattern, Resolver404, URLResolver, get_resolver
from django.utils import translation


class LocaleMiddleware(DjangoLocaleMiddleware):
    """Django's, except that a page outside the language-prefixed patterns keeps the
    visitor's language: Django alone would show every unprefixed address in French once
    ``i18n_patterns(prefix_default_language=False)`` is used."""

    def process_request(self, request):
        super().process_request(request)
        if translation.get_language_from_path(request.path_info):
            return
        urlconf = getattr(request, "urlconf", settings.ROOT_URLCONF)
        if in_prefixed_patterns(request.path_info, urlconf):
            return
        translation.activate(translation.get_language_from_request(request))
        request.LANGUAGE_CODE = translation.get_language()


@lru_cache(maxsize=4)
def _prefixed_resolvers(urlconf) -> tuple[URLResolver, ...]:
    return tuple(
        p
        for p in get_resolver(urlconf).url_patterns
        if isinstance(p, URLResolver) and isinstance(p.pattern, LocalePrefixPattern)
    )


def in_prefixed_patterns(path: str, urlconf=None) -> bool:
    """Whether ``path`` (without a language prefix) is one of the portal's pages."""
    relative = path.removeprefix("/")  # what the root resolver hands to its patterns
    with translation.override(settings.LANGUAGE_CODE):
        for resolver in _prefixed_resolvers(urlconf or settings.ROOT_URLCONF):
            try:
                resolver.resolve(relative)
            except Resolver404:
                continue
            return True
    return False


def alternates(path: str) -> list[tuple[str, str]]:
    """``(language, path)`` of a portal page in each of the site's languages, French
    (the ``x-default``) first: the path without its language prefix, then behind each
    other language's (what ``i18n_patterns`` answers)."""
    current = translation.get_language_from_path(path)
    base = path[len(current) + 1 :] if current else path
    return [
        (code, base if code == settings.LANGUAGE_CODE else f"/{code}{base}")
        for code, _name in settings.LANGUAGES
    ]
