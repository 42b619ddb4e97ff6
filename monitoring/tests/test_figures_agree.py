"""Issue 14, point 11: figures that agree.

- Every home panel counts with the dashboard's definitions (a dissolved cooperative, or one
  founded tomorrow, is not counted on either; the home showed 64 where the dashboard
  showed 60).
- In a year without a target of its own, the dashboard shows the next dated target (3 000
  cooperatives, 10 000 members, 7 000 decent jobs by 2027) and the path to it: where the
  programme should be on the day (monitoring/horizons.py).
- The demo has three lenders with loans in several regions.
"""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from credit.models import Lender, Loan
from credit.selectors import loan_list
from geo.models import Area
from monitoring.horizons import PROGRAMME_START, Waypoint, path_value, start_point
from monitoring.models import Target
from monitoring.selectors import indicator_values
from registry.models import Cooperative
from registry.tests.factories import CooperativeFactory
from web.selectors import home_context

JUNE_30 = datetime.date(2026, 6, 30)


# --- the path to a dated target (pure) ---------------------------------------------------


def test_path_from_the_programme_launch_to_3000_cooperatives_by_2027():
    start = start_point(earlier=None, baseline_year=None, multiplier=None, target=Decimal(3000))
    assert start == Waypoint(PROGRAMME_START, Decimal(0))
    end = Waypoint(datetime.date(2027, 12, 31), Decimal(3000))
    # 21/03/2025 -> 30/06/2026: 466 days of 1 015; 3 000 x 466 / 1 015 = 1 377.34
    assert path_value(start, end, JUNE_30) == Decimal("1377.3")
    assert path_value(start, end, datetime.date(2028, 3, 1)) == Decimal(3000)  # held after
    assert path_value(start, end, datetime.date(2025, 1, 1)) is None  # before the launch
    assert path_value(start, end, PROGRAMME_START) == Decimal(0)


def test_path_starts_from_the_previous_dated_target_or_a_relative_targets_baseline():
    end = Waypoint(datetime.date(2027, 12, 31), Decimal(3000))
    after_2025 = start_point(
        earlier=(2025, Decimal(1000)), baseline_year=None, multiplier=None, target=Decimal(3000)
    )
    assert after_2025 == Waypoint(datetime.date(2025, 12, 31), Decimal(1000))
    # 1 000 + 2 000 x 181 / 730 = 1 495.89
    assert path_value(after_2025, end, JUNE_30) == Decimal("1495.9")
    # "double 2025's production" (30 000 = 2 x 15 000): from 15 000 at the end of 2025
    doubled = start_point(
        earlier=None, baseline_year=2025, multiplier=Decimal(2), target=Decimal(30000)
    )
    assert doubled == Waypoint(datetime.date(2025, 12, 31), Decimal(15000))
    production_end = Waypoint(datetime.date(2027, 12, 31), Decimal(30000))
    assert path_value(doubled, production_end, JUNE_30) == Decimal("18719.2")


# --- the dashboard -----------------------------------------------------------------------


def rows_of(actor, code="SN", year=2026, as_of=JUNE_30):
    area = Area.objects.get(code=code)
    return {r["code"]: r for r in indicator_values(actor=actor, area=area, year=year, as_of=as_of)}


@pytest.mark.django_db
def test_in_2026_the_next_dated_targets_and_their_path_are_shown(world):
    rows = rows_of(world.national)
    coops = rows["cooperatives_total"]
    assert coops["target"] is None  # no target dated 2026 (the API's `target` is unchanged)
    assert (coops["next_target"], coops["next_target_year"]) == (Decimal(3000), 2027)
    assert coops["path"] == Decimal("1377.3") and coops["on_track"] is False
    value = coops["value"]
    assert coops["next_progress"] == (Decimal(100) * value / 3000).quantize(Decimal("0.1"))
    assert (rows["members_total"]["next_target"], rows["members_total"]["path"]) == (
        Decimal(10000),
        Decimal("4591.1"),  # 10 000 x 466 / 1 015
    )
    assert (rows["decent_jobs"]["next_target"], rows["decent_jobs"]["path"]) == (
        Decimal(7000),
        Decimal("3213.8"),  # 7 000 x 466 / 1 015
    )
    # 90 % supported by 2026: that year's own target, its path to 31/12/2026
    supported = rows["cooperatives_supported_pct"]
    assert supported["target"] == supported["next_target"] == Decimal(90)
    assert supported["next_target_year"] == 2026
    # 1 000 new CPS was a 2025 target: nothing dated after it, no path in 2026
    assert rows["cooperatives_created"]["next_target"] is None
    assert rows["cooperatives_created"]["path"] is None
    # in 2025 the 2025 target is the next one
    created_2025 = rows_of(world.national, year=2025, as_of=datetime.date(2025, 12, 31))
    assert created_2025["cooperatives_created"]["next_target"] == Decimal(1000)
    assert created_2025["cooperatives_created"]["path"] == Decimal(1000)


@pytest.mark.django_db
def test_an_earlier_target_of_the_same_indicator_starts_the_path(world):
    sn = Area.objects.get(code="SN")
    Target.objects.create(indicator="cooperatives_total", area=sn, year=2025, value=1000)
    assert rows_of(world.national)["cooperatives_total"]["path"] == Decimal("1495.9")


@pytest.mark.django_db
def test_dashboard_page_and_api_show_the_next_target_and_the_path(world, client, api_client):
    today = timezone.localdate()
    client.force_login(world.national)
    html = client.get(f"/suivi/?year={today.year}").content.decode()
    row = html[html.index('data-code="cooperatives_total"') :]
    row = row[: row.index("</tr>")]
    if today.year < 2028:
        assert "3\u202f000" in row or "3 000" in row or "3&nbsp;000" in row
        assert "d'ici fin 2027" in row or "d&#x27;ici fin 2027" in row
        assert 'data-testid="path"' in row and "en retard" in row
    response = api_client(world.national).get("/api/v1/indicators?area=SN&year=2026")
    api = {r["code"]: r for r in response.json()}
    assert api["cooperatives_total"]["target"] is None
    assert api["cooperatives_total"]["next_target_year"] == 2027
    assert Decimal(api["cooperatives_total"]["next_target"]) == 3000
    assert api["cooperatives_total"]["path"] is not None


# --- the home panels use the dashboard's definitions ---------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize(("user", "area"), [("national", "SN"), ("agent_th", "SN-TH")])
def test_home_panels_show_the_dashboards_cooperatives_and_members(world, user, area):
    today = timezone.localdate()
    Cooperative.objects.filter(pk=world.coop_thies.pk).update(
        stage="dissoute", stage_changed_on=today - datetime.timedelta(days=30)
    )
    CooperativeFactory(  # registered now, founded tomorrow: not yet counted
        commune=world.mbour, founded_on=today + datetime.timedelta(days=1)
    )
    actor = getattr(world, user)
    panel = next(p for p in home_context(actor=actor)["panels"] if p["role"] != "member")
    dashboard = rows_of(actor, code=area, year=today.year, as_of=today)
    assert panel["figures"]["cooperatives"] == dashboard["cooperatives_total"]["value"]
    assert panel["figures"]["members"] == dashboard["members_total"]["value"]
    assert panel["figures"]["women"] == dashboard["members_women"]["value"]
    assert panel["figures"]["dissolved"] == 1
    # the breakdown rows add up to the headline
    assert sum(r["cooperatives"] for r in panel["breakdown"]) == panel["figures"]["cooperatives"]
    assert sum(n for _stage, n in panel["figures"]["by_stage"]) == panel["figures"]["cooperatives"]


@pytest.mark.django_db
def test_home_page_says_the_dissolved_are_not_counted(world, client):
    Cooperative.objects.filter(pk=world.coop_thies.pk).update(
        stage="dissoute", stage_changed_on=timezone.localdate()
    )
    client.force_login(world.national)
    html = client.get("/").content.decode()
    assert 'data-testid="fig-cooperatives">2<' in html
    assert "1 coopérative dissoute n&#x27;est plus comptée." in html or (
        "1 coopérative dissoute n'est plus comptée." in html
    )


# --- the demo: several lenders, loans in several regions -----------------------------------


@pytest.mark.django_db(transaction=True)
def test_demo_lenders_lend_where_they_work_and_each_sees_its_own(demo_registry):
    from accounts.models import User
    from demo.credit_data import FUND, LENDER, LENDERS, MEC_THIES, load_credit

    national = User.objects.get(username="national")
    as_of = datetime.date(2026, 11, 23)
    load_credit(actor=national, as_of=as_of)
    regions = {
        name: set(
            Loan.objects.filter(lender__name=name).values_list(
                "area__parent__parent__code", flat=True
            )
        )
        for name in (LENDER, FUND, MEC_THIES)
    }
    assert regions[LENDER] == {"SN-TC"}
    assert len(regions[FUND]) >= 4 and regions[FUND] <= {
        "SN-KD", "SN-ZG", "SN-SE", "SN-KE", "SN-MT", "SN-SL", "SN-LG",
    }  # fmt: skip
    assert regions[MEC_THIES] == {"SN-TH"}
    for name, _kind, _area, users, _regions, _products, plan, _purpose in LENDERS:
        assert Loan.objects.filter(lender__name=name).count() == len(plan)
        maker = User.objects.get(username=users[0][0])
        seen = set(loan_list(actor=maker).values_list("lender__name", flat=True))
        assert seen == {name}  # a lender's pages show its own portfolio, nothing else
    assert Lender.objects.get(name=FUND).kind == "fonds"
    # the Thiès agent sees the Thiès MEC's loans in Thiès, none of Tambacounda's
    agent_th = User.objects.get(username="agent-thies")
    assert set(loan_list(actor=agent_th).values_list("lender__name", flat=True)) == {MEC_THIES}
    late = Loan.objects.filter(lender__name__in=[FUND, MEC_THIES], days_past_due__gt=0)
    assert late.filter(lender__name=FUND).exists() and late.filter(lender__name=MEC_THIES).exists()
    before = Loan.objects.count()
    load_credit(actor=national, as_of=as_of)  # idempotent
    assert Loan.objects.count() == before
