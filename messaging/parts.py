"""How many SMS parts a text takes (GSM 03.38 7-bit, else UCS-2).

GSM-7: 160 characters in one part, 153 per part when split (the 7 others carry the
concatenation header); a character of the extension table (``€ [ ] { } ~ ^ | \\`` and form
feed) takes two. A text with any other character is sent in UCS-2: 70 in one part, 67 per
part when split; a character outside the Basic Multilingual Plane (an emoji) takes two.
``static/messaging/sms-parts.js`` counts the same way in the template editor (the tests
compare the two tables).
"""

from __future__ import annotations

from dataclasses import dataclass

GSM_BASIC = frozenset(
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
    "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"
)
GSM_EXTENDED = frozenset("^{}\\[~]|€\f")

GSM7 = "gsm7"
UCS2 = "ucs2"


@dataclass(frozen=True)
class Parts:
    encoding: str  # "gsm7" or "ucs2"
    units: int  # septets (GSM-7) or UTF-16 code units (UCS-2)
    count: int  # SMS parts (0 for an empty text)
    per_part: int  # capacity of one part at this length (160/153 or 70/67)
    left: int  # units still free in the last part


def is_gsm7(text: str) -> bool:
    return all(c in GSM_BASIC or c in GSM_EXTENDED for c in text)


def sms_parts(text: str) -> Parts:
    """The encoding, length and number of parts of ``text``."""
    if is_gsm7(text):
        units = sum(2 if c in GSM_EXTENDED else 1 for c in text)
        encoding, single, split = GSM7, 160, 153
    else:
        units = sum(2 if ord(c) > 0xFFFF else 1 for c in text)
        encoding, single, split = UCS2, 70, 67
    if units == 0:
        return Parts(encoding, 0, 0, single, single)
    if units <= single:
        return Parts(encoding, units, 1, single, single - units)
    count = -(-units // split)
    return Parts(encoding, units, count, split, count * split - units)


def sms_segments(text: str) -> int:
    """How many SMS parts ``text`` takes (at least one: an empty SMS is still one)."""
    return max(1, sms_parts(text).count)
