"""Member cards: one card per covered person, a QR code carrying a signed payload.

The payload (``card_token``) is signed with Django's signing (HMAC of the site's
``SECRET_KEY``, salt ``health.card``): person, scheme, household, the cover's end when the
card was printed and the day it was printed. Scanning the QR opens the verification page
(``health:card_verify``) which checks the signature and then the person's cover *today*
(``selectors.cover_check``: a provider under convention with the scheme, the scheme's
agents, those who see the household). A forged or altered code: 400 ``invalid_card``.

Offline, a provider reads the payload (it is base64 JSON, not encrypted: name and
cover's end as printed on the card) but cannot verify the HMAC without the server's key.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.core import signing
from django.utils.translation import gettext as _

from core.errors import ValidationFailed
from health.errors import Code
from health.models import HouseholdMember

SALT = "health.card"
TOKEN_MAX = 400  # characters; a longer ``c`` is not one of ours


@dataclass(frozen=True)
class CardPayload:
    person_id: int
    scheme_id: int
    household_id: int
    name: str
    covered_until: datetime.date | None
    issued_on: datetime.date


def card_token(member: HouseholdMember, *, issued_on: datetime.date) -> str:
    household = member.household
    return signing.dumps(
        {
            "p": member.person_id,
            "s": household.scheme_id,
            "h": household.pk,
            "n": str(member.person)[:60],
            "u": household.covered_until.isoformat() if household.covered_until else None,
            "i": issued_on.isoformat(),
        },
        salt=SALT,
        compress=True,
    )


def card_read(token: str) -> CardPayload:
    """The payload of a card's code, its signature checked; 400 ``invalid_card`` otherwise."""
    invalid = ValidationFailed(
        _("Carte non reconnue : le code n'a pas été émis par la mutuelle ou a été modifié."),
        code=Code.INVALID_CARD,
        field="code",
    )
    token = str(token or "").strip()
    if not token or len(token) > TOKEN_MAX:
        raise invalid
    try:
        data = signing.loads(token, salt=SALT)
        return CardPayload(
            person_id=int(data["p"]),
            scheme_id=int(data["s"]),
            household_id=int(data["h"]),
            name=str(data["n"]),
            covered_until=datetime.date.fromisoformat(data["u"]) if data["u"] else None,
            issued_on=datetime.date.fromisoformat(data["i"]),
        )
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        raise invalid from None


def qr_svg_data_uri(content: str) -> str:
    """The QR code of ``content`` as an SVG data URI (segno, error correction M)."""
    import segno

    return segno.make_qr(content, error="m").svg_data_uri(scale=4, border=2)


def cards(*, members, verify_url: str, issued_on: datetime.date) -> list[dict]:
    """Each member's card: the member, the signed code, its QR (the verification URL)."""
    out = []
    for member in members:
        token = card_token(member, issued_on=issued_on)
        out.append(
            {"member": member, "token": token, "qr": qr_svg_data_uri(f"{verify_url}?c={token}")}
        )
    return out


def cards_html(*, household, members, verify_url: str, issued_on: datetime.date) -> str:
    from django.template.loader import render_to_string

    return render_to_string(
        "health/cards_pdf.html",
        {
            "household": household,
            "cards": cards(members=members, verify_url=verify_url, issued_on=issued_on),
            "issued_on": issued_on,
        },
    )


def cards_pdf(*, household, members, verify_url: str, issued_on: datetime.date) -> bytes:
    """One card per member (A4 page of cards, to cut out), each with its QR code."""
    from weasyprint import HTML

    html = cards_html(
        household=household, members=members, verify_url=verify_url, issued_on=issued_on
    )
    return HTML(string=html).write_pdf()
