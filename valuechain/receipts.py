"""The receipt of a shop sale by SMS (issue 17, point 5): the message kind ``sale_receipt``
(registered in ValueChainConfig.ready; its French text editable and its Wolof text written
in messaging's template editor) and its sending, after the sale's transaction commits, in
the buyer's language. A gateway failure is logged by messaging and never undoes a sale."""

from __future__ import annotations

import contextlib

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.errors import ValidationFailed
from core.money import format_xof
from messaging.backends import SmsSendError
from messaging.kinds import register_kind
from messaging.rendering import render, template_texts
from messaging.selectors import recipient_language
from messaging.services import sms_send
from registry.cleaners import normalize_phone

KIND = "sale_receipt"
TEXT_FR = (
    "{shop} : ticket n° {number} du {date}, {items}. Total {total} ({paid}). Lots : {lots}. Merci !"
)
PLACEHOLDERS = frozenset({"shop", "number", "date", "items", "total", "paid", "lots"})


def register_message_kind() -> None:
    register_kind(
        KIND,
        label=_("Ticket de caisse d'une boutique témoin"),
        placeholders=PLACEHOLDERS,
        default_fr=TEXT_FR,
        example={
            "shop": "Boutique témoin de Mbour",
            "number": 42,
            "date": "06/12/2026 10:15",
            "items": "2 × Farine de mil",
            "total": format_xof(1200),
            "paid": "espèces",
            "lots": "L260000123",
        },
    )


def receipt_values(sale) -> dict:
    lines = list(sale.lines.select_related("lot__product").order_by("id"))
    channels = {p.channel for p in sale.payments.all()}
    paid = ", ".join(
        str(label)
        for code, label in (("cash", _("espèces")), ("mobile_money", _("mobile money")))
        if code in channels
    )
    return {
        "shop": sale.site.name,
        "number": sale.receipt_number,
        "date": timezone.localtime(sale.sold_at).strftime("%d/%m/%Y %H:%M"),
        "items": ", ".join(f"{ln.quantity} × {ln.lot.product.name}" for ln in lines),
        "total": format_xof(sale.total),
        "paid": paid,
        "lots": " ".join(dict.fromkeys(ln.lot.code for ln in lines)),
    }


def receipt_send(*, sale, phone: str = "", actor=None):
    """Send the sale's receipt to the buyer's phone, after the sale (a number the till
    did not check: an invalid one sends nothing). The SMS log, or None when there is no
    valid number or the gateway failed (then logged as failed by messaging)."""
    try:
        phone = normalize_phone(phone or sale.buyer_phone or "")
    except ValidationFailed:
        return None
    return _send(sale, phone, actor) if phone else None


def receipt_resend(*, actor, sale, phone: str):
    """The sale's receipt sent again, to ``phone`` typed at the till (the shop's operator
    only: 403; an invalid or missing number: 400 ``invalid_phone``/``required``)."""
    from valuechain.errors import Code
    from valuechain.rules import can_operate, require

    require(can_operate(actor, sale.site))
    phone = normalize_phone(str(phone or "")[:40])
    if not phone:
        raise ValidationFailed(
            _("Indiquez le numéro du client."), code=Code.REQUIRED, field="phone"
        )
    return _send(sale, phone, actor)


def _send(sale, phone: str, actor):
    texts = template_texts(KIND)
    text = render(texts.get(recipient_language(phone)) or texts["fr"], receipt_values(sale))
    with contextlib.suppress(SmsSendError):
        return sms_send(
            kind=KIND, phone=phone, text=text, cooperative_id=sale.cooperative_id, actor=actor
        )
    return None
