"""Part counting: the table of GSM-7 / UCS-2 limits, and properties over any text."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from messaging.parts import GSM_BASIC, GSM_EXTENDED, sms_parts, sms_segments


@pytest.mark.parametrize(
    "text,encoding,units,count",
    [
        ("", "gsm7", 0, 0),
        ("a" * 160, "gsm7", 160, 1),
        ("a" * 161, "gsm7", 161, 2),
        ("a" * 306, "gsm7", 306, 2),
        ("a" * 307, "gsm7", 307, 3),
        ("€" * 80, "gsm7", 160, 1),  # extension characters count twice
        ("€" * 81, "gsm7", 162, 2),
        ("a" * 159 + "[", "gsm7", 161, 2),
        ("é" * 160, "gsm7", 160, 1),  # é is in the GSM alphabet
        ("ê" * 70, "ucs2", 70, 1),  # ê is not: UCS-2
        ("ê" * 71, "ucs2", 71, 2),
        ("ë" * 134, "ucs2", 134, 2),
        ("ë" * 135, "ucs2", 135, 3),
        ("a" * 69 + "ñ", "gsm7", 70, 1),
        ("a" * 69 + "ç", "ucs2", 70, 1),  # lower-case ç is outside GSM-7 (only Ç is in)
        ("😀" * 35, "ucs2", 70, 1),  # outside the BMP: two UTF-16 units each
        ("😀" * 36, "ucs2", 72, 2),
    ],
)
def test_parts_table(text, encoding, units, count):
    parts = sms_parts(text)
    assert (parts.encoding, parts.units, parts.count) == (encoding, units, count)


GSM_TEXT = st.text(alphabet=sorted(GSM_BASIC | GSM_EXTENDED), max_size=700)
ANY_TEXT = st.text(max_size=400)


@given(GSM_TEXT)
def test_gsm7_texts_follow_160_then_153(text):
    parts = sms_parts(text)
    units = sum(2 if c in GSM_EXTENDED else 1 for c in text)
    assert parts.encoding == "gsm7" and parts.units == units
    if units == 0:
        assert parts.count == 0
    elif units <= 160:
        assert parts.count == 1
    else:
        assert (parts.count - 1) * 153 < units <= parts.count * 153
    assert parts.left >= 0


@given(ANY_TEXT)
def test_any_text_fits_its_parts_and_one_more_character_never_lowers_the_count(text):
    parts = sms_parts(text)
    single, split = (160, 153) if parts.encoding == "gsm7" else (70, 67)
    capacity = single if parts.count <= 1 else parts.count * split
    assert parts.units <= capacity
    assert sms_parts(text + "a").count >= parts.count  # appending never needs fewer parts
    assert sms_segments(text) == max(1, parts.count)


@given(GSM_TEXT, st.sampled_from("êôûçœ"))
def test_one_character_outside_gsm_switches_to_ucs2(text, other):
    parts = sms_parts(text + other)
    assert parts.encoding == "ucs2" and parts.units == len(text) + 1


def test_the_editor_script_uses_the_same_alphabet():
    """static/messaging/sms-parts.js counts with the same tables as parts.py."""
    from pathlib import Path

    js = (Path(__file__).parents[1] / "static" / "messaging" / "sms-parts.js").read_text()
    basic = "@£$¥èéùìòÇ\\nØø\\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\\\"#¤%&'()*+,-./0123456789:;<=>?"
    assert basic in js and "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà" in js
    assert 'GSM_EXTENDED = "^{}\\\\[~]|€\\f"' in js
    assert "160" in js and "153" in js and "70" in js and "67" in js
