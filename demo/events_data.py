"""Demo data of the network's training and events (docs/events.md), idempotent, through
the services: the secretariat's assises of the ESS in Abidjan (a fee paid by phone), and
a Think.COOP course of the ILO catalogue offered by the Ségou mutual (free), with a
registration from Côte d'Ivoire."""

from __future__ import annotations

import datetime

ASSISES = "Assises africaines de l'ESS 2027 : protection sociale des travailleurs informels"


def load_events(*, ensure_user) -> list[str]:
    from django.utils import timezone

    from demo.network_data import load_network
    from events import services
    from events.models import Event
    from network.models import OrganisationMember
    from training.models import Module

    report = load_network(ensure_user=ensure_user)
    if Event.objects.filter(title=ASSISES).exists():
        return [*report, "formations et événements : déjà chargés"]

    def org_of(login):
        user = ensure_user(login, "Responsable", login)
        return user, OrganisationMember.objects.filter(user=user).order_by(
            "id"
        ).first().organisation

    start = timezone.now().replace(hour=9, minute=0, second=0, microsecond=0)
    thies_user, thies = org_of("orga-1")
    services.event_publish(
        actor=thies_user, organiser=thies, kind="assises", title=ASSISES,
        description="Deux jours d'échanges entre les réseaux de 14 pays ; atelier sur "
        "l'affiliation des travailleurs du cacao à l'assurance maladie.",
        country="CI", place="Abidjan", starts_at=start + datetime.timedelta(days=45),
        ends_at=start + datetime.timedelta(days=46, hours=8), capacity=300, fee=25_000,
    )  # fmt: skip
    segou_user, segou = org_of("orga-3")
    course = services.event_publish(
        actor=segou_user, organiser=segou, kind="course",
        title="Think.COOP pour les mutuelles de santé du Sahel",
        description="Le module de sensibilisation de l'OIT, adapté aux mutuelles.",
        module=Module.objects.filter(active=True, programme="think").order_by("position").first(),
        country="ML", place="Ségou", starts_at=start + datetime.timedelta(days=20),
        ends_at=start + datetime.timedelta(days=21, hours=8), capacity=25, fee=0,
    )  # fmt: skip
    bouake_user, bouake = org_of("orga-6")
    services.registration_create(
        actor=bouake_user, event=course, organisation=bouake, participant_name="Awa Koné"
    )
    return [*report, "formations et événements : des assises et un cours du catalogue OIT"]
