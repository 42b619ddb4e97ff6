"""Demo data of the network's paid consulting (docs/consulting.md), idempotent, through the
services: verified consultants working in Senegal, Mali, Burkina Faso and Côte d'Ivoire
(one waiting for Mali's moderator), an open support request with two proposals, a
finished engagement (paid by phone in two milestones, split 80/10/10, rated by the
client) and what the ESS fund supported with its share (training seats)."""

from __future__ import annotations

import datetime

from core import dates

CONSULTANTS = [
    ("consultant-sn", "Mariama Sow", ["SN", "GM"], ["fr", "wo", "en"], 90_000,
     ["gouvernance coopérative", "plan d'affaires", "SYSCOHADA"], "+221776001001"),
    ("consultant-ml", "Oumar Coulibaly", ["ML", "BF"], ["fr", "bm"], 70_000,
     ["mutuelles de santé", "assurance maladie", "formation d'adultes"], "+22376001002"),
    ("consultant-ci", "Adjoua Kouassi", ["CI"], ["fr", "dyu"], 80_000,
     ["filière cacao", "protection sociale", "études de marché"], "+2250701001003"),
    ("consultant-bf", "Issouf Ouédraogo", ["BF", "ML"], ["fr", "mos"], 60_000,
     ["karité", "commercialisation", "qualité"], "+22670001004"),
]  # fmt: skip


def load_consulting(*, ensure_user) -> list[str]:
    from consulting import services
    from consulting.models import ConsultantProfile
    from demo.network_data import load_network
    from network.models import NetworkStaff, Organisation, OrganisationMember

    if ConsultantProfile.objects.filter(user__username="consultant-sn").exists():
        return ["appui-conseil : déjà chargé"]
    report = load_network(ensure_user=ensure_user)
    admin = NetworkStaff.objects.filter(role="admin").order_by("id").first().user
    profiles = []
    for username, name, countries, languages, rate, skills, phone in CONSULTANTS:
        first, last = name.split(" ", 1)
        profile = services.consultant_profile_save(
            actor=ensure_user(username, first, last), name=name,
            headline=f"{skills[0].capitalize()} et {skills[1]}", skills=skills,
            countries=countries, languages=languages, day_rate=rate,
            references=f"Missions d'appui à des organisations de l'ESS ({', '.join(countries)}).",
            payout_phone=phone, payout_provider="wave",
        )  # fmt: skip
        if username != "consultant-bf":  # waits for Mali's moderator
            profile = services.consultant_verify(actor=admin, profile=profile, decision="verify")
        profiles.append(profile)
    thies = Organisation.objects.get(name__startswith="Union des transformatrices")
    segou = Organisation.objects.get(name__startswith="Mutuelle de santé des producteurs")
    owner = OrganisationMember.objects.get(organisation=thies, is_owner=True).user
    segou_owner = OrganisationMember.objects.get(organisation=segou, is_owner=True).user
    engagement = _finished(services, thies, owner, profiles[0])
    _open_request(services, segou, segou_owner, profiles[1:3])
    services.ess_support_grant(
        actor=admin, kind="training", organisation=segou, seats=2, amount=40_000,
        on=dates.today(), description="Formation « Gérer une mutuelle de santé » (BIT)",
    )  # fmt: skip
    return report + [
        f"appui-conseil : {len(profiles)} consultants (SN, ML, CI, BF ; consultant-bf attend "
        f"moderateur-ml), une mission payée et notée (n° {engagement.pk}), une demande ouverte "
        "avec deux propositions, un soutien du fonds ESS ; consultant-sn…consultant-bf"
    ]


def _finished(services, org, owner, consultant):
    request = services.support_request_create(
        actor=owner, organisation=org, title="Plan d'affaires de l'unité de transformation",
        description="Un plan d'affaires sur trois ans et la formation du bureau à le suivre.",
        skills="plan d'affaires, gouvernance", budget=500_000,
    )  # fmt: skip
    proposal = services.proposal_submit(
        actor=consultant.user, request=request, amount=450_000, days=5,
        message="Diagnostic en deux jours à Thiès, plan d'affaires, restitution au bureau.",
    )  # fmt: skip
    today = dates.today()
    engagement = services.proposal_accept(
        actor=owner, proposal=proposal,
        milestones=[
            {"title": "Diagnostic", "amount": 150_000, "due_on": today - datetime.timedelta(20)},
            {"title": "Plan d'affaires remis", "amount": 300_000, "due_on": today},
        ],
    )  # fmt: skip
    for amount in (150_000, 300_000):
        _paid(engagement, owner, amount)
    services.engagement_rate(
        actor=owner, engagement=engagement, rating=5, comment="Un plan clair, adopté par l'AG."
    )
    return engagement


def _open_request(services, org, owner, consultants):
    request = services.support_request_create(
        actor=owner, organisation=org, title="Étendre la mutuelle aux travailleurs du coton",
        description="Étude de faisabilité : cotisations, paniers de soins, partenariat avec la "
        "filière, à partir de l'expérience ivoirienne du cacao.",
        skills="mutuelles de santé, protection sociale", budget=800_000,
    )  # fmt: skip
    for consultant, amount in zip(consultants, (700_000, 760_000), strict=True):
        services.proposal_submit(
            actor=consultant.user, request=request, amount=amount, days=10,
            message=f"{consultant.name} : étude en dix jours, restitution à Ségou.",
        )  # fmt: skip


def _paid(engagement, owner, amount):
    """A payment by phone as a provider would confirm it (demo.paid_by_phone): the
    ``engagement`` purpose is called once (the split, the books, the payout)."""
    from demo.paid_by_phone import paid_as_provider

    paid_as_provider(purpose="engagement", target_id=engagement.pk, label=engagement.title,
                     amount=amount, phone="+221775550101", actor=owner)  # fmt: skip
