"""One vote per organisation even when two requests arrive at once (issue 21, point 9):
the owner and its delegate press "Voter" together, each in its own thread on its own
database connection; the assembly's row lock makes the second wait and see the first."""

import threading

import pytest
from django.db import connection, connections

from accounts.tests.factories import UserFactory
from core.errors import Conflict
from network import services as net
from networkgov import services
from networkgov.models import NetworkVote
from networkgov.tests.conftest import DAY, convene

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="row locks need PostgreSQL: SQLite serialises whole-database writes "
    "(transaction_mode IMMEDIATE), so there is no race to test there",
)


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_votes_at_once_for_one_organisation_count_once(cast):
    a = convene(cast)
    r = services.resolution_add(actor=cast.admin, assembly=a, title="Budget 2027")
    clerk = UserFactory(username="ng-clerk")
    net.organisation_member_add(actor=cast.owners[0], organisation=cast.orgs[0], user=clerk)
    services.delegate_name(actor=cast.owners[0], assembly=a, organisation=cast.orgs[0], user=clerk)
    barrier = threading.Barrier(4)
    outcomes, errors = [], []

    def cast_vote(actor, org, choice):
        try:
            barrier.wait(timeout=10)
            services.vote_cast(
                actor=actor, resolution=r, organisation=org, choice=choice, today=DAY
            )
            outcomes.append((org.pk, "ok"))
        except Conflict as exc:
            outcomes.append((org.pk, exc.code))
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(exc)
        finally:
            connections.close_all()

    voters = [
        (cast.owners[0], cast.orgs[0], "for"),
        (clerk, cast.orgs[0], "against"),
        (cast.owners[1], cast.orgs[1], "for"),
        (cast.owners[1], cast.orgs[1], "for"),
    ]
    threads = [threading.Thread(target=cast_vote, args=v) for v in voters]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert not errors
    assert sorted(outcomes) == sorted(
        [
            (cast.orgs[0].pk, "ok"),
            (cast.orgs[0].pk, "already_voted"),
            (cast.orgs[1].pk, "ok"),
            (cast.orgs[1].pk, "already_voted"),
        ]
    )
    assert NetworkVote.objects.filter(resolution=r).count() == 2
