"""The arrears list (credit.selectors.arrears_list) reads an agent's areas as area ids and
the late loans through the partial index ``loan_arrears_order``: the same loans, in the
same order, for every role, as the loan list's late loans sorted riskiest first."""

from datetime import date

import pytest
from django.db import connection
from django.db.models import Q
from django.test.utils import CaptureQueriesContext

from accounts.services import role_assign
from accounts.tests.factories import UserFactory
from credit import selectors, services
from credit.models import Loan
from geo.models import Area

pytestmark = pytest.mark.django_db

RISKIEST_FIRST = ("-days_past_due", "-arrears_amount", "id")


def _late(credit):
    """Every loan of the world late, two of them equally (same days, same amount)."""
    services.refresh_loan_figures(credit.loan_tc, date(2026, 6, 1))
    services.refresh_loan_figures(credit.loan_mbour, date(2026, 6, 1))
    services.refresh_loan_figures(credit.loan_person, date(2026, 3, 1))
    services.refresh_loan_figures(credit.loan_other, date(2026, 9, 1))


def _actors(credit):
    w = credit.w
    mixed = UserFactory(username="agent-and-officer")
    role_assign(user=mixed, role="agent", area=Area.objects.get(code="SN-TH-MBO"))
    role_assign(user=mixed, role="agent", area=Area.objects.get(code="SN-TC"))
    role_assign(user=mixed, role="officer", cooperative=w.coop_thies)
    return [
        w.national,
        w.agent_tc,
        w.agent_th,
        w.agent_mbour,
        w.officer,
        w.lender,
        w.member,
        w.nobody,
        credit.checker,
        credit.other_lender_user,
        mixed,
    ]


def _ids(queryset):
    return [loan.pk for loan in queryset]


def test_same_loans_same_order_as_the_loan_list_for_every_role(credit):
    _late(credit)
    late = Loan.objects.filter(status="active", days_past_due__gt=0)
    assert late.count() == 4
    assert late.values("days_past_due", "arrears_amount").distinct().count() == 3  # a tie
    for actor in _actors(credit):
        for area in (None, "SN-TH", "SN-TH-MBO", "SN-TC"):
            expected = _ids(
                selectors.loan_list(actor=actor, area=area, in_arrears=True).order_by(
                    *RISKIEST_FIRST
                )
            )
            got = _ids(selectors.arrears_list(actor=actor, area=area))
            assert got == expected, (actor.username, area)
    national = _ids(selectors.arrears_list(actor=credit.w.national))
    assert national[0] == credit.loan_other.pk and len(national) == 4
    assert set(_ids(selectors.arrears_list(actor=credit.w.agent_th))) == {
        credit.loan_mbour.pk,
        credit.loan_other.pk,
    }
    assert not _ids(selectors.arrears_list(actor=credit.w.nobody))


def test_an_agents_areas_are_read_as_area_ids(credit):
    """The planner's estimate: a list of ids (every area under the agent's), never a prefix
    match on the joined area's path, which it took for one area."""
    _late(credit)
    with CaptureQueriesContext(connection) as ctx:
        ids = _ids(selectors.arrears_list(actor=credit.w.agent_th))
    assert ids
    loans_sql = [q["sql"] for q in ctx.captured_queries if "credit_loan" in q["sql"]]
    assert len(loans_sql) == 1
    assert '"credit_loan"."area_id" IN (' in loans_sql[0]
    assert "LIKE" not in loans_sql[0].split("WHERE", 1)[1]


def test_the_late_loans_index():
    index = next(i for i in Loan._meta.indexes if i.name == "loan_arrears_order")
    assert index.fields == ["-days_past_due", "-arrears_amount", "id", "area"]
    assert index.condition == Q(status="active", days_past_due__gt=0)  # late loans only
