from decimal import Decimal

import pytest

from core.errors import Forbidden, ValidationFailed
from geo.models import Area
from monitoring.models import Target
from monitoring.services import split, target_cascade, target_set


def test_programme_targets_are_seeded(db):
    seeded = dict(Target.objects.filter(area__code="SN").values_list("indicator", "value"))
    assert seeded["cooperatives_created"] == 1000
    assert seeded["cooperatives_total"] == 3000
    assert seeded["decent_jobs"] == 7000
    assert seeded["cooperatives_supported_pct"] == 90


def test_only_the_national_role_sets_targets(world):
    sn = Area.objects.get(code="SN")
    with pytest.raises(Forbidden):
        target_set(actor=world.agent_th, indicator="decent_jobs", area=sn, year=2027, value=1)
    target_set(actor=world.national, indicator="decent_jobs", area=sn, year=2027, value=7500)
    assert Target.objects.get(indicator="decent_jobs", area=sn, year=2027).value == 7500


@pytest.mark.parametrize(
    "indicator,value,code",
    [
        ("unknown", 1, "unknown_indicator"),
        ("decent_jobs", -1, "negative"),
        ("cooperatives_supported_pct", 120, "over_100"),
    ],
)
def test_bad_targets_are_refused(world, indicator, value, code):
    with pytest.raises(ValidationFailed) as exc:
        target_set(
            actor=world.national,
            indicator=indicator,
            area=Area.objects.get(code="SN"),
            year=2027,
            value=value,
        )
    assert exc.value.code == code


def test_cascade_shares_counts_by_communes_and_sums_exactly(world):
    # The world has communes in Tambacounda (1) and Thiès (2): 3000 -> 1000 and 2000.
    sn = Area.objects.get(code="SN")
    target_cascade(actor=world.national, indicator="cooperatives_total", area=sn, year=2027)
    children = Target.objects.filter(indicator="cooperatives_total", year=2027, area__parent=sn)
    assert children.count() == 14
    assert sum(t.value for t in children) == 3000
    assert children.get(area__code="SN-TH").value == 2000
    assert children.get(area__code="SN-TC").value == 1000


def test_cascade_of_a_percentage_copies_it(world):
    sn = Area.objects.get(code="SN")
    target_cascade(actor=world.national, indicator="cooperatives_supported_pct", area=sn, year=2026)
    assert set(
        Target.objects.filter(
            indicator="cooperatives_supported_pct", year=2026, area__parent=sn
        ).values_list("value", flat=True)
    ) == {90}


def test_cascade_needs_a_parent_target(world):
    with pytest.raises(ValidationFailed):
        target_cascade(
            actor=world.national,
            indicator="decent_jobs",
            area=Area.objects.get(code="SN-TH"),
            year=2027,
        )


def test_split_residue_goes_to_largest_remainders():
    assert split(Decimal(10), {1: 1, 2: 1, 3: 1}) == {1: 4, 2: 3, 3: 3}
    assert split(Decimal(7), {1: 0, 2: 0}) == {1: 4, 2: 3}
    assert sum(split(Decimal(3000), {i: i for i in range(1, 15)}).values()) == 3000


def test_production_doubled_is_seeded_relative_to_a_measured_baseline(db):
    t = Target.objects.get(indicator="production_value", area__code="SN")
    assert (t.year, t.value, t.baseline_year, t.multiplier) == (2027, None, 2025, 2)
    assert "2025" in t.note and "2027" in t.note


def test_a_relative_target_is_the_multiple_of_the_measured_baseline(world):
    import datetime

    from ledger.services import entry_post
    from monitoring.selectors import indicator_values

    sn = Area.objects.get(code="SN")
    entry_post(
        actor=world.officer,
        cooperative=world.coop_tc,
        journal="CA",
        on=datetime.date(2025, 6, 10),
        label="Ventes 2025",
        lines=[("5711", 15_000, 0), ("7021", 0, 15_000)],
    )

    def production(area, year=2027):
        rows = indicator_values(
            actor=world.national, area=area, year=year, as_of=datetime.date(year, 6, 30)
        )
        return next(r for r in rows if r["code"] == "production_value")

    row = production(sn)
    assert row["target"] == 30_000 and row["progress"] == 0
    assert row["target_basis"].startswith("2 × valeur 2025 (15")
    # Cascaded, each child doubles its own baseline: Tambacounda sold, Thiès did not.
    target_cascade(actor=world.national, indicator="production_value", area=sn, year=2027)
    assert production(Area.objects.get(code="SN-TC"))["target"] == 30_000
    assert production(Area.objects.get(code="SN-TH"))["target"] is None  # nothing measured


@pytest.mark.parametrize(
    "indicator,kwargs,code",
    [
        ("production_value", {"baseline_year": 2025}, "baseline_incomplete"),
        ("production_value", {"multiplier": 2}, "baseline_incomplete"),
        ("production_value", {"baseline_year": 2027, "multiplier": 2}, "baseline_year"),
        ("production_value", {"baseline_year": 2025, "multiplier": 0}, "multiplier"),
        (
            "cooperatives_supported_pct",
            {"baseline_year": 2025, "multiplier": 2},
            "baseline_percent",
        ),
        ("production_value", {}, "required"),
    ],
)
def test_bad_relative_targets_are_refused(world, indicator, kwargs, code):
    with pytest.raises(ValidationFailed) as exc:
        target_set(
            actor=world.national,
            indicator=indicator,
            area=Area.objects.get(code="SN"),
            year=2027,
            **kwargs,
        )
    assert exc.value.code == code
    target_set(
        actor=world.national,
        indicator="production_value",
        area=Area.objects.get(code="SN-TH"),
        year=2027,
        baseline_year=2025,
        multiplier="1.5",
    )
    assert Target.objects.get(area__code="SN-TH", indicator="production_value").value is None
