"""manage.py french_plurals: the French catalogue keeps the live plural entries only, each
translated by itself (web/tests/test_i18n.py checks the committed catalogue)."""

import gettext
import subprocess

from core.management.commands.french_plurals import HEADER, plural_entries

MADE = r"""# SOME DESCRIPTIVE TITLE.
#, fuzzy
msgid ""
msgstr ""
"Language: fr\n"
"Plural-Forms: nplurals=3; plural=(n == 0 || n == 1) ? 0 : 2;\n"

#: a/views.py:3
msgid "Un texte"
msgstr ""

#: a/list.html:4
#, fuzzy, python-format
#| msgid "%(n)s ligne"
msgid "%(n)s ligne lue"
msgid_plural "%(n)s lignes lues"
msgstr[0] "%(n)s ligne"
msgstr[1] "%(n)s lignes"

#: a/long.html:9
#, python-format
msgctxt "import"
msgid ""
"Vérification réussie : %(n)s ligne serait importée, et une phrase longue "
"pour tenir sur deux lignes."
msgid_plural ""
"Vérification réussie : %(n)s lignes seraient importées, et une phrase "
"longue pour tenir sur deux lignes."
msgstr[0] ""
msgstr[1] ""

#~ msgid "%(n)s ancien"
#~ msgid_plural "%(n)s anciens"
#~ msgstr[0] "%(n)s ancien"
#~ msgstr[1] "%(n)s anciens"
"""


def test_only_the_live_plural_entries_are_kept_each_translated_by_itself():
    text = plural_entries(MADE)
    assert text.startswith(HEADER)
    assert "Un texte" not in text and "ancien" not in text  # singular-only, obsolete
    assert "fuzzy" not in text and "#|" not in text
    assert '#, python-format\nmsgid "%(n)s ligne lue"' in text
    assert 'msgstr[0] "%(n)s ligne lue"\nmsgstr[1] "%(n)s lignes lues"\n' in text
    assert 'msgstr[0] ""\n"Vérification réussie : %(n)s ligne serait importée' in text
    assert plural_entries(text) == text  # run again on its own output: nothing changes


def test_the_result_compiles_under_french_rule(tmp_path):
    (tmp_path / "fr.po").write_text(plural_entries(MADE), encoding="utf-8")
    subprocess.run(["msgfmt", "--check", "-o", tmp_path / "fr.mo", tmp_path / "fr.po"], check=True)
    with (tmp_path / "fr.mo").open("rb") as fh:
        mo = gettext.GNUTranslations(fh)
    read = ("%(n)s ligne lue", "%(n)s lignes lues")  # not literals: makemessages reads tests
    said = [mo.ngettext(*read, n) % {"n": n} for n in (0, 1, 2)]
    assert said == ["0 ligne lue", "1 ligne lue", "2 lignes lues"]
    one = "Vérification réussie : %(n)s ligne serait importée, et une phrase longue pour "
    many = "Vérification réussie : %(n)s lignes seraient importées, et une phrase longue pour "
    end = "tenir sur deux lignes."
    assert mo.npgettext("import", one + end, many + end, 0) == one + end
    assert mo.npgettext("import", one + end, many + end, 2) == many + end
