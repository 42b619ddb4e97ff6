"""Issue 15, point 6: the English catalogue has no empty and no fuzzy entry, and every
format placeholder of a French message is in its English translation."""

import re
from pathlib import Path

from django.conf import settings

CATALOGUE = Path(settings.BASE_DIR) / "locale" / "en" / "LC_MESSAGES" / "django.po"
PLACEHOLDER = re.compile(r"%\([a-z_]+\)[sd]|\{[a-z_]+\}")


def _unquote(lines):
    return "".join(re.match(r'^(?:msg\w+(?:\[\d\])? )?"(.*)"$', line).group(1) for line in lines)


def entries():
    """(flags, msgid, [msgstr, ...]) of each entry, obsolete ones (#~) left out."""
    text = CATALOGUE.read_text(encoding="utf-8")
    for block in text.split("\n\n"):
        lines = [line for line in block.splitlines() if line and not line.startswith("#~")]
        flags = {f.strip() for line in lines if line.startswith("#,") for f in line[2:].split(",")}
        fields, current = {}, None
        for line in lines:
            if line.startswith("#"):
                continue
            if line.startswith("msg"):
                current = line.split(" ", 1)[0]
                fields[current] = [line]
            elif current:
                fields[current].append(line)
        if "msgid" not in fields:
            continue
        msgid = _unquote(fields["msgid"])
        if not msgid:
            continue  # the header
        strs = [_unquote(v) for k, v in sorted(fields.items()) if k.startswith("msgstr")]
        yield flags, msgid, strs


def test_the_catalogue_is_read():
    assert sum(1 for _ in entries()) > 2000


def test_no_empty_and_no_fuzzy_english_entry():
    empty = [msgid for _, msgid, strs in entries() if not all(strs)]
    fuzzy = [msgid for flags, msgid, _ in entries() if "fuzzy" in flags]
    assert not empty, f"{len(empty)} empty English entries, e.g. {empty[:3]} (make messages)"
    assert not fuzzy, f"{len(fuzzy)} fuzzy English entries, e.g. {fuzzy[:3]}"


def test_every_placeholder_is_kept_in_english():
    lost = [
        msgid
        for _, msgid, strs in entries()
        if not set(PLACEHOLDER.findall(msgid)) <= set(PLACEHOLDER.findall(" ".join(strs)))
        and "{champ}" not in msgid
    ]
    assert not lost, lost[:5]
