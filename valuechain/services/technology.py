"""The boutique technologique's writes: innovation projects (a product, a process,
packaging) with their prototypes and tests, shared equipment (a press, a dryer, a mill)
booked by the cooperatives of the chain, its use recorded in hours and the usage fee
invoiced to the cooperative (valuechain/postings.py: ``equipment_fee``)."""

from __future__ import annotations

import datetime
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.dates import check_event_date, check_planned_date
from core.errors import Conflict, ValidationFailed
from core.money import format_xof
from core.services import service
from valuechain import postings
from valuechain.errors import Code
from valuechain.models import (
    BookingStatus,
    Equipment,
    EquipmentBooking,
    EquipmentKind,
    InnovationProject,
    ProjectKind,
    ProjectStatus,
    ProjectTrial,
    SiteKind,
    TrialKind,
    ValueChainCooperative,
)
from valuechain.rules import can_book, can_run_workshop, require
from valuechain.services.chain import choice_check

MAX_BOOKING_HOURS = 72
MAX_HOURLY_RATE = 1_000_000


def _workshop(site) -> None:
    if site.kind != SiteKind.TECHNOLOGIQUE:
        raise ValidationFailed(
            _("Ce site n'est pas une boutique technologique."),
            code=Code.NOT_A_WORKSHOP,
            field="site",
        )


def _required(value: str, field: str, message) -> str:
    value = (value or "").strip()
    if not value:
        raise ValidationFailed(message, code=Code.REQUIRED, field=field)
    return value


@service(texts=(InnovationProject,), event_dates=("started_on",))
def innovation_project_create(
    *,
    actor,
    site,
    title: str,
    kind: str,
    started_on: datetime.date,
    cooperative=None,
    description: str = "",
) -> InnovationProject:
    """A product, a process or packaging worked on at a technology site."""
    require(can_run_workshop(actor, site))
    _workshop(site)
    choice_check(kind, ProjectKind.values, "kind")
    return InnovationProject.objects.create(
        site=site,
        title=_required(title, "title", _("L'intitulé est obligatoire.")),
        kind=kind,
        cooperative=cooperative,
        description=description or "",
        started_on=started_on,
    )


@service(
    texts=((ProjectTrial, {"description": "description", "result": "result"}),),
    event_dates=("on",),
)
def project_trial_record(
    *,
    actor,
    project: InnovationProject,
    kind: str,
    on: datetime.date,
    description: str,
    result: str = "",
    success: bool | None = None,
) -> ProjectTrial:
    """A prototype made or a test run, with its result (concluding or not)."""
    require(can_run_workshop(actor, project.site))
    choice_check(kind, TrialKind.values, "kind")
    if on < project.started_on:
        raise ValidationFailed(
            _("Un essai ne peut précéder le début du projet."), code=Code.BEFORE_START, field="on"
        )
    if success is not None and not (result or "").strip():
        raise ValidationFailed(
            _("Décrivez le résultat de l'essai."), code=Code.REQUIRED, field="result"
        )
    return ProjectTrial.objects.create(
        project=project,
        kind=kind,
        on=on,
        description=_required(description, "description", _("Décrivez l'essai.")),
        result=(result or "").strip(),
        success=success,
    )


@service
def innovation_project_conclude(*, actor, project: InnovationProject, status: str):
    """Adopt (it goes to production) or drop a project."""
    require(can_run_workshop(actor, project.site))
    choice_check(status, [ProjectStatus.ADOPTED, ProjectStatus.DROPPED], "status")
    project = InnovationProject.objects.select_for_update().get(pk=project.pk)
    if project.status != ProjectStatus.ONGOING:
        raise Conflict(_("Ce projet est déjà conclu."), code=Code.ALREADY_CONCLUDED)
    project.status = status
    project.save(update_fields=["status"])
    return project


@service(texts=(Equipment,))
def equipment_add(*, actor, site, name: str, kind: str, hourly_rate: int) -> Equipment:
    """Shared equipment of a technology site, with its hourly rate in F CFA."""
    require(can_run_workshop(actor, site))
    _workshop(site)
    choice_check(kind, EquipmentKind.values, "kind")
    if isinstance(hourly_rate, bool) or not isinstance(hourly_rate, int):
        raise ValidationFailed(_("Le tarif horaire est un nombre entier."), field="hourly_rate")
    if not 1 <= hourly_rate <= MAX_HOURLY_RATE:
        raise ValidationFailed(
            _("Le tarif horaire va de %(min)s à %(max)s.")
            % {"min": format_xof(1), "max": format_xof(MAX_HOURLY_RATE)},
            code=Code.INVALID_PRICE,
            field="hourly_rate",
        )
    return Equipment.objects.create(
        site=site,
        name=_required(name, "name", _("Le nom est obligatoire.")),
        kind=kind,
        hourly_rate=hourly_rate,
    )


def _slot(starts_at, ends_at) -> tuple[datetime.datetime, datetime.datetime]:
    for value, field in ((starts_at, "starts_at"), (ends_at, "ends_at")):
        if not isinstance(value, datetime.datetime):
            raise ValidationFailed(_("Date et heure invalides."), field=field)
    starts_at, ends_at = (
        timezone.make_aware(v) if timezone.is_naive(v) else v for v in (starts_at, ends_at)
    )
    check_planned_date(starts_at.date(), field="starts_at")
    if ends_at <= starts_at:
        raise ValidationFailed(
            _("La fin du créneau doit suivre son début."), code=Code.INVALID_SLOT, field="ends_at"
        )
    if ends_at - starts_at > datetime.timedelta(hours=MAX_BOOKING_HOURS):
        raise ValidationFailed(
            _("Un créneau dure au plus %(n)s heures.") % {"n": MAX_BOOKING_HOURS},
            code=Code.INVALID_SLOT,
            field="ends_at",
        )
    return starts_at, ends_at


def _in_chain(equipment, cooperative) -> bool:
    site = equipment.site
    return cooperative.pk == site.cooperative_id or (
        ValueChainCooperative.objects.filter(
            value_chain_id=site.value_chain_id, cooperative=cooperative
        ).exists()
    )


@service
def equipment_book(
    *, actor, equipment: Equipment, cooperative, starts_at, ends_at
) -> EquipmentBooking:
    """A slot for ``cooperative`` (one of the chain's); 409 ``booking_overlap`` when the
    equipment is already booked then."""
    require(can_book(actor, equipment, cooperative))
    starts_at, ends_at = _slot(starts_at, ends_at)
    if not _in_chain(equipment, cooperative):
        raise ValidationFailed(
            _("Cette coopérative ne fait pas partie de la chaîne de valeur de l'équipement."),
            code=Code.NOT_IN_CHAIN,
            field="cooperative",
        )
    Equipment.objects.select_for_update().get(pk=equipment.pk)  # serialises the bookings
    clash = EquipmentBooking.objects.filter(
        equipment=equipment, starts_at__lt=ends_at, ends_at__gt=starts_at
    ).exclude(status=BookingStatus.CANCELLED)
    first = clash.select_related("cooperative").first()
    if first is not None:
        raise Conflict(
            _("L'équipement est déjà réservé du %(start)s au %(end)s.")
            % {
                "start": timezone.localtime(first.starts_at).strftime("%d/%m/%Y %H:%M"),
                "end": timezone.localtime(first.ends_at).strftime("%d/%m/%Y %H:%M"),
            },
            code=Code.BOOKING_OVERLAP,
            field="starts_at",
        )
    return EquipmentBooking.objects.create(
        equipment=equipment,
        cooperative=cooperative,
        starts_at=starts_at,
        ends_at=ends_at,
        booked_by=actor if getattr(actor, "pk", None) else None,
    )


def _locked_booked(booking) -> EquipmentBooking:
    booking = (
        EquipmentBooking.objects.select_for_update()
        .select_related("equipment__site", "cooperative")
        .get(pk=booking.pk)
    )
    if booking.status != BookingStatus.BOOKED:
        raise Conflict(
            _("Cette réservation est déjà %(state)s.") % {"state": booking.get_status_display()},
            code=Code.BOOKING_CLOSED,
        )
    return booking


@service
def equipment_booking_cancel(*, actor, booking: EquipmentBooking) -> EquipmentBooking:
    require(can_book(actor, booking.equipment, booking.cooperative))
    booking = _locked_booked(booking)
    booking.status = BookingStatus.CANCELLED
    booking.save(update_fields=["status"])
    return booking


def hours_check(value) -> Decimal:
    """Hours of use: a positive number with at most two decimals (2.5 = 2 h 30)."""
    try:
        hours = Decimal(str(value)) if not isinstance(value, bool) else Decimal("NaN")
    except (InvalidOperation, ValueError):
        hours = Decimal("NaN")
    if not hours.is_finite() or hours <= 0 or hours > MAX_BOOKING_HOURS:
        raise ValidationFailed(
            _("Le nombre d'heures va de 0,25 à %(n)s.") % {"n": MAX_BOOKING_HOURS},
            code=Code.INVALID_HOURS,
            field="hours",
        )
    if hours != hours.quantize(Decimal("0.01")):
        raise ValidationFailed(
            _("Le nombre d'heures a au plus deux décimales."),
            code=Code.INVALID_HOURS,
            field="hours",
        )
    return hours


@service(event_dates=("on",))
def equipment_use_record(
    *, actor, booking: EquipmentBooking, hours, on: datetime.date
) -> EquipmentBooking:
    """The hours the cooperative used; the fee (hours × hourly rate, to the franc) is
    invoiced to it: posted in its books and in the workshop's (valuechain/postings.py)."""
    require(can_run_workshop(actor, booking.equipment.site))
    hours = hours_check(hours)
    check_event_date(on, field="on")
    booking = _locked_booked(booking)
    fee = int((hours * booking.equipment.hourly_rate).quantize(Decimal(1), ROUND_HALF_UP))
    booking.status, booking.hours_used, booking.fee, booking.used_on = (
        BookingStatus.USED,
        hours,
        fee,
        on,
    )
    booking.save(update_fields=["status", "hours_used", "fee", "used_on"])
    postings.equipment_fee(actor=actor, booking=booking)
    return booking
