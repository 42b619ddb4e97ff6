"""Knowledge sharing: items proposed by members and moderated per country, versions per
language, search ignoring accents, questions between countries and their answers, the
count of exchanges between countries, every role's view of a pending item."""

import pytest
from django.contrib.auth.models import AnonymousUser

from core.errors import Conflict, Forbidden, NotFound, ValidationFailed
from knowledge import selectors, services
from knowledge.tests.conftest import propose

pytestmark = pytest.mark.django_db


def test_an_item_waits_for_a_moderator_of_its_country(cast):
    item = propose(cast)
    assert item.status == "pending"
    assert not selectors.item_list().filter(pk=item.pk).exists()
    with pytest.raises(NotFound):  # Senegal's moderator does not see Côte d'Ivoire's queue
        services.item_moderate(actor=cast.mod_sn, item=item, decision="publish")
    with pytest.raises(ValidationFailed) as exc:  # hiding needs a reason
        services.item_moderate(actor=cast.mod_ci, item=item, decision="hide")
    assert exc.value.field == "reason"
    with pytest.raises(ValidationFailed):
        services.item_moderate(actor=cast.mod_ci, item=item, decision="bless")
    assert list(selectors.moderation_queue(actor=cast.mod_ci)) == [item]
    assert not selectors.moderation_queue(actor=cast.mod_sn).exists()
    item = services.item_moderate(actor=cast.mod_ci, item=item, decision="publish")
    assert item.status == "published" and item.moderated_by == cast.mod_ci
    assert list(selectors.item_list()) == [item]
    with pytest.raises(Forbidden):  # published: visible, but not Senegal's to decide
        services.item_moderate(actor=cast.mod_sn, item=item, decision="hide", reason="X")
    services.item_moderate(actor=cast.admin, item=item, decision="hide", reason="Doublon")
    assert not selectors.item_list().exists()


def test_only_approved_organisations_accounts_write(cast):
    with pytest.raises(Forbidden):  # not its organisation
        services.item_propose(
            actor=cast.user_ml, organisation=cast.org_ci, kind="tool", country="ML",
            sector="sante", theme="finance", language="fr", title="T", summary="S", body="B",
        )  # fmt: skip
    with pytest.raises(Conflict) as exc:
        services.question_ask(
            actor=cast.user_pending, organisation=cast.org_pending, title="Q ?", body="B",
            sector="sante", theme="finance",
        )  # fmt: skip
    assert exc.value.code == "not_approved"


@pytest.mark.parametrize(
    "bad, field",
    [
        ({"kind": "poem"}, "kind"),
        ({"country": "FR"}, "country"),
        ({"theme": ""}, "theme"),
        ({"language": "xx"}, "language"),
        ({"title": "   "}, "title"),
        ({"body": ""}, "body"),
    ],
)
def test_bad_input_is_refused_on_its_field(cast, bad, field):
    with pytest.raises(ValidationFailed) as exc:
        propose(cast, **bad)
    assert exc.value.field == field


def test_too_many_pending_items(cast, monkeypatch):
    monkeypatch.setattr(services, "MAX_PENDING_ITEMS", 2)
    propose(cast), propose(cast)
    with pytest.raises(Conflict) as exc:
        propose(cast)
    assert exc.value.code == "too_many"


def test_versions_per_language_and_search_without_accents(cast):
    item = propose(cast)
    services.item_moderate(actor=cast.mod_ci, item=item, decision="publish")
    services.version_save(
        actor=cast.user_ci, item=item, language="en",
        title="Côte d'Ivoire: cocoa workers in health insurance",
        summary="Cooperatives enrol their members.", body="Cocoa **cooperatives** withhold dues.",
    )  # fmt: skip
    with pytest.raises(Forbidden):  # another organisation does not edit it
        services.version_save(
            actor=cast.user_ml, item=item, language="pt", title="T", summary="S", body="B"
        )
    for query in ("cote d'ivoire", "CÔTE", "coopératives cacao", "withhold", "assurance maladie"):
        assert list(selectors.item_list(q=query)) == [item], query
    assert not selectors.item_list(q="karité").exists()
    assert list(selectors.item_list(language="en", country="CI", theme="social_protection"))
    assert not selectors.item_list(language="pt").exists()
    item = selectors.item_get(actor=None, pk=item.pk)
    assert selectors.version_for(item, "en").title.startswith("Côte d'Ivoire: cocoa")
    assert selectors.version_for(item, "pt").language == "fr"  # the original
    services.version_save(
        actor=cast.user_ci, item=item, language="en", title="Cocoa workers insured",
        summary="S", body="B",
    )  # fmt: skip
    assert item.versions.count() == 2 and not selectors.item_list(q="withhold").exists()


ROLES = ["anonymous", "outsider", "user_ml", "mod_sn", "user_ci", "mod_ci", "admin"]
SEES_PENDING = {"user_ci", "mod_ci", "admin"}


@pytest.mark.parametrize("role", ROLES)
def test_a_pending_item_is_seen_by_its_authors_and_moderators_only(cast, client, role):
    item = propose(cast)
    actor = AnonymousUser() if role == "anonymous" else getattr(cast, role)
    sees = role in SEES_PENDING
    listed = selectors.item_list(actor=actor, published_only=False)
    assert listed.filter(pk=item.pk).exists() == sees
    if role != "anonymous":
        client.force_login(actor)
    page = client.get(f"/reseau/savoirs/{item.pk}/")
    assert page.status_code == (200 if sees else 404)
    assert ("travailleurs du cacao" in page.content.decode()) == sees
    services.item_moderate(actor=cast.admin, item=item, decision="publish")
    assert client.get(f"/reseau/savoirs/{item.pk}/").status_code == 200


def test_questions_answered_by_another_country(cast):
    question = services.question_ask(
        actor=cast.user_ml, organisation=cast.org_ml, to_country="CI", sector="sante",
        theme="social_protection", title="Comment affilier les planteurs à la CMU ?",
        body="Nos membres cultivent le coton.",
    )  # fmt: skip
    assert question.country == "ML"
    answer = services.answer_post(
        actor=cast.user_ci, question=question, organisation=cast.org_ci,
        body="Par la coopérative, à la vente du cacao.",
    )  # fmt: skip
    services.answer_post(
        actor=cast.user_ml, question=question, organisation=cast.org_ml, body="Merci !"
    )
    assert answer.country == "CI"
    row = selectors.question_list(q="planteurs cmu").get()
    assert (row.n_answers, row.n_countries) == (2, 1)
    assert [(e["from"], e["to"], e["answers"]) for e in selectors.exchanges()] == [("CI", "ML", 1)]
    assert list(selectors.question_list(country="CI")) == [question]  # addressed to it
    with pytest.raises(Forbidden):  # Senegal's moderator: not this answer's country
        services.post_moderate(actor=cast.mod_sn, post=answer, decision="hide", reason="X")
    services.post_moderate(actor=cast.mod_ci, post=answer, decision="hide", reason="Publicité")
    assert selectors.exchanges() == []
    assert [a.body for a in selectors.answer_list(actor=None, question=question)] == ["Merci !"]
    assert len(selectors.answer_list(actor=cast.mod_ci, question=question)) == 2
    with pytest.raises(NotFound):
        selectors.answer_get(actor=cast.outsider, pk=answer.pk)
    with pytest.raises(Forbidden):
        services.answer_post(
            actor=cast.outsider, question=question, organisation=cast.org_ci, body="X"
        )
    services.post_moderate(actor=cast.admin, post=question, decision="hide", reason="Spam")
    with pytest.raises(NotFound):
        selectors.question_get(actor=None, pk=question.pk)
    with pytest.raises(NotFound):  # no answer to a hidden question
        services.answer_post(
            actor=cast.user_ci, question=question, organisation=cast.org_ci, body="X"
        )


def test_pages_propose_ask_and_answer(cast, client, django_assert_max_num_queries):
    assert client.get("/reseau/savoirs/proposer/").status_code == 302  # login first
    client.force_login(cast.outsider)
    assert client.get("/reseau/savoirs/proposer/").status_code == 403
    assert client.get("/reseau/savoirs/questions/poser/").status_code == 403
    client.force_login(cast.user_ci)
    form = {
        "organisation": cast.org_ci.pk, "kind": "tool", "country": "CI", "sector": "sante",
        "theme": "social_protection", "language": "fr", "title": "Fiche d'adhésion à la CMU",
        "summary": "Le modèle de fiche.", "body": "Nom, prénom, coopérative.",
    }  # fmt: skip
    bad = client.post("/reseau/savoirs/proposer/", {**form, "country": "FR"})
    assert bad.status_code == 400
    made = client.post("/reseau/savoirs/proposer/", form)
    assert made.status_code == 302
    pk = int(made["Location"].rstrip("/").split("/")[-1])
    added = client.post(
        f"/reseau/savoirs/{pk}/version/",
        {"language": "en", "title": "UHC enrolment form", "summary": "S", "body": "B"},
    )
    assert added["Location"].endswith(f"/reseau/savoirs/{pk}/?langue=en")
    client.force_login(cast.mod_ci)
    assert "adhésion à la CMU" in client.get("/reseau/savoirs/moderation/").content.decode()
    reasonless = client.post(f"/reseau/savoirs/{pk}/moderer/", {"decision": "hide"})
    assert reasonless.status_code == 400
    client.post(f"/reseau/savoirs/{pk}/moderer/", {"decision": "publish"})
    client.logout()
    page = client.get(f"/reseau/savoirs/{pk}/?langue=en").content.decode()
    assert "UHC enrolment form" in page and 'hreflang="fr"' in page
    for i in range(3):
        propose(cast, title=f"Fiche {i}")
    with django_assert_max_num_queries(6):
        listing = client.get("/reseau/savoirs/?q=adhesion")
    assert "adhésion à la CMU" in listing.content.decode()
    client.force_login(cast.user_ml)
    asked = client.post(
        "/reseau/savoirs/questions/poser/",
        {"organisation": cast.org_ml.pk, "title": "Qui collecte les cotisations ?",
         "body": "Précisions.", "to_country": "CI", "sector": "sante", "theme": "finance"},
    )  # fmt: skip
    assert asked.status_code == 302
    client.force_login(cast.user_ci)
    answered = client.post(
        asked["Location"] + "repondre/", {"organisation": cast.org_ci.pk, "body": "La coop."}
    )
    assert answered.status_code == 302
    client.logout()
    text = client.get("/reseau/savoirs/questions/").content.decode()
    assert "Qui collecte les cotisations" in text and "Ivoire" in text
