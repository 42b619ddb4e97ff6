"""Every read of training and follow-up, scoped to the acting user through accounts.scoping.

- Catalogue: every signed-in user.
- Trainers: national and agents.
- Sessions: national all; agents the sessions held in their area; officers and members the
  sessions their cooperative's members (or they themselves) attend.
- Visits, actions, diagnostics, plans: by cooperative scope, for national, agents and the
  cooperative's officers (not members or lenders).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.db.models import (
    Case,
    Count,
    IntegerField,
    Max,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.utils.translation import gettext as _

from accounts.scoping import NOTHING, scope_for, scope_q
from core.errors import NotFound
from core.text import search_q
from registry.models import Cooperative, Stage
from registry.selectors import cooperative_scope_q
from training import policy
from training.models import (
    PROGRAMME_ORDER,
    Attendance,
    Certification,
    Diagnostic,
    Module,
    Participant,
    Programme,
    Session,
    SupportPlan,
    Trainer,
    Visit,
    VisitAction,
    VisitPhoto,
)
from training.rules import is_staff

# --- catalogue and trainers --------------------------------------------------------------


def module_list(*, actor, programme: str | None = None, active: bool | None = None):
    if scope_for(actor).is_empty:
        return Module.objects.none()
    qs = Module.objects.annotate(
        programme_rank=Case(
            *[When(programme=p, then=Value(i)) for i, p in enumerate(PROGRAMME_ORDER)],
            output_field=IntegerField(),
        )
    ).order_by("programme_rank", "position", "id")
    if programme:
        qs = qs.filter(programme=programme)
    if active is not None:
        qs = qs.filter(active=active)
    return qs


def module_get(*, actor, pk) -> Module:
    try:
        return module_list(actor=actor).get(pk=pk)
    except (Module.DoesNotExist, ValueError, TypeError):
        raise NotFound(_("Module introuvable."), field="module") from None


def trainer_list(*, actor, q: str | None = None, module=None) -> QuerySet[Trainer]:
    if not is_staff(actor):
        return Trainer.objects.none()
    qs = Trainer.objects.select_related("user").prefetch_related(
        Prefetch("certifications", queryset=Certification.objects.select_related("module"))
    )
    if q:
        qs = qs.filter(search_q(q))
    if module is not None:
        qs = qs.filter(certifications__module=module)
    return qs


def trainer_user_get(*, actor, username: str):
    """The account to link to a new trainer (national role only)."""
    from accounts.models import User

    if not scope_for(actor).national:
        raise NotFound(_("Compte introuvable."), field="username")
    try:
        return User.objects.get(username=username, is_active=True)
    except User.DoesNotExist:
        raise NotFound(_("Aucun compte actif avec cet identifiant."), field="username") from None


def trainer_get(*, actor, pk) -> Trainer:
    try:
        return trainer_list(actor=actor).get(pk=pk)
    except (Trainer.DoesNotExist, ValueError, TypeError):
        raise NotFound(_("Formateur introuvable."), field="trainers") from None


# --- sessions ----------------------------------------------------------------------------


def session_scope_q(actor) -> Q:
    scope = scope_for(actor)
    if scope.national:
        return Q()
    q = scope_q(scope, area="commune")
    attended = scope_q(scope, cooperative="cooperative", person="person")
    if attended != NOTHING:
        q |= Q(id__in=Participant.objects.filter(attended).values("session_id"))
    return q


def session_list(
    *,
    actor,
    programme: str | None = None,
    module=None,
    commune: str | None = None,
    starts_from: datetime.date | None = None,
    starts_until: datetime.date | None = None,
) -> QuerySet[Session]:
    qs = (
        Session.objects.filter(session_scope_q(actor))
        .select_related("module", "commune")
        .prefetch_related("trainers")
        .annotate(
            participant_count=Count("participants", distinct=True),
            completed_count=Count(
                "participants", filter=Q(participants__completed=True), distinct=True
            ),
        )
        .order_by("-starts_on", "-id")
    )
    if programme:
        qs = qs.filter(module__programme=programme)
    if module:
        qs = qs.filter(module=module)
    if commune:
        qs = qs.filter(commune__path__contains=f"/{commune}/")
    if starts_from:
        qs = qs.filter(starts_on__gte=starts_from)
    if starts_until:
        qs = qs.filter(starts_on__lte=starts_until)
    return qs


def session_get(*, actor, pk) -> Session:
    try:
        return session_list(actor=actor).get(pk=pk)
    except (Session.DoesNotExist, ValueError, TypeError):
        raise NotFound(_("Session introuvable.")) from None


def participant_list(*, actor, session: Session) -> QuerySet[Participant]:
    """The participants of a session the actor may see (session_get first)."""
    return session.participants.select_related("person", "cooperative")


def enrolment_candidates(*, actor, session: Session, q: str, limit: int = 10):
    """Persons the actor sees, matching ``q``, not yet enrolled in the session."""
    from registry.selectors import person_list

    return (
        person_list(actor=actor)
        .filter(search_q(q))
        .exclude(training_participations__session=session)
        .order_by("last_name", "first_name", "id")[:limit]
    )


def attendance_list(*, actor, session: Session) -> QuerySet[Attendance]:
    return (
        Attendance.objects.filter(participant__session=session)
        .select_related("participant__person")
        .order_by("day", "participant__person__last_name", "participant_id")
    )


@dataclass
class GridRow:
    participant: Participant
    cells: list = field(default_factory=list)  # [(day, present: bool | None)]
    score_input: str | None = None  # what was typed, when a sheet comes back with an error

    @property
    def days_present(self) -> int:
        return sum(1 for _day, present in self.cells if present)


def attendance_grid(*, actor, session: Session) -> list[GridRow]:
    """One row per participant, one cell per day of the session (None = not recorded)."""
    marks = {
        (a.participant_id, a.day): a.present
        for a in Attendance.objects.filter(participant__session=session)
    }
    days = session.days
    return [
        GridRow(p, [(d, marks.get((p.pk, d))) for d in days])
        for p in participant_list(actor=actor, session=session)
    ]


# --- follow-up ---------------------------------------------------------------------------


def _follow_up_q(actor, prefix: str = "cooperative") -> Q:
    scope = scope_for(actor)
    return scope_q(scope, area=f"{prefix}__commune", cooperative=prefix)


def visit_list(
    *,
    actor,
    cooperative=None,
    q: str | None = None,
    visited_from: datetime.date | None = None,
    visited_until: datetime.date | None = None,
) -> QuerySet[Visit]:
    qs = (
        Visit.objects.filter(_follow_up_q(actor))
        .select_related("cooperative__commune", "visitor", "diagnostic")
        .prefetch_related("actions")
    )
    if cooperative is not None:
        qs = qs.filter(cooperative=cooperative)
    if q:
        qs = qs.filter(search_q(q, "cooperative__search_text"))
    if visited_from:
        qs = qs.filter(visited_on__gte=visited_from)
    if visited_until:
        qs = qs.filter(visited_on__lte=visited_until)
    return qs


def visit_get(*, actor, pk) -> Visit:
    try:
        return visit_list(actor=actor).get(pk=pk)
    except (Visit.DoesNotExist, ValueError, TypeError):
        raise NotFound(_("Visite introuvable.")) from None


def visit_photo_list(*, actor) -> QuerySet[VisitPhoto]:
    """The photos of the visits ``actor`` may see, the image itself left unread (``data``
    deferred) until asked."""
    return VisitPhoto.objects.filter(_follow_up_q(actor, "visit__cooperative")).defer("data")


def visit_photo_get(*, actor, visit_pk) -> VisitPhoto:
    try:
        return visit_photo_list(actor=actor).defer(None).get(visit_id=visit_pk)
    except (VisitPhoto.DoesNotExist, ValueError, TypeError):
        raise NotFound(_("Photo introuvable.")) from None


def visit_action_list(
    *, actor, overdue_as_of: datetime.date | None = None, cooperative=None
) -> QuerySet[VisitAction]:
    qs = VisitAction.objects.filter(_follow_up_q(actor)).select_related(
        "cooperative__commune", "visit"
    )
    if cooperative is not None:
        qs = qs.filter(cooperative=cooperative)
    if overdue_as_of is not None:
        qs = qs.filter(done_on__isnull=True, due_on__lt=overdue_as_of)
    return qs


def visit_action_get(*, actor, pk) -> VisitAction:
    try:
        return visit_action_list(actor=actor).get(pk=pk)
    except (VisitAction.DoesNotExist, ValueError, TypeError):
        raise NotFound(_("Action introuvable.")) from None


def diagnostic_history(*, actor, cooperative) -> list[Diagnostic]:
    """The cooperative's diagnostics, oldest first, so progress reads left to right."""
    return list(
        Diagnostic.objects.filter(_follow_up_q(actor), cooperative=cooperative)
        .select_related("visit")
        .order_by("visit__visited_on", "id")
    )


def support_plan_get(*, actor, cooperative) -> SupportPlan | None:
    return (
        SupportPlan.objects.filter(_follow_up_q(actor), cooperative=cooperative)
        .select_related("updated_by")
        .first()
    )


def followed_cooperative_get(*, actor, pk) -> Cooperative:
    """A cooperative whose follow-up the actor may see (staff and its officers), else 404."""
    try:
        return (
            Cooperative.objects.filter(scope_q(scope_for(actor), area="commune", cooperative="id"))
            .select_related("commune")
            .get(pk=pk)
        )
    except (Cooperative.DoesNotExist, ValueError, TypeError):
        raise NotFound(_("Coopérative introuvable."), field="cooperative") from None


def followed_cooperative_list(*, actor) -> QuerySet[Cooperative]:
    return Cooperative.objects.filter(
        scope_q(scope_for(actor), area="commune", cooperative="id")
    ).select_related("commune")


# --- progress Think -> Start -> My ---------------------------------------------------------

NEXT_STAGE = {
    # (programme completed) -> {current stage: suggested next stage}
    Programme.THINK: {Stage.SENSIBILISEE: Stage.EN_CONSTITUTION},
    Programme.START: {
        Stage.SENSIBILISEE: Stage.EN_CONSTITUTION,
        Stage.EN_CONSTITUTION: Stage.IMMATRICULEE,
        Stage.IMMATRICULEE: Stage.EN_ACTIVITE,
    },
    Programme.MY: {Stage.EN_ACTIVITE: Stage.CONSOLIDEE},
}


@dataclass
class ProgrammeStep:
    programme: str
    label: str
    modules: list  # [(module, completers: int)]
    done: bool

    @property
    def covered(self) -> int:
        return sum(1 for _m, n in self.modules if n)

    @property
    def total(self) -> int:
        return len(self.modules)

    @property
    def started(self) -> bool:
        return self.covered > 0


@dataclass
class CooperativeProgress:
    cooperative: Cooperative
    steps: list[ProgrammeStep]
    next_module: Module | None
    suggested_stage: str | None
    trained_people: int

    @property
    def suggested_stage_label(self) -> str:
        return Stage(self.suggested_stage).label if self.suggested_stage else ""


def cooperative_progress(*, actor, cooperative) -> CooperativeProgress:
    """The cooperative's path Think → Start → My from its members' completed sessions.

    A programme is done when every active module of it was completed by at least one
    person enrolled for this cooperative. The next lifecycle stage is suggested from the
    furthest programme done (the suggestion is never applied automatically).
    """
    if not Cooperative.objects.filter(cooperative_scope_q(actor), pk=cooperative.pk).exists():
        raise NotFound(_("Coopérative introuvable."), field="cooperative")
    completions = dict(
        Participant.objects.filter(cooperative=cooperative, completed=True)
        .values_list("session__module_id")
        .annotate(n=Count("person_id", distinct=True))
    )
    trained = (
        Participant.objects.filter(cooperative=cooperative, completed=True)
        .values("person_id")
        .distinct()
        .count()
    )
    modules = list(Module.objects.filter(active=True))
    steps = []
    next_module = None
    for programme in PROGRAMME_ORDER:
        mods = [(m, completions.get(m.pk, 0)) for m in modules if m.programme == programme]
        done = bool(mods) and all(n for _m, n in mods)
        steps.append(ProgrammeStep(programme, Programme(programme).label, mods, done))
        if next_module is None:
            next_module = next((m for m, n in mods if not n), None)
    suggested = None
    for step in steps:
        if step.done:
            suggested = NEXT_STAGE[step.programme].get(cooperative.stage, suggested)
    if suggested is not None and Stage.values.index(suggested) <= Stage.values.index(
        cooperative.stage
    ):
        suggested = None
    return CooperativeProgress(cooperative, steps, next_module, suggested, trained)


# --- "supported" (for the 90 % target) ------------------------------------------------------


def cooperatives_supported(*, actor, as_of: datetime.date) -> QuerySet[Cooperative]:
    """Cooperatives in the actor's scope that count as substantially supported on ``as_of``.

    The rule is configurable (training.policy): by default at least one training completed
    by a member (session ended on or before as_of) and at least one visit in the last 183
    days up to as_of.
    """
    rule = policy.supported_rule()
    window_start = as_of - datetime.timedelta(days=rule.visit_window_days)
    trainings = (
        Participant.objects.filter(
            cooperative=OuterRef("pk"), completed=True, session__ends_on__lte=as_of
        )
        .order_by()
        .values("cooperative")
        .annotate(n=Count("id"))
        .values("n")
    )
    visits = (
        Visit.objects.filter(
            cooperative=OuterRef("pk"), visited_on__gt=window_start, visited_on__lte=as_of
        )
        .order_by()
        .values("cooperative")
        .annotate(n=Count("id"))
        .values("n")
    )
    qs = Cooperative.objects.filter(cooperative_scope_q(actor)).exclude(stage=Stage.DISSOUTE)
    if rule.min_completed_trainings > 0:
        qs = qs.annotate(completed_trainings=Subquery(trainings)).filter(
            completed_trainings__gte=rule.min_completed_trainings
        )
    if rule.min_visits > 0:
        qs = qs.annotate(recent_visits=Subquery(visits)).filter(recent_visits__gte=rule.min_visits)
    return qs


# --- the agent's work list -------------------------------------------------------------------


def worklist(*, actor, as_of: datetime.date, days: int | None = None) -> dict:
    """What a field agent should do next, in their scope."""
    days = days if days is not None else policy.setting("VISIT_DUE_AFTER_DAYS")
    since = as_of - datetime.timedelta(days=days)
    coops = (
        followed_cooperative_list(actor=actor)
        .exclude(stage=Stage.DISSOUTE)
        .annotate(last_visit=Max("visits__visited_on", filter=Q(visits__visited_on__lte=as_of)))
        .filter(Q(last_visit__isnull=True) | Q(last_visit__lt=since))
        .order_by("last_visit", "name")
    )
    coming_days = policy.setting("COMING_SESSIONS_DAYS")
    sessions = session_list(
        actor=actor,
        starts_from=as_of,
        starts_until=as_of + datetime.timedelta(days=coming_days),
    ).order_by("starts_on", "id")
    overdue = visit_action_list(actor=actor, overdue_as_of=as_of).order_by("due_on", "id")
    return {
        "as_of": as_of,
        "days": days,
        "coming_days": coming_days,
        "not_visited": coops,
        "overdue_actions": overdue,
        "coming_sessions": sessions,
    }


def commune_choices(*, actor):
    """Communes where the actor may hold a session (national: all; agents: their area)."""
    from geo.models import Area, AreaLevel

    scope = scope_for(actor)
    qs = Area.objects.filter(level=AreaLevel.COMMUNE).select_related("parent")
    if scope.national:
        return qs.order_by("name")
    q = NOTHING
    for path in sorted(scope.area_paths):
        q |= Q(path__startswith=path)
    return qs.filter(q).order_by("name")
