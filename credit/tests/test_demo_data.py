from datetime import date

import pytest

from credit.arrears import bucket_of
from credit.models import Lender, Loan
from demo.credit_data import LENDER, PLAN, load_credit

pytestmark = pytest.mark.django_db


def test_demo_credit_has_every_bucket_and_is_idempotent(world):
    Lender.objects.create(name=LENDER, kind="mec")
    as_of = date(2026, 11, 23)
    load_credit(actor=world.national, as_of=as_of)
    loans = Loan.objects.filter(lender__name=LENDER)
    assert loans.count() == len(PLAN)
    buckets = {bucket_of(d) for d in loans.values_list("days_past_due", flat=True)}
    assert buckets == {"0", "1-30", "31-90", "91-180", "181-365", ">365"}
    late = dict(loans.values_list("purpose", "days_past_due"))
    assert late["Démo n° 14 : fonds de roulement"] == 400
    load_credit(actor=world.national, as_of=as_of)
    assert loans.count() == len(PLAN)
