"""Payments-by-phone part of the demo, paid for real over HTTP through an in-process Wave
sandbox (the one ``make demo`` starts beside the app is not running yet): three instalments
paid and applied (the status call confirming them, as for a lost webhook), one payment
still pending, one paid with another amount (flagged for review, nothing posted), the
day's statement fetched from the sandbox's Balance API and reconciled (the flagged line in
suspense, to be matched or refunded by hand), and a payout above the approval threshold
waiting for a second national user (``controleur``). Idempotent: payments existing,
nothing is added."""

from __future__ import annotations

import json
import time

from django.test import override_settings

from accounts.models import User
from accounts.services import role_assign
from core import dates
from credit.models import Loan
from payments import purposes, services
from payments.models import PaymentIntent
from payments.providers.wave import sign
from registry.models import Cooperative

TISSERANDS = "Coopérative des tisserands de Koumpentoum"
DEMO_SECRET = "demo-wave-secret"  # noqa: S105 - demo only (the Makefile's)


def _loans(coop) -> list[tuple[Loan, int]]:
    handler = purposes.get("loan_repayment")
    found = []
    for loan in Loan.objects.filter(borrower_cooperative=coop).order_by("pk"):
        due = handler.target_get(target_id=loan.pk).amount_due
        if due >= 40_000:
            found.append((loan, due))
    return found


def _pay(sandbox, intent, *, amount: int | None = None) -> str:
    """The payer approves on the sandbox; its signed webhook is handed to the app's own
    webhook service (the app is not serving yet)."""
    sandbox.complete(intent.provider_session_id, mobile=intent.phone, amount=amount)
    body = json.dumps(sandbox.sent[-1]).encode()
    now = int(time.time())
    headers = {"Wave-Signature": sign(DEMO_SECRET, body, now)}
    return services.webhook_receive(provider="wave", headers=headers, body=body, now=now)


def load_payments(*, actor, ensure_user) -> list[str]:
    if PaymentIntent.objects.filter(purpose="loan_repayment").exists():
        return ["paiements : déjà chargés"]
    coop = Cooperative.objects.filter(name=TISSERANDS).first()
    officer = User.objects.filter(username="officer").first()
    loans = _loans(coop) if coop else []
    if not loans or officer is None:
        return ["paiements : aucun prêt à rembourser"]
    from sandboxes.server import load, start

    config = {"WAVE_API_KEY": "demo-wave-key", "WAVE_WEBHOOK_SECRET": DEMO_SECRET}
    running = start(load("wave", config))
    running.sandbox.webhooks_on = False
    try:
        demo_settings = running.sandbox.settings_for(running.url)
        with override_settings(**demo_settings, WAVE_WEBHOOK_SECRETS_PREVIOUS=[]):
            report = _load(running.sandbox, loans[0][0], coop, officer, actor)
    finally:
        running.stop()
    checker = ensure_user("controleur", "Khady", "Sarr")
    role_assign(user=checker, role="national", actor=actor)
    return report


def _load(sandbox, loan, coop, officer, actor) -> list[str]:
    def begin(amount: int, phone: str):
        return services.payment_start(
            purpose="loan_repayment",
            target_id=loan.pk,
            amount=amount,
            phone=phone,
            provider="wave",
            actor=officer,
        )

    paid = [_pay(sandbox, begin(a, p)) for a, p in ((5_000, "771110001"), (7_500, "771110002"))]
    paid.append(_pay(sandbox, begin(10_000, "771110003")))
    begin(4_000, "771110004")  # the payer has not approved yet: pending
    _pay(sandbox, begin(6_000, "771110005"), amount=6_500)  # flagged: amount differs
    stmt = services.statement_fetch(
        provider="wave", on=dates.today(), actor=actor, cooperative=coop
    )
    services.payout_request(
        kind="settlement",
        provider="wave",
        amount=150_000,
        phone="775550123",
        name="Fatou Diop",
        reason="Dépôt-vente : tissages vendus en novembre",
        actor=actor,
        cooperative=coop,
    )
    return [
        f"paiements mobiles : {paid.count('applied')} imputés, 1 en attente, 1 à vérifier",
        f"relevé Wave rapproché : {stmt.lines_new} lignes ; 1 versement à approuver",
    ]
