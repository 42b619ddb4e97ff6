from datetime import date
from decimal import Decimal

import pytest

from core.errors import Conflict, Forbidden, ValidationFailed
from credit.models import UsuryCap
from credit.tests.factories import LenderFactory, lender_staff, product

pytestmark = pytest.mark.django_db


def test_usury_cap_refuses_flat_18_but_accepts_declining_18_with_2pct_fee(world):
    ok = product(world.lender, world.lender_obj, fee_rate=Decimal("2"))
    assert ok.effective_rate == Decimal("21.91")
    with pytest.raises(Conflict) as exc:
        product(world.lender, world.lender_obj, interest_method="flat")
    assert exc.value.code == "usury_cap"
    assert exc.value.field == "annual_rate"
    assert "taux de l'usure de 24 %" in str(exc.value.message)
    assert "31,72 %" in str(exc.value.message)


def test_usury_cap_is_dated_and_per_kind_of_lender(world):
    bank = LenderFactory(name="Banque X", kind="banque")
    staff = lender_staff(bank)
    # 14.5 % declining: under the banks' 15 % before 1 June 2026, over the 14 % after
    product(staff, bank, annual_rate=Decimal("14.5"), on=date(2026, 5, 31))
    with pytest.raises(Conflict) as exc:
        product(staff, bank, annual_rate=Decimal("14.5"), on=date(2026, 6, 1))
    assert exc.value.code == "usury_cap"
    # a new cap takes effect on its date
    UsuryCap.objects.create(category="sfd", rate=Decimal("20"), effective_from=date(2027, 1, 1))
    product(world.lender, world.lender_obj, annual_rate=Decimal("19"), on=date(2026, 12, 31))
    with pytest.raises(Conflict):
        product(world.lender, world.lender_obj, annual_rate=Decimal("21"), on=date(2027, 1, 1))


def test_fixed_fee_checked_on_the_minimum_principal(world):
    product(world.lender, world.lender_obj, fee_fixed=5_000, min_principal=500_000)
    with pytest.raises(Conflict):  # 5 000 F on a 50 000 F loan is a TEG far above 24 %
        product(world.lender, world.lender_obj, fee_fixed=5_000, min_principal=50_000)


def test_only_the_lender_or_national_creates_products(world):
    product(world.national, world.lender_obj)
    for user in (world.agent_tc, world.officer, world.member, world.nobody):
        with pytest.raises(Forbidden):
            product(user, world.lender_obj)
    other = LenderFactory()
    with pytest.raises(Forbidden):
        product(world.lender, other)


@pytest.mark.parametrize(
    ("field", "value", "code"),
    [
        ("annual_rate", "abc", "invalid"),
        ("annual_rate", "-1", "out_of_range"),
        ("term_months", 0, "out_of_range"),
        ("grace_periods", 12, "out_of_range"),
        ("interest_method", "compound", "invalid"),
        ("allocation_order", "interest,principal", "invalid"),
        ("repayment_months", [13], "out_of_range"),
    ],
)
def test_product_validation(world, field, value, code):
    with pytest.raises(ValidationFailed) as exc:
        product(world.lender, world.lender_obj, **{field: value})
    assert exc.value.code == code and exc.value.field == field


def test_seasonal_and_custom_order_are_kept(world):
    p = product(
        world.lender,
        world.lender_obj,
        repayment_months=[12, 11, 11],
        allocation_order="interest, principal, penalty, fee",
    )
    assert p.repayment_months == [11, 12]
    assert p.allocation_order == "interest,principal,penalty,fee"


def test_duplicate_name_per_lender(world):
    product(world.lender, world.lender_obj, name="Crédit campagne")
    with pytest.raises(Conflict):
        product(world.lender, world.lender_obj, name="crédit campagne")
