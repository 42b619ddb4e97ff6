"""Every write on share capital: statutes and share operations (requests)."""

from __future__ import annotations

import functools
import math
from datetime import date

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from capital.errors import Code
from capital.models import (
    Fraction,
    OperationKind,
    OperationStatus,
    PaymentChannel,
    ShareMovement,
    ShareOperation,
    Statutes,
)
from capital.rules import require_manage
from capital.selectors import holding_of, statutes_for
from core.dates import check_event_date_given
from core.errors import Conflict, ValidationFailed
from core.money import format_xof
from core.services import model_update, service
from ledger import postings
from registry.models import Cooperative, LegalForm, Person
from registry.selectors import is_active_member

STATUTE_FIELDS = {
    "share_value",
    "max_proxies_per_holder",
    "fiscal_year_end_month",
    "ordinary_quorum_first",
    "ordinary_quorum_second",
    "ordinary_majority",
    "extraordinary_quorum_first",
    "extraordinary_quorum_second",
    "extraordinary_majority",
}
MAJORITIES = {Fraction.HALF, Fraction.TWO_THIRDS, Fraction.THREE_QUARTERS}


@service(texts=(Statutes,))
def statutes_update(*, cooperative: Cooperative, actor, **values) -> Statutes:
    """Record the cooperative's statutory choices (any subset of the fields)."""
    require_manage(actor, cooperative)
    statutes = statutes_for(cooperative)
    model_update(
        statutes,
        values,
        allowed=STATUTE_FIELDS,
        cleaners={name: functools.partial(_statute_value, statutes, name) for name in values},
        message=_("Paramètre inconnu : %(fields)s"),
        code="invalid",
    )
    statutes.save()
    return statutes


def _statute_value(statutes: Statutes, name: str, value):
    """A statutory choice within the law's bounds (a par value of 1 F CFA at least, a
    fiscal year ending in a month, quorums and majorities among the fractions); ``None``
    keeps the recorded choice."""
    if value is None:
        return getattr(statutes, name)
    if name == "share_value" and int(value) < 1:
        raise ValidationFailed(
            _("La valeur nominale doit être d'au moins 1 F CFA."),
            code=Code.SHARE_VALUE_INVALID,
            field=name,
        )
    if name == "max_proxies_per_holder" and int(value) < 0:
        raise ValidationFailed(_("Valeur invalide."), field=name)
    if name == "fiscal_year_end_month" and not 1 <= int(value) <= 12:
        raise ValidationFailed(_("Le mois de clôture doit être compris entre 1 et 12."), field=name)
    if "quorum" in name and value not in Fraction.values:
        raise ValidationFailed(_("Fraction invalide."), code=Code.FRACTION_INVALID, field=name)
    if name.endswith("majority") and value not in MAJORITIES:
        raise ValidationFailed(
            _("La majorité doit être 1/2, 2/3 ou 3/4."), code=Code.FRACTION_INVALID, field=name
        )
    return value


def _require_member(cooperative, person, *, field="person", code="not_member"):
    if not is_active_member(cooperative, person):
        raise Conflict(
            _("%(p)s n'est pas membre actif de la coopérative.") % {"p": person},
            code=code,
            field=field,
        )


def _check_rules(op: ShareOperation, *, today: date | None) -> None:
    """The rules an operation must obey, checked on request and again when done."""
    check_event_date_given(op.effective_on, today=today, field="effective_on")
    check = RULES_BY_KIND.get(op.kind)
    if check is None:
        raise ValidationFailed(_("Type d'opération inconnu."), field="kind")
    check(op, op.cooperative, holding_of(op.cooperative, op.person))


def _check_subscription(op: ShareOperation, coop: Cooperative, holding) -> None:
    """A member subscribes shares, paying at least a quarter of them in a COOP-CA."""
    _require_member(coop, op.person)
    if op.shares < 1:
        raise ValidationFailed(
            _("Indiquez au moins une part."), code=Code.SHARES_REQUIRED, field="shares"
        )
    if op.amount > op.nominal:
        raise ValidationFailed(
            _("Le versement dépasse le montant souscrit."),
            code=Code.PAYMENT_EXCEEDS_DUE,
            field="amount",
        )
    if coop.legal_form == LegalForm.COOP_CA:
        minimum = math.ceil(op.nominal / 4)
        if op.amount < minimum:
            raise ValidationFailed(
                _(
                    "Dans une COOP-CA, au moins le quart des parts est libéré à la "
                    "souscription : %(min)s au minimum."
                )
                % {"min": format_xof(minimum)},
                code=Code.COOPCA_QUARTER_UNPAID,
                field="amount",
            )


def _check_payment(op: ShareOperation, coop: Cooperative, holding) -> None:
    """A payment on subscribed shares, within what remains unpaid."""
    if op.amount < 1:
        raise ValidationFailed(
            _("Indiquez le montant versé."), code=Code.AMOUNT_REQUIRED, field="amount"
        )
    if op.amount > holding.unpaid:
        raise ValidationFailed(
            _("Le versement dépasse le capital restant à libérer (%(due)s).")
            % {"due": format_xof(holding.unpaid)},
            code=Code.PAYMENT_EXCEEDS_DUE,
            field="amount",
        )


def _check_transfer(op: ShareOperation, coop: Cooperative, holding) -> None:
    """Fully paid shares pass to another member."""
    if op.to_person is None:
        raise ValidationFailed(
            _("Indiquez le cessionnaire."), code=Code.REQUIRED, field="to_person"
        )
    if op.to_person_id == op.person_id:
        raise ValidationFailed(
            _("Le cédant et le cessionnaire doivent être différents."),
            code=Code.TRANSFER_SAME_PERSON,
            field="to_person",
        )
    _require_member(coop, op.to_person, field="to_person", code="transfer_not_member")
    if op.shares < 1:
        raise ValidationFailed(
            _("Indiquez au moins une part."), code=Code.SHARES_REQUIRED, field="shares"
        )
    if op.shares > holding.shares:
        raise Conflict(
            _("Le cédant ne détient que %(n)s part(s).") % {"n": holding.shares},
            code=Code.NOT_ENOUGH_SHARES,
            field="shares",
        )
    if op.nominal > holding.paid:
        raise Conflict(
            _("Seules des parts entièrement libérées peuvent être cédées."),
            code=Code.TRANSFER_UNPAID,
            field="shares",
        )


def _check_refund(op: ShareOperation, coop: Cooperative, holding) -> None:
    """A leaving member is refunded, within the capital paid up."""
    if is_active_member(coop, op.person):
        raise Conflict(
            _("Le remboursement des parts n'a lieu qu'à la sortie du membre."),
            code=Code.REFUND_MEMBER_ACTIVE,
            field="person",
        )
    if holding.shares < 1:
        raise Conflict(
            _("Ce membre ne détient aucune part."), code=Code.NOT_ENOUGH_SHARES, field="person"
        )
    if op.amount > holding.paid:
        raise ValidationFailed(
            _("Le remboursement dépasse le capital libéré (%(paid)s).")
            % {"paid": format_xof(holding.paid)},
            code=Code.REFUND_EXCEEDS_PAID,
            field="amount",
        )


RULES_BY_KIND = {
    OperationKind.SUBSCRIPTION: _check_subscription,
    OperationKind.PAYMENT: _check_payment,
    OperationKind.TRANSFER: _check_transfer,
    OperationKind.REFUND: _check_refund,
}


@service(texts=(ShareOperation,), event_dates=("effective_on",), amounts=("amount",))
def share_operation_request(
    *,
    cooperative: Cooperative,
    kind: str,
    person: Person,
    effective_on: date,
    actor,
    shares: int = 0,
    amount: int | None = None,
    to_person: Person | None = None,
    note: str = "",
    channel: str = PaymentChannel.CASH,
    today: date | None = None,
) -> ShareOperation:
    """Create a share operation request (state: draft).

    ``channel`` (cash, bank, mobile_money): how the money paid or refunded moves; it picks
    the journal of the cooperative's books the operation is posted in when carried out.

    - subscription: ``shares`` at the statutes' nominal value, ``amount`` paid at once;
    - payment: ``amount`` paid on subscribed capital;
    - transfer: ``shares`` (fully paid) to ``to_person``, an active member;
    - refund: on exit, all the shares; ``amount`` returned (default: the paid capital).
    """
    require_manage(actor, cooperative)
    if kind not in OperationKind.values:
        raise ValidationFailed(_("Type d'opération inconnu."), field="kind")
    for name, value in (("shares", shares), ("amount", amount)):
        if value is not None and (not isinstance(value, int) or isinstance(value, bool)):
            raise ValidationFailed(_("Nombre entier attendu."), code=Code.NOT_INTEGER, field=name)
        if value is not None and value < 0:
            raise ValidationFailed(_("Valeur négative interdite."), code=Code.NEGATIVE, field=name)
    if channel not in PaymentChannel.values:
        raise ValidationFailed(
            _("Moyen de paiement inconnu."), code=Code.UNKNOWN_CHANNEL, field="channel"
        )
    statutes = statutes_for(cooperative)
    if kind == OperationKind.REFUND:
        holding = holding_of(cooperative, person)
        shares = holding.shares
        if amount is None:
            amount = holding.paid
    op = ShareOperation(
        cooperative=cooperative,
        kind=kind,
        person=person,
        to_person=to_person if kind == OperationKind.TRANSFER else None,
        shares=shares if kind != OperationKind.PAYMENT else 0,
        share_value=statutes.share_value,
        amount=amount or 0,
        effective_on=effective_on,
        channel=channel,
        note=note or "",
        requested_by=actor if getattr(actor, "pk", None) else None,
    )
    _check_rules(op, today=today)
    op.save()
    return op


def _locked(op: ShareOperation) -> ShareOperation:
    # Lock the cooperative row so that two decisions on its capital never interleave.
    Cooperative.objects.select_for_update().filter(pk=op.cooperative_id).first()
    return ShareOperation.objects.select_for_update().get(pk=op.pk)


@service
def share_operation_approve(*, operation: ShareOperation, actor, today=None) -> ShareOperation:
    """Approve a request: the management body's consent (for a transfer, the statutes')."""
    require_manage(actor, operation.cooperative)
    op = _locked(operation)
    if op.status != OperationStatus.DRAFT:
        raise Conflict(_("Seule une demande en attente peut être approuvée."), code=Code.NOT_DRAFT)
    _check_rules(op, today=today)
    op.status = OperationStatus.APPROVED
    op.decided_by = actor
    op.decided_at = timezone.now()
    op.save()
    return op


@service(texts=((ShareOperation, {"reason": "refusal_reason"}),))
def share_operation_refuse(*, operation: ShareOperation, reason: str, actor) -> ShareOperation:
    require_manage(actor, operation.cooperative)
    op = _locked(operation)
    if op.status not in (OperationStatus.DRAFT, OperationStatus.APPROVED):
        raise Conflict(_("Cette opération est déjà close."), code=Code.ALREADY_CLOSED)
    if not (reason or "").strip():
        raise ValidationFailed(
            _("Indiquez le motif du refus."), code=Code.REQUIRED, field="refusal_reason"
        )
    op.status = OperationStatus.REFUSED
    op.refusal_reason = reason.strip()[:255]
    op.decided_by = actor
    op.decided_at = timezone.now()
    op.save()
    return op


@service
def share_operation_execute(*, operation: ShareOperation, actor, today=None) -> ShareOperation:
    """Carry out an approved operation: write its append-only movements (state: done) and
    post its entry in the cooperative's books, in the same transaction (docs/ledger.md):
    a period locked in the books refuses the operation (409 ``period_locked``), nothing
    is written."""
    require_manage(actor, operation.cooperative)
    return _execute(_locked(operation), actor=actor, today=today)


@service
def share_operation_execute_paid(*, operation: ShareOperation, actor, today=None):
    """Carry out an approved payment (or subscription) whose money a mobile-money
    provider has confirmed (the payments app's ``share_payment`` purpose): on the channel
    mobile money, without a role check on ``actor`` (who started the payment and could
    see the operation): the money is in. Once: an operation already done is returned."""
    op = _locked(operation)
    if op.status == OperationStatus.DONE and op.channel == PaymentChannel.MOBILE_MONEY:
        return op
    op.channel = PaymentChannel.MOBILE_MONEY
    return _execute(op, actor=actor, today=today)


def _execute(op: ShareOperation, *, actor, today) -> ShareOperation:
    if op.status != OperationStatus.APPROVED:
        raise Conflict(
            _("Seule une opération approuvée peut être réalisée."), code=Code.NOT_APPROVED
        )
    _check_rules(op, today=today)
    coop, on = op.cooperative, op.effective_on

    def move(person, shares, subscribed, paid):
        ShareMovement.objects.create(
            cooperative=coop,
            person=person,
            operation=op,
            on=on,
            shares=shares,
            subscribed=subscribed,
            paid=paid,
        )

    holding = None
    if op.kind == OperationKind.SUBSCRIPTION:
        move(op.person, op.shares, op.nominal, op.amount)
    elif op.kind == OperationKind.PAYMENT:
        move(op.person, 0, 0, op.amount)
    elif op.kind == OperationKind.TRANSFER:
        move(op.person, -op.shares, -op.nominal, -op.nominal)
        move(op.to_person, op.shares, op.nominal, op.nominal)
    elif op.kind == OperationKind.REFUND:
        holding = holding_of(coop, op.person)
        move(op.person, -holding.shares, -holding.subscribed, -holding.paid)
    _post_operation(op, actor=actor, holding=holding)
    op.status = OperationStatus.DONE
    op.done_at = timezone.now()
    op.save()
    return op


def _post_operation(op: ShareOperation, *, actor, holding) -> None:
    """The operation's entries in the cooperative's books (ledger/postings.py), referenced by
    the operation's id so that they are posted once. ``holding``: the member's holding
    before a refund."""
    common = {"actor": actor, "cooperative": op.cooperative, "on": op.effective_on}
    ref = str(op.pk)
    if op.kind == OperationKind.SUBSCRIPTION:
        postings.share_subscription(
            **common, person_id=op.person_id, amount=op.nominal, source_ref=ref
        )
    if op.kind in (OperationKind.SUBSCRIPTION, OperationKind.PAYMENT) and op.amount:
        # What is paid at subscription, or later: its own entry in the treasury's journal.
        postings.share_payment(
            **common,
            person_id=op.person_id,
            amount=op.amount,
            channel=op.channel,
            source_ref=ref,
        )
    elif op.kind == OperationKind.TRANSFER:
        postings.share_transfer(
            **common,
            from_person_id=op.person_id,
            to_person_id=op.to_person_id,
            amount=op.nominal,
            source_ref=ref,
        )
    elif op.kind == OperationKind.REFUND:
        postings.share_refund(
            **common,
            person_id=op.person_id,
            paid_up=holding.paid,
            amount=op.amount,
            unpaid=holding.subscribed - holding.paid,
            channel=op.channel,
            source_ref=ref,
        )


# --- person merge (registry.merge_hooks) -------------------------------------------------

PENDING = (OperationStatus.DRAFT, OperationStatus.APPROVED)


@service
def shares_merge_person(*, keep, duplicate, actor, reason: str) -> None:
    """The duplicate's share operations and movements become ``keep``'s (hook of
    :func:`registry.services.person_merge`). Both holding shares in one cooperative: the
    register sums the movements, so the two accounts become one holding (amounts never
    change). A transfer between the two records still pending would become a transfer to
    oneself: refused (409 ``merge_pending_transfer``), nothing written."""
    pair = [keep.pk, duplicate.pk]
    if ShareOperation.objects.filter(
        status__in=PENDING, person_id__in=pair, to_person_id__in=pair
    ).exists():
        raise Conflict(
            _(
                "Une cession de parts entre ces deux fiches est en cours : refusez-la ou "
                "réalisez-la avant de fusionner."
            ),
            code=Code.MERGE_PENDING_TRANSFER,
        )
    for field in ("person", "to_person"):
        for op in ShareOperation.objects.select_for_update().filter(**{field: duplicate}):
            setattr(op, field, keep)
            op._change_reason = reason
            op.save(update_fields=[field])
    # append-only movements: only their holder's identity changes, never an amount
    ShareMovement.objects.filter(person=duplicate).update(person=keep)
