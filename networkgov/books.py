"""The network's dues in the platform's own double-entry books (network.books).

| event | debit | credit |
| --- | --- | --- |
| dues received by phone | 552 wallet | 756 members' dues (revenue) |

756 is the SYSCOHADA class-75 "autres produits" account the non-profit plan (SYCEBNL)
uses for members' contributions (account number: an assumption, docs/networkgov.md).
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from network.books import WALLET, post

DUES = "756"


def dues_received(membership, *, amount: int, on, reference: str) -> None:
    post(
        on=on,
        label=_("Cotisation %(year)s de %(name)s")
        % {"year": membership.year, "name": membership.organisation.name},
        source="network_dues",
        source_ref=reference,
        lines=[(WALLET, amount, 0), (DUES, 0, amount)],
    )
