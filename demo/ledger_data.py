"""Books part of the demo: a year (November 2025 to October 2026) of plain receipts and
payments of the Koumpentoum weavers, entered as a treasurer would in simple mode, and the
members' deliveries (the basis of patronage refunds). Idempotent: every movement carries a
demo reference, so loading twice posts nothing new."""

from __future__ import annotations

import datetime

from ledger.models import JournalEntry
from ledger.services import (
    member_transaction_record,
    payment_record,
    receipt_record,
    transfer_record,
)
from registry.models import Cooperative, Membership

COOP = "Coopérative des tisserands de Koumpentoum"
MONTHS = [(2025, 11), (2025, 12)] + [(2026, m) for m in range(1, 11)]


def _movements(i: int, year: int, month: int) -> list[tuple]:
    """(kind, category or channels, amount, day, channel, label) for month number ``i``."""
    season = 1 + (i % 4) / 10  # a little variation from month to month
    rows = [
        (
            "receipt",
            "sales_goods",
            int(180_000 * season),
            5,
            "cash",
            "Ventes de pagnes au marché hebdomadaire",
        ),
        (
            "receipt",
            "sales_goods",
            int(65_000 * season),
            18,
            "mobile_money",
            "Ventes de pagnes payées par Wave/Orange Money",
        ),
        ("payment", "raw_materials", int(95_000 * season), 3, "cash", "Achat de fil de coton"),
        ("payment", "supplies", 12_500, 9, "cash", "Teintures et emballages"),
        ("payment", "transport", 15_000, 12, "cash", "Transport des pagnes vers Tambacounda"),
        ("payment", "rent", 25_000, 28, "cash", "Loyer de l'atelier"),
        ("payment", "telecom", 5_000, 20, "mobile_money", "Crédit téléphone"),
        ("transfer", ("cash", "bank"), 30_000, 27, None, "Dépôt à la mutuelle"),
        ("payment", "bank_fees", 1_500, 28, "bank", "Frais de tenue de compte"),
    ]
    if month in (3, 9):
        rows.append(("payment", "training", 40_000, 15, "bank", "Formation en gestion (My.COOP)"))
    if (year, month) == (2026, 3):
        rows.append(("receipt", "subsidy", 500_000, 25, "bank", "Subvention du programme PROGRESS"))
        rows.append(("payment", "equipment", 350_000, 30, "bank", "Achat d'un métier à tisser"))
    if (year, month) == (2025, 11):
        rows.append(
            (
                "receipt",
                "member_fees",
                150_000,
                1,
                "cash",
                "Droits d'adhésion des membres fondateurs",
            )
        )
    if month == 12:
        rows.append(
            ("receipt", "member_fees", 30_000, 10, "cash", "Cotisations annuelles des membres")
        )
    return rows


def load_ledger(*, actor) -> list[str]:
    """``actor``: the cooperative's officer (the treasurer who keeps the books)."""
    coop = Cooperative.objects.get(name=COOP)
    before = JournalEntry.objects.filter(cooperative=coop).count()
    for i, (year, month) in enumerate(MONTHS):
        for n, (kind, what, amount, day, channel, label) in enumerate(_movements(i, year, month)):
            on = datetime.date(year, month, day)
            ref = f"demo-{year}-{month:02d}-{n}"
            common = dict(actor=actor, cooperative=coop, amount=amount, on=on, label=label)
            if kind == "receipt":
                receipt_record(**common, category=what, channel=channel, source_ref=ref)
            elif kind == "payment":
                payment_record(**common, category=what, channel=channel, source_ref=ref)
            else:
                transfer_record(**common, from_channel=what[0], to_channel=what[1], source_ref=ref)
    members = list(
        Membership.objects.filter(cooperative=coop)
        .order_by("person_id")
        .values_list("person_id", flat=True)
    )
    for i, (year, month) in enumerate(MONTHS):
        for k, person_id in enumerate(members):
            member_transaction_record(
                actor=actor,
                cooperative=coop,
                person_id=person_id,
                on=datetime.date(year, month, 5),
                amount=20_000 + 5_000 * ((k + i) % 4),
                label="Pagnes livrés à la coopérative",
                source="demo",
                source_ref=f"demo-delivery-{year}-{month:02d}-{person_id}",
            )
    added = JournalEntry.objects.filter(cooperative=coop).count() - before
    return [f"écritures comptables ajoutées : {added}"]
