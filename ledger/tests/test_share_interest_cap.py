"""The cap on interest on paid-up shares (AUSCOOP art. 209) is a dated setting: the rate
in force on the day of the assembly's decision applies."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest

from core.errors import ValidationFailed
from ledger.services import (
    SHARE_INTEREST_CAPS,
    share_interest_cap,
    share_interest_cap_row,
    surplus_allocate,
    year_close,
)
from ledger.tests.factories import books, post

d = datetime.date


def test_the_rate_in_force_on_the_day_applies():
    assert share_interest_cap(d(2025, 6, 15)) == Decimal("0.055")
    assert share_interest_cap(d(2025, 6, 16)) == Decimal("0.0525")
    assert share_interest_cap(d(2026, 3, 15)) == Decimal("0.0525")
    assert share_interest_cap(d(2026, 3, 16)) == Decimal("0.05")
    # before the first dated row: the first row
    assert share_interest_cap(d(2020, 1, 1)) == SHARE_INTEREST_CAPS[0][1]


def test_every_row_names_its_source_and_is_marked_to_confirm():
    for _day, rate, source in SHARE_INTEREST_CAPS:
        assert 0 < rate < Decimal("0.10")
        assert "BCEAO" in source and "à confirmer" in source
    assert "à confirmer" in share_interest_cap_row(d(2026, 6, 1))[2]


def test_settings_replace_the_table_or_pin_one_rate(settings):
    settings.SUNUCOOP_SHARE_INTEREST_CAPS = [
        ("2024-01-01", "0.03", "test"),
        (d(2027, 1, 1), Decimal("0.04"), "test 2"),
    ]
    assert share_interest_cap(d(2026, 12, 31)) == Decimal("0.03")
    assert share_interest_cap_row(d(2027, 1, 1)) == (d(2027, 1, 1), Decimal("0.04"), "test 2")
    settings.SUNUCOOP_SHARE_INTEREST_CAP = "0.045"
    assert share_interest_cap(d(2027, 1, 1)) == Decimal("0.045")


@pytest.mark.django_db
def test_the_allocation_uses_the_cap_in_force_on_the_assembly_day():
    coop, officer = books()
    post(coop, officer, on=d(2025, 3, 10), lines=[("5711", 100_000, 0), ("7021", 0, 100_000)])
    year_close(actor=officer, cooperative=coop, year=2025)
    with pytest.raises(ValidationFailed) as exc:
        # 5,25 % is above the 5 % in force from 16/03/2026
        surplus_allocate(
            actor=officer,
            cooperative=coop,
            year=2025,
            on=d(2026, 4, 1),
            share_interest_rate=Decimal("0.0525"),
        )
    assert exc.value.code == "share_interest_too_high"
    # the same rate on an assembly held while 5,25 % was the cap
    allocation = surplus_allocate(
        actor=officer,
        cooperative=coop,
        year=2025,
        on=d(2026, 3, 1),
        share_interest_rate=Decimal("0.0525"),
    )
    assert allocation.share_interest_rate == Decimal("0.0525")
