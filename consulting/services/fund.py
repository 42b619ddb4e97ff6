"""The ESS fund: what it receives (its share of every consulting payment) and what it
supports (grants to projects of the project bank, training seats), decided by the
network's administrators within its balance."""

from __future__ import annotations

import datetime

from django.utils.translation import gettext as _

from consulting import books
from consulting.errors import Code
from consulting.models import EssFund, EssSupport, SupportKind
from consulting.selectors import ess_fund_available, ess_fund_held
from consulting.services import checks
from core.errors import Conflict, Forbidden, ValidationFailed
from core.money import format_xof
from core.services import service
from network.models import Organisation, OrgStatus, Project
from network.rules import is_network_admin


@service(texts=((EssSupport, {"description": "description"}),), event_dates=("on",))
def ess_support_grant(
    *,
    actor,
    kind: str,
    organisation: Organisation,
    amount: int,
    on: datetime.date,
    description: str,
    project: Project | None = None,
    seats: int | None = None,
) -> EssSupport:
    """An administrator decides a support of the fund: a grant to one of the organisation's
    projects, or training seats for its members; never more than the fund holds. A grant
    is paid out to the organisation's payout phone when it has one."""
    if not is_network_admin(actor):
        raise Forbidden(
            _("Seuls les administrateurs du réseau décident des soutiens du fonds ESS.")
        )
    organisation = Organisation.objects.get(pk=organisation.pk)  # fresh: its payout phone
    if kind not in SupportKind.values:
        raise ValidationFailed(
            _("Type de soutien inconnu."), code=Code.INVALID_CHOICE, field="kind"
        )
    if organisation.status != OrgStatus.APPROVED:
        raise Conflict(_("L'organisation n'est pas publiée."), code=Code.NOT_APPROVED)
    if kind == SupportKind.GRANT and (
        project is None or project.organisation_id != organisation.pk
    ):
        raise ValidationFailed(
            _("Une subvention va à un projet de l'organisation."),
            code=Code.REQUIRED,
            field="project",
        )
    if kind == SupportKind.TRAINING:
        project, seats = None, checks.whole(seats, field="seats", most=1000)
    else:
        seats = None
    amount = checks.whole(amount, field="amount")
    EssFund.objects.get_or_create(pk=1)
    EssFund.objects.select_for_update().get(pk=1)  # one support decided at a time
    _check_available(amount)
    support = EssSupport.objects.create(
        kind=kind, organisation=organisation, project=project, seats=seats, amount=amount, on=on,
        description=checks.text(description, field="description", most=300), created_by=actor,
    )  # fmt: skip
    _pay(support, actor)
    books.support_decided(support)
    return support


def _check_available(amount: int) -> None:
    """Never more than the fund holds, less its shares of the payments a dispute holds: a
    refund to the client may take those back (``dispute_refund``), so spending them could
    take account 4675 below zero."""
    available = ess_fund_available()
    if amount <= available:
        return
    held = ess_fund_held()
    if held:
        message = _(
            "Le fonds ESS ne dispose que de %(available)s : %(held)s de plus sont retenus par "
            "un litige (un remboursement au client peut les reprendre)."
        ) % {"available": format_xof(max(available, 0)), "held": format_xof(held)}
    else:
        message = _("Le fonds ESS ne dispose que de %(balance)s.") % {
            "balance": format_xof(max(available, 0))
        }
    raise Conflict(message, code=Code.FUND_INSUFFICIENT, field="amount")


def _pay(support: EssSupport, actor) -> None:
    from payments.services import payout_request

    org = support.organisation
    if support.kind != SupportKind.GRANT or not org.payout_phone:
        return
    support.payout = payout_request(
        kind="settlement",
        provider=org.payout_provider or "wave",
        amount=support.amount,
        phone=org.payout_phone,
        name=org.name[:100],
        reason=_("Subvention du fonds ESS"),
        actor=actor,
    )
    support.save(update_fields=["payout"])
