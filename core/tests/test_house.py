"""The house's shape, checked in the code (issue 15): what a review would otherwise have
to find by reading every app.

Each test parses every app's code with ``ast`` (tests and migrations aside) and fails
on the first file that slips, naming the file and the line.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SKIPPED = {"tests", "migrations"}


def apps() -> list[str]:
    return sorted(p.parent.name for p in ROOT.glob("*/apps.py"))


def code_files(app: str):
    """(relative path, parsed module) for each module of ``app``'s code."""
    for path in sorted((ROOT / app).rglob("*.py")):
        rel = path.relative_to(ROOT)
        if SKIPPED & set(rel.parts[1:-1]):
            continue
        yield rel.as_posix(), ast.parse(path.read_text(encoding="utf-8"))


def dotted(node) -> str:
    """``a.b.c`` for a chain of names and attributes, else ``""``."""
    parts = []
    while isinstance(node, ast.Attribute):
        parts.append(node.attr)
        node = node.value
    if isinstance(node, ast.Name):
        parts.append(node.id)
        return ".".join(reversed(parts))
    return ""


# --------------------------------------------------------------------------- one today()

TODAY_SPELLINGS = {"date.today", "datetime.date.today", "dt.date.today", "timezone.localdate"}
NOW_SPELLINGS = {"timezone.now", "datetime.now", "datetime.datetime.now", "dt.datetime.now"}


def stray_todays(tree) -> list[int]:
    """Lines computing "today" other than through ``core.dates.today()``: ``date.today()``,
    ``timezone.localdate()`` without argument, ``timezone.now().date()``, or a module's
    own ``def today()``."""
    lines = []
    for node in ast.walk(tree):
        if isinstance(node, ast.FunctionDef) and node.name == "today":
            lines.append(node.lineno)
        if not isinstance(node, ast.Call) or node.args or node.keywords:
            continue
        func = node.func
        if dotted(func) in TODAY_SPELLINGS or (
            isinstance(func, ast.Attribute)
            and func.attr == "date"
            and isinstance(func.value, ast.Call)
            and dotted(func.value.func) in NOW_SPELLINGS
        ):
            lines.append(node.lineno)
    return sorted(lines)


def test_the_stray_today_finder_finds():
    bad = "import datetime\nfrom django.utils import timezone\n"
    bad += "a = datetime.date.today()\nb = timezone.localdate()\nc = timezone.now().date()\n"
    bad += "def today():\n    return 1\n"
    assert stray_todays(ast.parse(bad)) == [3, 4, 5, 6]
    good = "from core import dates\na = dates.today()\nb = timezone.localdate(paid_at)\n"
    assert stray_todays(ast.parse(good)) == []


@pytest.mark.parametrize("app", apps())
def test_one_today(app):
    """Every "today" is ``core.dates.today()`` (the server's local date, Africa/Dakar),
    the one the date rule uses and ``today_is`` pins in tests."""
    stray = [
        f"{rel}:{line}"
        for rel, tree in code_files(app)
        if rel != "core/dates.py"
        for line in stray_todays(tree)
    ]
    assert not stray, f"use core.dates.today() instead of: {stray}"


# --------------------------------------------------------------------------- one error idiom

CAUGHT_ONLY_BY_CORE = {"DomainError", "ValidationFailed", "Conflict", "Forbidden"}


def is_view_module(rel: str) -> bool:
    """A module of views or endpoints (core's own helpers are the one translation)."""
    if rel.startswith("core/"):
        return False
    name = rel.rsplit("/", 1)[-1]
    return name in ("views.py", "api.py") or name.endswith("_views.py") or "/views/" in rel


def idiom_slips(rel: str, tree) -> list[str]:
    """What breaks "one error idiom" (CONTRIBUTING.md, "Errors in views") in a module:
    a view or an endpoint catching a domain error itself (``except ValidationFailed``,
    ``except (ValidationFailed, Conflict)``, a tuple of them...) instead of
    ``core.forms.domain_errors_on`` or the middleware; ``apply_domain_error`` called by
    hand; the retired ``domain_errors_as_pages``. Catching ``NotFound`` stays allowed: a
    name the user typed that matches nothing (an area's code) is an input error."""
    slips = []
    tuples = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.Assign) and isinstance(node.value, ast.Tuple):
            names = {dotted(e).rsplit(".", 1)[-1] for e in node.value.elts}
            for target in node.targets:
                if isinstance(target, ast.Name):
                    tuples[target.id] = names
    for node in ast.walk(tree):
        if isinstance(node, ast.Name | ast.Attribute):
            name = node.id if isinstance(node, ast.Name) else node.attr
            if name == "domain_errors_as_pages" or (
                name == "apply_domain_error" and rel != "core/forms.py"
            ):
                slips.append(f"{rel}:{node.lineno} {name}")
        if isinstance(node, ast.ExceptHandler) and node.type is not None and is_view_module(rel):
            kinds = node.type.elts if isinstance(node.type, ast.Tuple) else [node.type]
            caught = set()
            for kind in kinds:
                name = dotted(kind).rsplit(".", 1)[-1]
                caught |= tuples.get(name, {name})
            if caught & CAUGHT_ONLY_BY_CORE:
                slips.append(f"{rel}:{node.lineno} except {sorted(caught)}")
    return sorted(set(slips))


def test_the_idiom_finder_finds():
    bad = (
        "USER_ERRORS = (ValidationFailed, Conflict)\n"
        "try:\n    f()\nexcept USER_ERRORS as exc:\n    apply_domain_error(form, exc)\n"
        "try:\n    f()\nexcept errors.DomainError:\n    pass\n"
        "@domain_errors_as_pages\ndef v(request):\n    pass\n"
    )
    assert idiom_slips("x/views.py", ast.parse(bad)) == [
        "x/views.py:10 domain_errors_as_pages",
        "x/views.py:4 except ['Conflict', 'ValidationFailed']",
        "x/views.py:5 apply_domain_error",
        "x/views.py:8 except ['DomainError']",
    ]
    good = "with domain_errors_on(form):\n    f()\ntry:\n    g()\nexcept NotFound:\n    pass\n"
    assert idiom_slips("x/views.py", ast.parse(good)) == []
    assert (
        idiom_slips("x/services.py", ast.parse("try:\n    f()\nexcept Conflict:\n    g()\n")) == []
    )


@pytest.mark.parametrize("app", apps())
def test_one_error_idiom_in_views_and_api(app):
    """Views and endpoints let domain errors go to the one translation: the middleware
    (404/403 pages), ``config/api.py`` (JSON), ``core.forms.domain_errors_on`` (a form,
    a message) or ``core.views.domain_errors_as_json``."""
    slips = [s for rel, tree in code_files(app) for s in idiom_slips(rel, tree)]
    assert not slips, f"use core.forms.domain_errors_on (CONTRIBUTING.md): {slips}"


# --------------------------------------------------------------------------- amounts in messages

RAW_AMOUNT = re.compile(r"(%\(\w+\)[sd]|\{\w*\})\s*F(\s|&nbsp;)*CFA")
RAW_AMOUNT_IN_TEMPLATE = re.compile(r"\{\{[^}|]*\}\}(\s|&nbsp;)*F(\s|&nbsp;)*CFA")


def raw_amounts(tree) -> list[int]:
    """Lines of a text that prints an amount raw before "F CFA" (``%(due)s F CFA``): the
    amount must go through ``core.money.format_xof`` (``1 250 000 F CFA``)."""
    return sorted(
        node.lineno
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant)
        and isinstance(node.value, str)
        and RAW_AMOUNT.search(node.value)
    )


def test_the_raw_amount_finder_finds():
    bad = '_("Le versement dépasse (%(due)s F CFA).")\nf"{x} F CFA"\n'
    assert raw_amounts(ast.parse(bad)) == [1]
    assert raw_amounts(ast.parse('_("Au moins 1 F CFA.")\n_("(%(due)s)")\n')) == []
    assert RAW_AMOUNT_IN_TEMPLATE.search("<dd>{{ c.difference }} F CFA</dd>")
    assert not RAW_AMOUNT_IN_TEMPLATE.search("<dd>{{ c.difference|xof }}</dd>")


@pytest.mark.parametrize("app", apps())
def test_amounts_in_messages_use_the_money_formatter(app):
    raw = [f"{rel}:{line}" for rel, tree in code_files(app) for line in raw_amounts(tree)]
    for path in sorted((ROOT / app).rglob("templates/**/*.html")):
        for number, text in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if RAW_AMOUNT_IN_TEMPLATE.search(text):
                raw.append(f"{path.relative_to(ROOT)}:{number}")
    assert not raw, f"format the amount with core.money.format_xof or |xof: {raw}"


# --------------------------------------------------------------------------- French outside gettext

# Where a text reaches a person: a domain error's (or a Django error's) message, a flash
# message, a form or model field's label and help, an admin action's description.
ERROR_CLASS = re.compile(
    r"^(DomainError|ValidationFailed|Conflict|NotFound|Forbidden|PermissionDenied|Http404)$"
    r"|Error$"
)
MESSAGE_CALLS = {"error", "success", "info", "warning", "add_message", "add_error"}
TEXT_KEYWORDS = {"help_text", "verbose_name", "verbose_name_plural", "empty_label"}
FRENCH = re.compile(
    r"[àâçéèêëîïôûùüÿœÀÂÇÉÈÊËÎÏÔÛÙÜ]|\b(le|la|les|des|du|une|un|est|pas|au|aux|pour|avec|"
    r"dans|sur|ce|cette|doit|aucun|aucune|introuvable|invalide|inconnue?|zone|montant|"
    r"commune|membre|personne|indiquez)\b",
    re.I,
)
# shell-only code speaks to the operator: management commands and ops (backup, restore)
SHELL_ONLY = re.compile(r"^ops/|/management/commands/")


def _text(node) -> str | None:
    """The literal text of a plain string, an f-string or the left of a ``%``."""
    if isinstance(node, ast.BinOp):
        node = node.left
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if isinstance(node, ast.JoinedStr):
        return "".join(v.value for v in node.values if isinstance(v, ast.Constant))
    return None


def untranslated(tree) -> list[tuple[int, str]]:
    """(line, text) of each French text shown to a person without gettext."""
    found = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        name = dotted(node.func).rsplit(".", 1)[-1]
        shown = []
        if ERROR_CLASS.search(name) and node.args:
            shown.append(node.args[0])
        if name in MESSAGE_CALLS and len(node.args) >= 2:
            shown.append(node.args[1])
        for kw in node.keywords:
            if (
                kw.arg in TEXT_KEYWORDS
                or (kw.arg == "label" and name.endswith("Field"))
                or (kw.arg == "description" and name == "action")
            ):
                shown.append(kw.value)
        for value in shown:
            text = _text(value)
            if text and FRENCH.search(text):
                found.append((value.lineno, text[:60]))
    return sorted(found)


# Templates: text between tags and the attributes a person reads, once the translated
# blocks, comments, scripts and template tags are taken out. A document fixed in French
# by design (the minutes of an assembly, the programme's quarterly report) declares
# <html lang="fr">.
_HIDDEN = re.compile(
    r"{%\s*blocktrans(late)?\b.*?{%\s*endblocktrans(late)?\s*%}|{%\s*comment\s*%}.*?"
    r"{%\s*endcomment\s*%}|{#.*?#}|<!--.*?-->|<(script|style)\b.*?</\3>|{%.*?%}|{{.*?}}",
    re.S,
)
_READ_ATTRIBUTES = re.compile(r'\b(title|placeholder|aria-label|alt|label|data-label)="([^"]*)"')
_NOT_WORDS = re.compile(
    r"\b(SunuCoop|XLSX|CSV|PDF|JSON|API|FHIR|USSD|SMS|QR|OHADA|XOF|PAR|BZ|DZ|RSC|ID|OK|Wave|"
    r"Orange Money|km|kg)\b|&\w+;"
)
_WORD = re.compile(r"[A-Za-zÀ-ÿ]{2,}")


def untranslated_in_template(text: str) -> list[tuple[int, str]]:
    if '<html lang="fr"' in text:
        return []
    kept = _HIDDEN.sub(lambda m: "\n" * m.group(0).count("\n"), text)
    found = [
        (kept[: m.start()].count("\n") + 1, m.group(0))
        for m in _READ_ATTRIBUTES.finditer(kept)
        if _WORD.search(_NOT_WORDS.sub("", m.group(2)))
    ]
    between_tags = re.sub(r"<[^>]*>", lambda m: "\n" * m.group(0).count("\n"), kept)
    for number, line in enumerate(between_tags.splitlines(), 1):
        if _WORD.search(_NOT_WORDS.sub("", line)):
            found.append((number, line.strip()[:60]))
    return sorted(found)


def test_the_untranslated_finders_find():
    bad = (
        'raise NotFound("Coopérative introuvable.")\n'
        'messages.error(request, f"Zone inconnue : {code}")\n'
        'x = forms.CharField(label="Nom de la zone")\n'
        'raise ValidationFailed(_("Coopérative introuvable."))\n'
        'logger.info("Coopérative %s", pk)\n'
    )
    assert [line for line, _text in untranslated(ast.parse(bad))] == [1, 2, 3]
    page = (
        '{% load i18n %}<h1>{% translate "Membres" %}</h1>\n<p>Aucun membre</p>\n'
        '<input placeholder="Rechercher">\n<td data-label="{% translate "Nom" %}">{{ x }}</td>\n'
        "{% blocktranslate %}Bonjour {{ n }}{% endblocktranslate %}<b>XLSX</b>\n"
    )
    assert [line for line, _text in untranslated_in_template(page)] == [2, 3]
    assert untranslated_in_template('<html lang="fr"><p>Procès-verbal</p>') == []


@pytest.mark.parametrize("app", apps())
def test_french_text_goes_through_gettext(app):
    """Every French text shown to a person is a gettext source (``_()``,
    ``{% translate %}``), so that the English catalogue can carry it."""
    slips = [
        f"{rel}:{line} {text!r}"
        for rel, tree in code_files(app)
        if not SHELL_ONLY.search(rel)
        for line, text in untranslated(tree)
    ]
    for path in sorted((ROOT / app).glob("templates/**/*.html")):
        text = path.read_text(encoding="utf-8")
        rel = path.relative_to(ROOT)
        slips += [f"{rel}:{line} {shown!r}" for line, shown in untranslated_in_template(text)]
    assert not slips, f"wrap these in gettext / {{% translate %}}: {slips}"


def test_french_text_of_the_shared_templates_goes_through_gettext():
    slips = [
        f"{path.relative_to(ROOT)}:{line} {shown!r}"
        for path in sorted((ROOT / "templates").rglob("*.html"))
        for line, shown in untranslated_in_template(path.read_text(encoding="utf-8"))
    ]
    assert not slips, f"wrap these in {{% translate %}}: {slips}"


# --------------------------------------------------------------------------- fixtures in conftest


def test_fixtures_are_not_imported_between_test_modules():
    """A fixture shared by several test modules lives in a conftest (the root one when
    apps share it, e.g. ``credit``); importing it hides ruff's F811 behind a ``noqa``."""
    silenced = [
        f"{path.relative_to(ROOT)}:{number}"
        for path in sorted(ROOT.glob("*/tests/**/*.py")) + [ROOT / "conftest.py"]
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if re.search(r"noqa:[^#]*F811", line)
    ]
    assert not silenced, f"move the fixture to a conftest: {silenced}"


# ------------------------------------------------------------------- one definition a figure

# What makes a figure: a cooperative alive or created in the year, a membership held, a
# sale (ledger class 70). Written once, in monitoring/indicators.py; the rollups, the
# records behind a figure, the home panels and the API filter with its functions.
DEFINITION_MARKS = re.compile(
    r"founded_on__(lte|gte)|stage_changed_on__lte|left_on__gt\b|chart\.SALES\b"
)


def test_each_figure_is_defined_once():
    restated = [
        f"{rel}:{number}"
        for app in ("monitoring", "web")
        for rel, _tree in code_files(app)
        if rel != "monitoring/indicators.py"
        for number, line in enumerate((ROOT / rel).read_text(encoding="utf-8").splitlines(), 1)
        if DEFINITION_MARKS.search(line)
    ]
    assert not restated, f"use monitoring.indicators' definitions: {restated}"


# --------------------------------------------------------------------------- one code enum an app

RAISED = re.compile(
    r"^(DomainError|ValidationFailed|Conflict|NotFound|Forbidden|RateLimited|"
    r"ProviderUnavailable|TableFileError)$"
)


def literal_codes(tree) -> list[tuple[int, str]]:
    """(line, code) of each domain error raised with a code written as text
    (``code="duplicate"``) instead of its app's enum (``code=Code.DUPLICATE``)."""
    return sorted(
        (kw.value.lineno, kw.value.value)
        for node in ast.walk(tree)
        if isinstance(node, ast.Call) and RAISED.search(dotted(node.func).rsplit(".", 1)[-1])
        for kw in node.keywords
        if kw.arg == "code" and isinstance(kw.value, ast.Constant)
    )


def test_the_literal_code_finder_finds():
    bad = 'raise ValidationFailed(_("Non."), code="duplicate", field="name")\n'
    assert literal_codes(ast.parse(bad)) == [(1, "duplicate")]
    good = 'raise errors.Conflict(_("Non."), code=Code.DUPLICATE)\nArea.objects.get(code="SN")\n'
    assert literal_codes(ast.parse(good)) == []


@pytest.mark.parametrize("app", apps())
def test_domain_errors_carry_their_apps_code_enum(app):
    """Each app's codes are one ``StrEnum`` (``<app>/errors.py``, core's in core/errors.py,
    as Saleor's error-code enum per app): a code is found by its name, and a new one is
    added there, never typed ad hoc."""
    import importlib
    from enum import StrEnum

    literal = [
        f"{rel}:{line} {code!r}"
        for rel, tree in code_files(app)
        for line, code in literal_codes(tree)
    ]
    assert not literal, f"raise with {app}.errors.Code members, not text: {literal}"
    if (ROOT / app / "errors.py").exists():
        codes = importlib.import_module(f"{app}.errors").Code
        assert issubclass(codes, StrEnum)
        values = [member.value for member in codes]
        assert len(values) == len(set(values))
        assert all(member.name == member.value.upper() for member in codes)


FOREIGN_ERRORS = re.compile(
    r"^(Exception|ValueError|TypeError|KeyError|LookupError|RuntimeError|AssertionError|"
    r"PermissionDenied|Http404|ValidationError|ObjectDoesNotExist|DoesNotExist)$"
)


def is_domain_module(rel: str) -> bool:
    """Services, selectors and rules: where the domain's errors are raised."""
    name = rel.rsplit("/", 1)[-1]
    return name in ("services.py", "selectors.py", "rules.py") or "/services/" in rel


def foreign_raises(tree) -> list[tuple[int, str]]:
    """(line, name) of each ``raise`` of an exception that is not a domain error."""
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Raise) and node.exc is not None:
            target = node.exc.func if isinstance(node.exc, ast.Call) else node.exc
            name = dotted(target).rsplit(".", 1)[-1]
            if FOREIGN_ERRORS.search(name):
                found.append((node.lineno, name))
    return sorted(found)


def test_the_foreign_raise_finder_finds():
    bad = "raise ValueError('x')\nraise PermissionDenied\nraise Person.DoesNotExist\n"
    assert foreign_raises(ast.parse(bad)) == [
        (1, "ValueError"),
        (2, "PermissionDenied"),
        (3, "DoesNotExist"),
    ]
    good = "raise ValidationFailed(_('x'), code=Code.X)\nraise out_of_reach()\nraise\n"
    assert foreign_raises(ast.parse(good)) == []


@pytest.mark.parametrize("app", apps())
def test_services_selectors_and_rules_raise_domain_errors(app):
    """A service, a selector or a rule raises core's error types (``NotFound``,
    ``Forbidden``, ``ValidationFailed``, ``Conflict`` and their subclasses): the one
    translation (API, pages, forms) knows them; a ``ValueError`` would be a 500."""
    foreign = [
        f"{rel}:{line} {name}"
        for rel, tree in code_files(app)
        if is_domain_module(rel)
        for line, name in foreign_raises(tree)
    ]
    assert not foreign, f"raise a core.errors type instead: {foreign}"


CORE_HELPERS = {"chunks": "core/bulk.py", "model_update": "core/services.py"}


@pytest.mark.parametrize("app", apps())
def test_core_helpers_are_not_copied(app):
    """``core.bulk.chunks`` and ``core.services.model_update`` are written once."""
    copies = [
        f"{rel}:{node.lineno} {node.name}"
        for rel, tree in code_files(app)
        for node in ast.walk(tree)
        if isinstance(node, ast.FunctionDef)
        and node.name.lstrip("_") in CORE_HELPERS
        and rel != CORE_HELPERS[node.name.lstrip("_")]
    ]
    assert not copies, f"use core's helper: {copies}"
