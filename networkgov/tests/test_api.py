"""The network governance's API: memberships and standing, dues paid by phone (through
the payments app, as the page), assemblies with one vote per organisation in good
standing and their results, consultations answered once with results after closing;
per role (an owner, another organisation's owner, an administrator, a programme user,
anonymous) and hostile input refused with its code and nothing written."""

import datetime

import pytest

from accounts.tests.factories import UserFactory
from core import dates
from networkgov import services
from networkgov.models import Consultation, ConsultationAnswer, Membership, NetworkVote
from networkgov.tests.conftest import completed, convene, join, wave_post
from payments.models import PaymentIntent

pytestmark = pytest.mark.django_db
JSON = "application/json"


def test_memberships_and_standing_are_the_organisations_own(cast, api_client, client):
    owner, late = api_client(cast.owners[0]), api_client(cast.late_owner)
    mine = owner.get("/api/v1/network/membership").json()
    assert [m["organisation"] for m in mine["items"]] == [cast.orgs[0].pk]
    assert mine["items"][0]["dues"] == 25_000 and mine["items"][0]["remaining"] == 0
    m_late = Membership.objects.get(organisation=cast.late)
    assert owner.get(f"/api/v1/network/membership/{m_late.pk}").status_code == 404
    got = late.get(f"/api/v1/network/membership/{m_late.pk}")
    assert got.status_code == 200 and got.json()["remaining"] == 25_000
    standing = late.get("/api/v1/network/membership/standing").json()
    assert [(s["organisation"], s["status"]) for s in standing] == [
        (cast.late.pk, standing[0]["status"])
    ]
    assert standing[0]["status"] in ("late", "lapsed")
    assert owner.get("/api/v1/network/membership/standing").json()[0]["status"] == "good"
    admin = api_client(cast.admin).get("/api/v1/network/membership").json()
    assert admin["count"] == Membership.objects.count()
    stranger = api_client(UserFactory(username="ng-stranger"))
    assert stranger.get("/api/v1/network/membership").json()["count"] == 0
    assert stranger.get("/api/v1/network/membership/standing").json() == []
    public = client.get("/api/v1/network/membership/members")
    assert public.status_code == 200
    names = [o["name"] for o in public.json()["items"]]
    assert cast.orgs[0].name in names and cast.late.name not in names
    assert set(public.json()["items"][0]) == {"id", "name", "slug", "country"}
    assert client.get("/api/v1/network/membership").status_code == 401


def test_dues_paid_by_phone_through_the_api(cast, api_client, client, wave):
    m = Membership.objects.get(organisation=cast.late)
    url = f"/api/v1/network/membership/{m.pk}/payments"
    body = {"amount": 10_000, "phone": "77 900 12 34", "provider": "wave"}
    assert api_client(cast.owners[0]).post(url, body, content_type=JSON).status_code == 404
    started = api_client(cast.late_owner).post(url, body, content_type=JSON)
    assert started.status_code == 201, started.content
    assert started.json()["status"] == "pending" and started.json()["checkout_url"]
    intent = PaymentIntent.objects.get(pk=started.json()["id"])
    assert (intent.purpose, intent.target_id, intent.amount) == ("network_dues", m.pk, 10_000)
    assert wave_post(client, completed(intent, event_id="EV-API")).status_code == 200
    m.refresh_from_db()
    assert m.paid == 10_000
    paid = Membership.objects.get(organisation=cast.orgs[0])
    done = api_client(cast.owners[0]).post(
        f"/api/v1/network/membership/{paid.pk}/payments", body, content_type=JSON
    )
    assert done.status_code == 409 and done.json()["code"] == "overpaid"


@pytest.mark.parametrize(
    ("amount", "code"),
    [(0, "out_of_range"), (-5, "out_of_range"), (15_001, "out_of_range"), (10**15, "out_of_range"),
     (10**30, "out_of_range")],
)  # fmt: skip
def test_hostile_dues_payments_write_nothing(cast, api_client, wave, amount, code):
    m = Membership.objects.get(organisation=cast.late)
    Membership.objects.filter(pk=m.pk).update(paid=10_000)
    url = f"/api/v1/network/membership/{m.pk}/payments"
    c = api_client(cast.late_owner)
    answer = c.post(url, {"amount": amount, "phone": "77 900 12 34", "provider": "wave"},
                    content_type=JSON)  # fmt: skip
    assert answer.status_code == 400, answer.content
    assert answer.json()["code"] == code and answer.json()["field"] == "amount"
    for body, field in [
        ({"amount": 1, "phone": "7" * 41, "provider": "wave"}, "phone"),
        ({"amount": 1, "phone": "77\x00", "provider": "wave"}, "phone"),
        ({"amount": 1, "phone": "77 900 12 34", "provider": "w" * 5000}, "provider"),
    ]:
        refused = c.post(url, body, content_type=JSON)
        assert refused.status_code == 400 and refused.json()["field"] == field, refused.content
    assert PaymentIntent.objects.count() == 0


def test_joining_by_the_owner_only(cast, api_client):
    body = {"organisation": cast.outsider.pk, "size": "small"}
    other = api_client(cast.owners[0]).post("/api/v1/network/membership", body, content_type=JSON)
    assert other.status_code == 403
    joined = api_client(cast.outsider_owner).post(
        "/api/v1/network/membership", body, content_type=JSON
    )
    assert joined.status_code == 201 and joined.json()["dues"] == 25_000
    again = api_client(cast.outsider_owner).post(
        "/api/v1/network/membership", body, content_type=JSON
    )
    assert again.status_code == 409 and again.json()["code"] == "already_member"
    for change, code in [({"size": "huge"}, "invalid_choice"), ({"year": 2999}, "out_of_range"),
                         ({"size": "s\x00"}, "invalid_character"),
                         ({"organisation": 2**40}, "out_of_range")]:  # fmt: skip
        answer = api_client(cast.outsider_owner).post(
            "/api/v1/network/membership", {**body, **change}, content_type=JSON
        )
        assert answer.status_code == 400 and answer.json()["code"] == code, (change, answer.content)
    assert Membership.objects.filter(organisation=cast.outsider).count() == 1


def test_assemblies_one_vote_per_organisation_in_good_standing(cast, api_client, client):
    today = dates.today()
    assembly = convene(cast, held_on=today)
    res = services.resolution_add(actor=cast.admin, assembly=assembly, title="Budget 2027")
    owner, late = api_client(cast.owners[0]), api_client(cast.late_owner)
    listed = owner.get("/api/v1/network/assemblies").json()
    assert listed["items"][0]["id"] == assembly.pk and listed["items"][0]["voting_open"] is True
    assert listed["items"][0]["resolutions"][0]["title"] == "Budget 2027"
    url = f"/api/v1/network/assemblies/{assembly.pk}/resolutions/{res.pk}/votes"
    cast_ = owner.post(url, {"organisation": cast.orgs[0].pk, "choice": "for"}, content_type=JSON)
    assert cast_.status_code == 201, cast_.content
    twice = owner.post(url, {"organisation": cast.orgs[0].pk, "choice": "against"},
                       content_type=JSON)  # fmt: skip
    assert twice.status_code == 409 and twice.json()["code"] == "already_voted"
    behind = late.post(url, {"organisation": cast.late.pk, "choice": "for"}, content_type=JSON)
    assert behind.status_code == 409 and behind.json()["code"] == "not_in_good_standing"
    for_another = owner.post(url, {"organisation": cast.orgs[1].pk, "choice": "for"},
                             content_type=JSON)  # fmt: skip
    assert for_another.status_code == 403
    bad = api_client(cast.owners[1]).post(
        url, {"organisation": cast.orgs[1].pk, "choice": "maybe"}, content_type=JSON
    )
    assert bad.status_code == 400 and bad.json()["code"] == "invalid_choice"
    other = convene(cast, held_on=today)
    wrong = owner.post(
        f"/api/v1/network/assemblies/{other.pk}/resolutions/{res.pk}/votes",
        {"organisation": cast.orgs[0].pk, "choice": "for"}, content_type=JSON,
    )  # fmt: skip
    assert wrong.status_code == 404
    assert NetworkVote.objects.count() == 1
    results = owner.get(f"/api/v1/network/assemblies/{assembly.pk}/results").json()
    assert results["voters"] == 1 and results["resolutions"][0]["votes_for"] == 1
    assert results["my_votes"] == {str(cast.orgs[0].pk): {str(res.pk): "for"}}
    assert results["closed"] is False
    stranger = api_client(UserFactory(username="ng-stranger"))
    assert stranger.get("/api/v1/network/assemblies").status_code == 403
    assert stranger.get(f"/api/v1/network/assemblies/{assembly.pk}").status_code == 404
    assert stranger.get(f"/api/v1/network/assemblies/{assembly.pk}/results").status_code == 404
    assert stranger.post(url, {"organisation": cast.orgs[0].pk, "choice": "for"},
                         content_type=JSON).status_code == 404  # fmt: skip
    assert client.get("/api/v1/network/assemblies").status_code == 401
    admin = api_client(cast.admin).get(f"/api/v1/network/assemblies/{assembly.pk}")
    assert admin.status_code == 200


def test_voting_opens_on_the_day(cast, api_client):
    future = convene(cast, held_on=dates.today() + datetime.timedelta(days=20),
                     today=dates.today())  # fmt: skip
    res = services.resolution_add(actor=cast.admin, assembly=future, title="Statuts")
    answer = api_client(cast.owners[0]).post(
        f"/api/v1/network/assemblies/{future.pk}/resolutions/{res.pk}/votes",
        {"organisation": cast.orgs[0].pk, "choice": "for"}, content_type=JSON,
    )  # fmt: skip
    assert answer.status_code == 409 and answer.json()["code"] == "not_open"


def open_consultation(cast, **kw):
    today = dates.today()
    return services.consultation_open(
        actor=cast.admin, title="Priorités 2027", question="Quel chantier d'abord ?",
        opens_on=today, closes_on=today + datetime.timedelta(days=10),
        options=["Formation", "Financement"], today=today, **kw,
    )  # fmt: skip


def test_consultations_answered_once_results_after_closing(cast, api_client, client):
    consultation = open_consultation(cast, anonymous_comments=False)
    owner = api_client(cast.owners[0])
    listed = owner.get("/api/v1/network/consultations").json()
    assert listed["items"][0]["id"] == consultation.pk and listed["items"][0]["is_open"]
    url = f"/api/v1/network/consultations/{consultation.pk}"
    body = {"organisation": cast.orgs[0].pk, "option": "Formation", "comment": "Urgent."}
    answered = owner.post(f"{url}/answers", body, content_type=JSON)
    assert answered.status_code == 201, answered.content
    again = owner.post(f"{url}/answers", body, content_type=JSON)
    assert again.status_code == 409 and again.json()["code"] == "already_answered"
    early = owner.get(f"{url}/results")
    assert early.status_code == 409 and early.json()["code"] == "not_closed"
    behind = api_client(cast.late_owner).post(
        f"{url}/answers", {**body, "organisation": cast.late.pk}, content_type=JSON
    )
    assert behind.status_code == 409 and behind.json()["code"] == "not_in_good_standing"
    other = owner.post(f"{url}/answers", {**body, "organisation": cast.orgs[1].pk},
                       content_type=JSON)  # fmt: skip
    assert other.status_code == 403
    for change, code, field in [
        ({"option": "Autre"}, "invalid_choice", "option"),
        ({"comment": "x" * 2001}, "too_long", "comment"),
        ({"comment": "a\x00"}, "invalid_character", "comment"),
        ({"option": "o" * 5000}, "too_long", "option"),
    ]:
        bad = api_client(cast.owners[1]).post(
            f"{url}/answers", {**body, "organisation": cast.orgs[1].pk, **change},
            content_type=JSON,
        )  # fmt: skip
        assert bad.status_code == 400, bad.content
        assert (bad.json()["code"], bad.json()["field"]) == (code, field)
    assert ConsultationAnswer.objects.count() == 1
    yesterday = dates.today() - datetime.timedelta(days=1)
    Consultation.objects.filter(pk=consultation.pk).update(
        opens_on=yesterday - datetime.timedelta(days=5), closes_on=yesterday
    )
    results = owner.get(f"{url}/results")
    assert results.status_code == 200
    assert results.json()["counts"] == [
        {"option": "Formation", "count": 1},
        {"option": "Financement", "count": 0},
    ]
    assert results.json()["comments"] == [{"organisation": cast.orgs[0].name, "comment": "Urgent."}]
    late = api_client(cast.owners[1]).post(
        f"{url}/answers", {**body, "organisation": cast.orgs[1].pk}, content_type=JSON
    )
    assert late.status_code == 409 and late.json()["code"] == "not_open"
    stranger = api_client(UserFactory(username="ng-stranger"))
    assert stranger.get("/api/v1/network/consultations").status_code == 403
    assert stranger.get(url).status_code == 404
    assert stranger.get(f"{url}/results").status_code == 404
    assert client.get(f"{url}/results").status_code == 401
    assert api_client(cast.admin).get(f"{url}/results").status_code == 200


def test_a_lapsed_organisation_joining_again_is_priced_from_the_tariff(cast, api_client):
    m = join(cast.lapsed, cast.lapsed_owner, year=dates.today().year, today=dates.today())
    got = api_client(cast.lapsed_owner).get(f"/api/v1/network/membership/{m.pk}")
    assert got.json()["dues"] == 25_000 and got.json()["paid"] == 0
