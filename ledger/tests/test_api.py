"""Books API: officers post, national and agents read, lenders and members see nothing."""

import datetime

import pytest

from accounts.testing import assert_sees_exactly
from ledger.selectors import books_cooperative_list, journal_entry_list
from ledger.services import entry_post


def body(**over):
    data = {
        "journal": "CA",
        "date": "2026-03-10",
        "label": "Vente de pagnes",
        "lines": [
            {"account": "5711", "debit": 25_000, "credit": 0},
            {"account": "7021", "debit": 0, "credit": 25_000},
        ],
    }
    data.update(over)
    return data


def url(coop, what="journal-entries"):
    return f"/api/v1/cooperatives/{coop.pk}/{what}"


def test_officer_posts_and_lists(world, api_client):
    client = api_client(world.officer)
    r = client.post(url(world.coop_tc), body(), content_type="application/json")
    assert r.status_code == 201, r.content
    assert r.json()["reference"] == "CA-2026-00001"
    assert r.json()["lines"][0] == {
        "account": "5711",
        "label": "Caisse",
        "debit": 25_000,
        "credit": 0,
        "person": None,
    }
    r = client.get(url(world.coop_tc))
    assert r.json()["count"] == 1
    assert r.json()["items"][0]["journal"] == "CA"


def test_unbalanced_post_is_400(world, api_client):
    client = api_client(world.officer)
    lines = [
        {"account": "5711", "debit": 25_000, "credit": 0},
        {"account": "7021", "debit": 0, "credit": 20_000},
    ]
    r = client.post(url(world.coop_tc), body(lines=lines), content_type="application/json")
    assert r.status_code == 400
    assert r.json()["code"] == "unbalanced"
    assert r.json()["field"] == "lines"


def test_idempotency_key_never_posts_twice(world, api_client):
    client = api_client(world.officer)
    headers = {"Idempotency-Key": "abc-123"}
    first = client.post(
        url(world.coop_tc), body(), content_type="application/json", headers=headers
    )
    again = client.post(
        url(world.coop_tc), body(), content_type="application/json", headers=headers
    )
    assert first.status_code == again.status_code == 201
    assert first.json()["id"] == again.json()["id"]
    assert client.get(url(world.coop_tc)).json()["count"] == 1


def test_locked_period_is_409(world, api_client):
    from ledger.services import period_lock

    period_lock(actor=world.officer, cooperative=world.coop_tc, year=2026, month=3)
    r = api_client(world.officer).post(url(world.coop_tc), body(), content_type="application/json")
    assert r.status_code == 409
    assert r.json()["code"] == "period_locked"


@pytest.mark.parametrize("who", ["national", "agent_tc"])
def test_staff_read_but_may_not_post(world, api_client, who):
    entry_post(
        actor=world.officer,
        cooperative=world.coop_tc,
        journal="CA",
        on=datetime.date(2026, 3, 1),
        label="Vente",
        lines=[("5711", 100, 0), ("7021", 0, 100)],
    )
    client = api_client(getattr(world, who))
    assert client.get(url(world.coop_tc)).json()["count"] == 1
    r = client.get(url(world.coop_tc, "trial-balance"))
    assert r.status_code == 200 and len(r.json()) == 2
    r = client.post(url(world.coop_tc), body(), content_type="application/json")
    assert r.status_code == 403


@pytest.mark.parametrize("who", ["lender", "member", "nobody", "agent_th"])
def test_others_get_404(world, api_client, who):
    client = api_client(getattr(world, who))
    assert client.get(url(world.coop_tc)).status_code == 404
    assert client.get(url(world.coop_tc, "trial-balance")).status_code == 404
    r = client.post(url(world.coop_tc), body(), content_type="application/json")
    assert r.status_code == 404


def test_officer_of_another_cooperative_gets_404(world, api_client):
    client = api_client(world.officer)
    assert client.get(url(world.coop_thies)).status_code == 404
    r = client.post(url(world.coop_thies), body(), content_type="application/json")
    assert r.status_code == 404


def test_trial_balance_api_shape_and_period(world, api_client):
    client = api_client(world.officer)
    client.post(url(world.coop_tc), body(), content_type="application/json")
    client.post(
        url(world.coop_tc),
        body(
            date="2026-04-05",
            label="Achat de fil",
            lines=[
                {"account": "6021", "debit": 7_000, "credit": 0},
                {"account": "5711", "debit": 0, "credit": 7_000},
            ],
        ),
        content_type="application/json",
    )
    rows = client.get(url(world.coop_tc, "trial-balance") + "?from=2026-01-01&to=2026-12-31").json()
    assert rows == [
        {"account": "5711", "label": "Caisse", "debit": 25_000, "credit": 7_000, "balance": 18_000},
        {
            "account": "6021",
            "label": "Achats de matières premières",
            "debit": 7_000,
            "credit": 0,
            "balance": 7_000,
        },
        {
            "account": "7021",
            "label": "Ventes de produits finis",
            "debit": 0,
            "credit": 25_000,
            "balance": -25_000,
        },
    ]
    rows = client.get(url(world.coop_tc, "trial-balance") + "?from=2026-04-01&to=2026-04-30").json()
    assert [r["account"] for r in rows] == ["5711", "6021"]
    assert sum(r["balance"] for r in rows) == 0


def test_selector_scoping(world):
    entries = [
        entry_post(
            actor=world.officer if coop == world.coop_tc else None,
            cooperative=coop,
            journal="CA",
            on=datetime.date(2026, 3, 1),
            label="Vente",
            lines=[("5711", 100, 0), ("7021", 0, 100)],
            source="capital.test",
            source_ref=str(coop.pk),
        )
        for coop in (world.coop_tc, world.coop_thies)
    ]
    assert_sees_exactly(books_cooperative_list, world.officer, [world.coop_tc])
    assert_sees_exactly(
        books_cooperative_list, world.agent_th, [world.coop_mbour, world.coop_thies]
    )
    assert_sees_exactly(books_cooperative_list, world.lender, [])
    assert_sees_exactly(books_cooperative_list, world.member, [])
    assert_sees_exactly(journal_entry_list, world.officer, [entries[0]], cooperative=world.coop_tc)
    assert_sees_exactly(journal_entry_list, world.officer, [], cooperative=world.coop_thies)
    assert_sees_exactly(
        journal_entry_list, world.agent_th, [entries[1]], cooperative=world.coop_thies
    )
    assert_sees_exactly(journal_entry_list, world.member, [], cooperative=world.coop_tc)


def test_list_query_count_does_not_grow(world, api_client, django_assert_max_num_queries):
    for i in range(15):
        entry_post(
            actor=world.officer,
            cooperative=world.coop_tc,
            journal="CA",
            on=datetime.date(2026, 3, 1),
            label=f"Vente {i}",
            lines=[("5711", 100, 0), ("7021", 0, 60), ("7061", 0, 40)],
        )
    client = api_client(world.officer)
    with django_assert_max_num_queries(10):
        r = client.get(url(world.coop_tc) + "?limit=50")
    assert r.json()["count"] == 15
