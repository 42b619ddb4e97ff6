"""Authorization-matrix entries of knowledge (accounts/tests/authz.py). The library and
the questions are public by design: every role and the anonymous visitor read a published
item, a visible question; none of the programme's roles is an organisation's account or a
network moderator, so every write is refused (403; a pending item stays 404)."""

from accounts.tests.authz import E, page
from accounts.tests.factories import UserFactory
from knowledge import services
from network import services as net
from network.models import StaffRole

PUBLIC = {"expect": E(200), "anonymous": 200, "leak_check": False}


def _org(owner, admin, name, country):
    org, code = net.organisation_register(
        owner=owner, name=name, kind="cooperative", country=country, city="Abidjan",
        sectors=["sante"], email=f"{owner.username}@example.org",
    )  # fmt: skip
    net.organisation_verify_contact(organisation=org, code=code)
    net.organisation_moderate(actor=admin, organisation=org, decision="approve")
    org.refresh_from_db()
    return org


def build(world, objs):
    root = UserFactory(username="matrix-kn-root", is_superuser=True)
    admin = UserFactory(username="matrix-kn-admin")
    net.staff_assign(actor=root, user=admin, role=StaffRole.ADMIN)
    owner_ci, owner_ml = UserFactory(username="matrix-kn-ci"), UserFactory(username="matrix-kn-ml")
    org_ci = _org(owner_ci, admin, "Coopérative matrice Soubré", "CI")
    org_ml = _org(owner_ml, admin, "Mutuelle matrice Sikasso", "ML")
    texts = {"sector": "sante", "theme": "social_protection", "language": "fr"}
    item = services.item_propose(
        actor=owner_ci, organisation=org_ci, kind="practice", country="CI",
        title="Fiche matrice", summary="Résumé.", body="Texte.", **texts,
    )  # fmt: skip
    objs["kn_item"] = services.item_moderate(actor=admin, item=item, decision="publish")
    objs["kn_pending"] = services.item_propose(
        actor=owner_ci, organisation=org_ci, kind="tool", country="CI",
        title="Fiche en attente", summary="Résumé.", body="Texte.", **texts,
    )  # fmt: skip
    objs["kn_question"] = services.question_ask(
        actor=owner_ml, organisation=org_ml, title="Question matrice ?", body="Précisions.",
        sector="sante", theme="finance", to_country="CI",
    )  # fmt: skip
    objs["kn_answer"] = services.answer_post(
        actor=owner_ci, question=objs["kn_question"], organisation=org_ci, body="Réponse."
    )


HIDE = {"decision": "hide", "reason": "X"}
VERSION = {"language": "en", "title": "T", "summary": "S", "body": "B"}
ENTRIES = [
    page("knowledge:item_list", public=True, **PUBLIC),
    page("knowledge:item_detail", pk="@kn_item", public=True, **PUBLIC),
    page("knowledge:question_list", public=True, **PUBLIC),
    page("knowledge:question_detail", pk="@kn_question", public=True, **PUBLIC),
    page("knowledge:item_new", expect=E(403)),
    page("knowledge:question_new", expect=E(403)),
    page("knowledge:moderation", expect=E(403)),
    page("knowledge:version_edit", pk="@kn_item", expect=E(403)),
    page(
        "knowledge:version_edit",
        pk="@kn_pending",
        method="POST",
        data=VERSION,
        expect=E(404),
    ),
    page("knowledge:item_moderate", pk="@kn_item", method="POST", data=HIDE, expect=E(403)),
    page(
        "knowledge:item_moderate",
        pk="@kn_pending",
        method="POST",
        data={"decision": "publish"},
        expect=E(404),
    ),
    page(
        "knowledge:answer_add",
        pk="@kn_question",
        method="POST",
        data={"body": "X"},
        expect=E(403),
    ),
    page("knowledge:question_moderate", pk="@kn_question", method="POST", data=HIDE, expect=E(403)),
    page("knowledge:answer_moderate", pk="@kn_answer", method="POST", data=HIDE, expect=E(403)),
]
