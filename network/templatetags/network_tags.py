from django import template

from network.countries import country_name
from network.rich_text import render_markdown
from network.slots import render_slot

register = template.Library()


@register.filter
def country(code: str) -> str:
    """``SN`` -> ``Sénégal`` (ISO 3166 names in the page's language)."""
    return country_name(code)


@register.filter
def markdown(text: str):
    """A user's Markdown as safe HTML (raw HTML escaped; see network.rich_text)."""
    return render_markdown(text)


@register.simple_tag(takes_context=True)
def portal_slot(context, placement: str, country: str = "", sector: str = ""):
    """What the apps above fill in this place of the page (network.slots)."""
    return render_slot(
        request=context.get("request"), placement=placement, country=country, sector=sector
    )
