"""The engagement's page: proposing and answering a change, cancelling and refunding after
a confirmation; bad input kept on the form (400), nothing written."""

import pytest

from consulting import services
from consulting.models import Amendment, DisputeRefund, Engagement
from consulting.tests.conftest import assert_books_balance, pay_by_phone, sign

pytestmark = pytest.mark.django_db


@pytest.fixture
def paths():
    from django.urls import reverse

    return lambda name, **kw: reverse(f"consulting:{name}", kwargs=kw)


def test_a_change_proposed_and_accepted_on_the_page(cast, client, paths):
    engagement = sign(cast, amount=300_000)
    client.force_login(cast.owner)
    page = client.get(paths("engagement_detail", pk=engagement.pk))
    assert "Proposer une modification" in page.content.decode()
    bad = client.post(paths("engagement_amend", pk=engagement.pk),
                      {"amount": "350000", "milestones": "Diagnostic ; 100000"})  # fmt: skip
    assert bad.status_code == 400 and not Amendment.objects.exists()
    assert "doivent être égaux" in bad.content.decode()  # the service's message, on the form
    done = client.post(
        paths("engagement_amend", pk=engagement.pk),
        {"amount": "350000", "milestones": "Diagnostic ; 100000\nPlan ; 250000 ; 01/03/2030"},
    )
    assert done.status_code == 302
    amendment = Amendment.objects.get()
    own = client.post(paths("amendment_decide", pk=engagement.pk, amendment_pk=amendment.pk),
                      {"decision": "accept"})  # fmt: skip
    assert own.status_code == 403  # its own proposal: the other party answers
    client.force_login(cast.consultant_user)
    page = client.get(paths("engagement_detail", pk=engagement.pk)).content.decode()
    assert "Accepter la modification" in page
    client.post(paths("amendment_decide", pk=engagement.pk, amendment_pk=amendment.pk),
                {"decision": "accept"})  # fmt: skip
    engagement.refresh_from_db()
    assert engagement.amount == 350_000 and engagement.milestones.count() == 2
    client.force_login(cast.outsider)
    assert client.post(paths("amendment_decide", pk=engagement.pk, amendment_pk=amendment.pk),
                       {"decision": "decline"}).status_code == 404  # fmt: skip


def test_cancelling_asks_for_a_confirmation(cast, client, paths):
    engagement = sign(cast, amount=300_000)
    client.force_login(cast.owner)
    target = paths("engagement_cancel", pk=engagement.pk)
    unconfirmed = client.post(target, {"reason": "Projet abandonné."})
    assert unconfirmed.status_code == 400
    assert Engagement.objects.get().status == "signed"
    assert client.post(target, {"reason": "a\x00", "confirm": "on"}).status_code == 400
    assert client.post(target, {"reason": "Projet abandonné.", "confirm": "on"}).status_code == 302
    page = client.get(paths("engagement_detail", pk=engagement.pk)).content.decode()
    assert 'data-testid="cancelled"' in page and "Annuler la mission" not in page
    twice = client.post(target, {"reason": "Encore.", "confirm": "on"})
    assert twice.status_code == 400 and "déjà annulée" in twice.content.decode()


def test_a_refund_on_the_page_after_a_confirmation(cast, client, paths, wave):
    engagement = sign(cast, amount=200_000)
    services.dispute_open(actor=cast.owner, engagement=engagement, reason="Rapport non remis.")
    pay_by_phone(client, cast, engagement, 200_000)
    client.force_login(cast.owner)
    page = client.get(paths("engagement_detail", pk=engagement.pk)).content.decode()
    assert "Trancher en remboursant" not in page  # an administrator's
    tried = client.post(
        paths("dispute_refund", pk=engagement.pk),
        {"amount": "10", "resolution": "x", "confirm": "on"},
    )
    assert tried.status_code == 403
    client.force_login(cast.admin)
    page = client.get(paths("engagement_detail", pk=engagement.pk)).content.decode()
    assert "Trancher en remboursant le client" in page
    target = paths("dispute_refund", pk=engagement.pk)
    body = {"amount": "50000", "resolution": "Rapport partiel."}
    assert client.post(target, body).status_code == 400  # not confirmed
    above = client.post(target, {**body, "amount": "200001", "confirm": "on"})
    assert above.status_code == 400 and "dépasse" in above.content.decode()
    assert not DisputeRefund.objects.exists()
    assert client.post(target, {**body, "confirm": "on"}).status_code == 302
    refund = DisputeRefund.objects.get()
    assert refund.amount == 50_000 and refund.phone == "+221779001234"
    page = client.get(paths("engagement_detail", pk=engagement.pk)).content.decode()
    assert 'data-testid="refund"' in page and 'data-testid="refunded"' in page
    assert_books_balance()
