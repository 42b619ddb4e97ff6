import datetime

import pytest

from accounts.testing import assert_sees_exactly
from capital.models import ShareOperation
from capital.selectors import share_operation_list, share_register
from capital.services import share_operation_request, statutes_update
from capital.tests.factories import StatutesFactory, done_operation
from core.errors import Forbidden, NotFound

ON = datetime.date(2026, 1, 15)


@pytest.fixture
def capital_world(world):
    for coop, persons in [
        (world.coop_tc, world.persons_tc),
        (world.coop_mbour, world.persons_mbour),
        (world.coop_thies, world.persons_thies),
    ]:
        StatutesFactory(cooperative=coop, share_value=2000)
        for n, p in enumerate(persons, start=1):
            done_operation(
                actor=world.national,
                cooperative=coop,
                kind="subscription",
                person=p,
                shares=n,
                amount=2000 * n,
                effective_on=ON,
            )
    return world


def test_operations_seen_per_role(capital_world):
    w = capital_world
    ops = {
        c: list(ShareOperation.objects.filter(cooperative=c))
        for c in (w.coop_tc, w.coop_mbour, w.coop_thies)
    }
    assert_sees_exactly(share_operation_list, w.national, sum(ops.values(), []))
    assert_sees_exactly(share_operation_list, w.agent_tc, ops[w.coop_tc])
    assert_sees_exactly(share_operation_list, w.agent_th, ops[w.coop_mbour] + ops[w.coop_thies])
    assert_sees_exactly(share_operation_list, w.agent_mbour, ops[w.coop_mbour])
    assert_sees_exactly(share_operation_list, w.officer, ops[w.coop_tc])
    own = [o for o in ops[w.coop_tc] if o.person_id == w.persons_tc[0].pk]
    assert_sees_exactly(share_operation_list, w.member, own)
    assert_sees_exactly(share_operation_list, w.lender, [])
    assert_sees_exactly(share_operation_list, w.nobody, [])


def test_register_member_sees_only_own_line(capital_world):
    w = capital_world
    full = share_register(actor=w.officer, cooperative=w.coop_tc)
    assert [(h.person.pk, h.shares) for h in sorted(full, key=lambda h: h.shares)] == [
        (p.pk, n) for n, p in enumerate(w.persons_tc, start=1)
    ]
    mine = share_register(actor=w.member, cooperative=w.coop_tc)
    assert [h.person.pk for h in mine] == [w.persons_tc[0].pk]


def test_writes_per_role(capital_world):
    w = capital_world
    kwargs = dict(kind="subscription", person=w.persons_tc[0], shares=1, effective_on=ON)
    for user in (w.officer, w.agent_tc, w.national):
        assert share_operation_request(actor=user, cooperative=w.coop_tc, **kwargs).pk
    with pytest.raises(Forbidden):
        share_operation_request(actor=w.member, cooperative=w.coop_tc, **kwargs)
    for user in (w.lender, w.agent_th, w.nobody):
        with pytest.raises(NotFound):
            share_operation_request(actor=user, cooperative=w.coop_tc, **kwargs)
    with pytest.raises(NotFound):  # officer of another cooperative
        share_operation_request(
            actor=w.officer,
            cooperative=w.coop_thies,
            kind="subscription",
            person=w.persons_thies[0],
            shares=1,
            effective_on=ON,
        )


def test_api_shares_register_shape(capital_world, api_client):
    w = capital_world
    r = api_client(w.officer).get(f"/api/v1/cooperatives/{w.coop_tc.pk}/shares")
    assert r.status_code == 200
    rows = sorted(r.json(), key=lambda x: x["shares"])
    assert rows == [
        {"person": p.pk, "subscribed": 2000 * n, "paid": 2000 * n, "shares": n}
        for n, p in enumerate(w.persons_tc, start=1)
    ]


def test_api_shares_scoping(capital_world, api_client):
    w = capital_world
    url = f"/api/v1/cooperatives/{w.coop_tc.pk}/shares"
    assert api_client(w.agent_th).get(url).status_code == 404
    assert api_client(w.lender).get(url).status_code == 404
    assert api_client(w.agent_tc).get(url).status_code == 200
    assert len(api_client(w.member).get(url).json()) == 1


def test_api_operation_flow_and_errors(capital_world, api_client):
    w = capital_world
    url = f"/api/v1/cooperatives/{w.coop_tc.pk}/share-operations"
    body = {
        "kind": "transfer",
        "person": w.persons_tc[2].pk,
        "to_person": w.persons_mbour[0].pk,
        "shares": 1,
        "effective_on": "2026-02-01",
    }
    officer = api_client(w.officer)
    r = officer.post(url, body, content_type="application/json")
    # The outsider is not even visible to the officer: 404 rather than revealing them.
    assert r.status_code == 404
    r = api_client(w.national).post(url, body, content_type="application/json")
    assert r.status_code == 409
    assert r.json()["code"] == "transfer_not_member"
    body["to_person"] = w.persons_tc[0].pk
    r = officer.post(url, body, content_type="application/json")
    assert r.status_code == 201, r.json()
    op_id = r.json()["id"]
    assert r.json()["status"] == "draft"
    assert api_client(w.member).post(url, body, content_type="application/json").status_code == 403
    assert api_client(w.lender).post(url, body, content_type="application/json").status_code == 404
    assert api_client(w.member).post(f"/api/v1/share-operations/{op_id}/approve").status_code == 404
    assert officer.post(f"/api/v1/share-operations/{op_id}/approve").json()["status"] == "approved"
    assert officer.post(f"/api/v1/share-operations/{op_id}/execute").json()["status"] == "done"
    r = officer.get(url)
    assert r.json()["count"] == 4
    assert r.json()["items"][0]["channel"] in {"cash", "bank", "mobile_money"}
    paid = {
        "kind": "subscription",
        "person": w.persons_tc[0].pk,
        "shares": 1,
        "channel": "mobile_money",
        "effective_on": "2026-02-01",
    }
    r = officer.post(url, paid, content_type="application/json")
    assert r.status_code == 201, r.json()
    assert r.json()["channel"] == "mobile_money"
    r = officer.post(url, dict(paid, channel="cheque"), content_type="application/json")
    assert r.status_code == 400 and r.json()["field"] == "channel"
    future = dict(body, effective_on="2999-01-01")
    r = officer.post(url, future, content_type="application/json")
    assert r.status_code == 400
    assert r.json()["code"] == "date_out_of_range"


def test_api_statutes(capital_world, api_client):
    w = capital_world
    url = f"/api/v1/cooperatives/{w.coop_tc.pk}/statutes"
    r = api_client(w.officer).patch(
        url,
        {"max_proxies_per_holder": 2, "ordinary_majority": "2/3"},
        content_type="application/json",
    )
    assert r.status_code == 200
    assert r.json()["max_proxies_per_holder"] == 2
    r = api_client(w.officer).patch(
        url, {"ordinary_majority": "1/4"}, content_type="application/json"
    )
    assert r.status_code == 400
    assert r.json()["field"] == "ordinary_majority"
    assert api_client(w.member).patch(url, {}, content_type="application/json").status_code == 403


def test_statutes_defaults_are_statutory_choices(world):
    s = statutes_update(cooperative=world.coop_tc, actor=world.officer)
    assert (s.share_value, s.max_proxies_per_holder) == (5000, 1)
    assert (s.ordinary_quorum_first, s.ordinary_majority) == ("1/2", "1/2")
    assert (s.extraordinary_quorum_first, s.extraordinary_majority) == ("2/3", "2/3")


def test_capital_statement_api(capital_world, api_client):
    w = capital_world
    p = w.persons_tc[0]
    url = f"/api/v1/cooperatives/{w.coop_tc.pk}/shares/{p.pk}/statement"
    r = api_client(w.member).get(url)
    assert r.status_code == 200
    assert (r.json()["shares"], r.json()["paid"]) == (1, 2000)
    other = f"/api/v1/cooperatives/{w.coop_tc.pk}/shares/{w.persons_tc[1].pk}/statement"
    assert api_client(w.member).get(other).status_code == 404
    assert api_client(w.officer).get(other).status_code == 200
