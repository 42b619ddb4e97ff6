"""Importing areas from CSV or XLSX (core.tabular): communes, or a whole hierarchy.

* ``communes``: columns ``code``, ``name``, ``department`` (the department's code);
  every commune goes under an existing department.
* ``hierarchy``: columns ``code``, ``name``, ``level``, ``parent``; loads a country the
  same way Senegal ships (``geo/data/SN-areas.csv``, ``geo/data/ML-areas.csv``). A parent
  must exist already or come higher up in the file.

Both validate every row before writing anything (unknown parent, wrong level, duplicate
code in the file or in the database, empty or too long name...), and a file with any
error writes nothing. Writes go through :func:`geo.services.area_create`.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext as _

from core.tabular import Column, Row, TabularImport
from core.text import fold
from geo.models import LEVEL_ORDER, Area, AreaLevel
from geo.services import area_create

CODE_MAX = Area._meta.get_field("code").max_length
NAME_MAX = Area._meta.get_field("name").max_length

CODE = Column("code", aliases=("code commune", "code zone"))
NAME = Column("name", aliases=("nom", "commune", "nom commune", "libelle", "libellé"))
DEPARTMENT = Column(
    "department",
    aliases=(
        "département",
        "code département",
        "department code",
        "code du département",
        "département code",
    ),
)
LEVEL = Column("level", aliases=("niveau",))
PARENT = Column("parent", aliases=("code parent", "parent code", "zone parente"))

LEVEL_NAMES = {
    fold(name): level
    for level, names in {
        AreaLevel.COUNTRY: ("country", "pays"),
        AreaLevel.REGION: ("region", "région", "district"),
        AreaLevel.DEPARTMENT: ("department", "département", "cercle"),
        AreaLevel.COMMUNE: ("commune",),
    }.items()
    for name in names
}


@dataclass
class AreaPlan:
    code: str
    name: str
    level: str
    parent_code: str | None


class AreaImport(TabularImport):
    """What both kinds share: codes and names checked, duplicates caught, writes in order."""

    def prepare(self, rows) -> None:
        self.existing: dict[str, Area] = {a.code: a for a in Area.objects.all()}
        self.seen: dict[str, int] = {}  # code -> row where it first appears
        self.planned: dict[str, str] = {}  # code -> level, for rows of this file
        self.written: dict[str, Area] = {}

    def check_code_and_name(self, row: Row) -> tuple[str, str] | None:
        code, name = row["code"], row["name"]
        ok = True
        if not code:
            self.error(row, "code", _("Le code est obligatoire."))
            ok = False
        elif len(code) > CODE_MAX:
            self.error(row, "code", _("Le code dépasse %(n)d caractères.") % {"n": CODE_MAX})
            ok = False
        elif code in self.seen:
            self.error(
                row,
                "code",
                _("Code %(code)s en double dans le fichier (déjà ligne %(row)d).")
                % {"code": code, "row": self.seen[code]},
            )
            ok = False
        elif code in self.existing:
            self.error(
                row,
                "code",
                _("Le code %(code)s existe déjà (« %(name)s »).")
                % {"code": code, "name": self.existing[code].name},
            )
            ok = False
        if code and code not in self.seen:
            self.seen[code] = row.number
        if not name:
            self.error(row, "name", _("Le nom est obligatoire."))
            ok = False
        elif len(name) > NAME_MAX:
            self.error(row, "name", _("Le nom dépasse %(n)d caractères.") % {"n": NAME_MAX})
            ok = False
        return (code, name) if ok else None

    def parent_level(self, code: str) -> str | None:
        if code in self.existing:
            return self.existing[code].level
        return self.planned.get(code)

    def write(self, plan: AreaPlan) -> str:
        parent = None
        if plan.parent_code:
            parent = self.written.get(plan.parent_code) or self.existing[plan.parent_code]
        area = area_create(
            code=plan.code, name=plan.name, level=plan.level, parent=parent, actor=self.actor
        )
        self.written[area.code] = area
        return "created"


class CommuneImport(AreaImport):
    """Communes under existing departments: ``code``, ``name``, ``department``."""

    columns = [CODE, NAME, DEPARTMENT]

    def validate(self, row: Row) -> AreaPlan | None:
        checked = self.check_code_and_name(row)
        dept_code = row["department"]
        dept = None
        if not dept_code:
            self.error(row, "department", _("Le code du département est obligatoire."))
        else:
            dept = self.existing.get(dept_code) or self.existing.get(dept_code.upper())
            if dept is None:
                self.error(
                    row,
                    "department",
                    _("Département inconnu : %(code)s.") % {"code": dept_code},
                )
            elif dept.level != AreaLevel.DEPARTMENT:
                self.error(
                    row,
                    "department",
                    _("%(code)s n'est pas un département (c'est : %(level)s).")
                    % {"code": dept_code, "level": dept.get_level_display()},
                )
                dept = None
        if checked is None or dept is None:
            return None
        code, name = checked
        self.planned[code] = AreaLevel.COMMUNE
        return AreaPlan(code, name, AreaLevel.COMMUNE, dept.code)


class HierarchyImport(AreaImport):
    """Any level: ``code``, ``name``, ``level``, ``parent`` (empty for a country)."""

    columns = [CODE, NAME, LEVEL, PARENT]

    def validate(self, row: Row) -> AreaPlan | None:
        checked = self.check_code_and_name(row)
        level = LEVEL_NAMES.get(fold(row["level"]))
        parent_code = row["parent"] or None
        ok = checked is not None
        if level is None:
            self.error(
                row,
                "level",
                _("Niveau inconnu « %(level)s » : attendu country, region, department ou commune.")
                % {"level": row["level"]},
            )
            return None
        index = LEVEL_ORDER.index(level)
        if index == 0:
            if parent_code:
                self.error(row, "parent", _("Un pays n'a pas de zone parente."))
                ok = False
        elif not parent_code:
            self.error(row, "parent", _("La zone parente est obligatoire."))
            ok = False
        else:
            parent_level = self.parent_level(parent_code)
            if parent_level is None:
                self.error(
                    row,
                    "parent",
                    _(
                        "Zone parente inconnue : %(code)s (elle doit exister ou figurer plus "
                        "haut dans le fichier)."
                    )
                    % {"code": parent_code},
                )
                ok = False
            elif parent_level != LEVEL_ORDER[index - 1]:
                self.error(
                    row,
                    "parent",
                    _("La zone parente %(code)s doit être de niveau « %(level)s ».")
                    % {"code": parent_code, "level": LEVEL_ORDER[index - 1].label},
                )
                ok = False
        if not ok:
            return None
        code, name = checked
        self.planned[code] = level
        return AreaPlan(code, name, level, parent_code)


IMPORTS: dict[str, type[AreaImport]] = {
    "communes": CommuneImport,
    "hierarchy": HierarchyImport,
}
