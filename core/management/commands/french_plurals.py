"""``manage.py french_plurals``: the French catalogue, ``locale/fr/LC_MESSAGES/django.po``.

The source strings are French, so French needs no translation, except for one thing:
without a French catalogue, ``ngettext`` and ``{% blocktranslate count %}`` fall back to
the source's default rule (plural for n != 1) and say "0 inscrits". The French catalogue
holds only the plural entries, each translated by itself (``msgstr[0]`` the singular,
``msgstr[1]`` the plural), under French's rule ``plural=(n > 1)``: "0 inscrit".

The command runs ``makemessages -l fr`` (Django's extraction, merged with the previous
catalogue), keeps the plural entries only, fills them, writes a fixed header and compiles
the ``.mo``. ``make messages`` runs it after the English catalogue (CONTRIBUTING.md,
"Translations")."""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand

IGNORED = [".venv", "var"]
HEADER = """\
# French catalogue of SunuCoop: the plural entries only, each translated by itself, so that
# French's rule applies (0 and 1 are singular). Written by `make messages`
# (manage.py french_plurals, CONTRIBUTING.md "Translations"): do not edit by hand.
msgid ""
msgstr ""
"Project-Id-Version: SunuCoop\\n"
"Language: fr\\n"
"MIME-Version: 1.0\\n"
"Content-Type: text/plain; charset=UTF-8\\n"
"Content-Transfer-Encoding: 8bit\\n"
"Plural-Forms: nplurals=2; plural=(n > 1);\\n"
"""


def plural_entries(po_text: str) -> str:
    """A catalogue's text reduced to its live plural entries, each translated by its own
    French (fuzzy marks and previous msgids dropped), under the fixed French header."""
    entries = [
        _translated_by_itself(block.strip("\n").splitlines())
        for block in po_text.split("\n\n")[1:]  # the first block is the header
        if any(line.startswith("msgid_plural ") for line in block.splitlines())
    ]
    return "\n".join([HEADER, *(entry + "\n" for entry in entries)])


def _translated_by_itself(lines: list[str]) -> str:
    comments, fields, current = [], {}, None
    for line in lines:
        if line.startswith("#,"):
            flags = [f.strip() for f in line[2:].split(",") if f.strip() != "fuzzy"]
            if flags:
                comments.append("#, " + ", ".join(flags))
        elif line.startswith("#|"):
            continue  # the previous msgid of a fuzzy match
        elif line.startswith("#"):
            comments.append(line)
        elif line.startswith('"'):
            fields[current].append(line)
        else:
            current, value = line.split(" ", 1)
            fields[current] = [value]

    def field(name: str, lines: list[str]) -> list[str]:
        return [f"{name} {lines[0]}", *lines[1:]]

    out = list(comments)
    if "msgctxt" in fields:
        out += field("msgctxt", fields["msgctxt"])
    out += field("msgid", fields["msgid"]) + field("msgid_plural", fields["msgid_plural"])
    out += field("msgstr[0]", fields["msgid"]) + field("msgstr[1]", fields["msgid_plural"])
    return "\n".join(out)


class Command(BaseCommand):
    help = (
        "Écrit le catalogue français (locale/fr) : les seules entrées au pluriel, traduites "
        "par elles-mêmes sous la règle française (0 et 1 au singulier), et le compile."
    )

    def handle(self, *args, **options):
        call_command("makemessages", locale=["fr"], ignore_patterns=IGNORED, verbosity=0)
        po = Path(settings.BASE_DIR) / "locale" / "fr" / "LC_MESSAGES" / "django.po"
        text = plural_entries(po.read_text(encoding="utf-8"))
        po.write_text(text, encoding="utf-8")
        call_command("compilemessages", locale=["fr"], ignore_patterns=IGNORED, verbosity=0)
        count = text.count("\nmsgid_plural ")
        self.stdout.write(f"{po.relative_to(settings.BASE_DIR)} : {count} entrées au pluriel.")
