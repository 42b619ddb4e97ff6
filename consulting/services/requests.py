"""Support requests of organisations and consultants' proposals."""

from __future__ import annotations

from django.utils.translation import gettext as _

from consulting.errors import Code
from consulting.models import (
    ConsultantProfile,
    ProfileStatus,
    Proposal,
    RequestStatus,
    SupportRequest,
)
from consulting.rules import consultant_of, is_client_member
from consulting.services import checks
from core.errors import Conflict, Forbidden
from core.services import service
from network.models import Organisation, OrgStatus


@service
def support_request_create(
    *,
    actor,
    organisation: Organisation,
    title: str,
    description: str,
    skills: str = "",
    budget: int | None = None,
) -> SupportRequest:
    """An organisation's user publishes a request for support (its organisation approved)."""
    if not is_client_member(actor, organisation.pk):
        raise Forbidden(_("Seuls les membres de l'organisation publient ses demandes."))
    organisation = Organisation.objects.get(pk=organisation.pk)  # its status, fresh
    if organisation.status != OrgStatus.APPROVED:
        raise Conflict(_("L'organisation n'est pas encore publiée."), code=Code.NOT_APPROVED)
    return SupportRequest.objects.create(
        organisation=organisation,
        title=checks.text(title, field="title", most=200),
        description=checks.text(description, field="description", most=5000),
        skills=checks.text(skills, field="skills", most=300, required=False),
        budget=None if budget in (None, "") else checks.whole(budget, field="budget"),
        created_by=actor,
    )


@service
def proposal_submit(
    *, actor, request: SupportRequest, amount: int, days: int, message: str
) -> Proposal:
    """A verified consultant proposes once on an open request, never on a request of an
    organisation it belongs to."""
    consultant: ConsultantProfile | None = consultant_of(actor)
    if consultant is None or consultant.status != ProfileStatus.VERIFIED:
        raise Forbidden(
            _("Seul un consultant vérifié par un modérateur peut proposer."), code=Code.NOT_VERIFIED
        )
    request = SupportRequest.objects.select_for_update().get(pk=request.pk)
    if request.status != RequestStatus.OPEN:
        raise Conflict(_("Cette demande n'est plus ouverte."), code=Code.REQUEST_CLOSED)
    if is_client_member(actor, request.organisation_id):
        raise Conflict(
            _("Vous ne pouvez pas proposer à votre propre organisation."),
            code=Code.OWN_ORGANISATION,
        )
    if Proposal.objects.filter(request=request, consultant=consultant).exists():
        raise Conflict(_("Vous avez déjà proposé sur cette demande."), code=Code.ALREADY_PROPOSED)
    return Proposal.objects.create(
        request=request,
        consultant=consultant,
        amount=checks.whole(amount, field="amount"),
        days=checks.whole(days, field="days", most=365),
        message=checks.text(message, field="message", most=3000),
    )
