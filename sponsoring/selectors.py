"""Every read of sponsored announcements. The live ones of a page are public (one query
for a page's slots); a booking and its figures are read by its organisation's accounts
and the moderators of its country (administrators: all)."""

from __future__ import annotations

import datetime
import itertools
from collections import defaultdict

from django.conf import settings
from django.db.models import BooleanField, ExpressionWrapper, Q, QuerySet
from django.utils.translation import gettext as _

from core.errors import Forbidden, NotFound
from network.rules import network_scope
from sponsoring import rules
from sponsoring.models import Booking, DailyCount, Placement, Slot, Status

# A round-robin position per placement (this process): the live announcements of a
# placement take turns, each shown as often as the others.
_turns: dict[str, itertools.count] = defaultdict(itertools.count)

LIVE_FIELDS = ("booking_id", "booking__format", "booking__title", "booking__text",
               "booking__link", "booking__image_type", "booking__sectors")  # fmt: skip


def live_q(on: datetime.date) -> Q:
    return Q(status=Status.APPROVED, starts_on__lte=on, ends_on__gte=on)


def live_candidates(*, placement: str, country: str, sector: str, on: datetime.date) -> list:
    """Every announcement live today on this placement for this country (its own or the
    whole network's), in the order of their ids: one query."""
    countries = [""] + ([country.upper()] if country else [])
    rows = (
        Slot.objects.filter(
            placement=placement,
            country__in=countries,
            booking__status=Status.APPROVED,
            booking__starts_on__lte=on,
            booking__ends_on__gte=on,
        )
        .order_by("booking_id")
        .values(*LIVE_FIELDS)
    )
    seen, live = set(), []
    for row in rows:
        sectors = row["booking__sectors"]
        if row["booking_id"] in seen or (sector and sectors and sector not in sectors.split(",")):
            continue
        seen.add(row["booking_id"])
        live.append({k.removeprefix("booking__"): v for k, v in row.items()})
    return live


def rotate(candidates: list, *, placement: str, most: int | None = None) -> list:
    """At most SPONSORING_MAX_PER_PLACEMENT of them, taking turns: over n pages of a
    placement with n live announcements, each is shown the same number of times."""
    most = settings.SPONSORING_MAX_PER_PLACEMENT if most is None else most
    if len(candidates) <= most:
        return candidates
    start = next(_turns[placement]) % len(candidates)
    return [candidates[(start + i) % len(candidates)] for i in range(most)]


def placement_live(*, placement: str, country: str = "", sector: str = "", on) -> list:
    """Every announcement live on ``on`` on a placement (public; an unknown placement is
    not found), for a partner's page or app: all of them, in the order of their ids, not
    rotated and not counted (an impression is counted by the portal's pages only)."""
    if placement not in Placement.values:
        raise NotFound(_("Emplacement introuvable."))
    return live_candidates(placement=placement, country=country, sector=sector, on=on)


def page_slots(*, placement: str, country: str = "", sector: str = "", on) -> list:
    return rotate(
        live_candidates(placement=placement, country=country, sector=sector, on=on),
        placement=placement,
    )


def booking_live_get(*, pk: int, on: datetime.date) -> Booking:
    """A live booking (the click redirect): anything else is 404."""
    booking = Booking.objects.filter(live_q(on), pk=pk).only("id", "link").first()
    if booking is None:
        raise NotFound(_("Annonce introuvable."))
    return booking


def booking_list(*, actor) -> QuerySet[Booking]:
    scope = network_scope(actor)
    qs = Booking.objects.defer("image").select_related("advertiser")
    if scope.admin:
        return qs
    return qs.filter(
        Q(advertiser_id__in=scope.organisation_ids) | Q(advertiser__country__in=scope.countries)
    )


def booking_get(*, actor, pk: int) -> Booking:
    booking = booking_list(actor=actor).filter(pk=pk).first()
    if booking is None:
        raise NotFound(_("Annonce introuvable."))
    return booking


def moderation_queue(*, actor) -> QuerySet[Booking]:
    """The paid bookings waiting for a moderator of the advertiser's country (the
    network's moderators and administrators only: anyone else is refused)."""
    if not rules.is_network_staff(actor):
        raise Forbidden(_("Réservé aux modérateurs du réseau."))
    scope = network_scope(actor)
    qs = booking_list(actor=actor).filter(status=Status.PENDING)
    return qs if scope.admin else qs.filter(advertiser__country__in=scope.countries)


def booking_slots(*, booking: Booking) -> dict[str, list[str]]:
    """``{placement's label: [countries]}`` ("" = the whole network)."""
    chosen: dict[str, list[str]] = defaultdict(list)
    for placement, country in booking.slots.order_by("placement", "country").values_list(
        "placement", "country"
    ):
        chosen[Placement(placement).label].append(country)
    return dict(chosen)


def booking_figures(*, booking: Booking) -> list[dict]:
    """Impressions, clicks and click rate (percent, one decimal) per day, and the total."""
    rows = list(DailyCount.objects.filter(booking=booking).order_by("day"))
    days = [
        {"day": r.day, "impressions": r.impressions, "clicks": r.clicks,
         "rate": click_rate(r.clicks, r.impressions)}
        for r in rows
    ]  # fmt: skip
    return days


def click_rate(clicks: int, impressions: int) -> str:
    if not impressions:
        return "—"
    return f"{clicks * 100 / impressions:.1f} %".replace(".", ",")


def booking_image(*, actor, pk: int, on: datetime.date) -> Booking:
    """The image of a live announcement (public), or of a booking the actor may see: one
    query; ``booking.is_live`` says whether it is public today."""
    booking = (
        Booking.objects.filter(pk=pk)
        .exclude(image=None)
        .select_related("advertiser")
        .annotate(is_live=ExpressionWrapper(live_q(on), output_field=BooleanField()))
        .first()
    )
    if booking is None or not (booking.is_live or rules.can_see_booking(actor, booking)):
        raise NotFound(_("Image introuvable."))
    return booking
