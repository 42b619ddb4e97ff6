"""Events, registrations, fees, attendance and resources (docs/events.md)."""

from __future__ import annotations

import datetime

from django.utils import timezone
from django.utils.translation import gettext as _

from core.errors import Conflict, Forbidden, NotFound, ValidationFailed
from core.services import service
from events import books, rules
from events.errors import Code
from events.models import (
    Event,
    EventSettlement,
    Kind,
    Registration,
    RegStatus,
    Resource,
    ResourceKind,
)
from network.countries import is_african
from network.models import Organisation, OrgStatus
from network.rules import network_scope

MAX_CAPACITY = 5000


def _required(value, field: str) -> str:
    value = str(value or "").strip()
    if not value:
        raise ValidationFailed(_("Ce champ est obligatoire."), code=Code.REQUIRED, field=field)
    return value


def _own_approved(actor, organisation: Organisation) -> Organisation:
    if organisation.pk not in network_scope(actor).organisation_ids:
        raise Forbidden(_("Seuls les comptes de l'organisation agissent en son nom."))
    organisation = Organisation.objects.get(pk=organisation.pk)
    if organisation.status != OrgStatus.APPROVED:
        raise Conflict(_("L'organisation n'est pas encore membre publiée."), code=Code.NOT_APPROVED)
    return organisation


def _check_event(*, kind, country, starts_at, ends_at, capacity, now) -> None:
    if kind not in Kind.values:
        raise ValidationFailed(_("Valeur inconnue."), code=Code.INVALID_CHOICE, field="kind")
    if not is_african(country):
        raise ValidationFailed(
            _("Choisissez un pays d'Afrique."), code=Code.INVALID, field="country"
        )
    if starts_at is None or ends_at is None or starts_at <= now:
        raise ValidationFailed(
            _("Le début doit être dans le futur."), code=Code.INVALID, field="starts_at"
        )
    if ends_at < starts_at or ends_at - starts_at > datetime.timedelta(days=60):
        raise ValidationFailed(
            _("La fin suit le début, au plus 60 jours après."), code=Code.INVALID, field="ends_at"
        )
    if not isinstance(capacity, int) or not 1 <= capacity <= MAX_CAPACITY:
        raise ValidationFailed(
            _("Entre 1 et %(n)d places.") % {"n": MAX_CAPACITY}, code=Code.INVALID, field="capacity"
        )


@service(texts=(Event,), amounts=("fee",))
def event_publish(
    *,
    actor,
    organiser: Organisation,
    kind: str,
    title: str,
    description: str,
    country: str,
    place: str,
    starts_at: datetime.datetime,
    ends_at: datetime.datetime,
    capacity: int,
    fee: int = 0,
    module=None,
    now=None,
) -> Event:
    """An approved organisation's account publishes a course, a forum or assises (a
    module of the ILO catalogue when ``module`` is given)."""
    organiser = _own_approved(actor, organiser)
    country = str(country or "").upper()
    _check_event(
        kind=kind, country=country, starts_at=starts_at, ends_at=ends_at, capacity=capacity,
        now=now or timezone.now(),
    )  # fmt: skip
    if module is not None and not module.active:
        raise ValidationFailed(_("Module inactif."), code=Code.INVALID, field="module")
    return Event.objects.create(
        organiser=organiser, kind=kind, title=_required(title, "title"),
        description=_required(description, "description"), module=module, country=country,
        place=_required(place, "place"), starts_at=starts_at, ends_at=ends_at,
        capacity=capacity, fee=fee, created_by=actor,
    )  # fmt: skip


@service(texts=(Registration,))
def registration_create(
    *, actor, event: Event, organisation: Organisation, participant_name: str, now=None
) -> Registration:
    """An approved organisation's account registers (itself as participant). A free event
    confirms at once; otherwise the seat is held, awaiting the fee paid by phone."""
    organisation = _own_approved(actor, organisation)
    event = Event.objects.select_for_update().get(pk=event.pk)
    now = now or timezone.now()
    if event.cancelled:
        raise Conflict(_("L'événement est annulé."), code=Code.CANCELLED)
    if event.starts_at <= now:
        raise Conflict(_("Les inscriptions sont closes."), code=Code.STARTED)
    held = event.registrations.exclude(status=RegStatus.CANCELLED)
    if held.filter(user=actor).exists():
        raise Conflict(_("Vous êtes déjà inscrit."), code=Code.ALREADY_REGISTERED)
    if held.count() >= event.capacity:
        raise Conflict(_("Plus de place disponible."), code=Code.FULL)
    status = RegStatus.CONFIRMED if event.fee == 0 else RegStatus.AWAITING_PAYMENT
    return Registration.objects.create(
        event=event, user=actor, organisation=organisation,
        participant_name=_required(participant_name, "participant_name"), status=status,
        registered_at=now,
    )  # fmt: skip


def amount_due(registration: Registration) -> int:
    if registration.status != RegStatus.AWAITING_PAYMENT:
        return 0
    return max(registration.event.fee - registration.paid, 0)


@service(atomic=False)
def fee_payment_start(*, actor, registration: Registration, phone: str, provider: str):
    """The registered account pays the fee by phone (payments purpose ``event_fee``)."""
    from payments.services import payment_start

    if not rules.owns_registration(actor, registration):
        raise NotFound(_("Inscription introuvable."))
    return payment_start(
        purpose="event_fee",
        target_id=registration.pk,
        amount=amount_due(registration),
        phone=phone,
        provider=provider,
        actor=actor,
    )


@service
def registration_paid(*, intent) -> str:
    """Called once by payments when the fee's payment succeeded: the seat is confirmed
    when the fee is fully paid and the money is booked as held for the event (552/4197).
    More than is due, or a fee arriving after the event's fees were settled, is refused
    (payments flags the payment for review: a refund)."""
    event_id = Registration.objects.values_list("event_id", flat=True).get(pk=intent.target_id)
    # the event first (as its payout does): a fee is either counted in the settlement or
    # refused after it, never booked beside it
    list(Event.objects.select_for_update().filter(pk=event_id).values_list("pk", flat=True))
    registration = (
        Registration.objects.select_for_update().select_related("event").get(pk=intent.target_id)
    )
    if registration.status == RegStatus.CANCELLED:
        raise Conflict(_("Inscription annulée."), code=Code.CANCELLED)
    if intent.amount > amount_due(registration):
        raise Conflict(_("Ces frais sont déjà payés."), code=Code.ALREADY_PAID)
    if EventSettlement.objects.filter(event_id=registration.event_id).exists():
        raise Conflict(
            _("Les frais de cet événement sont déjà versés à l'organisateur."),
            code=Code.PAID_OUT,
        )
    registration.paid += intent.amount
    if registration.paid >= registration.event.fee:
        registration.status = RegStatus.CONFIRMED
    registration.save()
    books.fee_received(registration, intent)
    return str(registration.pk)


@service
def attendance_mark(*, actor, registration: Registration, attended: bool) -> Registration:
    """The organiser's accounts mark a confirmed participant present (or not), once the
    event has started."""
    registration = (
        Registration.objects.select_for_update().select_related("event").get(pk=registration.pk)
    )
    if not rules.is_organiser(actor, registration.event):
        raise NotFound(_("Inscription introuvable."))
    if registration.status != RegStatus.CONFIRMED:
        raise Conflict(_("Inscription non confirmée (frais non payés)."), code=Code.NOT_PAID)
    if registration.event.starts_at > timezone.now():
        raise Conflict(_("L'événement n'a pas commencé."), code=Code.INVALID)
    registration.attended = bool(attended)
    registration.save()
    return registration


@service(texts=(Resource,))
def resource_add(*, actor, event: Event, kind: str, title: str, url: str) -> Resource:
    """The organiser adds a replay or a document (a link) for the participants."""
    if not rules.is_organiser(actor, event):
        raise Forbidden(_("Seul l'organisateur ajoute des ressources."))
    if kind not in ResourceKind.values:
        raise ValidationFailed(_("Valeur inconnue."), code=Code.INVALID_CHOICE, field="kind")
    url = _required(url, "url")
    if not url.lower().startswith(("https://", "http://")):
        raise ValidationFailed(_("Un lien http(s)."), code=Code.INVALID, field="url")
    return Resource.objects.create(
        event=event, kind=kind, title=_required(title, "title"), url=url, added_by=actor
    )
