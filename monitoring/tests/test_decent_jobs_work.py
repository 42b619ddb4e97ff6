"""Issue 17, point 4: the members' work days recorded on production runs feed the decent
jobs figure, in full-time equivalents (240 work days over the 12 months ending on the
day of the figure make one job, docs/monitoring.md), the same from the rollups and from
scratch, with the work behind the figure on its records page."""

import datetime

import pytest
from django.test import override_settings
from django.utils import timezone

from geo.models import Area
from monitoring.selectors import (
    indicator_records,
    indicator_values,
    indicator_values_from_scratch,
)
from registry.services import employment_record
from valuechain import services
from valuechain.tests.factories import chain

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


def jobs(actor, code, as_of=TODAY, from_scratch=False):
    pick = indicator_values_from_scratch if from_scratch else indicator_values
    rows = pick(
        actor=actor,
        area=Area.objects.get(code=code),
        year=as_of.year,
        as_of=as_of,
        codes=["decent_jobs"],
    )
    return rows[0]["value"]


def run(c, site, days_ago: int, work_days: int):
    """A production run ``days_ago`` days ago at ``site`` with ``work_days`` of members."""
    day = TODAY - datetime.timedelta(days=days_ago)
    millet = services.lot_open(
        actor=c.chain_actor, product=c.millet, quantity=10, site=site, on=day, origin="harvest"
    )
    services.production_run_record(
        actor=c.chain_actor,
        site=site,
        on=day,
        inputs=[(millet, 10)],
        outputs=[(c.flour, 8)],
        work_days=work_days,
    )


@pytest.fixture
def c(world):
    c = chain(world)
    c.chain_actor = world.national
    for coop in (world.coop_mbour, world.coop_tc):
        coop.founded_on = TODAY - datetime.timedelta(days=800)
        coop.save()
    employment_record(
        actor=world.national,
        cooperative=world.coop_mbour,
        person=world.persons_mbour[0],
        job_title="meunière",
        contract_type="cdi",
        started_on=TODAY - datetime.timedelta(days=30),
        monthly_pay=100_000,
        social_security=True,
    )
    return c


def test_work_days_of_the_last_12_months_count_as_full_time_jobs(world, c):
    thies = world.mbour.parent.parent.code
    assert jobs(world.national, "SN") == 1  # the contract only
    run(c, c.production, 400, 300)  # more than a year ago: not counted today
    run(c, c.production, 200, 250)
    run(c, c.production, 3, 6)  # Mbour: 256 days in 12 months = 1 job
    run(c, c.site_tc, 10, 230)  # Koumpentoum: 230 days, less than a job on its own
    for from_scratch in (False, True):
        assert jobs(world.national, thies, from_scratch=from_scratch) == 1 + 1
        assert jobs(world.national, "SN-TC", from_scratch=from_scratch) == 0
        # the country's work days add up before the division: 486 days = 2 jobs
        assert jobs(world.national, "SN", from_scratch=from_scratch) == 1 + 2
    # 201 days ago, the window holds the run of 400 days ago (300 days: 1 job), and the
    # contract had not started
    before = TODAY - datetime.timedelta(days=201)
    assert jobs(world.national, "SN", as_of=before) == 1
    assert jobs(world.national, "SN", as_of=before, from_scratch=True) == 1
    run(c, c.production, 1, 224)  # Mbour 480 days: 2 jobs; the country 710: 2
    assert jobs(world.national, thies) == jobs(world.national, thies, from_scratch=True) == 3
    assert jobs(world.national, "SN") == 3
    with override_settings(SUNUCOOP={"DECENT_JOB_WORK_DAYS": 100}):
        assert jobs(world.national, "SN", from_scratch=True) == 1 + 7  # 710 // 100


def test_records_show_the_work_behind_the_jobs_and_an_agent_sees_their_area(world, c, client):
    run(c, c.production, 200, 250)
    run(c, c.site_tc, 10, 230)
    found = indicator_records(
        actor=world.national,
        code="decent_jobs",
        area=Area.objects.get(code="SN"),
        year=TODAY.year,
        as_of=TODAY,
    )
    work = found["work"]
    assert (work["days"], work["jobs"], work["per_job"]) == (480, 2, 240)
    assert [(r["cooperative__name"], r["days"], r["runs"]) for r in work["rows"]] == [
        (world.coop_mbour.name, 250, 1),
        (world.coop_tc.name, 230, 1),
    ]
    client.force_login(world.agent_tc)
    body = client.get("/suivi/indicateurs/decent_jobs/?area=SN-TC").content.decode()
    assert "230 journées de travail" in body and world.coop_tc.name in body
    assert world.coop_mbour.name not in body
