"""Each indicator against a small data set built by hand (expected values worked out below)."""

import datetime
from decimal import Decimal

import pytest

from accounts.models import Role
from accounts.services import role_assign
from accounts.tests.factories import UserFactory
from core.errors import Forbidden, NotFound
from geo.models import Area
from monitoring.selectors import indicator_values, monitoring_area_get
from monitoring.tests.conftest import AS_OF


def values(actor, code="SN", year=2026, as_of=AS_OF):
    area = Area.objects.get(code=code)
    return {
        r["code"]: r["value"]
        for r in indicator_values(actor=actor, area=area, year=year, as_of=as_of)
    }


def test_every_required_indicator_exists(data):
    assert set(values(data.national)) == {
        "cooperatives_total",
        "cooperatives_created",
        "members_total",
        "members_women",
        "members_youth",
        "decent_jobs",
        "cooperatives_supported_pct",
        "production_value",
        "production_volume",  # issue 17
        "loans_outstanding",
        "par30",
        "recovery_rate",
        "trained_people",
        "purchases_value",  # issue 16
        "purchases_savings",
        "cooperatives_buying_together",
        "health_covered_persons",  # issue 22
        "health_households_covered",
        "health_contribution_recovery",
        "health_loss_ratio",
    }


def test_national_figures(data):
    v = values(data.national)
    assert v["cooperatives_total"] == 2  # Thiès dissolved in June
    assert v["cooperatives_created"] == 1  # Mbour, 2026
    assert v["members_total"] == 6  # 3 + 3, the member of both counted once
    assert v["members_women"] == 3
    assert v["members_youth"] == 3  # 25, 30 and 20 years old on 1/11/2026 (band 15-35)
    assert v["decent_jobs"] == 1
    assert v["cooperatives_supported_pct"] == Decimal("50.0")  # Koumpentoum of 2
    assert v["production_value"] == 10_000
    assert v["loans_outstanding"] == 1_000_000
    assert Decimal(v["par30"]) == 1  # every franc outstanding is over 30 days late
    assert Decimal(v["recovery_rate"]) == 0
    assert v["trained_people"] == 1


def test_figures_as_of_the_end_of_2025(data):
    v = values(data.national, year=2025, as_of=datetime.date(2025, 12, 31))
    assert v["cooperatives_total"] == 2  # Koumpentoum and Thiès (not yet dissolved)
    assert v["cooperatives_created"] == 2
    assert v["members_total"] == 6  # Koumpentoum and Thiès members; Mbour joined in 2026
    assert v["production_value"] == 0
    assert v["loans_outstanding"] == 0


def test_region_figures_count_only_the_region(data):
    v = values(data.national, code="SN-TH")
    assert v["cooperatives_total"] == 1
    assert v["members_total"] == 4  # Mbour's 3 + the Koumpentoum member who joined
    assert v["production_value"] == 0 and v["loans_outstanding"] == 0


def test_agent_figures_are_limited_to_their_area(data):
    assert values(data.agent_th, code="SN-TH") == values(data.national, code="SN-TH")
    with pytest.raises(NotFound):
        monitoring_area_get(actor=data.agent_th, code="SN-TC")
    with pytest.raises(NotFound):
        monitoring_area_get(actor=data.agent_th, code="SN")
    assert monitoring_area_get(actor=data.agent_th).code == "SN-TH"


@pytest.mark.parametrize("who", ["officer", "lender", "member", "nobody"])
def test_other_roles_have_no_national_monitoring(data, who):
    with pytest.raises(Forbidden):
        monitoring_area_get(actor=getattr(data, who))


def test_an_agent_of_a_department_defaults_to_it(world):
    user = UserFactory()
    role_assign(user=user, role=Role.AGENT, area=Area.objects.get(code="SN-TH-MBO"))
    assert monitoring_area_get(actor=user).code == "SN-TH-MBO"
