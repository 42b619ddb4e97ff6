"""The usury rule (UEMOA / BCEAO): a product's or a loan's effective global rate (TEG,
every fee included) may not exceed the cap in force on the day for the lender's category
(microfinance institutions or banks). The caps are dated rows (``credit.UsuryCap``),
seeded by a migration and kept up to date by the national role (docs/credit.md,
docs/programme-facts.md)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.utils.translation import gettext_lazy as _

from core.errors import Conflict
from credit import schedule as engine
from credit.errors import Code
from credit.models import LenderKind, UsuryCap, UsuryCategory


def usury_category(lender) -> str:
    return UsuryCategory.BANK if lender.kind == LenderKind.BANK else UsuryCategory.SFD


def usury_cap(category: str, on: date) -> UsuryCap | None:
    return (
        UsuryCap.objects.filter(category=category, effective_from__lte=on)
        .order_by("-effective_from")
        .first()
    )


def check_usury(terms: engine.Terms, *, lender, on: date) -> Decimal:
    """The TEG of ``terms``; refused (409 ``usury_cap``) when above the cap in force on ``on``."""
    teg = engine.effective_rate(terms)
    cap = usury_cap(usury_category(lender), on)
    if cap is not None and teg > cap.rate:
        raise Conflict(
            _(
                "Taux effectif global de %(teg)s %% (frais compris) supérieur au taux de "
                "l'usure de %(cap)s %% en vigueur le %(on)s pour ce type de prêteur."
            )
            % {
                "teg": str(teg).replace(".", ","),
                "cap": str(cap.rate.normalize()).replace(".", ","),
                "on": on.strftime("%d/%m/%Y"),
            },
            code=Code.USURY_CAP,
            field="annual_rate",
        )
    return teg
