"""Credit part of the demo: the Tambacounda MEC's products and about twenty loans to
demo cooperatives and members, with loans in every arrears bucket (up to date, 1-30,
31-90, 91-180, 181-365 and over 365 days late).

Everything goes through credit.services (maker-checker included: the demo lender user
enters, a second user of the MEC approves). Idempotent: a loan is known by its purpose
("Démo n° k") and a product by its name; existing ones are left alone. Dates are relative
to ``as_of`` (default: today) so the arrears buckets hold on the day the demo is loaded.
"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from django.utils import timezone

from accounts.services import role_assign
from credit import services
from credit.models import Lender, Loan, LoanProduct
from credit.portfolio import refresh_all
from credit.schedule import add_months
from demo.registry_data import TISSERANDS
from registry.models import Cooperative, Membership

LENDER = "Mutuelle d'épargne et de crédit de Tambacounda"

PRODUCTS = [
    {
        "name": "Crédit AGR coopérative",
        "annual_rate": Decimal("18"),
        "term_months": 12,
        "fee_rate": Decimal("2"),
        "penalty_rate": Decimal("5"),
        "arrears_tolerance": 500,
        "min_principal": 250_000,
        "max_principal": 10_000_000,
    },
    {
        "name": "Crédit de campagne (remboursement après récolte)",
        "annual_rate": Decimal("16"),
        "term_months": 12,
        "fee_rate": Decimal("1.5"),
        "repayment_months": [11, 12, 1],
    },
    {
        "name": "Microcrédit membre",
        "annual_rate": Decimal("20"),
        "term_months": 6,
        "fee_rate": Decimal("1"),
        "amortization": "equal_principal",
        "min_principal": 50_000,
        "max_principal": 1_000_000,
    },
]

# (product index, borrower: "coop" or "person", principal, days late wanted (None: up to
# date), instalments paid before the first unpaid one (up to date: months since disbursed))
PLAN = [
    (0, "coop", 3_000_000, None, 4),
    (0, "coop", 1_500_000, None, 7),
    (0, "coop", 2_000_000, 12, 5),
    (0, "coop", 800_000, 25, 3),
    (2, "person", 150_000, None, 2),
    (2, "person", 300_000, 8, 3),
    (2, "person", 200_000, 45, 4),
    (0, "coop", 5_000_000, 60, 6),
    (2, "person", 250_000, 75, 5),
    (0, "coop", 1_200_000, 120, 4),
    (2, "person", 100_000, 150, 2),
    (0, "coop", 2_500_000, 200, 5),
    (0, "coop", 900_000, 300, 4),
    (0, "coop", 1_000_000, 400, 3),
    (2, "person", 180_000, 500, 2),
    (0, "coop", 4_000_000, None, 1),
    (1, "coop", 2_000_000, None, 2),
]


def _borrowers():
    coops = list(
        Cooperative.objects.filter(commune__path__startswith="SN/SN-TC/")
        .exclude(stage="dissoute")
        .order_by("id")
    )
    members = list(
        Membership.objects.filter(cooperative__in=coops, left_on__isnull=True)
        .select_related("person", "cooperative")
        .order_by("id")
    )
    return coops, members


def load_credit(*, actor, as_of: date | None = None) -> list[str]:
    from demo.loader import ensure_user

    as_of = as_of or timezone.localdate()
    lender = Lender.objects.get(name=LENDER)
    maker = ensure_user("lender", "Ousmane", "Sy")
    checker = ensure_user("lender-checker", "Fatou", "Kane")
    for user in (maker, checker):
        role_assign(user=user, role="lender", lender=lender, actor=actor)
    products = []
    for spec in PRODUCTS:
        product = LoanProduct.objects.filter(lender=lender, name=spec["name"]).first()
        if product is None:
            product = services.loan_product_create(
                actor=maker, lender=lender, on=date(2025, 3, 21), **spec
            )
        products.append(product)
    coops, members = _borrowers()
    if not coops:
        return ["crédit : aucune coopérative de Tambacounda, prêts non créés"]
    created = 0
    for k, (p_index, kind, principal, late, months) in enumerate(PLAN, start=1):
        purpose = f"Démo n° {k} : fonds de roulement"
        if Loan.objects.filter(lender=lender, purpose=purpose).exists():
            continue
        product = products[p_index]
        if kind == "coop" or not members:
            # loan 1 goes to the Koumpentoum weavers, whose books the demo officer keeps:
            # their books show a loan (docs/ledger.md)
            weavers = next((c for c in coops if c.name == TISSERANDS), coops[0])
            borrower = {"borrower_cooperative": weavers if k == 1 else coops[k % len(coops)]}
        else:
            m = members[(k * 7) % len(members)]
            borrower = {"borrower_person": m.person, "cooperative": m.cooperative}
        if late is not None:
            # ``months`` instalments paid, then the next one unpaid since ``late`` days
            pay_before = as_of - timedelta(days=late)
            disbursed = add_months(pay_before, -(months + 1))
        else:
            disbursed = add_months(as_of, -months)
            pay_before = as_of
        applied = disbursed - timedelta(days=10)
        loan = services.loan_apply(
            actor=maker,
            product=product,
            principal=principal,
            applied_on=applied,
            purpose=purpose,
            **borrower,
        )
        services.loan_approve(actor=checker, loan=loan, on=applied + timedelta(days=3))
        services.loan_disburse(actor=checker, loan=loan, on=disbursed)
        for inst in loan.instalments.filter(number__gt=0, due_on__lt=pay_before).order_by("number"):
            if inst.due_on > as_of:
                break
            if inst.total_due <= 0:
                continue  # an off-season month of a seasonal loan
            services.repayment_post(
                actor=maker,
                loan=loan,
                amount=inst.total_due,
                paid_on=inst.due_on,
                # a cooperative repays from the bank account the loan was paid into
                channel="bank" if kind == "coop" else ("mobile_money" if k % 2 else "cash"),
                reference=f"DEMO-{k}-{inst.number}",
            )
        created += 1
    seen, changed = refresh_all(as_of=as_of)
    return [f"produits de crédit : {len(products)}, prêts créés : {created}, prêts suivis : {seen}"]
