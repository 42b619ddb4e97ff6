from datetime import date

import pytest

from credit.arrears import bucket_of
from credit.models import Lender, Loan
from demo.credit_data import LENDER, PLAN, load_credit
from ledger.models import JournalEntry
from ledger.services import balances_at

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
    # the loans to cooperatives are in their books: 162 = outstanding principal
    entries = JournalEntry.objects.filter(source__startswith="credit.").count()
    coop_loans = loans.filter(borrower_cooperative__isnull=False)
    assert coop_loans.exists() and entries > coop_loans.count()
    for coop_id in set(coop_loans.values_list("borrower_cooperative", flat=True)):
        coop = Loan.objects.filter(borrower_cooperative=coop_id).first().borrower_cooperative
        debt = balances_at(coop, as_of, account_codes=["162"]).get("162", 0)
        owed = sum(
            coop_loans.filter(borrower_cooperative=coop_id).values_list(
                "outstanding_principal", flat=True
            )
        )
        assert debt == -owed != 0
    load_credit(actor=world.national, as_of=as_of)
    assert loans.count() == len(PLAN)
    assert JournalEntry.objects.filter(source__startswith="credit.").count() == entries
