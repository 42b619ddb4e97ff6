"""Demo data of mediation (docs/mediation.md), idempotent, through the services: a
mediator on the network's list, and a dispute between two members (a late delivery of
shea butter between Bobo-Dioulasso and Thiès) mediated and closed with an agreement."""

from __future__ import annotations

SUBJECT = "Livraison de beurre de karité livrée en retard et payée à moitié"


def load_mediation(*, ensure_user) -> list[str]:
    from demo.network_data import load_network
    from mediation import services
    from mediation.models import Case
    from network.models import OrganisationMember

    report = load_network(ensure_user=ensure_user)
    if Case.objects.filter(subject=SUBJECT).exists():
        return [*report, "médiation : déjà chargée"]
    admin = ensure_user("network-admin", "Kadiatou", "Traoré")
    mediator_user = ensure_user("mediateur", "Moussa", "Ouédraogo")
    mediator = services.mediator_add(actor=admin, username="mediateur", languages="fr, mos, dyu")

    def org_of(login):
        user = ensure_user(login, "Responsable", login)
        return user, OrganisationMember.objects.filter(user=user).order_by(
            "id"
        ).first().organisation

    bobo_user, bobo = org_of("orga-5")
    thies_user, thies = org_of("orga-1")
    case = services.case_file(
        actor=bobo_user, complainant=bobo, respondent=thies, category="contract",
        subject=SUBJECT,
        description="2 tonnes livrées en mars ; l'acheteur a payé 600 000 F CFA sur "
        "1 200 000 F CFA en invoquant le retard.",
    )  # fmt: skip
    services.mediator_appoint(actor=admin, case=case, mediator=mediator)
    services.entry_add(
        actor=thies_user, case=case,
        body="Le retard de trois semaines nous a fait perdre un marché à Dakar.",
    )  # fmt: skip
    services.entry_add(
        actor=mediator_user, case=case,
        body="Je propose que chaque partie chiffre la perte et le coût du retard.",
    )  # fmt: skip
    services.case_close(
        actor=mediator_user, case=case, outcome="agreement",
        summary="Paiement de 450 000 F CFA de plus en deux fois ; délais écrits au contrat.",
    )  # fmt: skip
    return [*report, "médiation : un médiateur, un différend clos par un accord"]
