"""Demo data of the African ESS network's portal (docs/network.md), idempotent, through
the services: the network's administrator ``network-admin``, moderators of Senegal and
Mali, organisations of Senegal, Mali, Burkina Faso and Côte d'Ivoire, projects, and two
campaigns: one succeeding with a match fund, one failing (ended under its goal, closed by
``manage.py network_close_due --as network-admin``, which refunds its donors)."""

from __future__ import annotations

import datetime

from core import dates, files

# a minimal one-page PDF: the organisations' statutes that the moderators checked
STATUTES = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 200 200]>>endobj\ntrailer<</Root 1 0 R>>\n"
)

ORGS = [
    (
        "SN",
        "Thiès",
        "Union des transformatrices de céréales de Thiès",
        "gie",
        ["transformation", "agriculture"],
    ),
    ("SN", "Ziguinchor", "Coopérative des ostréicultrices de Ziguinchor", "cooperative", ["peche"]),
    (
        "ML",
        "Ségou",
        "Mutuelle de santé des producteurs de Ségou",
        "mutuelle",
        ["sante", "assurance"],
    ),
    ("ML", "Kayes", "Coopérative d'eau potable de Kayes", "cooperative", ["eau"]),
    (
        "BF",
        "Bobo-Dioulasso",
        "Réseau des GIE de karité de Bobo-Dioulasso",
        "reseau",
        ["transformation", "commerce"],
    ),
    (
        "CI",
        "Bouaké",
        "Association des jeunes maraîchers de Bouaké",
        "association",
        ["agriculture", "environnement"],
    ),
]


def load_network(*, ensure_user) -> list[str]:
    from network import services
    from network.models import Campaign, NetworkStaff, Organisation, StaffRole

    if Organisation.objects.filter(name=ORGS[0][2]).exists():
        return ["réseau : déjà chargé"]
    root = ensure_user("national", "Aïssatou", "Diallo", staff=True)
    admin = ensure_user("network-admin", "Kadiatou", "Traoré")
    mod_sn = ensure_user("moderateur-sn", "Abdou", "Sarr")
    mod_ml = ensure_user("moderateur-ml", "Fanta", "Keïta")
    if not NetworkStaff.objects.filter(user=admin).exists():
        services.staff_assign(actor=root, user=admin, role=StaffRole.ADMIN)
        services.staff_assign(actor=root, user=mod_sn, role=StaffRole.MODERATOR, country="SN")
        services.staff_assign(actor=root, user=mod_ml, role=StaffRole.MODERATOR, country="ML")
    orgs = []
    for i, (country, city, name, kind, sectors) in enumerate(ORGS):
        owner = ensure_user(f"orga-{i + 1}", "Responsable", city)
        org, code = services.organisation_register(
            owner=owner, name=name, kind=kind, country=country, city=city, sectors=sectors,
            email=f"orga-{i + 1}@demo.sunucoop.sn", phone="",
            description=f"**{name}** : une organisation de l'économie sociale et solidaire.",
        )  # fmt: skip
        services.organisation_verify_contact(organisation=org, code=code)
        services.organisation_moderate(actor=admin, organisation=org, decision="approve")
        services.organisation_file_add(
            actor=owner, organisation=org, kind="statuts",
            file=files.clean_bytes("statuts.pdf", STATUTES, kinds=files.DOCUMENTS,
                                   max_bytes=len(STATUTES)),
        )  # fmt: skip
        services.organisation_verify_documents(actor=admin, organisation=org)
        orgs.append((org, owner))
    pending, _code = services.organisation_register(
        name="Association des femmes potières de Kalabougou", kind="association",
        country="ML", city="Kalabougou", sectors=["artisanat"], email="kalabougou@demo.sunucoop.sn",
    )  # fmt: skip
    org, owner = orgs[0]
    services.organisation_update(
        actor=owner, organisation=org, payout_phone="+221775550101", payout_provider="wave"
    )
    success = _campaign(services, org, owner, "Décortiqueuse et séchoir solaire", 150_000)
    failing = _campaign(
        services, orgs[3][0], orgs[3][1], "Château d'eau du quartier Liberté", 2_000_000
    )
    services.match_fund_open(
        actor=admin, sponsor="Fondation Sahel Solidaire", budget=500_000, factor="2",
        max_per_pledge=10_000, max_per_project=100_000, campaigns=[success],
    )  # fmt: skip
    donors = [
        ("Awa Ndiaye", "+221771000001", 5_000),
        ("Binta Diop", "+221771000002", 20_000),
        ("Cheikh Fall", "+221771000003", 50_000),
        ("Moussa Coulibaly", "+22370000004", 15_000),
    ]
    for name, phone, amount in donors:
        _paid_pledge(services, success, name, phone, amount)
    for name, phone, amount in donors[:2]:
        _paid_pledge(services, failing, name, phone, amount)
    today = dates.today()
    Campaign.objects.filter(pk=failing.pk).update(
        starts_on=today - datetime.timedelta(days=40), ends_on=today - datetime.timedelta(days=1)
    )  # demo: its end date has passed (network_close_due fails it and refunds)
    return [
        f"réseau : {len(orgs)} organisations (SN, ML, BF, CI), 1 en attente ({pending.name}), "
        "2 campagnes (une réussie avec doublement, une échue sous son objectif) ; "
        "network-admin, moderateur-sn, moderateur-ml, orga-1…orga-6"
    ]


def _campaign(services, org, owner, title, goal):
    today = dates.today()
    project = services.project_create(
        actor=owner, organisation=org, title=title, sector="transformation", stage="demarrage",
        summary=f"{title} pour les membres de {org.name}.", budget=goal * 3, needs_money=goal,
        needs_skills="gestion, maintenance", needs_equipment="panneaux solaires",
    )  # fmt: skip
    return services.campaign_create(
        actor=owner, project=project, goal=goal, starts_on=today,
        ends_on=today + datetime.timedelta(days=30), mode="all_or_nothing",
    )  # fmt: skip


def _paid_pledge(services, campaign, name, phone, amount):
    """A pledge paid as a provider would confirm it (demo.paid_by_phone): the pledge
    counts, the funds match it."""
    from demo.paid_by_phone import paid_as_provider

    pledge = services.pledge_record(
        campaign=campaign, amount=amount, donor_name=name, donor_phone=phone,
        provider="wave", actor=None,
    )  # fmt: skip
    paid_as_provider(purpose="pledge", target_id=pledge.pk, label=f"Don {pledge.pk}",
                     amount=amount, phone=pledge.donor_phone)  # fmt: skip
