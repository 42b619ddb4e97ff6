"""Consultations of the members (issue 21, point 9): opened by an administrator on a
project of the bank or a proposal, one answer per member organisation in good standing
while open, results (counts, comments without names if chosen) published at closing."""

import datetime

import pytest

from core.errors import Conflict, Forbidden, ValidationFailed
from network import services as net
from networkgov import selectors, services
from networkgov.models import Consultation, ConsultationAnswer
from networkgov.tests.conftest import DAY

OPTIONS = ["Oui, en priorité", "Oui, plus tard", "Non"]


def consult(cast, **kw):
    values = {
        "title": "Un fonds régional de garantie ?",
        "question": "Le réseau doit-il porter ce projet de fonds de garantie ?",
        "opens_on": DAY,
        "closes_on": DAY + datetime.timedelta(days=14),
        "options": OPTIONS,
        "today": DAY,
    }
    values.update(kw)
    return services.consultation_open(actor=cast.admin, **values)


def answer(cast, c, i, option="", comment="", today=DAY):
    return services.consultation_answer(
        actor=cast.owners[i],
        consultation=c,
        organisation=cast.orgs[i],
        option=option,
        comment=comment,
        today=today,
    )


def test_opening_is_the_administrators_with_sound_dates_and_options(cast):
    with pytest.raises(Forbidden):
        services.consultation_open(
            actor=cast.owners[0], title="T", question="Q", opens_on=DAY, closes_on=DAY, today=DAY
        )
    bad = [
        {"options": ["Seule réponse"]},
        {"options": [], "allow_comments": False},
        {"opens_on": DAY - datetime.timedelta(days=1)},
        {"closes_on": DAY - datetime.timedelta(days=1)},
        {"closes_on": DAY + datetime.timedelta(days=181)},
        {"title": " "},
    ]
    for changes in bad:
        with pytest.raises(ValidationFailed):
            consult(cast, **changes)
    assert not Consultation.objects.exists()
    project = net.project_create(
        actor=cast.owners[0],
        organisation=cast.orgs[0],
        title="Fonds régional de garantie",
        summary="Garantir les prêts des caisses membres.",
        sector="agriculture",
        stage="idee",
        budget=50_000_000,
        needs_money=10_000_000,
    )
    c = consult(cast, project=project)
    assert (c.options, c.project) == (OPTIONS, project)


def test_one_answer_per_member_organisation_while_open(cast):
    c = consult(cast)
    answer(cast, c, 0, "Non", "Trop risqué pour nos caisses.")
    with pytest.raises(Conflict) as e:
        answer(cast, c, 0, "Oui, plus tard")
    assert e.value.code == "already_answered"
    with pytest.raises(ValidationFailed) as e:
        answer(cast, c, 1, "Peut-être")
    assert e.value.code == "invalid_choice"
    for actor, org in ((cast.lapsed_owner, cast.lapsed), (cast.outsider_owner, cast.outsider)):
        with pytest.raises(Conflict) as e:
            services.consultation_answer(
                actor=actor, consultation=c, organisation=org, option="Non", today=DAY
            )
        assert e.value.code == "not_in_good_standing"
    with pytest.raises(Forbidden):
        services.consultation_answer(
            actor=cast.owners[1], consultation=c, organisation=cast.orgs[0], option="Non", today=DAY
        )
    for day in (DAY - datetime.timedelta(days=1), DAY + datetime.timedelta(days=15)):
        with pytest.raises(Conflict) as e:
            answer(cast, c, 2, "Non", today=day)
        assert e.value.code == "not_open"
    assert ConsultationAnswer.objects.count() == 1


def test_results_are_published_at_closing_comments_without_names(cast):
    c = consult(cast)
    answer(cast, c, 0, "Oui, en priorité", "Nos membres en ont besoin.")
    answer(cast, c, 1, "Oui, en priorité")
    answer(cast, c, 2, "Non", "Trop risqué.")
    assert selectors.consultation_results(c, on=c.closes_on) is None  # still open: nothing
    results = selectors.consultation_results(c, on=c.closes_on + datetime.timedelta(days=1))
    assert results.answers == 3
    assert results.counts == [("Oui, en priorité", 2), ("Oui, plus tard", 0), ("Non", 1)]
    assert results.comments == [("", "Nos membres en ont besoin."), ("", "Trop risqué.")]
    Consultation.objects.filter(pk=c.pk).update(anonymous_comments=False)
    c.refresh_from_db()
    named = selectors.consultation_results(c, on=c.closes_on + datetime.timedelta(days=1))
    assert named.comments[0] == ("Union des GIE de Dakar", "Nos membres en ont besoin.")


def test_free_comments_only(cast):
    c = consult(cast, options=[])
    with pytest.raises(ValidationFailed) as e:
        answer(cast, c, 0)
    assert e.value.field == "comment"
    answer(cast, c, 0, comment="Commençons par le Sénégal.")
    results = selectors.consultation_results(c, on=c.closes_on + datetime.timedelta(days=1))
    assert (results.counts, results.comments) == ([], [("", "Commençons par le Sénégal.")])
