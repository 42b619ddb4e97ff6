"""The API of refunds after a dispute, amendments and cancellation
(/api/v1/network/engagements/{id}/...): the answers, the refusals with their codes and
nothing written, per role."""

import pytest

from consulting import services
from consulting.models import Amendment, DisputeRefund
from consulting.tests.conftest import assert_books_balance, pay_by_phone, sign
from network.models import BookEntry
from payments.models import Payout

pytestmark = pytest.mark.django_db
JSON = "application/json"
SPLIT = {"consultant": "70", "platform": "20", "ess_fund": "10"}


def test_a_refund_through_the_api_once(cast, client, api_client, wave):
    admin, owner = api_client(cast.admin), api_client(cast.owner)
    engagement = sign(cast, amount=333_333, split=SPLIT, actor=cast.admin)
    services.dispute_open(actor=cast.owner, engagement=engagement, reason="Rapport non remis.")
    pay_by_phone(client, cast, engagement, 333_333)
    url = f"/api/v1/network/engagements/{engagement.pk}/dispute/refund"
    body = {"amount": 100_001, "resolution": "Rapport partiel : remboursement partiel."}
    assert owner.post(url, body, content_type=JSON).status_code == 403
    above = admin.post(url, {**body, "amount": 333_334}, content_type=JSON)
    assert above.status_code == 409 and above.json()["code"] == "refund_above_paid"
    assert above.json()["field"] == "amount" and above.json()["message"]
    for bad in ({**body, "amount": 0}, {**body, "amount": -5}, {**body, "resolution": ""},
                {**body, "resolution": "a\x00"}, {**body, "phone": "x" * 41}):  # fmt: skip
        answer = admin.post(url, bad, content_type=JSON)
        assert answer.status_code in (400, 422), (bad, answer.content)
        assert answer.json()["code"]
    assert not DisputeRefund.objects.exists() and not Payout.objects.filter(kind="refund")
    done = admin.post(url, body, content_type=JSON, headers={"Idempotency-Key": "k"})
    assert done.status_code == 201, done.content
    data = done.json()
    assert data["reversed"] == {"consultant": 70_001, "platform": 20_000, "ess_fund": 10_000}
    assert data["payout"]["amount"] == 100_001 and data["payout"]["phone"] == "+221779001234"
    again = admin.post(url, body, content_type=JSON, headers={"Idempotency-Key": "k"})
    assert again.status_code == 201 and again.json()["id"] == data["id"]
    twice = admin.post(url, body, content_type=JSON)
    assert twice.status_code == 409 and twice.json()["code"] == "no_dispute"
    assert DisputeRefund.objects.count() == 1 and Payout.objects.filter(kind="refund").count() == 1
    seen = owner.get(f"/api/v1/network/engagements/{engagement.pk}").json()
    assert seen["refunded"] == 100_001 and seen["disputed"] is False
    assert_books_balance()


def test_amendments_through_the_api(cast, api_client):
    owner, consultant = api_client(cast.owner), api_client(cast.consultant_user)
    admin, outsider = api_client(cast.admin), api_client(cast.outsider)
    engagement = sign(cast, amount=300_000)
    url = f"/api/v1/network/engagements/{engagement.pk}/amendments"
    steps = [{"title": "Diagnostic", "amount": 100_000}, {"title": "Plan", "amount": 250_000}]
    bad = owner.post(url, {"amount": 300_000, "milestones": steps}, content_type=JSON)
    assert bad.status_code == 400 and bad.json()["code"] == "milestones_sum"
    assert admin.post(url, {"amount": 350_000}, content_type=JSON).status_code == 403
    assert outsider.post(url, {"amount": 350_000}, content_type=JSON).status_code == 404
    assert not Amendment.objects.exists()
    made = owner.post(url, {"amount": 350_000, "milestones": steps}, content_type=JSON)
    assert made.status_code == 201, made.content
    assert made.json()["side"] == "client" and made.json()["status"] == "pending"
    decision = f"{url}/{made.json()['id']}/decision"
    own = owner.post(decision, {"decision": "accept"}, content_type=JSON)
    assert own.status_code == 403 and own.json()["code"] == "own_amendment"
    odd = consultant.post(decision, {"decision": "maybe"}, content_type=JSON)
    assert odd.status_code == 400 and odd.json()["code"] == "invalid_choice"
    assert outsider.post(decision, {"decision": "accept"}, content_type=JSON).status_code == 404
    done = consultant.post(decision, {"decision": "accept"}, content_type=JSON)
    assert done.status_code == 200 and done.json()["status"] == "accepted"
    listed = consultant.get(url).json()["items"]
    assert [a["status"] for a in listed] == ["accepted"]
    assert listed[0]["previous"]["amount"] == 300_000
    seen = owner.get(f"/api/v1/network/engagements/{engagement.pk}").json()
    assert seen["amount"] == 350_000 and seen["due"] == 350_000
    assert seen["split"] == {"consultant": "80", "platform": "10", "ess_fund": "10"}
    assert [m["amount"] for m in seen["milestones"]] == [100_000, 250_000]
    assert outsider.get(url).status_code == 404
    paid = admin.post(
        f"/api/v1/network/engagements/{engagement.pk}/payments",
        {"amount": 1_000, "paid_on": "2026-01-05"},
        content_type=JSON,
    )
    assert paid.status_code == 201, paid.content
    late = consultant.post(url, {"amount": 400_000}, content_type=JSON)
    assert late.status_code == 409 and late.json()["code"] == "already_paid"


def test_cancel_through_the_api(cast, api_client):
    owner, outsider = api_client(cast.owner), api_client(cast.outsider)
    engagement = sign(cast, amount=300_000)
    url = f"/api/v1/network/engagements/{engagement.pk}/cancel"
    assert outsider.post(url, {"reason": "x"}, content_type=JSON).status_code == 404
    empty = owner.post(url, {"reason": " "}, content_type=JSON)
    assert empty.status_code == 400 and empty.json()["code"] == "required"
    entries = BookEntry.objects.count()
    done = owner.post(url, {"reason": "Projet abandonné."}, content_type=JSON)
    assert done.status_code == 200, done.content
    data = done.json()
    assert data["status"] == "cancelled" and data["due"] == 0 and data["cancelled"] == 300_000
    assert data["milestones"][0]["cancelled"] is True
    twice = owner.post(url, {"reason": "Encore."}, content_type=JSON)
    assert twice.status_code == 409 and twice.json()["code"] == "already_cancelled"
    assert BookEntry.objects.count() == entries
