"""Every write on bodies, mandates and general assemblies."""

from __future__ import annotations

from datetime import date

from django.db.models import Max, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from capital.selectors import statutes_for
from core import dates
from core.dates import check_event_date_given
from core.errors import Conflict, ValidationFailed
from core.services import service
from governance.errors import Code
from governance.limits import ASSEMBLY_NOTICE_DAYS, body_rule
from governance.models import (
    Assembly,
    AssemblyKind,
    AssemblyStatus,
    Attendance,
    Mandate,
    Office,
    Resolution,
)
from governance.rules import require_manage
from governance.selectors import members_count, quorum_and_majority
from governance.voting import quorum_met, resolution_passes
from registry.models import Cooperative, Person
from registry.selectors import is_active_member


def _today(today):
    return today or dates.today()


def _require_member(cooperative, person, *, field="person", code="not_member"):
    if not is_active_member(cooperative, person):
        raise Conflict(
            _("%(p)s n'est pas membre actif de la coopérative.") % {"p": person},
            code=code,
            field=field,
        )


# --- bodies and mandates ---------------------------------------------------------------


@service(texts=(Mandate,), planned_dates=("starts_on", "ends_on"))
def mandate_assign(
    *,
    cooperative: Cooperative,
    body: str,
    person: Person,
    starts_on: date,
    ends_on: date,
    actor,
    office: str = Office.MEMBRE,
    elected_at: Assembly | None = None,
) -> Mandate:
    """Seat ``person`` on a body for a term, within the legal form's size limits."""
    require_manage(actor, cooperative)
    rule = body_rule(cooperative.legal_form, body)
    if rule is None:
        raise ValidationFailed(
            _("Cet organe n'existe pas dans une %(form)s.") % {"form": cooperative.legal_form},
            code=Code.BODY_NOT_FOR_FORM,
            field="body",
        )
    if office not in Office.values:
        raise ValidationFailed(_("Fonction inconnue."), field="office")
    if starts_on is None or ends_on is None or ends_on <= starts_on:
        raise ValidationFailed(
            _("La fin du mandat doit suivre son début."), code=Code.TERM_INVALID, field="ends_on"
        )
    if elected_at is not None and elected_at.cooperative_id != cooperative.pk:
        raise ValidationFailed(_("Assemblée d'une autre coopérative."), field="elected_at")
    _require_member(cooperative, person)
    Cooperative.objects.select_for_update().filter(pk=cooperative.pk).first()
    overlapping = Mandate.objects.filter(
        cooperative=cooperative, body=body, starts_on__lt=ends_on, ends_on__gt=starts_on
    ).filter(Q(ended_on__isnull=True) | Q(ended_on__gt=starts_on))
    if overlapping.filter(person=person).exists():
        raise Conflict(
            _("Cette personne siège déjà dans cet organe sur cette période."),
            code=Code.ALREADY_ON_BODY,
            field="person",
        )
    members = members_count(cooperative, starts_on)
    limit = rule.max_size(members)
    seated = overlapping.filter(starts_on__lte=starts_on).count()
    if seated + 1 > limit:
        raise Conflict(
            _(
                "L'organe compte au plus %(limit)s membres pour une coopérative de "
                "%(members)s membres (%(source)s)."
            )
            % {"limit": limit, "members": members, "source": rule.source},
            code=Code.BODY_SIZE_LIMIT,
            field="body",
        )
    return Mandate.objects.create(
        cooperative=cooperative,
        body=body,
        person=person,
        office=office,
        starts_on=starts_on,
        ends_on=ends_on,
        elected_at=elected_at,
    )


@service(event_dates=("on",))
def mandate_end(*, mandate: Mandate, on: date, actor, today=None) -> Mandate:
    require_manage(actor, mandate.cooperative)
    check_event_date_given(on, today=today, field="ended_on")
    if mandate.ended_on is not None:
        raise Conflict(_("Ce mandat a déjà pris fin."), code=Code.ALREADY_ENDED)
    if on < mandate.starts_on:
        raise ValidationFailed(_("Date antérieure au début du mandat."), field="ended_on")
    mandate.ended_on = on
    mandate.save(update_fields=["ended_on"])
    return mandate


# --- general assemblies ------------------------------------------------------------------


def _require_open(assembly: Assembly):
    if assembly.status != AssemblyStatus.CONVENED:
        raise Conflict(_("Cette assemblée est close."), code=Code.ASSEMBLY_CLOSED)


def _require_held(assembly: Assembly, today):
    if assembly.held_on > _today(today):
        raise Conflict(
            _("L'assemblée n'a pas encore eu lieu (le %(d)s).")
            % {"d": assembly.held_on.strftime("%d/%m/%Y")},
            code=Code.ASSEMBLY_NOT_HELD_YET,
        )


@service(texts=(Assembly,), planned_dates=("held_on", "notice_sent_on"))
def assembly_convene(
    *,
    cooperative: Cooperative,
    kind: str,
    held_on: date,
    notice_sent_on: date,
    agenda: str,
    actor,
    convocation: int = 1,
    place: str = "",
    today: date | None = None,
) -> Assembly:
    """Convene a general assembly: notice at least 15 days ahead, with an agenda."""
    require_manage(actor, cooperative)
    if kind not in AssemblyKind.values:
        raise ValidationFailed(_("Type d'assemblée inconnu."), code=Code.INVALID, field="kind")
    if convocation not in (1, 2):
        raise ValidationFailed(_("Convocation 1 ou 2."), field="convocation")
    if held_on is None:
        raise ValidationFailed(_("La date est obligatoire."), code=Code.REQUIRED, field="held_on")
    check_event_date_given(notice_sent_on, today=today, field="notice_sent_on")
    if not (agenda or "").strip():
        raise ValidationFailed(
            _("L'ordre du jour est obligatoire."), code=Code.AGENDA_REQUIRED, field="agenda"
        )
    if (held_on - notice_sent_on).days < ASSEMBLY_NOTICE_DAYS:
        raise Conflict(
            _(
                "La convocation doit être envoyée au moins %(n)s jours avant l'assemblée "
                "(art. 233 de l'Acte uniforme OHADA), sinon l'assemblée est nulle."
            )
            % {"n": ASSEMBLY_NOTICE_DAYS},
            code=Code.NOTICE_TOO_SHORT,
            field="notice_sent_on",
        )
    return Assembly.objects.create(
        cooperative=cooperative,
        kind=kind,
        convocation=convocation,
        held_on=held_on,
        notice_sent_on=notice_sent_on,
        agenda=agenda.strip(),
        place=(place or "").strip(),
        created_by=actor if getattr(actor, "pk", None) else None,
    )


@service
def attendance_record(
    *,
    assembly: Assembly,
    person: Person,
    actor,
    proxy_holder: Person | None = None,
    today: date | None = None,
) -> Attendance:
    """Record a member as present, or as represented by ``proxy_holder`` (a present member)."""
    coop = assembly.cooperative
    require_manage(actor, coop)
    _require_open(assembly)
    _require_held(assembly, today)
    _require_member(coop, person)
    Assembly.objects.select_for_update().filter(pk=assembly.pk).first()
    if assembly.attendances.filter(person=person).exists():
        raise Conflict(
            _("%(p)s figure déjà sur la feuille de présence.") % {"p": person},
            code=Code.ALREADY_RECORDED,
            field="person",
        )
    if proxy_holder is not None:
        if proxy_holder.pk == person.pk:
            raise ValidationFailed(
                _("Un membre ne peut pas se représenter lui-même."),
                code=Code.PROXY_SELF,
                field="proxy_holder",
            )
        _require_member(coop, proxy_holder, field="proxy_holder")
        if not assembly.attendances.filter(person=proxy_holder, proxy_holder__isnull=True).exists():
            raise Conflict(
                _("Le mandataire doit être inscrit comme présent."),
                code=Code.PROXY_HOLDER_ABSENT,
                field="proxy_holder",
            )
        limit = statutes_for(coop).max_proxies_per_holder
        held = assembly.attendances.filter(proxy_holder=proxy_holder).count()
        if held >= limit:
            raise Conflict(
                _("%(h)s détient déjà %(n)s procuration(s) : c'est le maximum des statuts.")
                % {"h": proxy_holder, "n": held},
                code=Code.PROXY_LIMIT,
                field="proxy_holder",
            )
    return Attendance.objects.create(assembly=assembly, person=person, proxy_holder=proxy_holder)


@service
def attendance_remove(*, attendance: Attendance, actor) -> None:
    assembly = attendance.assembly
    require_manage(actor, assembly.cooperative)
    _require_open(assembly)
    if assembly.attendances.filter(proxy_holder=attendance.person).exists():
        raise Conflict(
            _("Ce membre détient des procurations : retirez-les d'abord."),
            code=Code.HOLDS_PROXIES,
        )
    attendance.delete()


@service(texts=(Resolution,))
def resolution_add(
    *,
    assembly: Assembly,
    title: str,
    actor,
    text: str = "",
    approves_accounts_year: int | None = None,
) -> Resolution:
    require_manage(actor, assembly.cooperative)
    _require_open(assembly)
    if not (title or "").strip():
        raise ValidationFailed(_("L'intitulé est obligatoire."), code=Code.REQUIRED, field="title")
    if approves_accounts_year is not None and assembly.kind != AssemblyKind.ORDINARY:
        raise ValidationFailed(
            _("Les comptes sont approuvés par une assemblée ordinaire."),
            code=Code.ACCOUNTS_NEED_ORDINARY,
            field="approves_accounts_year",
        )
    Assembly.objects.select_for_update().filter(pk=assembly.pk).first()
    number = (assembly.resolutions.aggregate(n=Max("number"))["n"] or 0) + 1
    return Resolution.objects.create(
        assembly=assembly,
        number=number,
        title=title.strip()[:200],
        text=(text or "").strip(),
        approves_accounts_year=approves_accounts_year,
    )


@service(texts=(Resolution,))
def resolution_vote(
    *,
    resolution: Resolution,
    votes_for: int,
    votes_against: int,
    abstentions: int,
    actor,
    today: date | None = None,
) -> Resolution:
    """Record the count of a vote: one member, one vote (present + represented)."""
    assembly = resolution.assembly
    require_manage(actor, assembly.cooperative)
    _require_open(assembly)
    _require_held(assembly, today)
    values = {"votes_for": votes_for, "votes_against": votes_against, "abstentions": abstentions}
    for name, value in values.items():
        if not isinstance(value, int) or isinstance(value, bool) or value < 0:
            raise ValidationFailed(
                _("Nombre entier positif ou nul attendu."), code=Code.NOT_INTEGER, field=name
            )
    voters = assembly.attendances.count()
    if sum(values.values()) > voters:
        raise Conflict(
            _(
                "Un membre, une voix : %(n)s voix au plus (membres présents et représentés), "
                "%(s)s comptées."
            )
            % {"n": voters, "s": sum(values.values())},
            code=Code.TOO_MANY_VOTES,
            field="votes_for",
        )
    for name, value in values.items():
        setattr(resolution, name, value)
    resolution.save(update_fields=list(values))
    return resolution


@service(texts=(Assembly,))
def assembly_close(
    *,
    assembly: Assembly,
    actor,
    chaired_by: str = "",
    secretary: str = "",
    today: date | None = None,
) -> Assembly:
    """Close the assembly: freeze members, quorum and majority, and each resolution's result.

    When the quorum is not reached, no resolution passes.
    """
    require_manage(actor, assembly.cooperative)
    assembly = Assembly.objects.select_for_update().get(pk=assembly.pk)
    _require_open(assembly)
    _require_held(assembly, today)
    resolutions = list(assembly.resolutions.all())
    if any(not r.voted for r in resolutions):
        raise Conflict(
            _("Toutes les résolutions doivent être votées avant la clôture."),
            code=Code.RESOLUTION_NOT_VOTED,
        )
    members = members_count(assembly.cooperative, assembly.held_on)
    quorum, majority = quorum_and_majority(assembly)
    reached = quorum_met(assembly.attendances.count(), members, quorum)
    for r in resolutions:
        r.passed = resolution_passes(
            quorum_reached=reached,
            votes_for=r.votes_for,
            votes_against=r.votes_against,
            majority=majority,
        )
        r.save(update_fields=["passed"])
    assembly.members_count = members
    assembly.quorum_required = quorum
    assembly.majority_required = majority
    assembly.quorum_reached = reached
    assembly.chaired_by = (chaired_by or "").strip()[:200]
    assembly.secretary = (secretary or "").strip()[:200]
    assembly.status = AssemblyStatus.CLOSED
    assembly.closed_at = timezone.now()
    assembly.save()
    return assembly


# --- person merge (registry.merge_hooks) -------------------------------------------------


@service
def governance_merge_person(*, keep, duplicate, actor, reason: str) -> None:
    """The duplicate's mandates and attendance lines become ``keep``'s (hook of
    :func:`registry.services.person_merge`). Both on one assembly's register: one line
    stays (``keep``'s; present in person if either line was), never two votes."""
    for mandate in Mandate.objects.select_for_update().filter(person=duplicate):
        mandate.person = keep
        mandate._change_reason = reason
        mandate.save(update_fields=["person"])
    kept = {a.assembly_id: a for a in Attendance.objects.select_for_update().filter(person=keep)}
    for line in Attendance.objects.select_for_update().filter(person=duplicate):
        line._change_reason = reason
        other = kept.get(line.assembly_id)
        if other is None:
            line.person = keep
            line.save(update_fields=["person"])
            continue
        if other.proxy_holder_id and not line.proxy_holder_id:
            other.proxy_holder = None  # the duplicate's line says: came in person
            other._change_reason = reason
            other.save(update_fields=["proxy_holder"])
        line.delete()
    for line in Attendance.objects.select_for_update().filter(proxy_holder=duplicate):
        line.proxy_holder = None if line.person_id == keep.pk else keep
        line._change_reason = reason
        line.save(update_fields=["proxy_holder"])
