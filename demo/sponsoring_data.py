"""Demo data of sponsored announcements (docs/sponsoring.md), idempotent, through the
services: two live (the Thiès union's announcement on the directory and the project bank
of Senegal and Mali; the Ségou mutual put first on Mali's directory for health), one paid
and waiting for Senegal's moderator (the Ziguinchor oyster farmers on the portal's home,
the whole network). Payments are recorded as the provider would confirm them (payments'
``payment_state_apply``: the sandboxes are not running while the demo loads)."""

from __future__ import annotations

import datetime

ANNOUNCEMENT = "Farines infantiles enrichies de Thiès : commandes groupées"


def load_sponsoring(*, ensure_user) -> list[str]:
    from core import dates
    from demo.network_data import load_network
    from network.models import OrganisationMember
    from sponsoring import services
    from sponsoring.models import Booking

    report = load_network(ensure_user=ensure_user)
    if Booking.objects.filter(title=ANNOUNCEMENT).exists():
        return [*report, "annonces sponsorisées : déjà chargées"]
    mod_sn = ensure_user("moderateur-sn", "Abdou", "Sarr")
    mod_ml = ensure_user("moderateur-ml", "Fanta", "Keïta")
    today = dates.today()

    def book(login, **values):
        user = ensure_user(login, "Responsable", login)
        org = OrganisationMember.objects.filter(user=user).order_by("id").first().organisation
        booking = services.booking_create(
            actor=user, advertiser=org, starts_on=today,
            ends_on=today + datetime.timedelta(days=29), **values,
        )  # fmt: skip
        _paid(booking)
        return booking

    thies = book(
        "orga-1", format="announcement", title=ANNOUNCEMENT,
        text="Farines de mil et de niébé **enrichies**, produites par 12 GIE de femmes : "
        "commandes groupées pour les coopératives et les mutuelles.",
        link="/reseau/projets/", placements=["directory", "projects"], countries=["SN", "ML"],
    )  # fmt: skip
    services.booking_moderate(actor=mod_sn, booking=thies, decision="approve")
    segou = book(
        "orga-3", format="listing", placements=["directory"], countries=["ML"],
        sectors=["sante", "assurance"],
    )  # fmt: skip
    services.booking_moderate(actor=mod_ml, booking=segou, decision="approve")
    book(
        "orga-2", format="announcement", title="Huîtres de la Casamance : la saison est ouverte",
        text="Des huîtres **certifiées** par la coopérative des ostréicultrices.",
        link="/reseau/organisations/", placements=["home"], countries=["all"],
    )  # fmt: skip
    return [*report, "annonces sponsorisées : 2 en ligne, 1 en attente de modération"]


def _paid(booking) -> None:
    import secrets

    from payments.models import PaymentIntent
    from payments.providers.base import SUCCEEDED, PaymentState
    from payments.services import payment_state_apply

    intent = PaymentIntent.objects.create(
        purpose="sponsoring", target_id=booking.pk, target_label=booking.title,
        amount=booking.price, phone="+221770000101", provider="wave",
        reference="DEMO" + secrets.token_hex(6).upper(), created_by=booking.created_by,
    )  # fmt: skip
    state = PaymentState(status=SUCCEEDED, reference=intent.reference, amount=intent.amount,
                         currency="XOF", transaction_id="DEMO-" + intent.reference)  # fmt: skip
    payment_state_apply(intent_id=intent.pk, state=state, source="demo")
