"""Demo data of the network's governance (docs/networkgov.md), idempotent, through the
services: the tariff; four organisations in good standing (dues of last year and this year
paid by phone), one late (joined 45 days ago, unpaid: "en attente" until 31/03), one
lapsed (last paid two years ago); a past ordinary assembly closed with its minutes; an
open consultation on a project."""

from __future__ import annotations

import datetime

PAST = "Assemblée générale ordinaire du réseau"
SIZES = {"small": 15_000, "medium": 50_000, "large": 150_000}


def _member(services, org, owner, *, year, today, pay=True):
    from demo.paid_by_phone import paid_as_provider

    m = services.membership_join(
        actor=owner, organisation=org, size="small", year=year, today=today
    )
    if pay:
        paid_as_provider(purpose="network_dues", target_id=m.pk, label=f"Cotisation {m.pk}",
                         amount=m.dues, phone="+221775550101", actor=owner)  # fmt: skip
    return m


def _past_assembly(services, admin, owners_orgs, held_on):
    a = services.assembly_convene(
        actor=admin, title=PAST, kind="ordinaire", held_on=held_on,
        notice_sent_on=held_on - datetime.timedelta(days=30), place="Dakar et en ligne",
        agenda="1. Rapport moral et financier\n2. Cotisations de l'an prochain\n3. Siège",
        today=held_on - datetime.timedelta(days=30),
    )  # fmt: skip
    budget = services.resolution_add(actor=admin, assembly=a, title="Rapport moral et financier")
    dues = services.resolution_add(actor=admin, assembly=a, title="Cotisations inchangées")
    for i, (owner, org) in enumerate(owners_orgs):
        for r, choice in ((budget, "for"), (dues, "against" if i < 2 else "for")):
            services.vote_cast(actor=owner, resolution=r, organisation=org, choice=choice,
                               today=held_on)  # fmt: skip
    services.assembly_close(actor=admin, assembly=a, chaired_by="Kadiatou Traoré",
                            secretary="Abdou Sarr", today=held_on)  # fmt: skip


def load_networkgov(*, ensure_user) -> list[str]:
    from core import dates
    from demo.network_data import load_network
    from network.models import Kind, OrganisationMember, Project
    from networkgov import services
    from networkgov.models import NetworkAssembly

    report = load_network(ensure_user=ensure_user)
    if NetworkAssembly.objects.filter(title=PAST).exists():
        return [*report, "vie du réseau : déjà chargée"]
    admin = ensure_user("network-admin", "Kadiatou", "Traoré")
    for kind in Kind.values:
        for size, amount in SIZES.items():
            services.tariff_set(actor=admin, kind=kind, size=size, amount=amount)
    today = dates.today()
    last_year = datetime.date(today.year - 1, 1, 15)
    members = []
    for i in range(1, 7):
        owner = ensure_user(f"orga-{i}", "Responsable", f"orga-{i}")
        org = OrganisationMember.objects.filter(user=owner).order_by("id").first().organisation
        members.append((owner, org))
    for owner, org in members[:4]:
        _member(services, org, owner, year=last_year.year, today=last_year)
    owner, org = members[5]  # lapsed: last paid two years ago
    long_ago = datetime.date(today.year - 2, 1, 15)
    _member(services, org, owner, year=long_ago.year, today=long_ago)
    for owner, org in members[:4]:
        _member(services, org, owner, year=today.year, today=datetime.date(today.year, 1, 10))
    owner, org = members[4]
    _member(services, org, owner, year=today.year, today=today - datetime.timedelta(days=45),
            pay=False)  # fmt: skip
    _past_assembly(services, admin, members[:4], today - datetime.timedelta(days=1))
    services.consultation_open(
        actor=admin, title="Le réseau doit-il porter un fonds régional de garantie ?",
        question="Le réseau envisage de soutenir ce projet de la banque de projets. "
        "Votre organisation y est-elle favorable ?",
        project=Project.objects.order_by("id").first(), opens_on=today,
        closes_on=today + datetime.timedelta(days=21),
        options=["Oui, en priorité", "Oui, plus tard", "Non"], today=today,
    )  # fmt: skip
    return [*report, "vie du réseau : 4 membres à jour, 1 en retard, 1 radié ; une assemblée "
            "close avec son procès-verbal ; une consultation ouverte"]  # fmt: skip
