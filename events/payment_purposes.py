"""The ``event_fee`` purpose of the payments app (registered in EventsConfig.ready).

Target: a registration awaiting its fee; what may be paid is what is still due. The
registered account starts the payment; success confirms the seat
(events.services.registration_paid)."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _

from core.errors import NotFound
from events.models import Registration
from events.rules import owns_registration
from events.services import amount_due, registration_paid
from payments.purposes import Target


def _target(registration: Registration) -> Target:
    return Target(
        id=registration.pk,
        label=_("Inscription : %(title)s") % {"title": registration.event.title},
        amount_due=amount_due(registration),
        return_path=reverse("events:detail", args=[registration.event_id]),
    )


def _get(target_id: int) -> Registration:
    registration = Registration.objects.select_related("event").filter(pk=target_id).first()
    if registration is None:
        raise NotFound(_("Inscription introuvable."), field="target")
    return registration


class EventFeePurpose:
    code = "event_fee"

    def target_for(self, *, target_id: int, actor) -> Target:
        registration = _get(target_id)
        if not owns_registration(actor, registration):
            raise NotFound(_("Inscription introuvable."), field="target")
        return _target(registration)

    def target_get(self, *, target_id: int) -> Target:
        return _target(_get(target_id))

    def on_succeeded(self, *, intent) -> str:
        return registration_paid(intent=intent)
