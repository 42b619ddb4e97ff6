"""Writes of the area tree."""

from __future__ import annotations

from django.utils.translation import gettext as _

from core.audit import acting_as
from core.errors import Conflict, Forbidden, ValidationFailed
from core.services import service
from core.text import fold
from geo.errors import Code
from geo.models import LEVEL_ORDER, Area


def area_path(*, code: str, parent: Area | None) -> str:
    return f"{parent.path if parent else ''}{code}/"


def check_level(*, level: str, parent: Area | None) -> None:
    index = LEVEL_ORDER.index(level)
    if index == 0:
        if parent is not None:
            raise ValidationFailed(
                _("Un pays n'a pas de zone parente."), code=Code.AREA_PARENT, field="parent"
            )
        return
    if parent is None or parent.level != LEVEL_ORDER[index - 1]:
        raise ValidationFailed(
            _("La zone parente doit être du niveau immédiatement supérieur."),
            code=Code.AREA_PARENT,
            field="parent",
        )


@service
def area_create(*, code: str, name: str, level: str, parent: Area | None, actor=None) -> Area:
    code, name = (code or "").strip(), (name or "").strip()
    if not code:
        raise ValidationFailed(_("Le code est obligatoire."), code=Code.REQUIRED, field="code")
    if not name:
        raise ValidationFailed(_("Le nom est obligatoire."), code=Code.REQUIRED, field="name")
    check_level(level=level, parent=parent)
    if Area.objects.filter(code=code).exists():
        raise Conflict(
            _("Le code %(code)s existe déjà.") % {"code": code}, code=Code.DUPLICATE, field="code"
        )
    return Area.objects.create(
        code=code,
        name=name,
        level=level,
        parent=parent,
        path=area_path(code=code, parent=parent),
        search_text=fold(name, code),
    )


def areas_import(*, source, kind: str, actor=None, dry_run: bool = False, filename=None):
    """Import areas (``kind`` ``communes`` or ``hierarchy``) from a CSV or XLSX file.

    Returns a :class:`core.tabular.ImportReport`; with any error, nothing is written.
    ``actor`` None means the system (a management command run on the server).
    """
    from geo.imports import IMPORTS
    from geo.rules import can_import_areas

    if actor is not None and not can_import_areas(actor):
        raise Forbidden(_("Seul le niveau national peut importer des zones."), code=Code.FORBIDDEN)
    if kind not in IMPORTS:
        raise ValidationFailed(
            _("Type d'import inconnu : %(kind)s (attendu : %(known)s).")
            % {"kind": kind, "known": ", ".join(IMPORTS)},
            code=Code.IMPORT_KIND,
            field="kind",
        )
    with acting_as(actor):
        return IMPORTS[kind](actor=actor).run(source, dry_run=dry_run, filename=filename)
