"""Demo data of the knowledge shared between countries (docs/knowledge.md), idempotent,
through the services: a dozen published items from the network's organisations (how
Côte d'Ivoire brought cocoa workers into health insurance, in French and English), and a
question from Mali answered from Côte d'Ivoire."""

from __future__ import annotations

COCOA = "Côte d'Ivoire : les travailleurs du cacao dans l'assurance maladie universelle"
COCOA_BODY = """Les coopératives de cacao de la région de Soubré ont affilié leurs
membres, leurs familles et les manœuvres saisonniers à la **Couverture maladie
universelle (CMU)** gérée par la CNAM.

1. **Enrôlement** sur les lieux de collecte : la coopérative recense les planteurs et
   les manœuvres, la CNAM délivre les cartes.
2. **Cotisation à la source** : 1 000 F CFA par mois et par personne, prélevés par la
   coopérative au moment de la vente du cacao et reversés à la CNAM.
3. **Relais de santé** : un membre formé par coopérative accompagne les assurés aux
   centres de santé conventionnés.

Leçons pour le Mali : s'appuyer sur le paiement de la récolte, prévoir les saisonniers,
négocier une période de carence courte."""
COCOA_EN = """Cocoa cooperatives around Soubré enrolled their members, their families
and seasonal workers in **Universal Health Coverage (CMU)**, run by the CNAM.

1. **Enrolment** at the buying points; the CNAM issues the cards.
2. **Dues at source**: 1,000 CFA francs a month per person, withheld by the cooperative
   when the cocoa is sold and paid to the CNAM.
3. **Health relays**: one trained member per cooperative guides the insured."""

# (author's login, kind, country, sector, theme, title, summary)
ITEMS = [
    (
        "orga-6",
        "case_study",
        "CI",
        "sante",
        "social_protection",
        COCOA,
        "Cotisations prélevées à la vente du cacao par les coopératives, cartes CMU pour les "
        "familles et les saisonniers.",
    ),
    (
        "orga-3",
        "practice",
        "ML",
        "assurance",
        "social_protection",
        "Mali : une mutuelle de santé adossée aux producteurs de Ségou",
        "La cotisation annuelle payée après la récolte, et le tiers payant avec trois centres "
        "de santé communautaires.",
    ),
    (
        "orga-1",
        "tool",
        "SN",
        "transformation",
        "markets",
        "Fiche de coût de revient pour les transformatrices de céréales",
        "Un tableau simple pour fixer le prix du thiakry et de l'arraw sans vendre à perte.",
    ),
    (
        "orga-2",
        "practice",
        "SN",
        "peche",
        "climate",
        "Ziguinchor : le repos biologique des huîtres décidé par les ostréicultrices",
        "Trois mois sans récolte, fixés en assemblée générale, pour laisser les parcs se "
        "reconstituer.",
    ),
    (
        "orga-5",
        "case_study",
        "BF",
        "transformation",
        "women_youth",
        "Burkina Faso : les femmes du karité négocient ensemble avec les acheteurs",
        "Un réseau de GIE vend le beurre de karité en lots groupés et certifiés.",
    ),
    (
        "orga-4",
        "tool",
        "ML",
        "eau",
        "governance",
        "Modèle de règlement intérieur d'une coopérative d'eau potable",
        "Tarif au bidon, comité de gestion élu, caisse de maintenance : un modèle à adapter.",
    ),
    (
        "orga-3",
        "tool",
        "ML",
        "finance",
        "finance",
        "Tontine améliorée : registre et règles de la caisse de solidarité",
        "Un registre des versements et des prêts d'urgence tenu par deux membres élus.",
    ),
    (
        "orga-1",
        "practice",
        "SN",
        "agriculture",
        "governance",
        "Tenir une assemblée générale avec quorum et procurations",
        "Convocation, feuille de présence, procurations et procès-verbal : la check-list.",
    ),
    (
        "orga-6",
        "practice",
        "CI",
        "agriculture",
        "women_youth",
        "Bouaké : installer des jeunes maraîchers sur des terres prêtées par la coopérative",
        "Des baux de trois ans et un fonds de démarrage remboursé après la première saison.",
    ),
    (
        "orga-5",
        "case_study",
        "BF",
        "commerce",
        "markets",
        "Le commerce équitable du karité : ce que la certification a changé",
        "Prix minimum garanti, prime de développement, et les coûts de la certification.",
    ),
    (
        "orga-2",
        "tool",
        "SN",
        "peche",
        "skills",
        "Guide de formation à l'hygiène du fumage du poisson",
        "Cinq séances pratiques pour les transformatrices, avec les fiches à imprimer.",
    ),
    (
        "orga-4",
        "case_study",
        "ML",
        "eau",
        "policy",
        "Mali : la délégation du service de l'eau à une coopérative par la commune",
        "La convention entre la commune de Kayes et la coopérative, et ses contrôles.",
    ),
]


def _body(title: str, summary: str) -> str:
    if title == COCOA:
        return COCOA_BODY
    return f"{summary}\n\n**À retenir** : une expérience partagée par ses membres."


def load_knowledge(*, ensure_user) -> list[str]:
    from demo.network_data import load_network
    from knowledge import services
    from knowledge.models import Item, Version
    from network.models import OrganisationMember

    report = load_network(ensure_user=ensure_user)
    if Version.objects.filter(title=COCOA).exists():
        return [*report, "savoirs partagés : déjà chargés"]
    admin = ensure_user("network-admin", "Kadiatou", "Traoré")
    for login, kind, country, sector, theme, title, summary in ITEMS:
        user = ensure_user(login, "Responsable", login)
        org = OrganisationMember.objects.filter(user=user).order_by("id").first().organisation
        item = services.item_propose(
            actor=user, organisation=org, kind=kind, country=country, sector=sector,
            theme=theme, language="fr", title=title, summary=summary,
            body=_body(title, summary),
        )  # fmt: skip
        services.item_moderate(actor=admin, item=item, decision="publish")
    cocoa = Item.objects.get(versions__title=COCOA)
    bouake = ensure_user("orga-6", "Responsable", "Bouaké")
    services.version_save(
        actor=bouake, item=cocoa, language="en",
        title="Côte d'Ivoire: cocoa workers in universal health insurance",
        summary="Dues withheld by cooperatives when cocoa is sold; health cards for "
        "families and seasonal workers.",
        body=COCOA_EN,
    )  # fmt: skip
    _exchange(ensure_user, cocoa)
    return [*report, f"savoirs partagés : {len(ITEMS)} fiches, une question entre pays"]


def _exchange(ensure_user, cocoa) -> None:
    from knowledge import services
    from network.models import OrganisationMember

    segou_user, bouake_user = ensure_user("orga-3", "", ""), ensure_user("orga-6", "", "")
    segou = OrganisationMember.objects.filter(user=segou_user).first().organisation
    bouake = cocoa.organisation
    question = services.question_ask(
        actor=segou_user, organisation=segou, to_country="CI", sector="sante",
        theme="social_protection",
        title="Comment prélever les cotisations des saisonniers qui ne vendent pas de récolte ?",
        body="Nos mutuelles de Ségou couvrent les producteurs de coton, mais pas les "
        "manœuvres. Comment avez-vous fait pour les saisonniers du cacao ?",
    )  # fmt: skip
    services.answer_post(
        actor=bouake_user, question=question, organisation=bouake,
        body="Le planteur qui les emploie cotise pour eux à la vente ; la coopérative tient "
        "la liste des saisonniers par plantation. Voir notre fiche sur la CMU.",
    )  # fmt: skip
