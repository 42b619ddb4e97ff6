"""The payout's pages and API: the statement (page, CSV, JSON) for the organiser's accounts
and the network's administrators only, the request once the event has ended (201 then
200 with the same payout), the checker's decision, bad input refused with its code and
nothing written."""

import pytest
from django.urls import reverse

from core.money import format_xof as xof
from events.models import EventSettlement
from events.tests.conftest import ended_event, publish
from network.models import BookEntry
from payments.models import Payout

pytestmark = pytest.mark.django_db
JSON = "application/json"


def url(event, tail=""):
    return f"/api/v1/network/events/{event.pk}/payout{tail}"


def test_the_organiser_reads_the_statement_asks_the_payout_and_downloads_the_csv(
    cast, client, paid_event, django_capture_on_commit_callbacks, django_assert_max_num_queries
):
    client.force_login(cast.user_sn)
    page_url = reverse("events:payout", args=[paid_event.pk])
    detail = client.get(reverse("events:detail", args=[paid_event.pk])).content.decode()
    assert page_url in detail  # the organiser is shown the link
    with django_assert_max_num_queries(15):
        page = client.get(page_url)
    html = page.content.decode()
    assert page.status_code == 200 and xof(20_000) in html and xof(19_000) in html
    assert "Demander le versement" in html and "Oumou Sangaré" in html
    with django_capture_on_commit_callbacks(execute=True):
        asked = client.post(reverse("events:payout_request", args=[paid_event.pk]))
    assert asked.status_code == 302
    html = client.get(page_url).content.decode()
    payout = Payout.objects.get(purpose="event_payout")
    assert payout.reference in html and "Demander le versement" not in html
    assert 'data-testid="payout-status">versé<' in html
    csv = client.get(reverse("events:payout_csv", args=[paid_event.pk]))
    assert csv.status_code == 200 and csv["Content-Type"].startswith("text/csv")
    text = csv.content.decode("utf-8-sig")
    assert "Oumou Sangaré;Union des caisses de Mopti;10000" in text
    assert "Net à verser à l'organisateur;;Institut sénégalais de l'ESS;19000" in text
    assert payout.reference in text


@pytest.mark.parametrize("who", ["user_ml", "outsider"])
def test_others_are_refused_the_statement_and_the_payout(cast, client, paid_event, who):
    client.force_login(getattr(cast, who))
    detail = client.get(reverse("events:detail", args=[paid_event.pk])).content.decode()
    assert reverse("events:payout", args=[paid_event.pk]) not in detail
    for name in ("payout", "payout_csv"):
        assert client.get(reverse(f"events:{name}", args=[paid_event.pk])).status_code == 403
    for name in ("payout_request", "payout_approve"):
        assert client.post(reverse(f"events:{name}", args=[paid_event.pk])).status_code == 403
    assert not EventSettlement.objects.exists() and not Payout.objects.exists()


def test_the_api_asks_once_then_answers_the_same_payout(
    cast, paid_event, api_client, django_capture_on_commit_callbacks
):
    organiser, admin = api_client(cast.user_sn), api_client(cast.admin)
    before = organiser.get(url(paid_event))
    assert before.status_code == 200, before.content
    body = before.json()
    assert (body["status"], body["collected"], body["net"]) == ("payable", 20_000, 19_000)
    assert body["commission_percent"] == "5.00" and body["payout"] is None
    assert sorted(f["paid"] for f in body["fees"]) == [10_000, 10_000]
    with django_capture_on_commit_callbacks(execute=True):
        first = organiser.post(url(paid_event))
    assert first.status_code == 201, first.content
    assert first.json()["status"] == "requested"  # sent once the transaction commits
    assert organiser.get(url(paid_event)).json()["status"] == "paid_out"
    assert first.json()["payout"]["reference"].startswith("PO-EVENPAYO-")
    with django_capture_on_commit_callbacks(execute=True):
        again = admin.post(url(paid_event))
    assert again.status_code == 200 and again.json()["status"] == "paid_out"
    assert again.json()["payout"]["reference"] == first.json()["payout"]["reference"]
    lines = {ln["account"]: ln["balance"] for ln in again.json()["book_lines"]}
    assert lines == {"4197": 0, "4676": 0, "552": 1_000, "7064": -1_000}
    assert Payout.objects.filter(purpose="event_payout").count() == 1


def test_the_api_refusals_have_a_code_and_nothing_is_written(
    cast, client, api_client, settings, paid_event, django_capture_on_commit_callbacks
):
    organiser, other = api_client(cast.user_sn), api_client(cast.user_ml)
    upcoming = publish(cast, fee=1_000)
    early = organiser.post(url(upcoming))
    assert early.status_code == 409 and early.json()["code"] == "not_ended"
    assert early.json()["message"].startswith("Les frais")
    assert other.get(url(paid_event)).status_code == 403
    assert other.post(url(paid_event)).status_code == 403
    assert client.get(url(paid_event)).status_code == 401
    assert organiser.get("/api/v1/network/events/999999/payout").status_code == 404
    assert organiser.post("/api/v1/network/events/0/payout").status_code in (404, 422)
    nowallet = ended_event(cast, payout_phone="")
    refused = organiser.post(url(nowallet))
    assert refused.status_code == 400 and refused.json()["code"] == "no_wallet"
    assert refused.json()["field"] == "payout_phone"
    nothing = organiser.post(
        url(paid_event, "/approve"), {"decision": "approve"}, content_type=JSON
    )
    assert nothing.status_code == 409 and nothing.json()["code"] == "not_awaiting"
    for bad in ({"decision": "maybe"}, {"decision": "a\x00"}, {"decision": "x" * 5000}, {}):
        answer = organiser.post(url(paid_event, "/approve"), bad, content_type=JSON)
        assert answer.status_code in (400, 422), bad
        assert "code" in answer.json()
    assert not EventSettlement.objects.exists() and not Payout.objects.exists()
    assert not BookEntry.objects.filter(source__startswith="event_s").exists()


def test_the_checker_approves_through_the_page_and_the_api(
    cast, client, api_client, settings, paid_event, django_capture_on_commit_callbacks
):
    from accounts.tests.factories import UserFactory
    from network import services as net
    from network.models import StaffRole

    settings.PAYMENTS_PAYOUT_APPROVAL_THRESHOLD = 10_000
    organiser = api_client(cast.user_sn)
    assert organiser.post(url(paid_event)).json()["status"] == "awaiting_approval"
    refused = organiser.post(
        url(paid_event, "/approve"), {"decision": "approve"}, content_type=JSON
    )
    assert refused.status_code == 403
    client.force_login(cast.admin)  # an administrator other than the requester
    page = client.get(reverse("events:payout", args=[paid_event.pk])).content.decode()
    assert "Approuver le versement" in page
    from events import rules, selectors

    statement = selectors.payout_statement(actor=cast.admin, event=paid_event)
    assert rules.may_approve_this_payout(cast.admin, statement)
    assert not rules.may_approve_this_payout(cast.user_sn, statement)  # the requester
    with django_capture_on_commit_callbacks(execute=True):
        done = client.post(
            reverse("events:payout_approve", args=[paid_event.pk]), {"decision": "refuse"}
        )
    assert done.status_code == 302
    assert Payout.objects.get(purpose="event_payout").status == "rejected"
    again = organiser.post(url(paid_event))  # a new attempt after the refusal
    assert again.status_code == 201 and again.json()["status"] == "awaiting_approval"
    checker = UserFactory(username="ev-checker-api")
    root = UserFactory(username="ev-root-api", is_superuser=True)
    net.staff_assign(actor=root, user=checker, role=StaffRole.ADMIN)
    approved = api_client(checker).post(
        url(paid_event, "/approve"), {"decision": "approve"}, content_type=JSON
    )
    assert approved.status_code == 200, approved.content
    assert approved.json()["status"] == "paid_out"


@pytest.mark.parametrize(
    "posted", [{}, {"decision": ""}, {"decision": "oui"}, {"decision": "x" * 5000}]
)
def test_the_checker_page_approves_only_when_asked_to(cast, client, settings, paid_event, posted):
    """A decision missing or unknown is refused on the page (as the API does): the money
    leaves only on an explicit 'approve'."""
    settings.PAYMENTS_PAYOUT_APPROVAL_THRESHOLD = 10_000
    client.force_login(cast.user_sn)
    client.post(reverse("events:payout_request", args=[paid_event.pk]))
    assert Payout.objects.get(purpose="event_payout").status == "awaiting_approval"
    client.force_login(cast.admin)
    answer = client.post(reverse("events:payout_approve", args=[paid_event.pk]), posted)
    assert answer.status_code == 302
    assert Payout.objects.get(purpose="event_payout").status == "awaiting_approval"
    shown = client.get(answer["Location"]).content.decode()
    assert "approuver ou de refuser le versement." in shown


def _figures(client, event) -> str:
    html = client.get(reverse("events:payout", args=[event.pk])).content.decode()
    start = html.index('data-testid="payout-figures"')
    return html[start : html.index("</dl>", start)]


def _csv(client, event) -> str:
    return client.get(reverse("events:payout_csv", args=[event.pk])).content.decode("utf-8-sig")


def test_the_statement_says_when_the_event_is_by_its_real_state(cast, client, wave):
    """'Terminé le' only once the event has ended; before, 'à venir' (its dates), during it
    'en cours'; a cancelled event says so. The CSV's first line says the same."""
    import datetime

    from django.utils import timezone

    from events.models import Event

    client.force_login(cast.user_sn)
    upcoming = publish(cast, fee=1_000)
    shown = _figures(client, upcoming)
    assert "Terminé le" not in shown and "À venir : du " in shown
    assert "À venir : du " in _csv(client, upcoming).splitlines()[1]
    ended = ended_event(cast)
    assert "Terminé le " in _figures(client, ended)
    assert "Terminé le " in _csv(client, ended).splitlines()[1]
    Event.objects.filter(pk=ended.pk).update(ends_at=timezone.now() + datetime.timedelta(days=1))
    shown = _figures(client, ended)
    assert "En cours : se termine le " in shown and "Terminé" not in shown
    Event.objects.filter(pk=upcoming.pk).update(cancelled=True)  # no page: 404
    from events import selectors
    from events.views import statement_when

    upcoming.refresh_from_db()
    said = statement_when(selectors.payout_statement(actor=cast.user_sn, event=upcoming))
    assert said.startswith("Annulé (prévu du ")


def test_the_statement_counts_the_fees_paid_in_french(cast, client, wave):
    """French treats 0 as singular: 'aucune inscription', '1 inscription', '2 inscriptions'
    (never '0 inscriptions')."""
    from events.tests.conftest import pay_by_phone, register_before

    client.force_login(cast.user_sn)
    event = ended_event(cast)
    shown = _figures(client, event)
    assert "aucune inscription" in shown and "0 inscription" not in shown
    for n, (user, org) in enumerate(((cast.user_ml, cast.org_ml), (cast.user_sn, cast.org_sn))):
        assert pay_by_phone(client, cast, register_before(cast, event, user, org), actor=user)
        shown = _figures(client, event)
        assert (f"{n + 1} inscription<" if n == 0 else "2 inscriptions<") in shown, shown
