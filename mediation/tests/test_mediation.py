"""Mediation: filing, the mediator from the list (a party refused), the confidential file
per role (selector and pages), the timeline, the outcome, statistics without names."""

import datetime

import pytest
from django.contrib.auth.models import AnonymousUser
from django.utils import timezone

from core.errors import Conflict, Forbidden, NotFound, ValidationFailed
from mediation import selectors, services
from mediation.tests.conftest import file_case

pytestmark = pytest.mark.django_db

ROLES = ["anonymous", "outsider", "admin", "mod", "user_a", "user_b", "user_c", "mediator_user"]


def actor_of(cast, role):
    return AnonymousUser() if role == "anonymous" else getattr(cast, role)


def test_a_mediator_who_is_a_party_is_refused(cast):
    case = file_case(cast)
    from mediation.models import Mediator

    for party in (cast.user_a, cast.user_b):
        services.mediator_add(actor=cast.admin, username=party.username)
        with pytest.raises(Conflict) as exc:
            services.mediator_appoint(
                actor=cast.admin, case=case, mediator=Mediator.objects.get(user=party)
            )
        assert exc.value.code == "mediator_is_party"
    against = services.case_file(
        actor=cast.user_c, complainant=cast.org_c, respondent=None, category="platform",
        subject="Commission prélevée deux fois", description="Deux prélèvements.",
    )  # fmt: skip
    services.mediator_add(actor=cast.admin, username=cast.admin.username)
    with pytest.raises(Conflict):  # the platform's administrators are its party
        services.mediator_appoint(
            actor=cast.admin, case=against, mediator=Mediator.objects.get(user=cast.admin)
        )
    case = services.mediator_appoint(actor=cast.admin, case=case, mediator=cast.mediator)
    assert case.status == "mediation" and case.mediator == cast.mediator


def test_only_admins_appoint_and_members_file_for_their_own_organisation(cast):
    case = file_case(cast)
    with pytest.raises(Forbidden):
        services.mediator_appoint(actor=cast.user_a, case=case, mediator=cast.mediator)
    with pytest.raises(Forbidden):
        services.case_file(
            actor=cast.user_c, complainant=cast.org_a, respondent=cast.org_b,
            category="contract", subject="X", description="Y",
        )  # fmt: skip
    with pytest.raises(ValidationFailed):
        file_case(cast, respondent=cast.org_a)


FILE_READERS = {"user_a", "user_b", "mediator_user"}  # never admin, moderator, third party


@pytest.mark.parametrize("role", ROLES)
def test_the_file_is_confidential_to_the_parties_and_the_mediator(cast, client, role):
    case = file_case(cast)
    services.mediator_appoint(actor=cast.admin, case=case, mediator=cast.mediator)
    services.entry_add(actor=cast.user_b, case=case, body="Nous contestons le montant.")
    actor = actor_of(cast, role)
    sees = role in FILE_READERS
    assert selectors.case_list(actor=actor).filter(pk=case.pk).exists() == sees
    if role != "anonymous":
        client.force_login(actor)
    page = client.get(f"/reseau/mediation/{case.pk}/")
    assert page.status_code == (200 if sees else 302 if role == "anonymous" else 404)
    text = page.content.decode()
    assert ("Nous contestons le montant." in text) == sees
    assert ("450 000" in text) == sees
    listing = client.get("/reseau/mediation/")
    assert ("Livraison de semences" in listing.content.decode()) == sees
    posted = client.post(f"/reseau/mediation/{case.pk}/ecrire/", {"body": "Intrusion"})
    assert posted.status_code == (302 if sees else 302 if role == "anonymous" else 404)
    with pytest.raises(NotFound) if not sees else _nothing():
        selectors.case_get(actor=actor, pk=case.pk)


class _nothing:
    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False


def test_the_admin_queue_shows_no_file(cast, client):
    case = file_case(cast)
    client.force_login(cast.admin)
    text = client.get("/reseau/mediation/attente/").content.decode()
    assert f"M-{case.pk}" in text and "450 000" not in text and "Livraison" not in text
    client.force_login(cast.user_a)
    assert client.get("/reseau/mediation/attente/").status_code == 403
    assert client.get("/reseau/mediation/statistiques/").status_code == 403


def test_timeline_meetings_and_outcome(cast, client):
    case = file_case(cast)
    services.mediator_appoint(actor=cast.admin, case=case, mediator=cast.mediator)
    when = timezone.now() + datetime.timedelta(days=3)
    with pytest.raises(Forbidden):  # only the mediator sets meetings
        services.entry_add(actor=cast.user_a, case=case, body="Réunion ?", meeting_at=when)
    meeting = services.entry_add(
        actor=cast.mediator_user, case=case, body="Réunion des parties", meeting_at=when,
        place="Bamako, maison des coopératives",
    )  # fmt: skip
    assert meeting.kind == "meeting"
    services.entry_add(actor=cast.user_a, case=case, body="Nous serons présents.")
    with pytest.raises(Forbidden):
        services.case_close(actor=cast.user_a, case=case, outcome="agreement", summary="X")
    with pytest.raises(ValidationFailed):
        services.case_close(actor=cast.mediator_user, case=case, outcome="agreement", summary="")
    case = services.case_close(
        actor=cast.mediator_user, case=case, outcome="partial",
        summary="Paiement de 300 000 F CFA en deux fois.",
    )  # fmt: skip
    assert case.status == "closed"
    with pytest.raises(Conflict):
        services.entry_add(actor=cast.user_b, case=case, body="Encore ?")
    with pytest.raises(Conflict):
        services.case_close(actor=cast.mediator_user, case=case, outcome="agreement", summary="X")
    client.force_login(cast.user_b)
    text = client.get(f"/reseau/mediation/{case.pk}/").content.decode()
    assert "accord partiel" in text and "Réunion des parties" in text


def test_statistics_have_no_names(cast, client):
    case = file_case(cast)
    services.mediator_appoint(actor=cast.admin, case=case, mediator=cast.mediator)
    services.case_close(actor=cast.mediator_user, case=case, outcome="agreement", summary="Accord.")
    file_case(cast, category="governance")
    stats = selectors.statistics(actor=cast.admin)
    assert stats["total"] == 2
    assert [(code, n) for code, _label, n in stats["by_category"]] == [
        ("contract", 1),
        ("governance", 1),
    ]
    assert [(code, n) for code, _label, n in stats["by_outcome"]] == [("agreement", 1)]
    assert [(code, n) for code, _label, n in stats["by_country"]] == [("SN", 2)]
    for role in ("user_a", "mod", "mediator_user"):
        with pytest.raises(Forbidden):
            selectors.statistics(actor=getattr(cast, role))
    client.force_login(cast.admin)
    text = client.get("/reseau/mediation/statistiques/").content.decode()
    assert "Sénégal" in text
    for name in ("Union des productrices", "Kafo Jiginew", "Mariam", "Livraison", "md-b"):
        assert name not in text


def test_the_filing_page(cast, client):
    client.force_login(cast.user_a)
    response = client.post(
        "/reseau/mediation/saisir/",
        {"complainant": cast.org_a.pk, "respondent": cast.org_b.slug, "category": "contract",
         "subject": "Retard", "description": "Trois mois de retard."},
    )  # fmt: skip
    assert response.status_code == 302
    missing = client.post(
        "/reseau/mediation/saisir/",
        {"complainant": cast.org_a.pk, "respondent": "inconnue", "category": "contract",
         "subject": "Retard", "description": "X"},
    )  # fmt: skip
    assert missing.status_code == 400 and "introuvable" in missing.content.decode()
    client.force_login(cast.outsider)
    assert client.get("/reseau/mediation/saisir/").status_code == 403
