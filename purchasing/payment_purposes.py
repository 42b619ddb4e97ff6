"""The ``purchase_invoice`` purpose of the payments app (registered in
PurchasingConfig.ready): a cooperative's invoice paid by mobile money, in one go."""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext as _

from core import dates
from core.errors import Conflict
from payments.purposes import Target
from purchasing.errors import Code
from purchasing.models import Invoice, InvoiceStatus
from purchasing.selectors import invoice_get
from purchasing.services import invoice_pay_confirmed


def _target(invoice: Invoice) -> Target:
    return Target(
        id=invoice.pk,
        label=_("Facture %(n)s — %(coop)s") % {"n": invoice, "coop": invoice.cooperative},
        amount_due=invoice.amount if invoice.status == InvoiceStatus.ISSUED else 0,
        cooperative_id=invoice.cooperative_id,
        area_id=invoice.cooperative.commune_id,
        person_id=None,
    )


class InvoicePurpose:
    code = "purchase_invoice"

    def target_for(self, *, target_id: int, actor) -> Target:
        return _target(invoice_get(actor=actor, pk=target_id))

    def target_get(self, *, target_id: int) -> Target:
        return _target(Invoice.objects.select_related("cooperative").get(pk=target_id))

    def on_succeeded(self, *, intent) -> str:
        invoice = Invoice.objects.get(pk=intent.target_id)
        if intent.amount != invoice.amount:
            raise Conflict(
                _("Le montant payé diffère de celui de la facture."), code=Code.AMOUNT_DIFFERS
            )
        paid_at = getattr(intent, "paid_at", None)
        on = timezone.localdate(paid_at) if paid_at else dates.today()
        invoice_pay_confirmed(
            actor=intent.created_by,
            invoice=invoice,
            on=on,
            reference=str(getattr(intent, "reference", ""))[:80],
        )
        return f"invoice:{invoice.pk}"
