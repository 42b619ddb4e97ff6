"""Size limits of a cooperative's bodies: one data table per legal form.

The numbers come from the OHADA Uniform Act on cooperative societies (AUSCOOP, 2010);
another country or a later text can differ: change the table, not the code. Each entry is
a list of steps ``(from_members, max_size)``: the last step whose ``from_members`` is at most
the cooperative's number of members gives the maximum size of the body.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import models
from django.utils.translation import gettext_lazy as _


class BodyKind(models.TextChoices):
    MANAGEMENT_COMMITTEE = "comite_gestion", _("comité de gestion")
    BOARD = "conseil_administration", _("conseil d'administration")
    SUPERVISION = "commission_surveillance", _("commission de surveillance")


@dataclass(frozen=True)
class BodyRule:
    min_size: int
    steps: tuple[tuple[int, int], ...]  # (from_members, max_size)
    source: str
    verified: bool = True

    def max_size(self, member_count: int) -> int:
        size = self.steps[0][1]
        for from_members, max_size in self.steps:
            if member_count >= from_members:
                size = max_size
        return size


BODY_RULES: dict[str, dict[str, BodyRule]] = {
    "SCOOPS": {
        BodyKind.MANAGEMENT_COMMITTEE: BodyRule(1, ((0, 3), (100, 5)), "AUSCOOP art. 223"),
        # Size of the commission not stated in the Act (docs/programme-facts.md): a
        # permissive, configurable bound.
        BodyKind.SUPERVISION: BodyRule(1, ((0, 5),), "statuts (non vérifié)", verified=False),
    },
    "COOP-CA": {
        # Board of 3 to 12 members: commonly cited, not verified in the Act's text.
        BodyKind.BOARD: BodyRule(3, ((0, 12),), "AUSCOOP (non vérifié)", verified=False),
        BodyKind.SUPERVISION: BodyRule(1, ((0, 5),), "statuts (non vérifié)", verified=False),
    },
}


def body_rule(legal_form: str, kind: str) -> BodyRule | None:
    """The rule for that body in that legal form, or None when the form has no such body."""
    return BODY_RULES.get(legal_form, {}).get(kind)


# Notice of a general assembly: at least 15 days ahead, with an agenda (AUSCOOP art. 233).
ASSEMBLY_NOTICE_DAYS = 15
# The annual ordinary assembly approves the accounts within 6 months of year end (art. 110).
ACCOUNTS_APPROVAL_MONTHS = 6
