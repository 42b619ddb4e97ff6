"""Member cards: one card per covered person, a QR code carrying a signed payload (ADR 0015).

The card's code (``card_token``) is ``<payload>.<signature>``, both base64url: the payload
is a compact JSON array (``PAYLOAD_FIELDS``: format version, key id, person, household,
scheme and its name, the person's name, the cover's end when printed, the printing day),
the signature is Ed25519 over the payload's bytes with the signing key of
``health.card_keys``. Anyone holding the published public keys
(``GET /api/v1/health/card-keys``) checks a card without the server: the provider's
offline page does it in the browser (``health/static/health/card_offline.js``, WebCrypto).

Online, scanning the QR opens the verification page (``health:card_verify``), which checks
the signature and then the person's cover *today* (``selectors.cover_check``: a provider
under convention with the scheme, the scheme's agents, those who see the household). A
forged or altered code, an unknown key, or a code of the former HMAC format (Django
signing, before ADR 0015: the cards are printed again): 400 ``invalid_card``.
"""

from __future__ import annotations

import datetime
import json
from dataclasses import dataclass

from django.utils.translation import gettext as _

from core.errors import ValidationFailed
from health import card_keys
from health.card_keys import b64url, b64url_decode
from health.errors import Code
from health.models import HouseholdMember

VERSION = 1
TOKEN_MAX = 400  # characters; a longer ``c`` is not one of ours
NAME_MAX = 48
SCHEME_NAME_MAX = 32
PAYLOAD_FIELDS = ("v", "kid", "person", "household", "scheme", "scheme_name", "name", "u", "i")


@dataclass(frozen=True)
class CardPayload:
    person_id: int
    scheme_id: int
    household_id: int
    name: str
    scheme_name: str
    covered_until: datetime.date | None
    issued_on: datetime.date
    kid: str


def payload_bytes(member: HouseholdMember, *, issued_on: datetime.date, kid: str) -> bytes:
    household = member.household
    values = [
        VERSION,
        kid,
        member.person_id,
        household.pk,
        household.scheme_id,
        household.scheme.name[:SCHEME_NAME_MAX],
        str(member.person)[:NAME_MAX],
        household.covered_until.isoformat() if household.covered_until else "",
        issued_on.isoformat(),
    ]
    return json.dumps(values, ensure_ascii=False, separators=(",", ":")).encode()


def card_token(member: HouseholdMember, *, issued_on: datetime.date) -> str:
    """The card's signed code: ``<payload>.<signature>`` (base64url)."""
    kid = card_keys.card_keys().kid
    data = payload_bytes(member, issued_on=issued_on, kid=kid)
    _kid, signature = card_keys.sign(data)
    return f"{b64url(data)}.{b64url(signature)}"


def _invalid() -> ValidationFailed:
    return ValidationFailed(
        _("Carte non reconnue : le code n'a pas été émis par la mutuelle ou a été modifié."),
        code=Code.INVALID_CARD,
        field="code",
    )


def _parse(data: bytes) -> CardPayload:
    values = json.loads(data.decode("utf-8"))
    if not isinstance(values, list) or len(values) != len(PAYLOAD_FIELDS):
        raise ValueError("not a card payload")
    row = dict(zip(PAYLOAD_FIELDS, values, strict=True))
    if row["v"] != VERSION or not all(
        isinstance(row[k], int) and not isinstance(row[k], bool) and row[k] > 0
        for k in ("person", "household", "scheme")
    ):
        raise ValueError("not a card payload")
    return CardPayload(
        person_id=row["person"],
        scheme_id=row["scheme"],
        household_id=row["household"],
        name=str(row["name"]),
        scheme_name=str(row["scheme_name"]),
        covered_until=datetime.date.fromisoformat(row["u"]) if row["u"] else None,
        issued_on=datetime.date.fromisoformat(row["i"]),
        kid=str(row["kid"]),
    )


def card_read(token: str) -> CardPayload:
    """The payload of a card's code, its signature checked against the published key its
    ``kid`` names; 400 ``invalid_card`` otherwise."""
    token = str(token or "").strip()
    if not token or len(token) > TOKEN_MAX or token.count(".") != 1:
        raise _invalid()
    head, _dot, tail = token.partition(".")
    try:
        data, signature = b64url_decode(head), b64url_decode(tail)
        payload = _parse(data)
    except (TypeError, ValueError, UnicodeDecodeError):
        raise _invalid() from None
    if not card_keys.verify(payload.kid, signature, data):
        raise _invalid()
    return payload


def qr_svg_data_uri(content: str) -> str:
    """The QR code of ``content`` as an SVG data URI (segno, error correction M)."""
    import segno

    return segno.make_qr(content, error="m").svg_data_uri(scale=4, border=2)


def cards(*, members, verify_url: str, issued_on: datetime.date, photos=None) -> list[dict]:
    """Each member's card: the member, the signed code, its QR (the verification URL), and
    the member's photo (a ``data:`` URI, or "") from ``photos`` (person id -> URI)."""
    photos = photos or {}
    out = []
    for member in members:
        token = card_token(member, issued_on=issued_on)
        out.append(
            {
                "member": member,
                "token": token,
                "qr": qr_svg_data_uri(f"{verify_url}?c={token}"),
                "photo": photos.get(member.person_id, ""),
            }
        )
    return out


def cards_html(
    *, household, members, verify_url: str, issued_on: datetime.date, photos=None
) -> str:
    from django.template.loader import render_to_string

    return render_to_string(
        "health/cards_pdf.html",
        {
            "household": household,
            "cards": cards(
                members=members, verify_url=verify_url, issued_on=issued_on, photos=photos
            ),
            "issued_on": issued_on,
        },
    )


def cards_pdf(
    *, household, members, verify_url: str, issued_on: datetime.date, photos=None
) -> bytes:
    """One card per member (A4 page of cards, to cut out), each with its QR code and the
    member's photo when there is one."""
    from weasyprint import HTML

    html = cards_html(
        household=household,
        members=members,
        verify_url=verify_url,
        issued_on=issued_on,
        photos=photos,
    )
    return HTML(string=html).write_pdf()
