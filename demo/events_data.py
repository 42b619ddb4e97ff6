"""Demo data of the network's training and events (docs/events.md), idempotent, through
the services: the secretariat's assises of the ESS in Abidjan (a fee paid by phone), and
a Think.COOP course of the ILO catalogue offered by the Ségou mutual (free), with a
registration from Côte d'Ivoire; and a course that took place last month in Thiès, its
two fees paid by phone and paid out to its organiser less the platform's commission
(the statement at /reseau/evenements/<id>/versement/, as ``orga-1`` or ``network-admin``)."""

from __future__ import annotations

import datetime

ASSISES = "Assises africaines de l'ESS 2027 : protection sociale des travailleurs informels"
PAST = "Comptabilité SYSCOHADA des GIE de transformation (session de Thiès)"


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
    paid_out = _paid_out_course(thies_user, thies, [(segou_user, segou), (bouake_user, bouake)])
    return [
        *report,
        "formations et événements : des assises, un cours du catalogue OIT, "
        f"une formation passée versée à l'organisateur ({paid_out} F CFA net)",
    ]


def _paid_out_course(owner, organiser, participants) -> int:
    """A course held last month: two fees paid by phone, attendance, and its payout to the
    organiser (through the Wave sandbox, as in production)."""
    from django.contrib.auth import get_user_model
    from django.utils import timezone

    from demo.paid_by_phone import paid_as_provider, with_wave_sandbox
    from events import services

    start = timezone.now().replace(hour=9, minute=0, second=0, microsecond=0)
    start -= datetime.timedelta(days=30)
    event = services.event_publish(
        actor=owner, organiser=organiser, kind="course", title=PAST,
        description="Trois jours : le plan comptable, les états financiers, le rapport annuel.",
        country="SN", place="Thiès", starts_at=start,
        ends_at=start + datetime.timedelta(days=2, hours=8), capacity=20, fee=15_000,
        now=start - datetime.timedelta(days=30),
    )  # fmt: skip
    for (user, org), name in zip(participants, ("Fatoumata Coulibaly", "Yao Kouassi"), strict=True):
        reg = services.registration_create(
            actor=user, event=event, organisation=org, participant_name=name,
            now=start - datetime.timedelta(days=10),
        )  # fmt: skip
        paid_as_provider(purpose="event_fee", target_id=reg.pk, label=PAST, amount=15_000,
                         phone="+223765550101", actor=user)  # fmt: skip
        services.attendance_mark(actor=owner, registration=reg, attended=True)
    admin = get_user_model().objects.get(username="network-admin")

    def pay_out():
        from payments.selectors import purpose_payout
        from payments.services import payout_send

        settlement, _created = services.event_payout_request(actor=admin, event=event)
        payout = purpose_payout(purpose="event_payout", target_id=settlement.pk)
        if payout.status == "approved":
            payout_send(payout=payout, actor=admin)
        return settlement.net

    return with_wave_sandbox(pay_out)
