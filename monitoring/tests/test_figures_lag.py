"""Stored figures served for up to a minute while stale (settings.MONITORING_FIGURES_LAG):
a national dashboard read while the country writes recomputes at most once a minute."""

import datetime

import pytest
from django.db import connection
from django.db.models import F
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from core import dates
from geo.models import Area
from monitoring import rollups
from monitoring.models import AreaFigures
from registry.services import member_admit, person_create

AS_OF = datetime.date(2026, 11, 1)
WANTED_YEAR = 2026


def members(code: str, as_of=AS_OF, **kwargs) -> int:
    area = Area.objects.get(code=code)
    values = rollups.figures([(area, WANTED_YEAR, as_of)], **kwargs)[(area.pk, WANTED_YEAR, as_of)]
    return values.get("members", 0)


@pytest.fixture
def world(world):
    for coop in [world.coop_tc, world.coop_mbour, world.coop_thies]:
        coop.founded_on = datetime.date(2025, 4, 1)  # alive on AS_OF
        coop.save()
    return world


def admit(world) -> None:
    person = person_create(actor=world.national, first_name="Ndèye", last_name="Faye", sex="F")
    member_admit(
        actor=world.national, cooperative=world.coop_mbour, person=person, joined_on="2026-10-01"
    )


def age(seconds: float) -> None:
    """Make every stored row ``seconds`` older (as if computed that long ago)."""
    AreaFigures.objects.update(computed_at=F("computed_at") - datetime.timedelta(seconds=seconds))


@override_settings(MONITORING_FIGURES_LAG=60)
def test_a_stale_row_is_served_within_the_lag_then_recomputed(world):
    before = members("SN")
    admit(world)
    area = Area.objects.get(code="SN")
    with CaptureQueriesContext(connection) as queries:
        values = rollups.figures([(area, WANTED_YEAR, AS_OF)])[(area.pk, WANTED_YEAR, AS_OF)]
    assert values["members"] == before  # stale, but computed less than a minute ago
    assert len(queries) == 1  # the stored row alone: no change looked at, nothing computed
    age(30)
    assert members("SN") == before
    age(31)  # now 61 s old
    assert members("SN") == before + 1
    assert rollups.computed_at(area, WANTED_YEAR, AS_OF) > timezone.now() - datetime.timedelta(
        seconds=5
    )


@override_settings(MONITORING_FIGURES_LAG=60)
def test_a_missing_row_is_computed_whatever_the_lag(world):
    members("SN")
    admit(world)
    # Another day's row does not exist yet: computed now, with the new member.
    assert members("SN", datetime.date(2026, 11, 2)) == members("SN", lag=0)


@override_settings(MONITORING_FIGURES_LAG=60)
def test_an_old_row_with_no_change_is_served_without_recomputing(world):
    members("SN")
    age(3600)
    area = Area.objects.get(code="SN")
    kept = rollups.computed_at(area, WANTED_YEAR, AS_OF)
    members("SN")
    assert rollups.computed_at(area, WANTED_YEAR, AS_OF) == kept


@override_settings(MONITORING_FIGURES_LAG=60)
def test_lag_zero_asks_for_every_write(world):
    before = members("SN")
    admit(world)
    assert members("SN") == before
    assert members("SN", lag=0) == before + 1


@pytest.mark.django_db(transaction=True)  # each read's lock ends with its own transaction
@override_settings(MONITORING_FIGURES_LAG=60)
def test_one_reader_recomputes_while_the_others_serve_the_stored_row(world):
    """PostgreSQL: while another session holds the area's lock (recomputing it), a reader
    serves the stored row; once released, the reader recomputes."""
    if connection.vendor != "postgresql":
        pytest.skip("the advisory lock is PostgreSQL's")
    import psycopg

    before = members("SN")
    admit(world)
    age(61)
    area = Area.objects.get(code="SN")
    settings_dict = connection.settings_dict
    other = psycopg.connect(
        dbname=settings_dict["NAME"],
        host=settings_dict["HOST"],
        port=settings_dict["PORT"] or 5432,
        user=settings_dict["USER"],
        autocommit=True,
    )
    try:
        other.execute("SELECT pg_advisory_lock(%s, %s)", [AS_OF.toordinal(), area.pk])
        assert members("SN") == before  # someone else is at it: the stored row
        other.execute("SELECT pg_advisory_unlock(%s, %s)", [AS_OF.toordinal(), area.pk])
        assert members("SN") == before + 1
    finally:
        other.close()


@override_settings(MONITORING_FIGURES_LAG=60)
def test_the_dashboard_says_when_its_figures_were_computed(world, client):
    client.force_login(world.national)
    page = client.get("/suivi/").content.decode()
    row = AreaFigures.objects.get(area__code="SN", as_of=dates.today())
    shown = timezone.localtime(row.computed_at).strftime("%H:%M")
    assert f"Calculés à {shown}." in page
    assert "Une opération enregistrée y apparaît en 60 s au plus." in page
    with override_settings(MONITORING_FIGURES_LAG=0):
        page = client.get("/suivi/").content.decode()
    assert "apparaît en" not in page
