"""Places of the portal's pages that an app above the network fills (an upward hook,
docs/architecture.md): the sponsored announcements (sponsoring) register a renderer in
their ``AppConfig.ready``; a page asks for its placement with
``{% portal_slot "directory" country=... sector=... %}`` (network_tags) and shows what
the renderers return. The network imports none of them."""

from __future__ import annotations

from django.utils.html import format_html_join
from django.utils.safestring import SafeString

_renderers: list = []


def register_slot_renderer(renderer) -> None:
    """``renderer(*, request, placement, country, sector) -> SafeString`` (escaped HTML)."""
    if renderer not in _renderers:
        _renderers.append(renderer)


def render_slot(*, request, placement: str, country: str = "", sector: str = "") -> SafeString:
    parts = [
        r(request=request, placement=placement, country=country or "", sector=sector or "")
        for r in _renderers
    ]
    return format_html_join("", "{}", ((p,) for p in parts if p))
