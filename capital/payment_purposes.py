"""The ``share_payment`` purpose of the payments app (registered in CapitalConfig.ready).

Target: an approved payment (or subscription) operation on shares that the actor may
see; its amount is what is to be paid, in one go. On success the operation is carried
out on the channel mobile money (posted in the cooperative's MM journal)."""

from __future__ import annotations

from django.utils.translation import gettext as _

from capital.errors import Code
from capital.models import OperationKind, OperationStatus, ShareOperation
from capital.selectors import share_operation_get
from capital.services import share_operation_execute_paid
from core.errors import Conflict
from payments.purposes import Target


def _target(op: ShareOperation) -> Target:
    payable = (
        op.status == OperationStatus.APPROVED
        and op.kind in (OperationKind.PAYMENT, OperationKind.SUBSCRIPTION)
        and op.amount > 0
    )
    return Target(
        id=op.pk,
        label=_("Parts sociales — %(person)s (%(coop)s)")
        % {"person": op.person, "coop": op.cooperative},
        amount_due=op.amount if payable else 0,
        cooperative_id=op.cooperative_id,
        area_id=op.cooperative.commune_id,
        person_id=op.person_id,
    )


class SharePaymentPurpose:
    code = "share_payment"

    def target_for(self, *, target_id: int, actor) -> Target:
        return _target(share_operation_get(actor=actor, pk=target_id))

    def target_get(self, *, target_id: int) -> Target:
        ops = ShareOperation.objects.select_related("person", "cooperative")
        return _target(ops.get(pk=target_id))

    def on_succeeded(self, *, intent) -> str:
        op = ShareOperation.objects.get(pk=intent.target_id)
        if intent.amount != op.amount:
            raise Conflict(
                _("Le montant payé diffère de celui de l'opération."), code=Code.AMOUNT_DIFFERS
            )
        op = share_operation_execute_paid(operation=op, actor=intent.created_by)
        return f"share_operation:{op.pk}"
