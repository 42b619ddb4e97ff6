"""The network's assemblies: convened by its administrators with an agenda and the
statutes' notice; one vote per member organisation in good standing on the day (its
owner or the user it delegates); closed with governance.voting's quorum and majority."""

from __future__ import annotations

import datetime

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core import dates
from core.errors import Conflict, Forbidden, ValidationFailed
from core.services import service
from network.models import Organisation, OrganisationMember
from networkgov import rules, selectors
from networkgov.errors import Code
from networkgov.models import (
    AssemblyKind,
    AssemblyStatus,
    Choice,
    Delegate,
    NetworkAssembly,
    NetworkResolution,
    NetworkVote,
)
from networkgov.statutes import quorum_and_majority, statutes


def _admin(actor) -> None:
    if not rules.is_admin(actor):
        raise Forbidden(_("Réservé aux administrateurs du réseau."))


def _required(value, field: str) -> str:
    value = str(value or "").strip()
    if not value:
        raise ValidationFailed(_("Ce champ est obligatoire."), code=Code.REQUIRED, field=field)
    return value


def _open(assembly: NetworkAssembly) -> NetworkAssembly:
    """The assembly, locked, refused once closed."""
    assembly = NetworkAssembly.objects.select_for_update().get(pk=assembly.pk)
    if assembly.status == AssemblyStatus.CLOSED:
        raise Conflict(_("L'assemblée est close."), code=Code.ALREADY_CLOSED)
    return assembly


@service(texts=(NetworkAssembly,), event_dates=("notice_sent_on",), planned_dates=("held_on",))
def assembly_convene(
    *,
    actor,
    title: str,
    kind: str,
    held_on: datetime.date,
    notice_sent_on: datetime.date,
    place: str,
    agenda: str,
    today=None,
) -> NetworkAssembly:
    """An administrator convenes the members: the notice must precede the assembly by the
    statutes' ``notice_days`` (else 409 ``notice_too_short``); quorum and majority are
    the statutes' for its kind, frozen on the assembly."""
    _admin(actor)
    today = today or dates.today()
    if kind not in AssemblyKind.values:
        raise ValidationFailed(_("Type inconnu."), code=Code.INVALID_CHOICE, field="kind")
    if held_on is None or notice_sent_on is None:
        raise ValidationFailed(_("La date est obligatoire."), code=Code.REQUIRED, field="held_on")
    if held_on < today:
        raise ValidationFailed(
            _("L'assemblée ne peut pas être convoquée dans le passé."),
            code=Code.INVALID,
            field="held_on",
        )
    days = statutes()["notice_days"]
    if (held_on - notice_sent_on).days < days:
        raise Conflict(
            _(
                "Convocation trop tardive : les statuts du réseau exigent %(n)d jours entre la "
                "convocation et l'assemblée."
            )
            % {"n": days},
            code=Code.NOTICE_TOO_SHORT,
            field="held_on",
        )
    quorum, majority = quorum_and_majority(kind)
    return NetworkAssembly.objects.create(
        title=_required(title, "title"),
        kind=kind,
        held_on=held_on,
        notice_sent_on=notice_sent_on,
        place=_required(place, "place"),
        agenda=_required(agenda, "agenda"),
        quorum_required=quorum,
        majority_required=majority,
        convened_by=actor,
    )


@service(texts=(NetworkResolution,))
def resolution_add(
    *, actor, assembly: NetworkAssembly, title: str, text: str = ""
) -> NetworkResolution:
    """An administrator puts a resolution to the vote (before the assembly is closed)."""
    _admin(actor)
    assembly = _open(assembly)
    number = assembly.resolutions.count() + 1
    return NetworkResolution.objects.create(
        assembly=assembly,
        number=number,
        title=_required(title, "title"),
        text=str(text or "").strip(),
    )


@service
def delegate_name(
    *, actor, assembly: NetworkAssembly, organisation: Organisation, user
) -> Delegate:
    """The organisation's owner delegates one of its accounts to vote at this assembly
    (a new delegation replaces the previous one)."""
    if not rules.owns(actor, organisation.pk):
        raise Forbidden(_("Seul le responsable de l'organisation délègue son vote."))
    assembly = _open(assembly)
    if not OrganisationMember.objects.filter(organisation=organisation, user=user).exists():
        raise ValidationFailed(
            _("Le délégué doit être un compte de l'organisation."),
            code=Code.NOT_DELEGATE,
            field="user",
        )
    delegate, _created = Delegate.objects.update_or_create(
        assembly=assembly, organisation=organisation, defaults={"user": user}
    )
    return delegate


def _check_voter(actor, assembly: NetworkAssembly, organisation: Organisation) -> None:
    if not rules.acts_for(actor, organisation.pk):
        raise Forbidden(_("Vous ne votez que pour votre organisation."))
    delegate = selectors.delegate_of(assembly, organisation.pk)
    if not (rules.owns(actor, organisation.pk) or (delegate and delegate.user_id == actor.pk)):
        raise Forbidden(
            _("Seuls le responsable de l'organisation ou son délégué votent pour elle."),
            code=Code.NOT_DELEGATE,
        )
    standing = selectors.standing_of(organisation.pk, assembly.held_on)
    if not standing.good:
        raise Conflict(
            _(
                "Seules les organisations membres à jour de leur cotisation votent "
                "(« %(name)s » : %(status)s)."
            )
            % {"name": organisation.name, "status": standing_label(standing.status)},
            code=Code.NOT_IN_GOOD_STANDING,
        )


def standing_label(status: str) -> str:
    return {
        "good": _("à jour"),
        "pending": _("cotisation en attente"),
        "late": _("en retard"),
        "lapsed": _("radiée"),
        "none": _("non membre"),
    }[status]


@service
def vote_cast(
    *, actor, resolution: NetworkResolution, organisation: Organisation, choice: str, today=None
) -> NetworkVote:
    """One vote per member organisation in good standing and resolution, on the day of the
    assembly until it is closed. The assembly's row is locked: two requests at once for
    the same organisation wait for each other and the second is refused."""
    if choice not in Choice.values:
        raise ValidationFailed(_("Vote inconnu."), code=Code.INVALID_CHOICE, field="choice")
    assembly = _open(resolution.assembly)
    today = today or dates.today()
    if today < assembly.held_on:
        raise Conflict(
            _("Le vote ouvre le jour de l'assemblée (%(day)s).")
            % {"day": assembly.held_on.strftime("%d/%m/%Y")},
            code=Code.NOT_OPEN,
        )
    _check_voter(actor, assembly, organisation)
    if NetworkVote.objects.filter(resolution=resolution, organisation=organisation).exists():
        raise Conflict(
            _("« %(name)s » a déjà voté sur cette résolution.") % {"name": organisation.name},
            code=Code.ALREADY_VOTED,
        )
    try:
        with transaction.atomic():
            return NetworkVote.objects.create(
                resolution=resolution,
                organisation=organisation,
                choice=choice,
                cast_by=actor,
                cast_at=timezone.now(),
            )
    except IntegrityError:  # the unique (resolution, organisation) under any other path
        raise Conflict(
            _("« %(name)s » a déjà voté sur cette résolution.") % {"name": organisation.name},
            code=Code.ALREADY_VOTED,
        ) from None


@service(texts=(NetworkAssembly,))
def assembly_close(
    *, actor, assembly: NetworkAssembly, chaired_by: str = "", secretary: str = "", today=None
) -> NetworkAssembly:
    """An administrator closes the assembly (on or after its day): members in good standing
    on the day, organisations that voted, quorum and each resolution frozen."""
    _admin(actor)
    assembly = _open(assembly)
    today = today or dates.today()
    if today < assembly.held_on:
        raise Conflict(_("L'assemblée n'a pas encore eu lieu."), code=Code.NOT_OPEN)
    resolutions = list(assembly.resolutions.order_by("number"))
    if not resolutions:
        raise Conflict(
            _("Aucune résolution n'a été mise aux voix."), code=Code.RESOLUTION_NOT_VOTED
        )
    results = selectors.assembly_results(assembly)
    for line in results.resolutions:
        r = line.resolution
        r.votes_for, r.votes_against, r.abstentions = (
            line.votes_for,
            line.votes_against,
            line.abstentions,
        )
        r.passed = line.passed  # governance.voting.resolution_passes, in assembly_results
        r.save(update_fields=["votes_for", "votes_against", "abstentions", "passed"])
    assembly.members_count, assembly.voters_count = results.members, results.voters
    assembly.quorum_reached = results.quorum_reached
    assembly.chaired_by = str(chaired_by or "").strip()
    assembly.secretary = str(secretary or "").strip()
    assembly.status = AssemblyStatus.CLOSED
    assembly.closed_at = timezone.now()
    assembly.save()
    return assembly
