"""``{% language_alternates as alternates %}``: the portal page's address in each of the
site's languages, absolute, for its hreflang links (core/languages.py)."""

from django import template

from core.languages import alternates

register = template.Library()


@register.simple_tag(takes_context=True)
def language_alternates(context) -> list[tuple[str, str]]:
    request = context["request"]
    origin = f"{request.scheme}://{request.get_host()}"
    return [(code, origin + path) for code, path in alternates(request.path)]
