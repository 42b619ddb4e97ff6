"""The network's assemblies (issue 21, point 9): the statutes' notice, one vote per member
organisation in good standing (its owner or its delegate), governance's quorum and
majority rules with a worked example, bad votes refused with nothing written, minutes."""

import datetime

import pytest

from core.errors import Conflict, Forbidden, ValidationFailed
from networkgov import selectors, services
from networkgov.models import NetworkAssembly, NetworkVote
from networkgov.tests.conftest import DAY, convene

D = datetime.date


def vote(cast, resolution, i, choice, *, today=DAY):
    return services.vote_cast(
        actor=cast.owners[i],
        resolution=resolution,
        organisation=cast.orgs[i],
        choice=choice,
        today=today,
    )


def test_a_notice_shorter_than_the_statutes_is_refused_and_nothing_written(cast):
    with pytest.raises(Conflict) as e:
        convene(cast, notice_days=29, today=DAY - datetime.timedelta(days=29))
    assert e.value.code == "notice_too_short"
    assert "30 jours" in str(e.value.message)
    assert not NetworkAssembly.objects.exists()
    with pytest.raises(Forbidden):
        services.assembly_convene(
            actor=cast.owners[0],
            title="T",
            kind="ordinaire",
            held_on=DAY,
            notice_sent_on=DAY - datetime.timedelta(days=40),
            place="P",
            agenda="A",
            today=DAY,
        )
    a = convene(cast, notice_days=30, today=DAY - datetime.timedelta(days=30))
    assert (a.quorum_required, a.majority_required) == ("1/2", "1/2")


def test_the_worked_example_quorum_and_majority(cast):
    """Six members in good standing on the day (the late and the lapsed ones do not count);
    ordinary: quorum 1/2 = 3 organisations, simple majority of the votes cast.
    Four organisations vote: resolution 1, 3 pour 1 contre: adopted (3 > 4/2);
    resolution 2, 2 pour 2 contre: rejected (not strictly more than half);
    resolution 3, 1 pour 0 contre 3 abstentions: adopted (abstentions are not cast)."""
    a = convene(cast)
    r1, r2, r3 = (
        services.resolution_add(actor=cast.admin, assembly=a, title=t)
        for t in ("Rapport moral", "Budget 2027", "Siège à Dakar")
    )
    for i, choices in enumerate(
        [
            ("for", "for", "for"),
            ("for", "for", "abstain"),
            ("for", "against", "abstain"),
            ("against", "against", "abstain"),
        ]
    ):
        for r, c in zip((r1, r2, r3), choices, strict=True):
            vote(cast, r, i, c)
    live = selectors.assembly_results(a)
    assert (live.members, live.voters, live.quorum_reached) == (6, 4, True)
    closed = services.assembly_close(actor=cast.admin, assembly=a, chaired_by="Awa Diop", today=DAY)
    results = selectors.assembly_results(closed)
    got = [(x.votes_for, x.votes_against, x.abstentions, x.passed) for x in results.resolutions]
    assert got == [(3, 1, 0, True), (2, 2, 0, False), (1, 0, 3, True)]
    assert (closed.members_count, closed.voters_count, closed.quorum_reached) == (6, 4, True)


def test_without_the_quorum_no_resolution_passes(cast):
    a = convene(cast)
    r = services.resolution_add(actor=cast.admin, assembly=a, title="Rapport moral")
    vote(cast, r, 0, "for")
    vote(cast, r, 1, "for")  # 2 of 6 < 1/2
    services.assembly_close(actor=cast.admin, assembly=a, today=DAY)
    line = selectors.assembly_results(NetworkAssembly.objects.get(pk=a.pk)).resolutions[0]
    assert (line.votes_for, line.passed) == (2, False)


def test_extraordinary_two_thirds(cast):
    a = convene(cast, kind="extraordinaire")
    assert (a.quorum_required, a.majority_required) == ("2/3", "2/3")
    r = services.resolution_add(actor=cast.admin, assembly=a, title="Statuts modifiés")
    for i, c in enumerate(["for", "for", "against", "abstain"]):  # 4 of 6 = 2/3: quorum
        vote(cast, r, i, c)
    line = selectors.assembly_results(a).resolutions[0]
    assert line.passed  # 2 of 3 cast = 2/3: at least
    vote(cast, r, 4, "against")
    assert not selectors.assembly_results(a).resolutions[0].passed  # 2 of 4 < 2/3


def test_bad_votes_are_refused_and_nothing_written(cast):
    a = convene(cast)
    r = services.resolution_add(actor=cast.admin, assembly=a, title="Rapport moral")
    cases = [
        (cast.outsider_owner, cast.outsider, DAY, "not_in_good_standing"),  # never joined
        (cast.lapsed_owner, cast.lapsed, DAY, "not_in_good_standing"),
        (cast.late_owner, cast.late, DAY, "not_in_good_standing"),
        (cast.owners[0], cast.orgs[0], DAY - datetime.timedelta(days=1), "not_open"),
    ]
    for actor, org, day, code in cases:
        with pytest.raises(Conflict) as e:
            services.vote_cast(actor=actor, resolution=r, organisation=org, choice="for", today=day)
        assert e.value.code == code, (org, code)
    assert "radiée" in str(_message(cast, r, cast.lapsed_owner, cast.lapsed))
    with pytest.raises(Forbidden):  # another organisation's owner
        services.vote_cast(
            actor=cast.owners[1], resolution=r, organisation=cast.orgs[0], choice="for", today=DAY
        )
    with pytest.raises(ValidationFailed):
        vote(cast, r, 0, "peut-être")
    assert not NetworkVote.objects.exists()
    vote(cast, r, 0, "for")
    with pytest.raises(Conflict) as e:
        vote(cast, r, 0, "against")
    assert e.value.code == "already_voted"
    services.assembly_close(actor=cast.admin, assembly=a, today=DAY)
    with pytest.raises(Conflict) as e:
        vote(cast, r, 1, "for", today=DAY + datetime.timedelta(days=1))
    assert e.value.code == "already_closed"
    assert list(NetworkVote.objects.values_list("organisation", "choice")) == [
        (cast.orgs[0].pk, "for")
    ]


def _message(cast, r, actor, org):
    try:
        services.vote_cast(actor=actor, resolution=r, organisation=org, choice="for", today=DAY)
    except Conflict as exc:
        return exc.message
    return ""


def test_the_owner_or_its_delegate_votes_once_for_the_organisation(cast):
    from accounts.tests.factories import UserFactory
    from network import services as net

    a = convene(cast)
    r = services.resolution_add(actor=cast.admin, assembly=a, title="Rapport moral")
    clerk = UserFactory(username="ng-clerk")
    net.organisation_member_add(actor=cast.owners[0], organisation=cast.orgs[0], user=clerk)
    with pytest.raises(Forbidden) as e:  # an account of the organisation, not delegated
        services.vote_cast(
            actor=clerk, resolution=r, organisation=cast.orgs[0], choice="for", today=DAY
        )
    assert e.value.code == "not_delegate"
    with pytest.raises(ValidationFailed):  # a stranger cannot be delegated
        services.delegate_name(
            actor=cast.owners[0], assembly=a, organisation=cast.orgs[0], user=cast.owners[1]
        )
    services.delegate_name(actor=cast.owners[0], assembly=a, organisation=cast.orgs[0], user=clerk)
    services.vote_cast(
        actor=clerk, resolution=r, organisation=cast.orgs[0], choice="for", today=DAY
    )
    with pytest.raises(Conflict):
        vote(cast, r, 0, "against")  # the owner: the organisation has voted
    assert NetworkVote.objects.get().cast_by == clerk


def test_closing_rules_and_the_minutes(client, cast):
    a = convene(cast)
    with pytest.raises(Conflict) as e:
        services.assembly_close(actor=cast.admin, assembly=a, today=DAY)
    assert e.value.code == "resolution_not_voted"
    services.resolution_add(actor=cast.admin, assembly=a, title="Rapport moral")
    with pytest.raises(Conflict) as e:
        services.assembly_close(actor=cast.admin, assembly=a, today=DAY - datetime.timedelta(1))
    assert e.value.code == "not_open"
    with pytest.raises(Forbidden):
        services.assembly_close(actor=cast.owners[0], assembly=a, today=DAY)
    services.assembly_close(actor=cast.admin, assembly=a, today=DAY)
    with pytest.raises(Conflict) as e:
        services.assembly_close(actor=cast.admin, assembly=a, today=DAY)
    assert e.value.code == "already_closed"
    client.force_login(cast.owners[2])
    pdf = client.get(f"/reseau/vie-du-reseau/assemblees/{a.pk}/proces-verbal.pdf")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
