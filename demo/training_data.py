"""Training part of the demo: certified trainers (the demo agents and a partner), sessions in
Tambacounda and Thiès with attendance, visits with diagnostics and actions, support plans.

Through the training services, so every rule holds (certified trainers only, attendance
within the session's dates). Idempotent: a trainer (by name), a session (by module, commune
and kind), a visit (by cooperative and purpose) or a plan that exists is left alone. Dates
are relative to the day the demo is loaded so that the work list and the "supported" rule
have something current to show.
"""

from __future__ import annotations

import datetime

from accounts.models import User
from core import dates
from registry.models import Cooperative, Membership, MembershipStatus, Stage
from training import services
from training.models import Certification, Module, Session, SupportPlan, Trainer, Visit

AGENT_MODULES = [
    "think-coop",
    "start-1-membres-idee",
    "start-2-faisabilite",
    "start-3-plan-affaires",
    "start-4-lancement",
]
PARTNER = ("Fatou Sarr", "Bureau international du Travail (BIT) · ITCILO")
ACTIONS = [
    ("Ouvrir un cahier de caisse et y reporter chaque recette", "Trésorière"),
    ("Tenir l'assemblée générale annuelle", "Président(e)"),
    ("Déposer le dossier d'immatriculation au RSC", "Secrétaire"),
]


def _trainer(actor, *, name, kind, organisation="", user=None) -> Trainer:
    existing = Trainer.objects.filter(name=name).first()
    if existing:
        return existing
    return services.trainer_create(
        actor=actor, name=name, kind=kind, organisation=organisation, user=user
    )


def _certify(actor, trainer, code, on, tot_session=None) -> None:
    module = Module.objects.get(code=code)
    if not Certification.objects.filter(trainer=trainer, module=module).exists():
        services.trainer_certify(
            actor=actor, trainer=trainer, module=module, certified_on=on, tot_session=tot_session
        )


def _session(actor, *, code, commune, starts_on, days, trainers, kind="regular", venue=""):
    module = Module.objects.get(code=code)
    existing = Session.objects.filter(module=module, commune=commune, kind=kind).first()
    if existing:
        return existing, False
    session = services.session_create(
        actor=actor,
        module=module,
        commune=commune,
        starts_on=starts_on,
        ends_on=starts_on + datetime.timedelta(days=days - 1),
        trainers=trainers,
        kind=kind,
        venue=venue,
    )
    return session, True


def _enrol_and_attend(actor, session, cooperatives, *, record: bool) -> int:
    for coop in cooperatives:
        services.cooperative_members_enrol(actor=actor, session=session, cooperative=coop)
    if not record:
        return 0
    participants = list(session.participants.order_by("person__last_name", "id"))
    days = session.days
    presence = {}
    for i, p in enumerate(participants):
        # Most attend every day; every fifth misses the last day (not completed).
        presence[p.pk] = set(days[:-1]) if i % 5 == 4 and len(days) > 1 else set(days)
    scores = {p.pk: 10 + (i * 3) % 10 for i, p in enumerate(participants)}
    services.attendance_sheet_record(actor=actor, session=session, presence=presence, scores=scores)
    return len(participants)


def _region_coops(region_code: str, n: int) -> list[Cooperative]:
    return list(
        Cooperative.objects.filter(commune__path__contains=f"/{region_code}/")
        .exclude(stage=Stage.DISSOUTE)
        .filter(memberships__status=MembershipStatus.ACTIVE)
        .distinct()
        .select_related("commune")
        .order_by("name")[:n]
    )


def _visits(actor, coops, today) -> int:
    created = 0
    for i, coop in enumerate(coops):
        base = {
            "governance": 1 + i % 2,
            "bookkeeping": i % 2,
            "production": 2,
            "market": 1,
            "finance": i % 2,
        }
        plan = [
            ("Diagnostic initial", today - datetime.timedelta(days=170 + i), base, 0),
            (
                "Visite de suivi",
                today - datetime.timedelta(days=40 + i),
                {
                    k: min(4, v + (1 if k in ("bookkeeping", "governance", "finance") else 0))
                    for k, v in base.items()
                },
                1,
            ),
        ]
        for purpose, visited_on, diagnostic, round_ in plan:
            if Visit.objects.filter(cooperative=coop, purpose=purpose).exists():
                continue
            description, owner = ACTIONS[(i + round_) % len(ACTIONS)]
            due = visited_on + datetime.timedelta(days=30 if round_ == 0 else 25 + 10 * (i % 3))
            services.visit_record(
                actor=actor,
                cooperative=coop,
                visited_on=visited_on,
                purpose=purpose,
                findings="Registre des membres à jour ; comptabilité encore tenue de mémoire."
                if round_ == 0
                else "Cahier de caisse ouvert ; les ventes progressent au marché hebdomadaire.",
                actions=[{"description": description, "owner": owner, "due_on": due}],
                diagnostic=diagnostic,
            )
            created += 1
            if round_ == 0:
                action = Visit.objects.get(cooperative=coop, purpose=purpose).actions.get()
                services.visit_action_complete(
                    actor=actor, action=action, done_on=visited_on + datetime.timedelta(days=20)
                )
    return created


def load_training(*, actor) -> list[str]:
    today = dates.today()
    agent_tc = User.objects.get(username="agent-tambacounda")
    agent_th = User.objects.get(username="agent-thies")
    partner = _trainer(actor, name=PARTNER[0], kind="partner", organisation=PARTNER[1])
    master_on = today - datetime.timedelta(days=300)
    for code in Module.objects.values_list("code", flat=True):
        _certify(actor, partner, code, master_on)
    trainers = {
        agent_tc: _trainer(
            actor, name="Mamadou Cissé", kind="agent", organisation="MMESS", user=agent_tc
        ),
        agent_th: _trainer(
            actor, name="Ndèye Faye", kind="agent", organisation="MMESS", user=agent_th
        ),
    }
    # Training of trainers (Start.COOP 1) in Thiès, led by the partner's master trainer.
    tc_coops, th_coops = _region_coops("SN-TC", 8), _region_coops("SN-TH", 8)
    if not th_coops or not tc_coops:
        return ["formation : registre vide, rien à charger"]
    tot, _ = _session(
        actor,
        code="start-1-membres-idee",
        commune=th_coops[0].commune,
        starts_on=today - datetime.timedelta(days=260),
        days=3,
        trainers=[partner],
        kind="tot",
        venue="Centre régional de formation",
    )
    for trainer in trainers.values():
        for code in AGENT_MODULES:
            _certify(
                actor,
                trainer,
                code,
                tot.ends_on,
                tot_session=tot if code == "start-1-membres-idee" else None,
            )
    sessions, attended = 0, 0
    for agent, coops in ((agent_tc, tc_coops), (agent_th, th_coops)):
        trainer = trainers[agent]
        first, second = coops[0], coops[1] if len(coops) > 1 else coops[0]
        plan = [
            ("think-coop", first.commune, 200, 1, [first, second], True),
            ("start-1-membres-idee", first.commune, 150, 2, [first], True),
            ("start-2-faisabilite", first.commune, 90, 2, [first], True),
            ("start-3-plan-affaires", first.commune, -12, 3, [first], False),
        ]
        for code, commune, days_ago, length, enrolled, record in plan:
            session, created = _session(
                agent,
                code=code,
                commune=commune,
                starts_on=today - datetime.timedelta(days=days_ago),
                days=length,
                trainers=[trainer],
                venue="Maison communautaire",
            )
            if created:
                sessions += 1
                attended += _enrol_and_attend(agent, session, enrolled, record=record)
    visits = _visits(agent_tc, tc_coops[:5], today) + _visits(agent_th, th_coops[:5], today)
    plans = 0
    for agent, coop in ((agent_tc, tc_coops[0]), (agent_th, th_coops[0])):
        if not SupportPlan.objects.filter(cooperative=coop).exists():
            services.support_plan_save(
                actor=agent,
                cooperative=coop,
                objectives="Achever Start.COOP, immatriculer la coopérative, tenir une "
                "comptabilité simple.",
                planned_support="Start.COOP 3 et 4 ; visite mensuelle ; mise en relation avec la "
                "MEC pour un premier crédit de fonds de roulement.",
                target_stage=Stage.IMMATRICULEE,
                review_on=today + datetime.timedelta(days=60),
            )
            plans += 1
    members = Membership.objects.filter(status=MembershipStatus.ACTIVE).count()
    return [
        f"formation : {sessions} sessions, {attended} présences saisies, {visits} visites, "
        f"{plans} plans d'accompagnement ({members} adhésions actives au registre)"
    ]
