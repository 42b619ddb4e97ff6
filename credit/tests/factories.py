"""Credit test data, built through the services so that every row obeys the rules."""

from __future__ import annotations

import itertools
from datetime import date
from decimal import Decimal

import factory

from accounts.services import role_assign
from accounts.tests.factories import UserFactory
from credit import services
from credit.models import Lender


class LenderFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Lender

    name = factory.Sequence(lambda n: f"Mutuelle {n}")
    kind = "mec"


def lender_staff(lender, username=None):
    user = UserFactory(**({"username": username} if username else {}))
    role_assign(user=user, role="lender", lender=lender)
    return user


_names = itertools.count(1)


def product(actor, lender, **kw):
    base = {
        "name": f"Crédit test {next(_names)}",
        "annual_rate": Decimal("18"),
        "term_months": 12,
        "fee_rate": Decimal("0"),
        "on": date(2026, 1, 1),
    }
    base.update(kw)
    return services.loan_product_create(actor=actor, lender=lender, **base)


def active_loan(
    *,
    maker,
    checker,
    product,
    principal=1_000_000,
    applied_on=date(2026, 1, 10),
    disbursed_on=date(2026, 1, 15),
    **borrower,
):
    """Application by ``maker``, approval and disbursement by ``checker``."""
    loan = services.loan_apply(
        actor=maker, product=product, principal=principal, applied_on=applied_on, **borrower
    )
    services.loan_approve(actor=checker, loan=loan, on=applied_on)
    return services.loan_disburse(actor=checker, loan=loan, on=disbursed_on)
