"""Sponsored announcements' API (docs/sponsoring.md, docs/api.md):
``/network/sponsoring/...``. Thin: parse, call the selectors and services the pages call,
shape. The tariffs and the live announcements of a placement are public; a booking and
its figures are its organisation's accounts' and its country's moderators'."""

import datetime

from django.urls import reverse
from ninja import Field, Router, Schema
from ninja.pagination import LimitOffsetPagination, paginate
from pydantic import conint, constr

from core import dates
from core.dates import PlannedDate
from network.api import PUBLIC, LazyMap, PaymentOut
from network.selectors import campaign_get, organisation_get, project_get
from sponsoring import selectors, services
from sponsoring.models import Booking, Format, Placement
from sponsoring.pricing import day_prices

router = Router(tags=["sponsoring"])
Id = conint(ge=1, le=2_147_483_647)
Code = constr(max_length=20)


class TariffOut(Schema):
    placement: str
    label: str
    price_per_day: int
    price_per_day_all: int


@router.get("/network/sponsoring/tariffs", response=list[TariffOut], auth=PUBLIC)
def tariff_list(request):
    """Public: the day's price of each placement, per country chosen and for the whole
    network (the administrators' table, else the setting SPONSORING_PRICES)."""
    prices = day_prices()
    return [
        {"placement": code, "label": str(label), "price_per_day": prices[code][0],
         "price_per_day_all": prices[code][1]}
        for code, label in Placement.choices
    ]  # fmt: skip


class BookingIn(Schema):
    advertiser: Id
    format: str = Field(max_length=12, description=" | ".join(Format.values))
    placements: list[Code] = Field(max_length=len(Placement.values))
    countries: list[Code] = Field(max_length=55, description='ISO codes, or ["all"]')
    starts_on: PlannedDate
    ends_on: PlannedDate
    title: str = Field("", max_length=80)
    text: str = Field("", max_length=300)
    link: str = Field("", max_length=300)
    project: Id | None = None  # a listing of one of the advertiser's projects
    campaign: Id | None = None  # ... or campaigns
    sectors: list[Code] = Field([], max_length=5)


class BookingOut(Schema):
    id: int
    advertiser: int
    advertiser_name: str
    format: str
    title: str
    text: str
    link: str
    project: int | None
    campaign: int | None
    sectors: list[str]
    slots: list[dict]
    starts_on: datetime.date
    ends_on: datetime.date
    price: int
    due: int
    status: str
    moderation_reason: str
    created_at: datetime.datetime


def _booking_out(booking: Booking) -> dict:
    return {
        "id": booking.pk,
        "advertiser": booking.advertiser_id,
        "advertiser_name": booking.advertiser.name,
        "format": booking.format,
        "title": booking.title,
        "text": booking.text,
        "link": booking.link,
        "project": booking.project_id,
        "campaign": booking.campaign_id,
        "sectors": [s for s in booking.sectors.split(",") if s],
        "slots": [
            {"placement": p, "country": c}
            for p, c in sorted((slot.placement, slot.country) for slot in booking.slots.all())
        ],
        "starts_on": booking.starts_on,
        "ends_on": booking.ends_on,
        "price": booking.price,
        "due": services.amount_due(booking),
        "status": booking.status,
        "moderation_reason": booking.moderation_reason,
        "created_at": booking.created_at,
    }


@router.get("/network/sponsoring/bookings", response=list[BookingOut])
@paginate(LimitOffsetPagination)
def booking_list(request):
    """The bookings of the caller's organisations, and of its countries for a moderator
    (administrators: all)."""
    qs = selectors.booking_list(actor=request.auth).prefetch_related("slots")
    return LazyMap(qs, _booking_out)


@router.post("/network/sponsoring/bookings", response={201: BookingOut})
def booking_create(request, payload: BookingIn):
    """An approved organisation's account books a listing or an announcement (no image
    through the API: the page takes one), priced now from the tariffs; it shows once paid
    and approved."""
    data = payload.dict()
    data["advertiser"] = organisation_get(actor=request.auth, pk=data["advertiser"])
    if data["project"] is not None:
        data["project"] = project_get(actor=request.auth, pk=data["project"])
    if data["campaign"] is not None:
        data["campaign"] = campaign_get(actor=request.auth, pk=data["campaign"])
    booking = services.booking_create(actor=request.auth, **data)
    return 201, _booking_out(booking)


@router.get("/network/sponsoring/bookings/{int:booking_id}", response=BookingOut)
def booking_get(request, booking_id: Id):
    return _booking_out(selectors.booking_get(actor=request.auth, pk=booking_id))


class PayIn(Schema):
    phone: str = Field(max_length=40)
    provider: str = Field(max_length=16)


@router.post("/network/sponsoring/bookings/{int:booking_id}/payments", response={201: PaymentOut})
def booking_pay(request, booking_id: Id, payload: PayIn):
    """The advertiser's account pays the whole price by phone (purpose ``sponsoring``):
    answers the payment (pending; pay at ``checkout_url``); 409 ``not_payable`` when
    nothing is due; a moderator (not the advertiser) 404."""
    booking = selectors.booking_get(actor=request.auth, pk=booking_id)
    intent = services.booking_payment_start(actor=request.auth, booking=booking, **payload.dict())
    return 201, intent


@router.get("/network/sponsoring/moderation", response=list[BookingOut])
@paginate(LimitOffsetPagination)
def moderation_queue(request):
    """Paid bookings waiting for a moderator of the advertiser's country (others 403)."""
    qs = selectors.moderation_queue(actor=request.auth).prefetch_related("slots")
    return LazyMap(qs, _booking_out)


class ModerationIn(Schema):
    decision: str = Field(max_length=10, description="approve | refuse")
    reason: str = Field("", max_length=500)


@router.post("/network/sponsoring/bookings/{int:booking_id}/moderation", response=BookingOut)
def booking_moderate(request, booking_id: Id, payload: ModerationIn):
    """A moderator of the advertiser's country approves a paid booking or refuses it with
    a reason (refunded to the payer's phone): 409 ``already_decided``; the advertiser
    403."""
    booking = selectors.booking_get(actor=request.auth, pk=booking_id)
    booking = services.booking_moderate(actor=request.auth, booking=booking, **payload.dict())
    return _booking_out(booking)


class DayOut(Schema):
    day: datetime.date
    impressions: int
    clicks: int


@router.get("/network/sponsoring/bookings/{int:booking_id}/statistics", response=list[DayOut])
def booking_statistics(request, booking_id: Id):
    """Impressions and clicks per day (aggregates: no person is ever counted), for whoever
    sees the booking (its organisation's accounts, its country's moderators)."""
    booking = selectors.booking_get(actor=request.auth, pk=booking_id)
    return [
        {"day": d["day"], "impressions": d["impressions"], "clicks": d["clicks"]}
        for d in selectors.booking_figures(booking=booking)
    ]


class SlotOut(Schema):
    booking: int
    format: str
    title: str
    text: str
    link: str
    click_url: str
    image_url: str | None


@router.get("/network/sponsoring/placements/{placement}/slots", response=list[SlotOut], auth=PUBLIC)
def placement_slots(request, placement: Code, country: Code = "", sector: Code = ""):
    """Public: every announcement live today on a placement (``directory``, ``projects``,
    ``campaigns``, ``home``) for a country (its own and the whole network's); an unknown
    placement 404. Not counted as impressions; ``click_url`` counts the click and leads
    to the booked link."""
    live = selectors.placement_live(
        placement=placement, country=country, sector=sector, on=dates.today()
    )
    return [
        {
            "booking": item["booking_id"],
            "format": item["format"],
            "title": item["title"],
            "text": item["text"],
            "link": item["link"],
            "click_url": reverse("sponsoring:click", args=[item["booking_id"]]),
            "image_url": reverse("sponsoring:image", args=[item["booking_id"]])
            if item["image_type"]
            else None,
        }
        for item in live
    ]
