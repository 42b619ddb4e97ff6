"""Demo SMS templates (French and Wolof) and a member with a USSD PIN (idempotent)."""

from __future__ import annotations

from credit.models import Loan, LoanStatus
from messaging.services import template_save
from registry.services import person_update
from ussd.models import UssdPin
from ussd.services import ussd_pin_set

DEMO_USSD_PIN = "2468"  # demo only, printed by make demo
DEMO_USSD_PHONE = "+221770002468"

# Written for the demo; to be checked by a Wolof speaker before any real use.
WOLOF = {
    "loan_reminder_before": (
        "SunuCoop: sa fay n° {number} ci bor n° {loan} ({amount}) mu ngi ñëw ci {due_on}. {lender}."
    ),
    "loan_reminder_late": (
        "SunuCoop: sa fay n° {number} ci bor n° {loan} ({amount}) fayuñu ko ba tey, "
        "mu jotoon ci {due_on}. Dem ci {lender} ngir fay."
    ),
    "ussd_payment_link": (
        "SunuCoop: ngir fay {amount} ak {provider}, ubbil {url} (réf. {reference})."
    ),
}


def load_messaging(*, actor) -> list[str]:
    for kind, text in WOLOF.items():
        template_save(kind=kind, texts={"wo": text}, actor=actor)
    loan = (
        Loan.objects.filter(status=LoanStatus.ACTIVE, borrower_person__isnull=False)
        .select_related("borrower_person")
        .order_by("pk")
        .first()
    )
    lines = [f"modèles de SMS en wolof : {len(WOLOF)}"]
    if loan is None:
        return lines
    person = loan.borrower_person
    if person.phone != DEMO_USSD_PHONE:
        person_update(actor=actor, person=person, phone=DEMO_USSD_PHONE)
        person.refresh_from_db()
    if not UssdPin.objects.filter(person=person).exists():
        ussd_pin_set(person=person, pin=DEMO_USSD_PIN, actor=actor)
    lines.append(
        f"USSD (démo) : {person} ({DEMO_USSD_PHONE}), code PIN {DEMO_USSD_PIN}, "
        "en-tête X-Ussd-Secret: demo-ussd-secret"
    )
    return lines
