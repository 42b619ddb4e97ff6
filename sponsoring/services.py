"""Every write of sponsored announcements (docs/sponsoring.md): booking (priced), paying by
phone (payments purpose ``sponsoring``), the moderators' decision (a refusal refunds),
the tariffs, and the counters of impressions and clicks."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from core import dates, files
from core.errors import Conflict, Forbidden, NotFound, ValidationFailed
from core.services import service
from network.countries import is_african
from network.models import Campaign, Organisation, OrgStatus, Project, Sector
from network.rules import network_scope
from sponsoring import books, counting, rules
from sponsoring.errors import Code
from sponsoring.links import clean_link
from sponsoring.models import Booking, Format, Placement, Slot, Status, Tariff
from sponsoring.pricing import booking_price

WHOLE_NETWORK = "all"  # the countries' choice meaning every country


def _required(value, field: str) -> str:
    value = str(value or "").strip()
    if not value:
        raise ValidationFailed(_("Ce champ est obligatoire."), code=Code.REQUIRED, field=field)
    return value


def check_period(starts_on, ends_on, *, today: datetime.date) -> None:
    """From today at the earliest, the end on or after the start, at most
    SPONSORING_MAX_DAYS days, starting within a year."""
    if not isinstance(starts_on, datetime.date) or starts_on < today:
        raise ValidationFailed(
            _("La période ne peut pas commencer dans le passé."),
            code=Code.INVALID_PERIOD, field="starts_on",
        )  # fmt: skip
    if starts_on > today + datetime.timedelta(days=365):
        raise ValidationFailed(
            _("La période commence au plus tard dans un an."),
            code=Code.INVALID_PERIOD, field="starts_on",
        )  # fmt: skip
    most = settings.SPONSORING_MAX_DAYS
    if not isinstance(ends_on, datetime.date) or ends_on < starts_on:
        raise ValidationFailed(
            _("La fin doit suivre le début."), code=Code.INVALID_PERIOD, field="ends_on"
        )
    if (ends_on - starts_on).days + 1 > most:
        raise ValidationFailed(
            _("Au plus %(n)s jours.") % {"n": most}, code=Code.INVALID_PERIOD, field="ends_on"
        )


def clean_placements(placements) -> list[str]:
    chosen = sorted({str(p) for p in placements or ()})
    if not chosen or any(p not in Placement.values for p in chosen):
        raise ValidationFailed(
            _("Choisissez un ou plusieurs emplacements de la liste."),
            code=Code.INVALID_PLACEMENT, field="placements",
        )  # fmt: skip
    return chosen


def clean_countries(countries) -> list[str]:
    """ISO codes of African countries, or ``[""]`` for the whole network."""
    chosen = sorted({str(c).upper() for c in countries or ()})
    if chosen == [WHOLE_NETWORK.upper()]:
        return [""]
    if not chosen or len(chosen) > 55 or not all(is_african(c) for c in chosen):
        raise ValidationFailed(
            _("Choisissez des pays d'Afrique, ou toute l'Afrique seule."),
            code=Code.INVALID_CHOICE, field="countries",
        )  # fmt: skip
    return chosen


def clean_sectors(sectors) -> str:
    chosen = sorted({str(s) for s in sectors or ()})
    if len(chosen) > 5 or any(s not in Sector.values for s in chosen):
        raise ValidationFailed(
            _("Au plus 5 secteurs de la liste."), code=Code.INVALID_CHOICE, field="sectors"
        )
    return ",".join(chosen)


def _own_approved(actor, organisation: Organisation) -> Organisation:
    if organisation is None or organisation.pk not in network_scope(actor).organisation_ids:
        raise Forbidden(_("Seuls les comptes de l'organisation réservent en son nom."))
    organisation = Organisation.objects.get(pk=organisation.pk)
    if organisation.status != OrgStatus.APPROVED:
        raise Conflict(_("L'organisation n'est pas encore publiée."), code=Code.NOT_APPROVED)
    return organisation


def _listed(advertiser, project, campaign) -> tuple[str, str]:
    """A listing's title and link: its organisation, one of its projects or campaigns."""
    with translation.override(settings.LANGUAGE_CODE):
        if campaign is not None:
            campaign = Campaign.objects.select_related("project").get(pk=campaign.pk)
            if campaign.project.organisation_id != advertiser.pk:
                raise ValidationFailed(_("Une campagne de l'organisation."), code=Code.INVALID,
                                       field="campaign")  # fmt: skip
            title = _("Campagne : %(t)s") % {"t": campaign.project.title}
            return title[:80], reverse("network:campaign_detail", args=[campaign.pk])
        if project is not None:
            if Project.objects.get(pk=project.pk).organisation_id != advertiser.pk:
                raise ValidationFailed(_("Un projet de l'organisation."), code=Code.INVALID,
                                       field="project")  # fmt: skip
            return project.title[:80], reverse("network:project_detail", args=[project.slug])
        return advertiser.name[:80], reverse("network:organisation_detail", args=[advertiser.slug])


def _image(image) -> tuple[str, bytes | None]:
    if image is None:
        return "", None
    clean = files.clean_upload(
        image, kinds=files.IMAGES, max_bytes=settings.SPONSORING_IMAGE_MAX_BYTES, field="image"
    )
    return clean.content_type, clean.data


@service(texts=(Booking,))
def booking_create(
    *,
    actor,
    advertiser: Organisation,
    format: str,
    placements,
    countries,
    starts_on: datetime.date,
    ends_on: datetime.date,
    title: str = "",
    text: str = "",
    link: str = "",
    project: Project | None = None,
    campaign: Campaign | None = None,
    sectors=(),
    image=None,
    today: datetime.date | None = None,
) -> Booking:
    """An approved organisation's account books a listing or an announcement; it is
    priced now and shows only once paid and approved by a moderator."""
    advertiser = _own_approved(actor, advertiser)
    if format not in Format.values:
        raise ValidationFailed(_("Valeur inconnue."), code=Code.INVALID_CHOICE, field="format")
    placements, countries = clean_placements(placements), clean_countries(countries)
    check_period(starts_on, ends_on, today=today or dates.today())
    if format == Format.LISTING:
        title, link = _listed(advertiser, project, campaign)
        image_type, image_data = "", None
    else:
        title, link = _required(title, "title"), clean_link(link)
        _required(text, "text")
        project = campaign = None
        image_type, image_data = _image(image)
    booking = Booking.objects.create(
        advertiser=advertiser, format=format, title=title, text=str(text or "").strip(),
        link=link, project=project, campaign=campaign, sectors=clean_sectors(sectors),
        starts_on=starts_on, ends_on=ends_on, image_type=image_type, image=image_data,
        price=booking_price(placements=placements, countries=countries, starts_on=starts_on,
                            ends_on=ends_on),
        created_by=actor,
    )  # fmt: skip
    Slot.objects.bulk_create(
        [Slot(booking=booking, placement=p, country=c) for p in placements for c in countries]
    )
    if booking.price == 0:  # a free tariff: straight to moderation
        booking.status = Status.PENDING
        booking.save(update_fields=["status"])
    return booking


def amount_due(booking: Booking, *, today: datetime.date | None = None) -> int:
    """What may be paid now: the whole price of an unpaid booking not yet over."""
    if booking.status != Status.AWAITING_PAYMENT or booking.ends_on < (today or dates.today()):
        return 0
    return booking.price


@service(atomic=False)
def booking_payment_start(*, actor, booking: Booking, phone: str, provider: str):
    """The advertiser's account pays the booking by phone (payments purpose
    ``sponsoring``); it goes to moderation once the provider confirms."""
    from payments.services import payment_start

    if not rules.is_advertiser(actor, booking):
        raise NotFound(_("Annonce introuvable."))
    if amount_due(booking) == 0:
        raise Conflict(_("Rien à payer pour cette annonce."), code=Code.NOT_PAYABLE)
    return payment_start(
        purpose="sponsoring", target_id=booking.pk, amount=booking.price, phone=phone,
        provider=provider, actor=actor,
    )  # fmt: skip


@service
def booking_paid(*, intent) -> str:
    """Called once by payments when the booking's payment succeeded: the booking waits
    for a moderator; the money is held (4194) until the decision."""
    booking = Booking.objects.select_for_update().get(pk=intent.target_id)
    if booking.status != Status.AWAITING_PAYMENT:
        raise Conflict(_("Cette annonce est déjà payée."), code=Code.NOT_PAYABLE)
    if intent.amount != booking.price:
        raise Conflict(_("Montant différent du prix."), code=Code.AMOUNT_MISMATCH)
    booking.status, booking.intent, booking.paid_at = Status.PENDING, intent, timezone.now()
    booking.save(update_fields=["status", "intent", "paid_at"])
    books.booking_paid(booking)
    return f"sponsoring:{booking.pk}"


@service(texts=((Booking, {"reason": "moderation_reason"}),))
def booking_moderate(*, actor, booking: Booking, decision: str, reason: str = "") -> Booking:
    """A moderator of the advertiser's country approves a paid booking (it shows in its
    period) or refuses it with a reason (the payment is refunded to the payer's phone)."""
    booking = Booking.objects.select_for_update().select_related("advertiser").get(pk=booking.pk)
    if not rules.can_see_booking(actor, booking):
        raise NotFound(_("Annonce introuvable."))
    if not rules.can_moderate_booking(actor, booking):
        raise Forbidden(_("Seuls les modérateurs du pays de l'annonceur décident."))
    if decision not in ("approve", "refuse"):
        raise ValidationFailed(_("Valeur inconnue."), code=Code.INVALID_CHOICE, field="decision")
    if booking.status != Status.PENDING:
        raise Conflict(
            _("Seule une annonce payée en attente est modérée."), code=Code.ALREADY_DECIDED
        )
    reason = str(reason or "").strip()
    if decision == "refuse" and not reason:
        raise ValidationFailed(_("Donnez le motif du refus."), code=Code.REQUIRED, field="reason")
    booking.moderated_by, booking.moderated_at = actor, timezone.now()
    booking.moderation_reason = reason
    if decision == "approve":
        booking.status = Status.APPROVED
        booking.save()
        books.booking_approved(booking)
        return booking
    booking.status = Status.REFUSED
    booking.refund = _refund(booking, actor) if booking.intent_id else None
    booking.save()
    if booking.intent_id:
        books.booking_refunded(booking)
    return booking


def _refund(booking: Booking, actor):
    from django.db import transaction

    from payments.models import PayoutStatus
    from payments.services import payout_request, payout_send

    intent = booking.intent
    payout = payout_request(
        kind="refund", provider=intent.provider, amount=booking.price, phone=intent.phone,
        name=booking.advertiser.name[:100], actor=actor, intent=intent,
        reason=_("Annonce %(id)s refusée") % {"id": booking.pk},
    )  # fmt: skip
    if payout.status == PayoutStatus.APPROVED:
        transaction.on_commit(lambda: payout_send(payout=payout, actor=actor))
    return payout


@service(amounts=("price_per_day", "price_per_day_all"))
def tariff_set(*, actor, placement: str, price_per_day: int, price_per_day_all: int) -> Tariff:
    """The network's administrators set the day's price of a placement (bookings already
    made keep their price)."""
    if not rules.can_edit_tariffs(actor):
        raise Forbidden(_("Seuls les administrateurs du réseau fixent les tarifs."))
    if placement not in Placement.values:
        raise ValidationFailed(
            _("Emplacement inconnu."), code=Code.INVALID_PLACEMENT, field="placement"
        )
    tariff, _created = Tariff.objects.update_or_create(
        placement=placement,
        defaults={"price_per_day": price_per_day, "price_per_day_all": price_per_day_all,
                  "updated_by": actor},
    )  # fmt: skip
    return tariff


@service
def impressions_record(*, booking_ids, day: datetime.date) -> None:
    """The announcements shown on a page (counting.is_counted said it was a person)."""
    counting.increment(booking_ids=booking_ids, day=day, impressions=1)


@service
def click_record(*, booking: Booking, day: datetime.date) -> None:
    counting.increment(booking_ids=[booking.pk], day=day, clicks=1)
