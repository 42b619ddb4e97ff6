"""Issue 23, point 5: the dashboards, reports, the public portal and the exports can read
from a streaming replica; writes, and reads that follow a write, stay on the primary.

The tests' ``replica`` alias is a mirror of the test database (config/settings.py), so
what the router chooses is seen in which connection ran the queries."""

import pytest
from django.db import connections, router
from django.test.utils import CaptureQueriesContext, override_settings
from django.urls import reverse

from core.replica import PIN_COOKIE, PRIMARY, REPLICA, PrimaryReplicaRouter, replica_reads
from geo.models import Area

BOTH = ["default", "replica"]
ON = override_settings(READ_FROM_REPLICA=True)


def _get(client, url):
    with (
        CaptureQueriesContext(connections[REPLICA]) as on_replica,
        CaptureQueriesContext(connections[PRIMARY]) as on_primary,
    ):
        response = client.get(url)
    return response, len(on_replica.captured_queries), len(on_primary.captured_queries)


@pytest.mark.django_db(transaction=True, databases=BOTH)
def test_the_national_dashboard_reads_from_the_replica(world, client):
    client.force_login(world.national)
    with ON:
        first, replica, primary = _get(client, reverse("monitoring:dashboard"))
        # the first view writes the stale rollups (on the primary), then reads there
        print("first", replica, primary)
        response, replica, primary = _get(client, reverse("monitoring:dashboard"))
    assert first.status_code == response.status_code == 200
    assert replica > 0
    assert primary == 0  # the session and the user too: the whole request is a read


@pytest.mark.django_db(transaction=True, databases=BOTH)
def test_the_public_portal_reads_from_the_replica_without_login(client):
    with ON:
        response, replica, primary = _get(client, reverse("network:home"))
    assert response.status_code == 200
    assert replica > 0 and primary == 0


@pytest.mark.django_db(transaction=True, databases=BOTH)
def test_pages_that_are_not_listed_and_a_switched_off_replica_read_the_primary(world, client):
    client.force_login(world.national)
    with ON:
        response, replica, primary = _get(client, reverse("registry:cooperative_list"))
    assert response.status_code == 200
    assert replica == 0 and primary > 0
    response, replica, primary = _get(client, reverse("monitoring:dashboard"))  # setting off
    assert response.status_code == 200
    assert replica == 0 and primary > 0


@pytest.mark.django_db(transaction=True, databases=BOTH)
def test_after_a_post_the_browser_reads_the_primary_for_a_few_seconds(world, client):
    client.force_login(world.national)
    with ON:
        posted = client.post(reverse("set_language"), {"language": "fr", "next": "/"})
        assert posted.status_code == 302
        pin = posted.cookies[PIN_COOKIE]
        assert pin["max-age"] == 10 and pin["httponly"]
        response, replica, primary = _get(client, reverse("monitoring:dashboard"))
    assert response.status_code == 200
    assert replica == 0 and primary > 0
    # a GET does not set the cookie, and without a replica no cookie is set at all
    assert PIN_COOKIE not in response.cookies
    assert PIN_COOKIE not in client.post(reverse("set_language"), {"language": "fr"}).cookies


@pytest.mark.django_db(transaction=True, databases=BOTH)
def test_reads_after_a_write_and_inside_a_transaction_stay_on_the_primary():
    from django.db import transaction

    with ON:
        assert Area.objects.all().db == PRIMARY  # outside the read-only surfaces
        with replica_reads():
            assert Area.objects.all().db == REPLICA
            with transaction.atomic():
                assert Area.objects.all().db == PRIMARY
            assert Area.objects.all().db == REPLICA
            assert router.db_for_write(Area) == PRIMARY
            assert Area.objects.all().db == PRIMARY  # the request has written
        with replica_reads():
            assert Area.objects.all().db == REPLICA  # a new request starts afresh


@pytest.mark.django_db(transaction=True, databases=BOTH)
def test_an_object_read_from_the_replica_is_written_and_followed_on_the_primary():
    with ON, replica_reads():
        area = Area.objects.order_by("pk").first()
    assert area._state.db == REPLICA
    assert router.db_for_write(Area, instance=area) == PRIMARY
    assert router.db_for_read(Area, instance=area) == PRIMARY
    routing = PrimaryReplicaRouter()
    assert routing.allow_migrate(PRIMARY, "geo") and not routing.allow_migrate(REPLICA, "geo")


@pytest.mark.django_db(transaction=True, databases=BOTH)
def test_a_hostile_pin_cookie_is_ignored(world, client):
    client.force_login(world.national)
    with ON:
        client.get(reverse("monitoring:dashboard"))  # the stale rollups written once
        for value in ("²", "x" * 5000, "12\x003", "-5", "1e99"):
            client.cookies[PIN_COOKIE] = value
            response, replica, primary = _get(client, reverse("monitoring:dashboard"))
            assert response.status_code == 200, value
            assert replica > 0 and primary == 0, value  # not a valid pin: the replica
