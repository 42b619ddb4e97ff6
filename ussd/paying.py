"""Pay my instalment, from the USSD menu: the amount (the arrears when there are, else the
next instalment), a provider, a confirmation; then a ``loan_repayment`` payment is started
through ``payments.services.payment_start`` with the member's login as actor, and the
provider's link goes to the member by SMS (kind ``ussd_payment_link``). The money counts
only when the provider confirms it (docs/payments.md)."""

from __future__ import annotations

import contextlib

from core.errors import DomainError
from messaging.backends import SmsSendError
from messaging.rendering import render, template_texts
from messaging.services import sms_send
from payments.providers import provider_codes
from payments.services import payment_start
from ussd import selectors
from ussd.screens import fit, money, say

LABELS = {"wave": "Wave", "orange_money": "Orange Money"}


def pay(walk) -> str:
    due = selectors.next_due(actor=walk.actor)
    if due is None:
        return walk.end("no_loan")
    amount = due.arrears if due.arrears > 0 else due.amount
    providers = [code for code in provider_codes() if code in LABELS][:5]
    if not providers:
        return walk.end("no_provider")
    choice = walk.next_input()
    if choice is None:
        lines = [say(walk.language, "pay_choose", amount=money(amount), loan=due.loan_id)]
        lines += [f"{i}. {LABELS[code]}" for i, code in enumerate(providers, start=1)]
        return fit("CON", "\n".join(lines))
    if not choice.isdigit() or not 1 <= int(choice) <= len(providers):
        return walk.end("invalid_choice")
    provider = providers[int(choice) - 1]
    confirm = walk.next_input()
    if confirm is None:
        return walk.con("pay_confirm", amount=money(amount), provider=LABELS[provider])
    if confirm != "1":
        return walk.end("pay_cancelled")
    try:
        intent = payment_start(
            purpose="loan_repayment",
            target_id=due.loan_id,
            amount=amount,
            phone=walk.phone,
            provider=provider,
            actor=walk.actor,
        )
    except DomainError:
        return walk.end("pay_failed")
    _send_link(walk, intent, amount, LABELS[provider])
    return walk.end("pay_started", reference=intent.reference)


def _send_link(walk, intent, amount: int, provider: str) -> None:
    texts = template_texts("ussd_payment_link")
    template = texts.get(walk.language) or texts["fr"]
    text = render(
        template,
        {
            "amount": money(amount),
            "provider": provider,
            "url": intent.checkout_url,
            "reference": intent.reference,
        },
    )
    # a gateway failure is logged as failed by messaging; the member can ask again
    with contextlib.suppress(SmsSendError):
        sms_send(
            kind="ussd_payment_link",
            phone=walk.phone,
            text=text,
            cooperative_id=intent.cooperative_id,
            actor=walk.actor,
        )
