"""The decent-job rule (registry/jobs.py) and the job services."""

import datetime

import pytest

from core.errors import Conflict, ValidationFailed
from registry.jobs import decent_job_q, decent_job_reasons, is_decent_job
from registry.models import Employment
from registry.selectors import cooperative_jobs
from registry.services import employment_end, employment_record
from registry.tests.factories import EmploymentFactory

D = datetime.date(2025, 6, 1)


def decent(**kwargs):
    job = EmploymentFactory(**kwargs)
    python = is_decent_job(job)
    database = Employment.objects.filter(decent_job_q(), pk=job.pk).exists()
    assert python is database
    return python


def test_written_contract_fair_pay_and_social_security_is_decent(world):
    assert decent(cooperative=world.coop_tc, person=world.persons_tc[0])


@pytest.mark.parametrize(
    "change",
    [
        {"contract_type": "verbal"},
        {"contract_type": "aucun"},
        {"monthly_pay": 64_222},
        {"social_security": False},
    ],
)
def test_each_missing_criterion_makes_it_not_decent(world, change):
    assert not decent(cooperative=world.coop_tc, person=world.persons_tc[0], **change)
    job = Employment.objects.latest("id")
    assert len(decent_job_reasons(job)) == 1


def test_pay_at_the_minimum_is_decent(world):
    assert decent(cooperative=world.coop_tc, person=world.persons_tc[0], monthly_pay=64_223)


def test_rule_is_configurable(world, settings):
    settings.SUNUCOOP = {
        **settings.SUNUCOOP,
        "DECENT_JOB_SOCIAL_SECURITY": False,
        "DECENT_JOB_MIN_MONTHLY_PAY": 100_000,
    }
    assert decent(
        cooperative=world.coop_tc,
        person=world.persons_tc[0],
        social_security=False,
        monthly_pay=100_000,
    )
    assert not decent(cooperative=world.coop_tc, person=world.persons_tc[0], monthly_pay=99_999)


def test_decent_on_a_date_requires_the_job_to_be_held(world):
    job = EmploymentFactory(
        cooperative=world.coop_tc,
        person=world.persons_tc[0],
        started_on=D,
        ended_on=datetime.date(2025, 12, 31),
    )
    assert is_decent_job(job, on=D)
    assert not is_decent_job(job, on=datetime.date(2026, 1, 1))
    assert not is_decent_job(job, on=datetime.date(2025, 5, 31))
    assert Employment.objects.filter(decent_job_q(on=datetime.date(2026, 1, 1))).count() == 0


def test_employment_record_and_end(world):
    job = employment_record(
        actor=world.agent_tc,
        cooperative=world.coop_tc,
        person=world.persons_tc[0],
        job_title="Tisserand",
        contract_type="cdi",
        started_on=D,
        monthly_pay="75 000",
        social_security=True,
    )
    assert job.monthly_pay == 75_000
    jobs = list(cooperative_jobs(actor=world.agent_tc, cooperative=world.coop_tc))
    assert jobs == [job] and jobs[0].is_decent
    with pytest.raises(ValidationFailed) as exc:
        employment_end(actor=world.agent_tc, employment=job, ended_on=datetime.date(2025, 1, 1))
    assert exc.value.field == "ended_on"
    employment_end(actor=world.agent_tc, employment=job, ended_on=datetime.date(2025, 9, 30))
    with pytest.raises(Conflict):
        employment_end(actor=world.agent_tc, employment=job, ended_on=datetime.date(2025, 10, 1))


@pytest.mark.parametrize(
    ("field", "value"),
    [("monthly_pay", "-5"), ("monthly_pay", "12,5"), ("contract_type", "cdx"), ("job_title", " ")],
)
def test_employment_record_validation(world, field, value):
    kwargs = {"job_title": "Tisserand", "contract_type": "cdi", "monthly_pay": 1, field: value}
    with pytest.raises(ValidationFailed) as exc:
        employment_record(
            actor=world.agent_tc,
            cooperative=world.coop_tc,
            person=world.persons_tc[0],
            started_on=D,
            **kwargs,
        )
    assert exc.value.field == field
    assert not Employment.objects.exists()
