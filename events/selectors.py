"""Every read of the network's training and events. Events are public; registrations are
read by their own account and by the organiser; replays and documents by the confirmed
participants and the organiser; a certificate by the participant marked present."""

from __future__ import annotations

from django.db.models import Count, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from core.errors import NotFound
from events import rules
from events.models import Event, Registration, RegStatus
from training.models import Module


def event_list(*, actor=None, upcoming: bool = True, country: str = "", kind: str = ""):
    qs = Event.objects.filter(cancelled=False)
    if upcoming:
        qs = qs.filter(ends_at__gte=timezone.now())
    qs = qs.filter(**{k: v for k, v in {"country": country, "kind": kind}.items() if v})
    return (
        qs.select_related("organiser", "module")
        .annotate(
            taken=Count("registrations", filter=~Q(registrations__status=RegStatus.CANCELLED))
        )
        .order_by("starts_at", "id")
    )


def event_get(*, actor, pk: int) -> Event:
    event = event_list(actor=actor, upcoming=False).filter(pk=pk).first()
    if event is None:
        raise NotFound(_("Événement introuvable."))
    return event


def ilo_catalogue() -> QuerySet[Module]:
    """The programme's ILO training catalogue, offered to the network's members (public:
    titles, durations, audiences)."""
    return Module.objects.filter(active=True).order_by("programme", "position", "id")


def my_registration(*, actor, event: Event) -> Registration | None:
    if not getattr(actor, "is_authenticated", False):
        return None
    return (
        event.registrations.filter(user=actor)
        .exclude(status=RegStatus.CANCELLED)
        .order_by("-id")
        .first()
    )


def registration_list(*, actor, event: Event) -> QuerySet[Registration]:
    """Every registration (the organiser only)."""
    if not rules.is_organiser(actor, event):
        return Registration.objects.none()
    return event.registrations.select_related("organisation").order_by("registered_at", "id")


def registration_get(*, actor, pk: int) -> Registration:
    reg = (
        Registration.objects.select_related("event__organiser", "organisation")
        .filter(pk=pk)
        .first()
    )
    if reg is None or not (
        rules.owns_registration(actor, reg) or rules.is_organiser(actor, reg.event)
    ):
        raise NotFound(_("Inscription introuvable."))
    return reg


def resources(*, actor, event: Event, registration: Registration | None):
    confirmed = registration is not None and registration.status == RegStatus.CONFIRMED
    if not (confirmed or rules.is_organiser(actor, event)):
        return []
    return list(event.resources.all())


def certificate_registration(*, actor, pk: int) -> Registration:
    """The registration whose certificate the actor may download: its own, marked
    present (the organiser may download any participant's marked present)."""
    reg = registration_get(actor=actor, pk=pk)
    if not reg.attended:
        raise NotFound(_("Attestation introuvable : participation non constatée."))
    return reg
