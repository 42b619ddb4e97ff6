"""The live announcements of a placement of the portal's pages (registered with
network.slots): one query for the page's slots, the impressions counted (not for robots:
sponsoring.counting), taking turns when more are live than the placement holds."""

from __future__ import annotations

from django.template.loader import render_to_string

from core import dates
from network.rich_text import render_markdown
from sponsoring import counting, selectors, services


def render_slot(*, request, placement: str, country: str = "", sector: str = "") -> str:
    today = dates.today()
    shown = selectors.page_slots(placement=placement, country=country, sector=sector, on=today)
    if not shown:
        return ""
    if counting.is_counted(request):
        services.impressions_record(booking_ids=[b["booking_id"] for b in shown], day=today)
    for item in shown:
        item["html"] = render_markdown(item["text"]) if item["text"] else ""
    return render_to_string(
        "sponsoring/_slot.html", {"shown": shown, "placement": placement}, request=request
    )
