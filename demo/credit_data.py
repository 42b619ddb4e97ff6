"""Credit part of the demo: three lenders, each with its products and loans where it works,
with loans in every arrears bucket (up to date, 1-30, 31-90, 91-180, 181-365 and over 365
days late):

- the Tambacounda MEC (``lender``, ``lender-checker``): about twenty loans to cooperatives
  and members of the Tambacounda region;
- the programme's fund (``fonds``, ``fonds-checker``): preferential loans to cooperatives
  of the priority regions (Kolda, Ziguinchor, Sédhiou, Kédougou, Matam, Saint-Louis, Louga);
- the Thiès MEC (``mec-thies``, ``mec-thies-checker``): loans in the Thiès region, its
  zone of intervention (cooperatives and members).

So the lenders' pages each show their own portfolio, the Thiès agent sees loans in Thiès,
the Tambacounda agent in Tambacounda, the national dashboard loans in several regions.
Everything goes through credit.services (maker-checker included: each lender's first
user enters, its second approves). Idempotent: a loan is known by its lender and purpose
and a product by its name; existing ones are left alone. Dates are relative to ``as_of``
(default: today) so the arrears buckets hold on the day the demo is loaded.
"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from accounts.services import role_assign
from core import dates
from credit import services
from credit.models import Lender, Loan, LoanProduct
from credit.portfolio import refresh_all
from credit.schedule import add_months
from demo.registry_data import TISSERANDS
from geo.models import Area
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


# The other lenders: (name, kind, area of work, users, regions of their borrowers)
FUND = "Fonds d'appui aux CPS (programme PROGRESS)"
MEC_THIES = "Mutuelle d'épargne et de crédit de Thiès"

FUND_PRODUCTS = [
    {
        "name": "Prêt d'équipement CPS à taux préférentiel",
        "annual_rate": Decimal("6"),
        "term_months": 24,
        "fee_rate": Decimal("1"),
        "grace_periods": 3,
        "min_principal": 500_000,
        "max_principal": 25_000_000,
    },
    {
        "name": "Fonds de roulement CPS",
        "annual_rate": Decimal("8"),
        "term_months": 12,
        "fee_rate": Decimal("0.5"),
        "min_principal": 250_000,
        "max_principal": 10_000_000,
    },
]
FUND_PLAN = [
    (0, "coop", 8_000_000, None, 5),
    (1, "coop", 2_500_000, None, 3),
    (0, "coop", 6_000_000, 20, 6),
    (1, "coop", 1_800_000, 50, 4),
    (0, "coop", 4_500_000, None, 2),
    (1, "coop", 3_000_000, 130, 3),
    (1, "coop", 1_200_000, None, 8),
    (0, "coop", 5_000_000, 240, 4),
    (1, "coop", 2_000_000, 10, 6),
]
MEC_THIES_PRODUCTS = [
    {
        "name": "Crédit commerce coopérative",
        "annual_rate": Decimal("18"),
        "term_months": 10,
        "fee_rate": Decimal("2"),
        "penalty_rate": Decimal("5"),
        "min_principal": 200_000,
        "max_principal": 8_000_000,
    },
    {
        "name": "Microcrédit transformatrices",
        "annual_rate": Decimal("19"),
        "term_months": 6,
        "fee_rate": Decimal("1"),
        "amortization": "equal_principal",
        "min_principal": 50_000,
        "max_principal": 1_000_000,
    },
]
MEC_THIES_PLAN = [
    (0, "coop", 2_000_000, None, 4),
    (1, "person", 200_000, None, 2),
    (0, "coop", 3_500_000, 35, 3),
    (1, "person", 150_000, 95, 2),
    (0, "coop", 1_000_000, None, 6),
    (1, "person", 300_000, 15, 3),
    (0, "coop", 2_500_000, 400, 2),
    (1, "person", 120_000, None, 1),
]

LENDERS = [
    # name, kind, area, (maker, checker) users, borrowers' regions, products, plan, purpose
    (
        LENDER,
        "mec",
        "SN-TC",
        (("lender", "Ousmane", "Sy"), ("lender-checker", "Fatou", "Kane")),
        ("SN-TC",),
        PRODUCTS,
        PLAN,
        "Démo n° {k} : fonds de roulement",
    ),
    (
        FUND,
        "fonds",
        "SN",
        (("fonds", "Abdoulaye", "Ndiaye"), ("fonds-checker", "Khady", "Sarr")),
        ("SN-KD", "SN-ZG", "SN-SE", "SN-KE", "SN-MT", "SN-SL", "SN-LG"),
        FUND_PRODUCTS,
        FUND_PLAN,
        "Fonds n° {k} : équipement et fonds de roulement",
    ),
    (
        MEC_THIES,
        "mec",
        "SN-TH",
        (("mec-thies", "Pape", "Diouf"), ("mec-thies-checker", "Awa", "Mbaye")),
        ("SN-TH",),
        MEC_THIES_PRODUCTS,
        MEC_THIES_PLAN,
        "MEC Thiès n° {k} : fonds de roulement",
    ),
]


def _borrowers(regions=("SN-TC",)):
    """Cooperatives (not dissolved) of these regions, their members who have not left;
    in the order of the regions given, then of creation."""
    coops = []
    for region in regions:
        coops += list(
            Cooperative.objects.filter(commune__path__startswith=f"SN/{region}/")
            .exclude(stage="dissoute")
            .order_by("id")
        )
    members = list(
        Membership.objects.filter(cooperative__in=coops, left_on__isnull=True)
        .select_related("person", "cooperative")
        .order_by("id")
    )
    return coops, members


def _lender(name: str, kind: str, area_code: str) -> Lender:
    lender = Lender.objects.filter(name=name).first()
    if lender is None:
        lender = Lender.objects.create(
            name=name, kind=kind, area=Area.objects.filter(code=area_code).first()
        )
    return lender


def _products(maker, lender, specs) -> list[LoanProduct]:
    products = []
    for spec in specs:
        product = LoanProduct.objects.filter(lender=lender, name=spec["name"]).first()
        if product is None:
            product = services.loan_product_create(
                actor=maker, lender=lender, on=date(2025, 3, 21), **spec
            )
        products.append(product)
    return products


def _borrower(k: int, kind: str, coops, members, *, first=None) -> dict:
    if kind == "coop" or not members:
        return {"borrower_cooperative": first if (k == 1 and first) else coops[k % len(coops)]}
    m = members[(k * 7) % len(members)]
    return {"borrower_person": m.person, "cooperative": m.cooperative}


def _dates(as_of: date, late, months) -> tuple[date, date]:
    """(disbursed on, paid every instalment due before): ``months`` instalments paid, then
    the next one unpaid since ``late`` days (None: up to date, disbursed ``months`` ago)."""
    if late is not None:
        pay_before = as_of - timedelta(days=late)
        return add_months(pay_before, -(months + 1)), pay_before
    return add_months(as_of, -months), as_of


def _make_loan(*, maker, checker, product, principal, purpose, borrower, dates, as_of, k):
    disbursed, pay_before = dates
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
    by_coop = "borrower_cooperative" in borrower
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
            channel="bank" if by_coop else ("mobile_money" if k % 2 else "cash"),
            reference=f"DEMO-{loan.lender_id}-{k}-{inst.number}",
        )
    return loan


def load_lender(*, actor, spec, as_of: date) -> str:
    """One lender of :data:`LENDERS`: its users, products and loans (idempotent)."""
    from demo.loader import ensure_user

    name, kind, area_code, users, regions, product_specs, plan, purpose_text = spec
    lender = _lender(name, kind, area_code)
    maker, checker = (ensure_user(*u) for u in users)
    for user in (maker, checker):
        role_assign(user=user, role="lender", lender=lender, actor=actor)
    products = _products(maker, lender, product_specs)
    coops, members = _borrowers(regions)
    if not coops:
        return f"crédit ({name}) : aucune coopérative dans ses régions, prêts non créés"
    weavers = next((c for c in coops if c.name == TISSERANDS), None)
    created = 0
    for k, (p_index, kind_of, principal, late, months) in enumerate(plan, start=1):
        purpose = purpose_text.format(k=k)
        if Loan.objects.filter(lender=lender, purpose=purpose).exists():
            continue
        # loan 1 of the Tambacounda MEC goes to the Koumpentoum weavers, whose books the
        # demo officer keeps: their books show a loan (docs/ledger.md)
        _make_loan(
            maker=maker,
            checker=checker,
            product=products[p_index],
            principal=principal,
            purpose=purpose,
            borrower=_borrower(k, kind_of, coops, members, first=weavers),
            dates=_dates(as_of, late, months),
            as_of=as_of,
            k=k,
        )
        created += 1
    return f"{name} : produits {len(products)}, prêts créés {created}"


def load_credit(*, actor, as_of: date | None = None) -> list[str]:
    as_of = as_of or dates.today()
    report = [load_lender(actor=actor, spec=spec, as_of=as_of) for spec in LENDERS]
    seen, _changed = refresh_all(as_of=as_of)
    return [*report, f"prêts suivis : {seen}"]
