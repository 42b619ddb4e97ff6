"""Authorization-matrix entries of events (accounts/tests/authz.py). Events and the ILO
catalogue are public by design; none of the programme's roles is an organisation's
account: publishing and registering are refused (403), a registration is its own
account's and the organiser's only (404); an event's fee statement and payout are its
organiser's and the network's administrators' (403 for the others: the event is public)."""

import datetime

from django.utils import timezone

from accounts.tests.authz import E, api, page
from accounts.tests.factories import UserFactory
from events import services
from network import services as net
from network.models import StaffRole

PUBLIC = {"expect": E(200), "anonymous": 200, "leak_check": False}


def build(world, objs):
    root = UserFactory(username="matrix-ev-root", is_superuser=True)
    admin = UserFactory(username="matrix-ev-admin")
    net.staff_assign(actor=root, user=admin, role=StaffRole.ADMIN)
    owner = UserFactory(username="matrix-ev-owner")
    org, code = net.organisation_register(
        owner=owner, name="Institut matrice de l'ESS", kind="association", country="SN",
        city="Dakar", sectors=["education"], email="matrix-ev@example.org",
    )  # fmt: skip
    net.organisation_verify_contact(organisation=org, code=code)
    net.organisation_moderate(actor=admin, organisation=org, decision="approve")
    org.refresh_from_db()
    start = timezone.now() + datetime.timedelta(days=30)
    objs["ev_event"] = services.event_publish(
        actor=owner, organiser=org, kind="forum", title="Forum matrice", description="D.",
        country="SN", place="Dakar", starts_at=start, ends_at=start, capacity=10, fee=1000,
    )  # fmt: skip
    objs["ev_reg"] = services.registration_create(
        actor=owner, event=objs["ev_event"], organisation=org, participant_name="Matrice"
    )


ENTRIES = [
    page("events:list", public=True, **PUBLIC),
    page("events:detail", pk="@ev_event", public=True, **PUBLIC),
    page("events:new", expect=E(403)),
    page(
        "events:register",
        pk="@ev_event",
        method="POST",
        data={"participant_name": "X"},
        expect=E(403),
    ),
    page(
        "events:resource_add",
        pk="@ev_event",
        method="POST",
        data={"kind": "replay", "title": "R", "url": "https://example.org/r"},
        expect=E(403),
    ),
    page(
        "events:pay",
        pk="@ev_reg",
        method="POST",
        data={"phone": "770000000", "provider": "wave"},
        expect=E(404),
    ),
    page("events:attendance", pk="@ev_reg", method="POST", data={}, expect=E(404)),
    page("events:certificate", pk="@ev_reg", expect=E(404)),
    page("events:cancel", pk="@ev_reg", method="POST", expect=E(404)),
    page("events:refund_retry", pk="@ev_reg", method="POST", expect=E(404)),
    page("events:payout", pk="@ev_event", expect=E(403)),
    page("events:payout_csv", pk="@ev_event", expect=E(403)),
    page("events:payout_request", pk="@ev_event", method="POST", expect=E(403)),
    page(
        "events:payout_approve",
        pk="@ev_event",
        method="POST",
        data={"decision": "approve"},
        expect=E(403),
    ),
    api("GET /api/v1/network/events/{event_id}/payout", event_id="@ev_event", expect=E(403)),
    api("POST /api/v1/network/events/{event_id}/payout", event_id="@ev_event", expect=E(403)),
    api(
        "POST /api/v1/network/events/{event_id}/payout/approve",
        event_id="@ev_event",
        body={"decision": "approve"},
        expect=E(403),
    ),
]
