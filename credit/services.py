"""Every write of credit: products, the loan lifecycle, repayments and recovery.

Money rules: amounts are integers (XOF); repayments and allocation lines are append-only
(a correction is a reversal); every money write locks the loan row first
(``select_for_update``), so two repayments posted at once are both counted exactly once.
"""

from __future__ import annotations

import hashlib
import json
from datetime import date
from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core import dates
from core.errors import Conflict, Forbidden, NotFound, ValidationFailed
from core.money import format_xof, round_xof
from core.services import service
from core.text import fold
from credit import schedule as engine
from credit.allocation import Open, allocate, capacity, parse_order
from credit.arrears import figures_for
from credit.errors import Code
from credit.models import (
    Allocation,
    Amortization,
    ChangeKind,
    ChangeStatus,
    Channel,
    DayCount,
    EventKind,
    Frequency,
    IdempotencyRecord,
    Instalment,
    InterestMethod,
    Loan,
    LoanChangeRequest,
    LoanEvent,
    LoanProduct,
    LoanStatus,
    RecoveryAction,
    Repayment,
)
from credit.portfolio import FIELDS as STORED_FIGURES
from credit.portfolio import period_windows
from credit.rules import can_collect, can_manage_lender
from credit.selectors import DISBURSEMENT_PURPOSE, borrower_visible, disbursement_payout
from credit.usury import check_usury
from geo.changes import areas_touch
from ledger import postings
from ledger.models import JournalEntry
from registry.models import Cooperative

REFERENCE_PRINCIPAL = 1_000_000  # the loan a product's TEG is checked on (or its minimum)


# --- products ----------------------------------------------------------------------------


def _decimal(value, field: str, *, low=Decimal(0), high=Decimal(100)) -> Decimal:
    try:
        d = Decimal(str(value))
    except (InvalidOperation, ValueError):
        raise ValidationFailed(
            _("Nombre décimal attendu."), code=Code.INVALID, field=field
        ) from None
    if not d.is_finite() or d < low or d > high:
        raise ValidationFailed(
            _("Valeur hors limites (%(low)s à %(high)s).") % {"low": low, "high": high},
            code=Code.OUT_OF_RANGE,
            field=field,
        )
    return d


def product_terms(product: LoanProduct, *, principal: int, disbursed_on: date) -> engine.Terms:
    return engine.Terms(
        principal=principal,
        annual_rate=Decimal(product.annual_rate),
        term_months=product.term_months,
        disbursed_on=disbursed_on,
        interest_method=product.interest_method,
        amortization=product.amortization,
        frequency=product.frequency,
        day_count=product.day_count,
        grace_periods=product.grace_periods,
        grace_on_interest=product.grace_on_interest,
        fee_rate=Decimal(product.fee_rate),
        fee_fixed=product.fee_fixed,
        repayment_months=frozenset(product.repayment_months or []),
    )


def terms_snapshot(product: LoanProduct) -> dict:
    """The product's conditions copied onto a loan at application (products may change)."""
    return {
        "annual_rate": str(product.annual_rate),
        "term_months": product.term_months,
        "interest_method": product.interest_method,
        "amortization": product.amortization,
        "frequency": product.frequency,
        "day_count": product.day_count,
        "grace_periods": product.grace_periods,
        "grace_on_interest": product.grace_on_interest,
        "fee_rate": str(product.fee_rate),
        "fee_fixed": product.fee_fixed,
        "penalty_rate": str(product.penalty_rate),
        "arrears_tolerance": product.arrears_tolerance,
        "allocation_order": product.allocation_order,
        "repayment_months": list(product.repayment_months or []),
    }


def loan_terms(loan: Loan, *, principal: int | None = None, start: date | None = None, **over):
    t = {**loan.terms, **over}
    return engine.Terms(
        principal=principal if principal is not None else loan.principal,
        annual_rate=Decimal(t["annual_rate"]),
        term_months=int(t["term_months"]),
        disbursed_on=start or loan.disbursed_on or loan.applied_on,
        interest_method=t["interest_method"],
        amortization=t["amortization"],
        frequency=t["frequency"],
        day_count=t["day_count"],
        grace_periods=int(t["grace_periods"]),
        grace_on_interest=bool(t["grace_on_interest"]),
        fee_rate=Decimal(t["fee_rate"]),
        fee_fixed=int(t["fee_fixed"]),
        repayment_months=frozenset(t.get("repayment_months") or []),
    )


def disbursement_preview(loan: Loan, *, on: date) -> list:
    """The schedule a disbursement on ``on`` would create (its instalments with something
    due), shown before the disbursement is confirmed."""
    return [row for row in engine.build_schedule(loan_terms(loan, start=on)) if row.total]


def check_one_borrower(borrower_cooperative, borrower_person) -> None:
    """A loan goes to a cooperative or to a person: exactly one of the two."""
    if (borrower_cooperative is None) == (borrower_person is None):
        raise ValidationFailed(
            _("Indiquez une coopérative ou une personne emprunteuse, pas les deux."),
            code=Code.BORROWER,
            field="borrower_cooperative",
        )


def _check_product_choices(*, interest_method, amortization, day_count, frequency) -> None:
    """Each method of a product is one the engine knows."""
    choices = {
        "interest_method": (interest_method, InterestMethod.values),
        "amortization": (amortization, Amortization.values),
        "day_count": (day_count, DayCount.values),
        "frequency": (frequency, Frequency.values),
    }
    for field, (value, allowed) in choices.items():
        if value not in allowed:
            raise ValidationFailed(
                _("Valeur non reconnue : %(v)s.") % {"v": value}, code=Code.INVALID, field=field
            )


def _check_product_schedule(
    *,
    term_months,
    grace_periods,
    frequency,
    allocation_order,
    repayment_months,
    min_principal,
    max_principal,
) -> tuple[str, list[int]]:
    """The term, the grace, the order of allocation, the seasonal months and the bounds of
    the principal; returns the allocation order and the months, normalised."""
    if not 1 <= int(term_months) <= 120:
        raise ValidationFailed(
            _("La durée va de 1 à 120 mois."), code=Code.OUT_OF_RANGE, field="term_months"
        )
    if not 0 <= int(grace_periods) < engine.instalment_count(int(term_months), frequency):
        raise ValidationFailed(
            _("Le différé doit laisser au moins une échéance de remboursement."),
            code=Code.OUT_OF_RANGE,
            field="grace_periods",
        )
    try:
        order = ",".join(parse_order(allocation_order))
    except ValueError:
        raise ValidationFailed(
            _("L'ordre d'imputation cite une fois chacun : penalty, fee, interest, principal."),
            code=Code.INVALID,
            field="allocation_order",
        ) from None
    months = sorted({int(m) for m in (repayment_months or [])})
    if any(m < 1 or m > 12 for m in months):
        raise ValidationFailed(
            _("Les mois vont de 1 à 12."), code=Code.OUT_OF_RANGE, field="repayment_months"
        )
    if months and frequency != Frequency.MONTHLY:
        raise ValidationFailed(
            _("Un produit saisonnier a une périodicité mensuelle."),
            code=Code.INVALID,
            field="repayment_months",
        )
    if max_principal is not None and max_principal < min_principal:
        raise ValidationFailed(
            _("Le maximum est inférieur au minimum."), code=Code.INVALID, field="max_principal"
        )
    return order, months


@service(texts=(LoanProduct,), amounts=("fee_fixed", "min_principal", "max_principal"))
def loan_product_create(
    *,
    actor,
    lender,
    name: str,
    annual_rate,
    term_months: int,
    on: date,
    interest_method: str = InterestMethod.DECLINING,
    amortization: str = Amortization.ANNUITY,
    day_count: str = DayCount.D30_360,
    frequency: str = Frequency.MONTHLY,
    grace_periods: int = 0,
    grace_on_interest: bool = False,
    fee_rate=Decimal(0),
    fee_fixed: int = 0,
    penalty_rate=Decimal(0),
    arrears_tolerance: int = 0,
    allocation_order: str = "penalty,fee,interest,principal",
    repayment_months: list[int] | None = None,
    min_principal: int = 0,
    max_principal: int | None = None,
) -> LoanProduct:
    """Create a product; refused when its TEG (fees included) exceeds the usury cap on ``on``."""
    if lender is None:
        raise ValidationFailed(_("Indiquez le prêteur."), code=Code.REQUIRED, field="lender")
    if not can_manage_lender(actor, lender.pk):
        raise Forbidden(_("Seul le prêteur ou le niveau national crée ses produits."))
    name = (name or "").strip()
    if not name:
        raise ValidationFailed(_("Le nom est obligatoire."), code=Code.REQUIRED, field="name")
    if LoanProduct.objects.filter(lender=lender, name__iexact=name).exists():
        raise Conflict(
            _("Ce prêteur a déjà un produit de ce nom."), code=Code.DUPLICATE, field="name"
        )
    _check_product_choices(
        interest_method=interest_method,
        amortization=amortization,
        day_count=day_count,
        frequency=frequency,
    )
    annual_rate = _decimal(annual_rate, "annual_rate")
    fee_rate = _decimal(fee_rate, "fee_rate", high=Decimal(50))
    penalty_rate = _decimal(penalty_rate, "penalty_rate")
    order, months = _check_product_schedule(
        term_months=term_months,
        grace_periods=grace_periods,
        frequency=frequency,
        allocation_order=allocation_order,
        repayment_months=repayment_months,
        min_principal=min_principal,
        max_principal=max_principal,
    )
    product = LoanProduct(
        lender=lender,
        name=name,
        interest_method=interest_method,
        amortization=amortization,
        annual_rate=annual_rate,
        day_count=day_count,
        term_months=int(term_months),
        frequency=frequency,
        grace_periods=int(grace_periods),
        grace_on_interest=bool(grace_on_interest),
        fee_rate=fee_rate,
        fee_fixed=int(fee_fixed),
        penalty_rate=penalty_rate,
        arrears_tolerance=int(arrears_tolerance),
        allocation_order=order,
        repayment_months=months,
        min_principal=int(min_principal),
        max_principal=max_principal,
        created_by=actor,
    )
    reference = max(int(min_principal), 1) if min_principal else REFERENCE_PRINCIPAL
    terms = product_terms(product, principal=reference, disbursed_on=on)
    product.effective_rate = check_usury(terms, lender=lender, on=on)
    product.save()
    return product


# --- loans -------------------------------------------------------------------------------


def _event(loan: Loan, kind: str, on: date, actor, **detail) -> LoanEvent:
    return LoanEvent.objects.create(
        loan=loan, cooperative_id=loan.cooperative_id, kind=kind, on=on, actor=actor, detail=detail
    )


def _lock(loan: Loan) -> Loan:
    """Re-read the loan under a row lock: every change of a loan's money starts here."""
    return (
        Loan.objects.select_for_update(of=("self",))
        .select_related("area", "lender")
        .get(pk=loan.pk)
    )


def _require_manager(actor, loan: Loan) -> None:
    if not can_manage_lender(actor, loan.lender_id):
        raise Forbidden(_("Seul le prêteur ou le niveau national peut faire cette opération."))


def _require_status(loan: Loan, *allowed: str) -> None:
    if loan.status not in allowed:
        raise Conflict(
            _("Impossible : le prêt est « %(status)s ».") % {"status": loan.get_status_display()},
            code=Code.LOAN_STATE,
        )


# --- the cooperative's books and monitoring's freshness mark -----------------------------
#
# A loan TO A COOPERATIVE is the cooperative's debt: its disbursement, repayments (split as
# allocated), reversals and write-off are posted in that cooperative's books, in the same
# transaction as the credit rows, referenced by the credit object's id (docs/ledger.md).
# A loan to a member is the member's debt, not the cooperative's: nothing is posted.

DISBURSEMENT_CHANNELS = (Channel.CASH, Channel.BANK, Channel.MOBILE_MONEY)


def _books_of(loan: Loan):
    """The cooperative whose books hold this loan (its borrower), else None."""
    if loan.borrower_cooperative_id is None:
        return None
    return Cooperative.objects.get(pk=loan.borrower_cooperative_id)


def _in_books(loan: Loan, books) -> bool:
    """Whether the loan's disbursement is in the books: repayments, reversals and write-off
    of a loan disbursed before the automatic postings existed are not posted (a repayment
    alone would leave 162 with a debit balance)."""
    return (
        books is not None
        and JournalEntry.objects.filter(
            cooperative=books, source="credit.loan_disbursement", source_ref=str(loan.pk)
        ).exists()
    )


def _label(loan: Loan, what: str) -> str:
    return f"{what} du prêt n° {loan.pk} ({loan.lender.name})"[:200]


def _touch(loan: Loan, books=None, on: date | None = None) -> None:
    """Monitoring's freshness mark for the loan's figures: the commune of the borrowing
    cooperative or of the member's cooperative, else the person's commune (and the loan's
    area, which portfolio figures are grouped by). ``books``: the borrowing cooperative,
    when already read; ``on``: the first day whose figures change (None: every day)."""
    if books is not None and books.pk == loan.cooperative_id:
        commune = books.commune_id
    elif loan.cooperative_id:
        commune = (
            Cooperative.objects.filter(pk=loan.cooperative_id)
            .values_list("commune_id", flat=True)
            .first()
        )
    else:
        commune = loan.borrower_person.commune_id if loan.borrower_person_id else None
    areas_touch([commune, loan.area_id], on=on)


def _check_borrowers_visible(actor, borrower_cooperative, borrower_person, cooperative):
    """Every cooperative and person named must be one the actor may name (else 404)."""
    for field, kwargs in (
        ("borrower_cooperative", {"cooperative": borrower_cooperative}),
        ("borrower_person", {"person": borrower_person}),
        ("cooperative", {"cooperative": cooperative}),
    ):
        if not borrower_visible(actor=actor, **kwargs):
            raise NotFound(_("Emprunteur introuvable."), field=field)


@service(texts=(Loan,), event_dates=("applied_on",), amounts=("principal",))
def loan_apply(
    *,
    actor,
    product: LoanProduct,
    principal: int,
    applied_on: date,
    borrower_cooperative=None,
    borrower_person=None,
    cooperative=None,
    purpose: str = "",
) -> Loan:
    """Enter a loan application (status ``application``)."""
    if not can_manage_lender(actor, product.lender_id):
        raise Forbidden(_("Seul le prêteur ou le niveau national enregistre une demande."))
    check_one_borrower(borrower_cooperative, borrower_person)
    _check_borrowers_visible(actor, borrower_cooperative, borrower_person, cooperative)
    if not product.active:
        raise Conflict(
            _("Ce produit n'est plus proposé."), code=Code.PRODUCT_INACTIVE, field="product"
        )
    principal = int(principal)
    if principal <= 0:
        raise ValidationFailed(
            _("Le montant doit être positif."), code=Code.OUT_OF_RANGE, field="principal"
        )
    if principal < product.min_principal or (
        product.max_principal is not None and principal > product.max_principal
    ):
        raise ValidationFailed(
            _("Montant hors des limites du produit (%(low)s à %(high)s).")
            % {
                "low": format_xof(product.min_principal),
                "high": format_xof(product.max_principal) if product.max_principal else "∞",
            },
            code=Code.OUT_OF_RANGE,
            field="principal",
        )
    if borrower_cooperative is not None:
        cooperative = borrower_cooperative
        area = borrower_cooperative.commune
        name = borrower_cooperative.name
    else:
        memberships = borrower_person.memberships.filter(left_on__isnull=True)
        if cooperative is not None:
            if not memberships.filter(cooperative=cooperative).exists():
                raise ValidationFailed(
                    _("Cette personne n'est pas membre de cette coopérative."),
                    code=Code.NOT_MEMBER,
                    field="cooperative",
                )
        elif memberships.count() == 1:
            cooperative = memberships.get().cooperative
        area = borrower_person.commune or (cooperative.commune if cooperative else None)
        name = f"{borrower_person.first_name} {borrower_person.last_name}"
    terms = product_terms(product, principal=principal, disbursed_on=applied_on)
    teg = check_usury(terms, lender=product.lender, on=applied_on)
    loan = Loan.objects.create(
        lender_id=product.lender_id,
        product=product,
        borrower_cooperative=borrower_cooperative,
        borrower_person=borrower_person,
        cooperative=cooperative,
        area=area,
        principal=principal,
        purpose=purpose,
        terms=terms_snapshot(product),
        effective_rate=teg,
        applied_on=applied_on,
        created_by=actor,
        search_text=fold(name, cooperative.name if cooperative else "", purpose),
    )
    _event(loan, EventKind.APPLIED, applied_on, actor, principal=principal)
    return loan


@service(event_dates=("on",))
def loan_approve(*, actor, loan: Loan, on: date) -> Loan:
    """Approve an application: never by the user who entered it (409 ``maker_checker``)."""
    loan = _lock(loan)
    _require_manager(actor, loan)
    _require_status(loan, LoanStatus.APPLICATION)
    if loan.created_by_id == actor.pk:
        raise Conflict(
            _("La demande doit être approuvée par un autre utilisateur que celui qui l'a saisie."),
            code=Code.MAKER_CHECKER,
        )
    if on < loan.applied_on:
        raise ValidationFailed(
            _("L'approbation ne peut précéder la demande."), code=Code.DATE_ORDER, field="on"
        )
    loan.status, loan.approved_on, loan.approved_by = LoanStatus.APPROVED, on, actor
    loan.save(update_fields=["status", "approved_on", "approved_by"])
    _event(loan, EventKind.APPROVED, on, actor)
    return loan


@service(texts=((LoanChangeRequest, {"reason": "reason"}),), event_dates=("on",))
def loan_reject(*, actor, loan: Loan, on: date, reason: str) -> Loan:
    loan = _lock(loan)
    _require_manager(actor, loan)
    _require_status(loan, LoanStatus.APPLICATION, LoanStatus.APPROVED)
    _no_live_payout(loan)
    if not (reason or "").strip():
        raise ValidationFailed(_("Indiquez le motif."), code=Code.REQUIRED, field="reason")
    loan.status = LoanStatus.REJECTED
    loan.save(update_fields=["status"])
    _event(loan, EventKind.REJECTED, on, actor, reason=reason.strip())
    return loan


def _create_instalments(loan: Loan, rows: list[engine.Instalment], first_number: int = 0):
    objs = [
        Instalment(
            loan=loan,
            cooperative_id=loan.cooperative_id,
            number=first_number + r.number,
            due_on=r.due_on,
            principal_due=r.principal,
            interest_due=r.interest,
            fee_due=r.fee,
        )
        for r in rows
    ]
    return Instalment.objects.bulk_create(objs)


@service(event_dates=("on",))
def loan_disburse(*, actor, loan: Loan, on: date, channel: str = Channel.BANK) -> Loan:
    """Disburse an approved loan: creates its schedule. Fees at disbursement (instalment 0)
    are withheld from the amount handed over (a repayment by ``deduction``).

    ``channel`` (bank by default, cash, mobile_money): how the money reaches the borrower.
    A loan to a cooperative is posted in its books (treasury of ``channel`` D net, 631 D
    fees / 162 C principal); a period locked there refuses the disbursement (409
    ``period_locked``) and nothing is written."""
    loan = _lock(loan)
    _require_manager(actor, loan)
    _require_status(loan, LoanStatus.APPROVED)
    _no_live_payout(loan)
    if channel not in DISBURSEMENT_CHANNELS:
        raise ValidationFailed(_("Canal non reconnu."), code=Code.INVALID, field="channel")
    return _disburse(loan, on=on, channel=channel, actor=actor)


def _disburse(loan: Loan, *, on: date, channel: str, actor) -> Loan:
    """The disbursement itself (the loan locked, approved, the actor allowed): schedule,
    fees withheld, postings."""
    if on < loan.approved_on:
        raise ValidationFailed(
            _("Le décaissement ne peut précéder l'approbation."), code=Code.DATE_ORDER, field="on"
        )
    rows = engine.build_schedule(loan_terms(loan, start=on))
    loan.status, loan.disbursed_on = LoanStatus.ACTIVE, on
    loan.disbursement_channel = channel
    loan.outstanding_principal = loan.principal
    loan.figures_as_of = on
    loan.save(
        update_fields=[
            "status",
            "disbursed_on",
            "disbursement_channel",
            "outstanding_principal",
            "figures_as_of",
        ]
    )
    instalments = _create_instalments(loan, rows)
    fee = sum(r.fee for r in rows)
    _event(loan, EventKind.DISBURSED, on, actor, net_amount=loan.principal - fee, fee=fee)
    if fee:
        fee_row = next(i for i in instalments if i.number == 0)
        repayment = Repayment.objects.create(
            loan=loan,
            cooperative_id=loan.cooperative_id,
            amount=fee,
            paid_on=on,
            channel=Channel.DEDUCTION,
            note=str(_("Frais retenus au décaissement")),
            recorded_by=actor,
        )
        Allocation.objects.create(
            repayment=repayment,
            instalment=fee_row,
            loan=loan,
            cooperative_id=loan.cooperative_id,
            component="fee",
            amount=fee,
            paid_on=on,
        )
        fee_row.fee_paid = fee
        fee_row.save(update_fields=["fee_paid"])
    books = _books_of(loan)
    if books is not None:
        postings.loan_disbursement(
            actor=actor,
            cooperative=books,
            principal=loan.principal,
            fees=fee,
            on=on,
            channel=channel,
            source_ref=str(loan.pk),
            label=_label(loan, "Décaissement"),
        )
    _touch(loan, books, on=on)
    refresh_loan_figures(loan, on)  # the fees withheld: due and collected that day
    return loan


# --- disbursement to the borrower's wallet (payments' payout purpose ``loan_disbursement``)

LIVE_PAYOUT = ("awaiting_approval", "approved", "processing")


def _no_live_payout(loan: Loan) -> None:
    payout = disbursement_payout(loan)
    if payout is not None and payout.status in LIVE_PAYOUT:
        raise Conflict(
            _("Un décaissement par mobile money de ce prêt est en cours."),
            code=Code.PAYOUT_PENDING,
        )


def disbursement_net(loan: Loan, on: date) -> int:
    """What reaches the borrower when the loan is disbursed on ``on``: the principal less
    the fees withheld at disbursement."""
    rows = engine.build_schedule(loan_terms(loan, start=on))
    return loan.principal - sum(r.fee for r in rows)


@service(atomic=False)
def loan_disburse_by_wallet(*, actor, loan: Loan, provider: str = "wave", phone: str = ""):
    """Disburse an approved loan to the borrower's mobile-money wallet: a payout (purpose
    ``loan_disbursement``, its key derived from the loan) of the net amount to ``phone``
    (by default the borrower's registered number). Up to the payments threshold it is sent
    at once; above, another of the lender's staff (or national staff) approves it. The loan
    **counts as disbursed when the operator confirms the payout** (``loan_disbursement_
    payout_settled``: schedule from that day, channel mobile money, books); until then it
    stays approved; a failure or a refusal leaves it approved (asked again: a new attempt).
    Asked again while a payout is live, that payout is answered."""
    from payments.services import payout_request, payout_send

    with transaction.atomic():
        loan = _lock(loan)
        _require_manager(actor, loan)
        _require_status(loan, LoanStatus.APPROVED)
        borrower = loan.borrower_person or loan.borrower_cooperative
        phone = phone or borrower.phone
        if not phone:
            raise ValidationFailed(
                _("L'emprunteur n'a pas de numéro de téléphone : indiquez-en un."),
                code=Code.REQUIRED,
                field="phone",
            )
        payout = payout_request(
            kind="disbursement",
            purpose=DISBURSEMENT_PURPOSE,
            target_id=loan.pk,
            provider=provider,
            amount=disbursement_net(loan, dates.today()),
            phone=phone,
            name=str(borrower)[:100],
            reason=str(_("Décaissement du prêt n° %(n)s") % {"n": loan.pk}),
            actor=actor,
        )
    if payout.status == "approved":
        payout = payout_send(payout=payout, actor=actor)
    return payout


@service(atomic=False)
def loan_disbursement_payout_approve(*, actor, loan: Loan, approve: bool = True):
    """The checker's decision on a disbursement payout above the threshold (another of the
    lender's staff or national staff, never the requester); approved, it is sent."""
    from payments.services import payout_approve, payout_send

    payout = disbursement_payout(loan)
    if payout is None or payout.status != "awaiting_approval":
        raise Conflict(_("Aucun versement à approuver."), code=Code.NOT_AWAITING)
    payout = payout_approve(payout=payout, actor=actor, approve=approve)
    return payout_send(payout=payout, actor=actor) if payout.status == "approved" else payout


@service
def loan_disbursement_payout_settled(*, payout, actor=None) -> Loan | None:
    """The payout is final: succeeded, the loan is disbursed that day on the channel mobile
    money (schedule, fees withheld, books), once; failed or refused, it stays approved."""
    loan = Loan.objects.filter(pk=payout.target_id).first()
    if loan is None or payout.status != "succeeded":
        return loan
    loan = _lock(loan)
    if loan.status != LoanStatus.APPROVED:
        return loan  # already disbursed (a second word on the same payout)
    return _disburse(
        loan, on=dates.today(), channel=Channel.MOBILE_MONEY, actor=payout.requested_by
    )


# --- repayments --------------------------------------------------------------------------

FIELDS = {
    "penalty": ("penalty_due", "penalty_paid"),
    "fee": ("fee_due", "fee_paid"),
    "interest": ("interest_due", "interest_paid"),
    "principal": ("principal_due", "principal_paid"),
}


def _open(inst: Instalment) -> Open:
    return Open(
        number=inst.number,
        due_on=inst.due_on,
        penalty=inst.penalty_due - inst.penalty_paid,
        fee=inst.fee_due - inst.fee_paid,
        interest=inst.interest_due - inst.interest_paid - inst.interest_waived,
        principal=inst.principal_due - inst.principal_paid,
    )


def _accrue_penalties(loan: Loan, instalments: list[Instalment], on: date, actor) -> int:
    """Penalties on late principal and interest, from the due date (or the last accrual) to
    ``on``, at the product's penalty rate a year (actual/365). Accrued when a payment is
    posted, so that the payment can settle them first. Nothing within the tolerance."""
    rate = Decimal(loan.terms.get("penalty_rate") or 0)
    if not rate:
        return 0
    late = [i for i in instalments if i.due_on < on]
    overdue = sum(
        i.principal_due - i.principal_paid + i.interest_due - i.interest_paid - i.interest_waived
        for i in late
    )
    if overdue <= int(loan.terms.get("arrears_tolerance") or 0):
        return 0
    total = 0
    for inst in late:
        unpaid = inst.principal_due - inst.principal_paid + inst.interest_due - inst.interest_paid
        start = max(inst.due_on, inst.penalty_accrued_to or inst.due_on)
        days = (on - start).days
        if unpaid <= 0 or days <= 0:
            continue
        amount = round_xof(Decimal(unpaid) * rate / 100 * days / 365)
        inst.penalty_accrued_to = on
        if amount:
            inst.penalty_due += amount
            total += amount
        inst.save(update_fields=["penalty_due", "penalty_accrued_to"])
    if total:
        _event(loan, EventKind.PENALTY, on, actor, amount=total)
    return total


def refresh_loan_figures(loan: Loan, as_of: date) -> Loan:
    """Recompute the loan's stored figures on ``as_of``: outstanding, arrears, days past due,
    and the period's due and collected since 1 January with the days they hold on
    (``credit.portfolio.period_window``), as the nightly job does for every loan."""
    f = figures_for(
        [(loan.pk, loan.principal, int(loan.terms.get("arrears_tolerance") or 0))],
        as_of,
        date(as_of.year, 1, 1),
    )[loan.pk]
    loan.outstanding_principal = f.outstanding_principal
    loan.arrears_amount = f.arrears_amount
    loan.days_past_due = f.days_past_due
    loan.figures_as_of = as_of
    loan.period_due, loan.period_collected = f.due_in_period, f.collected_in_period
    loan.period_as_of, loan.period_until = period_windows([loan.pk], as_of)[loan.pk]
    loan.save(update_fields=STORED_FIGURES)
    return loan


def loan_amount_payable(loan: Loan, on: date) -> int:
    """The most a payment on ``on`` may be (all that is due plus the remaining principal),
    penalties not yet accrued left out; 0 unless the loan is active."""
    if loan.status != LoanStatus.ACTIVE:
        return 0
    instalments = loan.instalments.filter(superseded=False).order_by("number")
    return capacity([_open(i) for i in instalments], on)


def request_hash(**fields) -> str:
    return hashlib.sha256(json.dumps(fields, sort_keys=True, default=str).encode()).hexdigest()


@service(
    texts=(Repayment, (IdempotencyRecord, {"idempotency_key": "key"})),
    event_dates=("paid_on",),
    amounts=("amount",),
)
def repayment_post(
    *,
    actor,
    loan: Loan,
    amount: int,
    paid_on: date,
    channel: str,
    reference: str = "",
    idempotency_key: str | None = None,
) -> Repayment:
    """Post a repayment, allocated in the product's order (credit/allocation.py).

    With ``idempotency_key``: the same key with the same request returns the first
    repayment without posting again; the same key with another request is 409
    ``idempotency_mismatch``. An amount above everything due plus the remaining principal is
    refused (409 ``overpayment``); the message gives the most that can be paid.
    """
    loan = _lock(loan)
    if not can_collect(actor, loan):
        raise Forbidden(_("Votre rôle ne permet pas d'enregistrer un remboursement."))
    digest = None
    if idempotency_key:
        digest = request_hash(
            loan=loan.pk, amount=amount, paid_on=paid_on, channel=channel, reference=reference
        )
        previous = IdempotencyRecord.objects.filter(user=actor, key=idempotency_key).first()
        if previous is not None:
            if previous.request_hash != digest:
                raise Conflict(
                    _("Cette clé d'idempotence a déjà servi pour une autre requête."),
                    code=Code.IDEMPOTENCY_MISMATCH,
                )
            return previous.repayment
    repayment = _repayment_record(
        loan=loan,
        amount=amount,
        paid_on=paid_on,
        channel=channel,
        reference=reference,
        actor=actor,
    )
    if idempotency_key:
        IdempotencyRecord.objects.create(
            user=actor, key=idempotency_key, request_hash=digest, repayment=repayment
        )
    return repayment


@service
def repayment_post_confirmed(
    *, loan: Loan, amount: int, paid_on: date, reference: str, actor
) -> Repayment:
    """A repayment whose money a mobile-money provider has confirmed (the payments app's
    ``loan_repayment`` purpose, credit/payment_purposes.py), on the channel mobile money.

    No role check on ``actor`` (the person who started the payment, who could see the
    loan): the money is in. Once per ``reference`` (the payment's): a second call returns
    the first repayment. The loan's rules still hold (active, no overpayment: 409)."""
    loan = _lock(loan)
    reference = str(reference)[:80]
    previous = Repayment.objects.filter(loan=loan, reference=reference, reverses=None).first()
    if reference and previous is not None:
        return previous
    return _repayment_record(
        loan=loan,
        amount=amount,
        paid_on=paid_on,
        channel=Channel.MOBILE_MONEY,
        reference=reference,
        actor=actor,
    )


def _allocations_apply(repayment: Repayment, instalments: list, lines) -> int:
    """Record the allocation of ``repayment`` to its instalments (``lines``), add it to
    what they have been paid, waive the interest not yet due when the principal is all
    repaid (settled early); returns the principal left."""
    loan, paid_on = repayment.loan, repayment.paid_on
    by_number = {i.number: i for i in instalments}
    touched = set()
    allocations = []
    for line in lines:
        inst = by_number[line.number]
        paid_field = FIELDS[line.component][1]
        setattr(inst, paid_field, getattr(inst, paid_field) + line.amount)
        touched.add(inst.number)
        allocations.append(
            Allocation(
                repayment=repayment,
                instalment=inst,
                loan=loan,
                cooperative_id=loan.cooperative_id,
                component=line.component,
                amount=line.amount,
                paid_on=paid_on,
            )
        )
    Allocation.objects.bulk_create(allocations)
    principal_left = sum(i.principal_due - i.principal_paid for i in instalments)
    if principal_left == 0:
        # settled early: the interest not yet due is waived
        for inst in instalments:
            if inst.due_on > paid_on:
                waive = inst.interest_due - inst.interest_paid - inst.interest_waived
                if waive:
                    inst.interest_waived += waive
                    touched.add(inst.number)
    Instalment.objects.bulk_update(
        [by_number[n] for n in touched],
        ["principal_paid", "interest_paid", "fee_paid", "penalty_paid", "interest_waived"],
    )
    return principal_left


def _repayment_book(loan: Loan, books, repayment: Repayment, lines, *, actor) -> None:
    """Post the repayment, split by component, in ``books`` (the books the loan is kept
    in: :func:`_books_of`)."""
    split = {"principal": 0, "interest": 0, "fee": 0, "penalty": 0}
    for line in lines:
        split[line.component] += line.amount
    postings.loan_repayment(
        actor=actor,
        cooperative=books,
        principal=split["principal"],
        interest=split["interest"],
        fees=split["fee"],
        penalties=split["penalty"],
        on=repayment.paid_on,
        channel=repayment.channel,
        source_ref=str(repayment.pk),
        label=_label(loan, "Remboursement"),
    )


def _repayment_record(
    *, loan: Loan, amount: int, paid_on: date, channel: str, reference: str, actor
) -> Repayment:
    """The repayment itself, on a loan already locked and an actor already checked."""
    _require_status(loan, LoanStatus.ACTIVE)
    if channel not in Channel.values or channel == Channel.DEDUCTION:
        raise ValidationFailed(_("Canal non reconnu."), code=Code.INVALID, field="channel")
    if int(amount) <= 0:
        raise ValidationFailed(
            _("Le montant doit être positif."), code=Code.OUT_OF_RANGE, field="amount"
        )
    amount = int(amount)
    if paid_on < loan.disbursed_on:
        raise ValidationFailed(
            _("Le paiement ne peut précéder le décaissement."),
            code=Code.DATE_ORDER,
            field="paid_on",
        )
    instalments = list(loan.instalments.filter(superseded=False).order_by("number"))
    _accrue_penalties(loan, instalments, paid_on, actor)
    opens = [_open(i) for i in instalments]
    most = capacity(opens, paid_on)
    if amount > most:
        raise Conflict(
            _(
                "Montant supérieur à ce qui reste dû (%(most)s au %(on)s) : le trop-perçu "
                "n'est pas accepté, encaissez au plus ce montant."
            )
            % {"most": format_xof(most), "on": paid_on.strftime("%d/%m/%Y")},
            code=Code.OVERPAYMENT,
            field="amount",
        )
    lines, _rest = allocate(opens, amount, paid_on, parse_order(loan.terms["allocation_order"]))
    repayment = Repayment.objects.create(
        loan=loan,
        cooperative_id=loan.cooperative_id,
        amount=amount,
        paid_on=paid_on,
        channel=channel,
        reference=reference,
        recorded_by=actor,
    )
    principal_left = _allocations_apply(repayment, instalments, lines)
    _event(
        loan,
        EventKind.REPAYMENT,
        paid_on,
        actor,
        repayment=repayment.pk,
        amount=amount,
        channel=channel,
    )
    if principal_left == 0 and all(_open(i).total == 0 for i in instalments):
        loan.status, loan.closed_on = LoanStatus.CLOSED, paid_on
        loan.save(update_fields=["status", "closed_on"])
        _event(loan, EventKind.CLOSED, paid_on, actor)
    books = _books_of(loan)
    if _in_books(loan, books):
        _repayment_book(loan, books, repayment, lines, actor=actor)
    _touch(loan, books, on=paid_on)
    refresh_loan_figures(loan, max(paid_on, loan.figures_as_of or paid_on))
    return repayment


@service(texts=((Repayment, {"reason": "note"}),), event_dates=("on",))
def repayment_reverse(*, actor, repayment: Repayment, on: date, reason: str) -> Repayment:
    """Cancel a repayment by a reversal (opposite amounts, same instalments, dated ``on``).
    The original stays; a reopened loan gets back the interest waived at settlement."""
    loan = _lock(repayment.loan)
    _require_manager(actor, loan)
    if repayment.reverses_id or repayment.amount < 0:
        raise Conflict(_("Une annulation ne s'annule pas."), code=Code.REVERSAL_OF_REVERSAL)
    if Repayment.objects.filter(reverses=repayment).exists():
        raise Conflict(_("Ce remboursement est déjà annulé."), code=Code.ALREADY_REVERSED)
    if repayment.channel == Channel.DEDUCTION:
        raise Conflict(
            _(
                "Les frais retenus au décaissement font partie du décaissement : ils ne "
                "s'annulent pas seuls."
            ),
            code=Code.DEDUCTION_NOT_REVERSIBLE,
        )
    if not (reason or "").strip():
        raise ValidationFailed(_("Indiquez le motif."), code=Code.REQUIRED, field="reason")
    if on < repayment.paid_on:
        raise ValidationFailed(
            _("L'annulation ne peut précéder le paiement."), code=Code.DATE_ORDER, field="on"
        )
    reversal = Repayment.objects.create(
        loan=loan,
        cooperative_id=loan.cooperative_id,
        amount=-repayment.amount,
        paid_on=on,
        channel=repayment.channel,
        reference=repayment.reference,
        reverses=repayment,
        note=reason.strip(),
        recorded_by=actor,
    )
    lines = list(repayment.lines.select_related("instalment"))
    instalments = {}
    for line in lines:
        inst = instalments.setdefault(line.instalment_id, line.instalment)
        paid_field = FIELDS[line.component][1]
        setattr(inst, paid_field, getattr(inst, paid_field) - line.amount)
    Allocation.objects.bulk_create(
        [
            Allocation(
                repayment=reversal,
                instalment_id=line.instalment_id,
                loan=loan,
                cooperative_id=loan.cooperative_id,
                component=line.component,
                amount=-line.amount,
                paid_on=on,
            )
            for line in lines
        ]
    )
    Instalment.objects.bulk_update(
        list(instalments.values()),
        ["principal_paid", "interest_paid", "fee_paid", "penalty_paid"],
    )
    if loan.status == LoanStatus.CLOSED:
        loan.instalments.filter(interest_waived__gt=0).update(interest_waived=0)
        loan.status, loan.closed_on = LoanStatus.ACTIVE, None
        loan.save(update_fields=["status", "closed_on"])
    _event(loan, EventKind.REVERSAL, on, actor, repayment=repayment.pk, reason=reason.strip())
    books = _books_of(loan)
    if books is not None:
        postings.loan_repayment_reversal(
            actor=actor,
            cooperative=books,
            repayment_ref=str(repayment.pk),
            on=on,
            source_ref=str(reversal.pk),
            label=_label(loan, "Annulation d'un remboursement"),
        )
    _touch(loan, books, on=repayment.paid_on)
    refresh_loan_figures(loan, max(on, loan.figures_as_of or on))
    return reversal


# --- reschedule and write-off (maker-checker) ------------------------------------------


@service(texts=(LoanChangeRequest,), event_dates=("on",))
def loan_change_request(
    *, actor, loan: Loan, kind: str, on: date, reason: str, params: dict | None = None
) -> LoanChangeRequest:
    """Ask for a reschedule (``params``: ``term_months``, optional ``annual_rate``,
    ``grace_periods``) or a write-off; another user approves it."""
    loan = _lock(loan)
    _require_manager(actor, loan)
    _require_status(loan, LoanStatus.ACTIVE)
    if kind not in ChangeKind.values:
        raise ValidationFailed(_("Nature non reconnue."), code=Code.INVALID, field="kind")
    if not (reason or "").strip():
        raise ValidationFailed(_("Indiquez le motif."), code=Code.REQUIRED, field="reason")
    if loan.change_requests.filter(status=ChangeStatus.PENDING).exists():
        raise Conflict(
            _("Une demande est déjà en attente pour ce prêt."), code=Code.PENDING_REQUEST
        )
    params = dict(params or {})
    if kind == ChangeKind.RESCHEDULE:
        try:
            term = int(params.get("term_months", 0))
        except (TypeError, ValueError):
            term = 0
        if not 1 <= term <= 120:
            raise ValidationFailed(
                _("La nouvelle durée va de 1 à 120 mois."),
                code=Code.OUT_OF_RANGE,
                field="term_months",
            )
        params = {
            "term_months": term,
            "annual_rate": str(
                _decimal(params.get("annual_rate", loan.terms["annual_rate"]), "annual_rate")
            ),
            "grace_periods": int(params.get("grace_periods", 0)),
        }
        check_usury(
            loan_terms(
                loan,
                principal=max(loan.outstanding_principal, 1),
                start=on,
                term_months=term,
                annual_rate=params["annual_rate"],
                grace_periods=params["grace_periods"],
                fee_rate="0",
                fee_fixed=0,
            ),
            lender=loan.lender,
            on=on,
        )
    req = LoanChangeRequest.objects.create(
        loan=loan,
        cooperative_id=loan.cooperative_id,
        kind=kind,
        on=on,
        params=params,
        reason=reason.strip(),
        requested_by=actor,
    )
    kind_event = (
        EventKind.RESCHEDULE_REQUESTED
        if kind == ChangeKind.RESCHEDULE
        else EventKind.WRITE_OFF_REQUESTED
    )
    _event(loan, kind_event, on, actor, request=req.pk, reason=req.reason)
    return req


@service
def loan_change_decide(*, actor, request: LoanChangeRequest, approve: bool) -> LoanChangeRequest:
    loan = _lock(request.loan)
    request = LoanChangeRequest.objects.select_for_update().get(pk=request.pk)
    _require_manager(actor, loan)
    if request.status != ChangeStatus.PENDING:
        raise Conflict(_("Cette demande est déjà tranchée."), code=Code.REQUEST_STATE)
    if request.requested_by_id == actor.pk:
        raise Conflict(
            _("La demande doit être approuvée par un autre utilisateur que celui qui l'a faite."),
            code=Code.MAKER_CHECKER,
        )
    request.decided_by, request.decided_at = actor, timezone.now()
    if not approve:
        request.status = ChangeStatus.REJECTED
        request.save(update_fields=["status", "decided_by", "decided_at"])
        _event(loan, EventKind.REQUEST_REJECTED, request.on, actor, request=request.pk)
        return request
    _require_status(loan, LoanStatus.ACTIVE)
    request.status = ChangeStatus.APPROVED
    request.save(update_fields=["status", "decided_by", "decided_at"])
    if request.kind == ChangeKind.WRITE_OFF:
        f = refresh_loan_figures(loan, request.on)
        loan.status, loan.closed_on = LoanStatus.WRITTEN_OFF, request.on
        loan.save(update_fields=["status", "closed_on"])
        books = _books_of(loan)
        if _in_books(loan, books):
            # the principal still owed in the books (every principal payment posted)
            owed = sum(
                i.principal_due - i.principal_paid
                for i in loan.instalments.filter(superseded=False)
            )
            postings.loan_write_off(
                actor=actor,
                cooperative=books,
                principal=owed,
                on=request.on,
                source_ref=str(request.pk),
                label=_label(loan, "Passage en perte par le prêteur"),
            )
        _event(
            loan,
            EventKind.WRITTEN_OFF,
            request.on,
            actor,
            request=request.pk,
            outstanding_principal=f.outstanding_principal,
        )
    else:
        _reschedule(loan, request, actor)
    _touch(loan)
    return request


def _reschedule(loan: Loan, request: LoanChangeRequest, actor) -> None:
    """Replace the unpaid instalments by a new schedule of the outstanding principal from
    ``request.on``; unpaid interest, fees and penalties already due are carried onto the
    first new instalment. Paid amounts stay where they were."""
    on = request.on
    instalments = list(loan.instalments.filter(superseded=False))
    principal_left = sum(i.principal_due - i.principal_paid for i in instalments)
    if principal_left <= 0:
        raise Conflict(_("Plus de capital à rééchelonner."), code=Code.LOAN_STATE)
    carried = {"interest": 0, "fee": 0, "penalty": 0}
    for inst in instalments:
        o = _open(inst)
        if o.total == 0:
            continue
        if inst.due_on <= on:
            carried["interest"] += o.interest
            carried["fee"] += o.fee
            carried["penalty"] += o.penalty
        inst.superseded = True
    Instalment.objects.bulk_update(instalments, ["superseded"])
    new_terms = {
        "term_months": request.params["term_months"],
        "annual_rate": request.params["annual_rate"],
        "grace_periods": request.params["grace_periods"],
        "fee_rate": "0",
        "fee_fixed": 0,
    }
    rows = [
        r
        for r in engine.build_schedule(
            loan_terms(loan, principal=principal_left, start=on, **new_terms)
        )
        if r.number > 0
    ]
    first_number = max(i.number for i in instalments)
    created = _create_instalments(loan, rows, first_number=first_number)
    first = created[0]
    first.interest_due += carried["interest"]
    first.fee_due += carried["fee"]
    first.penalty_due += carried["penalty"]
    first.save(update_fields=["interest_due", "fee_due", "penalty_due"])
    loan.terms = {**loan.terms, **new_terms}
    loan.save(update_fields=["terms"])
    _event(
        loan,
        EventKind.RESCHEDULED,
        on,
        actor,
        request=request.pk,
        principal=principal_left,
        carried=carried,
        **{k: v for k, v in new_terms.items() if k in ("term_months", "annual_rate")},
    )
    refresh_loan_figures(loan, max(on, loan.figures_as_of or on))


# --- recovery ----------------------------------------------------------------------------


@service(
    texts=(RecoveryAction,),
    event_dates=("on",),
    planned_dates=("promise_on", "follow_up_on"),
    amounts=("promise_amount",),
)
def recovery_action_record(
    *,
    actor,
    loan: Loan,
    kind: str,
    on: date,
    note: str = "",
    promise_amount: int | None = None,
    promise_on: date | None = None,
    follow_up_on: date | None = None,
) -> RecoveryAction:
    """Record a call, visit, letter, guarantor contact or mediation, with a promise to pay."""
    loan = Loan.objects.select_related("area").get(pk=loan.pk)
    if not can_collect(actor, loan):
        raise Forbidden(_("Votre rôle ne permet pas d'enregistrer une action de recouvrement."))
    from credit.models import ActionKind

    if kind not in ActionKind.values:
        raise ValidationFailed(_("Action non reconnue."), code=Code.INVALID, field="kind")
    if (promise_amount is None) != (promise_on is None):
        raise ValidationFailed(
            _("Une promesse de paiement a un montant et une date."),
            code=Code.PROMISE,
            field="promise_on" if promise_on is None else "promise_amount",
        )
    if promise_amount is not None and promise_amount <= 0:
        raise ValidationFailed(
            _("Le montant promis doit être positif."),
            code=Code.OUT_OF_RANGE,
            field="promise_amount",
        )
    if promise_on is not None and promise_on < on:
        raise ValidationFailed(
            _("La promesse porte sur une date à venir."), code=Code.DATE_ORDER, field="promise_on"
        )
    if follow_up_on is None and promise_on is not None:
        follow_up_on = promise_on
    return RecoveryAction.objects.create(
        loan=loan,
        cooperative_id=loan.cooperative_id,
        kind=kind,
        on=on,
        note=(note or "").strip(),
        promise_amount=promise_amount,
        promise_on=promise_on,
        follow_up_on=follow_up_on,
        actor=actor,
    )


# --- person merge (registry.merge_hooks) -------------------------------------------------


@service
def loans_merge_person(*, keep, duplicate, actor, reason: str) -> None:
    """The duplicate's loans (as borrower) become ``keep``'s (hook of
    :func:`registry.services.person_merge`): amounts, schedules and payments are unchanged;
    each loan's history records the change of borrower."""
    for loan in Loan.objects.select_for_update(of=("self",)).filter(borrower_person=duplicate):
        loan.borrower_person = keep
        loan._change_reason = reason
        loan.save(update_fields=["borrower_person"])


def loan_cooperative_communes(cooperative_ids: list[int]) -> list[int]:
    """The communes where the loans going through these cooperatives are counted
    (``Loan.area``), grouped by the cooperative's sector (registry.cooperative_hooks)."""
    return list(
        Loan.objects.filter(cooperative_id__in=cooperative_ids)
        .exclude(area=None)
        .values_list("area_id", flat=True)
        .distinct()
        .order_by()
    )


def loan_communes(person_ids: list[int]) -> list[int]:
    """The communes where these persons' loans are counted (``Loan.area``)."""
    return list(
        Loan.objects.filter(borrower_person_id__in=person_ids).values_list("area_id", flat=True)
    )
