"""Demo data of the calls for tenders (docs/tenders.md), idempotent, through the services:
the network's secretariat (an organisation of the directory run by ``network-admin``)
publishes an OPEN call for a study on bringing the cocoa sector's vulnerable workers into
health insurance (the knowledge shared by Côte d'Ivoire with Mali, seeds); two
organisations have submitted (sealed until the deadline); one question is answered."""

from __future__ import annotations

import datetime

from django.utils import timezone

TITLE = (
    "Étude : intégrer les travailleurs vulnérables de la filière cacao dans l'assurance "
    "maladie (capitalisation Côte d'Ivoire – Mali)"
)
# A small valid PDF (one empty page): the terms of reference's placeholder file.
PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>endobj\n"
    b"trailer<</Root 1 0 R>>\n%%EOF\n"
)
DESCRIPTION = """Le réseau africain de l'ESS cherche un cabinet ou une organisation de l'ESS
pour documenter comment la Côte d'Ivoire a intégré des travailleurs vulnérables de la
filière cacao dans le système d'assurance maladie, et ce que le Mali peut en reprendre.

**Livrables** : note de capitalisation, fiches pratiques pour les mutuelles et les
coopératives, atelier de restitution en ligne.

Acteurs à rencontrer : la Caisse nationale d'assurance maladie (CNAM) et la Nouvelle
entreprise coopérative agricole de Bagoliéoua (NECAB), invitées par le Mali."""


def load_tenders(*, ensure_user) -> list[str]:
    from demo.network_data import load_network
    from network import services as net
    from network.models import Organisation
    from tenders import services
    from tenders.documents import clean_bytes
    from tenders.models import Tender

    report = load_network(ensure_user=ensure_user)
    if Tender.objects.filter(title=TITLE).exists():
        return [*report, "appels d'offres : déjà chargés"]
    admin = ensure_user("network-admin", "Kadiatou", "Traoré")
    secretariat, code = net.organisation_register(
        owner=admin, name="Secrétariat du réseau africain de l'ESS", kind="reseau",
        country="SN", city="Dakar", sectors=["finance", "sante"],
        email="secretariat@demo.sunucoop.sn",
        description="Le secrétariat du réseau fondé par 14 pays africains.",
    )  # fmt: skip
    net.organisation_verify_contact(organisation=secretariat, code=code)
    net.organisation_moderate(actor=admin, organisation=secretariat, decision="approve")
    tender = services.tender_publish(
        actor=admin, buyer=secretariat, buyer_kind="network", title=TITLE,
        description=DESCRIPTION, country="CI", sector="sante", budget=12_000_000,
        deadline=timezone.now() + datetime.timedelta(days=21),
        criteria=[("Compréhension des termes de référence", 25), ("Méthodologie", 35),
                  ("Expérience de l'équipe en mutualité", 25), ("Prix", 15)],
    )  # fmt: skip
    services.tender_document_add(
        actor=admin, tender=tender, title="Termes de référence",
        file=clean_bytes("termes-de-reference.pdf", PDF),
    )  # fmt: skip
    segou = Organisation.objects.get(name="Mutuelle de santé des producteurs de Ségou")
    bouake = Organisation.objects.get(name="Association des jeunes maraîchers de Bouaké")
    asker = ensure_user("orga-3", "Responsable", "Ségou")
    question = services.question_ask(
        actor=asker,
        tender=tender,
        body="Une équipe conjointe Mali – Côte d'Ivoire est-elle admise ?",
    )
    services.question_answer(
        actor=admin, question=question,
        answer="Oui : une offre peut associer des organisations des deux pays ; "
        "une seule organisation la dépose.",
    )  # fmt: skip
    bidder = ensure_user("orga-6", "Responsable", "Bouaké")
    for org, user, price in ((segou, asker, 11_500_000), (bouake, bidder, 9_800_000)):
        services.submission_submit(
            actor=user, tender=tender, organisation=org, price=price,
            summary=f"Offre de {org.name} : méthodologie, équipe et calendrier.",
        )  # fmt: skip
    return [
        *report,
        "appels d'offres : 1 appel ouvert (étude cacao et assurance maladie), 2 offres "
        "scellées, 1 question répondue ; acheteur network-admin",
    ]
