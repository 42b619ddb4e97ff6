"""Importing cooperatives, persons and memberships from CSV or XLSX (core.tabular).

Each kind validates every row (reporting every error by row and column), then writes
all rows through the registry services in one transaction, or nothing at all. A dry run
goes through the very same writes inside a transaction that is rolled back, so it
reports what the real import would (created, updated, and the errors only the services
can find: scope, OHADA rules).

Natural keys make an import idempotent (importing the same file twice creates nothing):

- cooperatives: the registration number (RSC) when given, else name (case and accents
  ignored) + commune;
- persons: the national ID when given, else phone + birth date + name (as for
  duplicates), else name + birth date + commune;
- members: cooperative + person, the person found by national ID or phone.

Existing rows are updated with the non-empty cells that differ (a blank cell never erases).
"""

from __future__ import annotations

import functools
from typing import Any

from django.db import transaction
from django.db.models import Count, Q
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from core import bulk
from core.errors import DomainError, Forbidden, NotFound, ValidationFailed
from core.tabular import (
    CellError,
    Column,
    ImportReport,
    Row,
    TabularImport,
    column_error,
)
from core.tabular import parse_date as _parse_date
from core.text import fold
from registry import cleaners as clean
from registry import ohada, services
from registry import rules as perms
from registry.errors import Code
from registry.models import (
    Cooperative,
    EducationLevel,
    LegalForm,
    MemberRole,
    Membership,
    MembershipStatus,
    Person,
    Sex,
    ValueChainStage,
)
from registry.selectors import cooperative_list, cooperative_scope_q, person_list

KINDS = ("cooperatives", "persons", "members")

TRUE_WORDS = {"1", "oui", "o", "yes", "y", "true", "vrai", "x"}
FALSE_WORDS = {"", "0", "non", "n", "no", "false", "faux"}


def parse_bool(text: str, column: str) -> bool:
    value = fold(text)
    if value in TRUE_WORDS:
        return True
    if value in FALSE_WORDS:
        return False
    raise column_error(column, f"« {text} » : oui ou non attendu.")


def parse_date(text: str, column: str):
    if not text:
        return None
    try:
        return _parse_date(text)
    except CellError as exc:
        raise column_error(column, exc) from None


def parse_choice(text: str, choices, column: str, *, blank: bool = False) -> str:
    """A code or its French label, ignoring case and accents."""
    if not text and blank:
        return ""
    value = _choice_keys(choices, get_language()).get(fold(text))
    if value is not None:
        return value
    allowed = ", ".join(choices.values)
    raise column_error(column, f"« {text} » : valeur attendue parmi {allowed}.")


@functools.lru_cache(maxsize=64)
def _choice_keys(choices, language: str | None) -> dict[str, str]:
    """Folded code and label -> code, the first choice winning (labels per language)."""
    keys: dict[str, str] = {}
    for value, label in choices.choices:
        keys.setdefault(fold(value), value)
        keys.setdefault(fold(label), value)
    return keys


class RegistryImport(TabularImport):
    kind = ""

    def check_permission(self) -> None:
        if not perms.can_import.test(self.actor):
            raise Forbidden(_("Votre rôle ne permet pas d'importer des fichiers."))

    def clean(self, row: Row, column: str, func, *args):
        """Run a service cleaner on one cell, reporting its error on that column."""
        try:
            return func(*args)
        except DomainError as exc:
            raise column_error(column, exc.message) from None

    def cells(self, row: Row, parsers: dict) -> dict | None:
        """Parse every cell, reporting EVERY error of the row; None when any failed.

        ``parsers``: column -> function(text) returning the value, or :data:`SKIP` (blank
        optional cell). Errors name their column.
        """
        values, ok = {}, True
        for column, parse in parsers.items():
            try:
                value = parse(row.get(column, ""))
            except CellError as exc:
                self.error(row, getattr(exc, "column", "") or column, exc)
                ok = False
                continue
            except DomainError as exc:
                self.error(row, column, exc.message)
                ok = False
                continue
            if value is not SKIP:
                values[column] = value
        return values if ok else None


SKIP = object()


def required(column: str, label: str):
    def parse(text: str) -> str:
        text = " ".join(text.split())
        if not text:
            raise column_error(column, f"{label} est obligatoire.")
        return text

    return parse


def optional(func):
    """``func`` on a non-blank cell, SKIP on a blank one."""
    return lambda text: func(text) if text else SKIP


# --------------------------------------------------------------------------- cooperatives


class CooperativeImport(RegistryImport):
    kind = "cooperatives"
    columns = [
        Column("name", aliases=("nom", "nom de la cooperative", "cooperative")),
        Column("legal_form", aliases=("forme juridique", "forme")),
        Column("commune", aliases=("code commune",)),
        Column("sector", aliases=("secteur", "code secteur")),
        Column("value_chain_stage", aliases=("maillon", "chaine de valeur")),
        Column("registration_number", False, ("numero rsc", "rsc", "immatriculation")),
        Column("founded_on", False, ("date de creation", "creation")),
        Column("phone", False, ("telephone", "tel")),
        Column("email", False, ("e mail", "courriel")),
        Column("address", False, ("adresse",)),
        Column("latitude", False),
        Column("longitude", False),
        # read-only columns of the export (registry/exports.py), ignored
        Column("id", False, ("identifiant",)),
        Column("region", False, ("region",)),
        Column("department", False, ("departement",)),
        Column("commune_name", False, ("nom de la commune",)),
        Column("stage", False, ("etape",)),
        Column("stage_changed_on", False, ("date de l'etape",)),
        Column("member_count", False, ("membres actifs",)),
    ]
    field_columns = {"on": "founded_on", "stage": "name", "role": "name"}

    def prepare(self, rows) -> None:
        self.seen: dict[tuple, int] = {}
        self.visible = {
            c.pk: c for c in cooperative_list(actor=self.actor).select_related("commune")
        }
        self.by_rsc = {
            c.registration_number: c for c in self.visible.values() if c.registration_number
        }
        self.by_name = {(fold(c.name), c.commune_id): c for c in self.visible.values()}

    def validate(self, row: Row) -> Any:
        values = self.cells(
            row,
            {
                "name": required("name", "Le nom"),
                "legal_form": lambda t: parse_choice(t, LegalForm, "legal_form"),
                "commune": clean.commune,
                "sector": clean.sector,
                "value_chain_stage": lambda t: parse_choice(
                    t, ValueChainStage, "value_chain_stage"
                ),
                "registration_number": optional(lambda t: " ".join(t.split())),
                "founded_on": optional(lambda t: parse_date(t, "founded_on")),
                "phone": optional(clean.normalize_phone),
                "email": optional(clean.email),
                "address": optional(lambda t: t),
                "latitude": optional(clean.latitude),
                "longitude": optional(clean.longitude),
            },
        )
        if values is None:
            return None
        rsc = values.get("registration_number")
        key = ("rsc", rsc) if rsc else ("name", fold(values["name"]), values["commune"].pk)
        if key in self.seen:
            raise column_error(
                "registration_number" if rsc else "name",
                f"Même coopérative que la ligne {self.seen[key]}.",
            )
        self.seen[key] = row.number
        existing = self.by_rsc.get(rsc) if rsc else None
        existing = existing or self.by_name.get((fold(values["name"]), values["commune"].pk))
        return {"existing": existing, "values": values}

    def write(self, plan) -> str:
        existing, values = plan["existing"], plan["values"]
        if existing is None:
            services.cooperative_register(actor=self.actor, **values)
            return "created"
        changed = {k: v for k, v in values.items() if _differs(getattr(existing, k), v)}
        if not changed:
            return "unchanged"
        services.cooperative_update(actor=self.actor, cooperative=existing, **changed)
        return "updated"


def _differs(current, new) -> bool:
    if hasattr(current, "pk") and hasattr(new, "pk"):
        return current.pk != new.pk
    if current in (None, "") and new in (None, ""):
        return False
    return current != new


# --------------------------------------------------------------------------- persons


class PersonImport(RegistryImport):
    kind = "persons"
    columns = [
        Column("first_name", aliases=("prenom", "prenoms")),
        Column("last_name", aliases=("nom", "nom de famille")),
        Column("sex", aliases=("sexe", "genre")),
        Column("birth_date", False, ("date de naissance", "naissance")),
        Column("phone", False, ("telephone", "tel")),
        Column("national_id", False, ("cni", "numero cni", "numero de cni")),
        Column("commune", False, ("code commune",)),
        Column("disability", False, ("handicap", "situation de handicap")),
        Column("education_level", False, ("niveau d'instruction", "instruction")),
        Column("id", False, ("identifiant",)),
        Column("commune_name", False, ("nom de la commune",)),
    ]

    def prepare(self, rows) -> None:
        self.seen: dict[tuple, int] = {}

    def validate(self, row: Row) -> Any:
        values = self.cells(
            row,
            {
                "first_name": required("first_name", "Le prénom"),
                "last_name": required("last_name", "Le nom"),
                "sex": _sex,
                "birth_date": optional(lambda t: clean.birth_date(parse_date(t, "birth_date"))),
                "phone": optional(clean.normalize_phone),
                "national_id": optional(clean.normalize_national_id),
                "commune": optional(clean.commune),
                "disability": optional(lambda t: parse_bool(t, "disability")),
                "education_level": optional(
                    lambda t: parse_choice(t, EducationLevel, "education_level")
                ),
            },
        )
        if values is None:
            return None
        key = person_key(values)
        if key in self.seen:
            raise column_error(
                key[0] if key[0] in ("national_id", "phone") else "last_name",
                f"Même personne que la ligne {self.seen[key]}.",
            )
        self.seen[key] = row.number
        matches = _find_persons(self.actor, values)
        if len(matches) > 1:
            raise column_error(
                "national_id" if values.get("national_id") else "last_name",
                "Plusieurs personnes du registre correspondent : fusionnez-les d'abord.",
            )
        return {"existing": matches[0] if matches else None, "values": values}

    def write(self, plan) -> str:
        existing, values = plan["existing"], plan["values"]
        if existing is None:
            services.person_create(actor=self.actor, **values)
            return "created"
        changed = {k: v for k, v in values.items() if _differs(getattr(existing, k), v)}
        if not changed:
            return "unchanged"
        services.person_update(actor=self.actor, person=existing, **changed)
        return "updated"


def _sex(text: str) -> str:
    key = fold(text)
    if key in {"f", "femme", "feminin"}:
        return Sex.F
    if key in {"m", "h", "homme", "masculin"}:
        return Sex.M
    raise column_error("sex", f"« {text} » : F ou M attendu.")


def person_key(values: dict) -> tuple:
    if values.get("national_id"):
        return ("national_id", values["national_id"])
    key = services.identity_key(
        values.get("phone", ""), values.get("birth_date"), values["first_name"], values["last_name"]
    )
    if key:
        return ("phone", key)
    commune = values.get("commune")
    return (
        "name",
        " ".join(sorted(fold(values["first_name"], values["last_name"]).split())),
        values.get("birth_date"),
        commune.pk if commune else None,
    )


def _find_persons(actor, values: dict) -> list[Person]:
    """Existing persons matching the natural key (never merged ones)."""
    kind, *rest = person_key(values)
    base = Person.objects.filter(merged_into__isnull=True)
    if kind == "national_id":
        found = list(base.filter(national_id=rest[0])[:2])
    elif kind == "phone":
        found = list(base.filter(identity_key=rest[0])[:2])
    else:
        name, birth, commune_id = rest
        candidates = base.filter(
            first_name__iexact=values["first_name"],
            last_name__iexact=values["last_name"],
            birth_date=birth,
            commune_id=commune_id,
        )
        found = [
            p
            for p in candidates[:5]
            if " ".join(sorted(fold(p.first_name, p.last_name).split())) == name
        ][:2]
    if found and not person_list(actor=actor).filter(pk__in=[p.pk for p in found]).exists():
        # Someone else's record: creating a new one would make a duplicate.
        raise column_error(
            "national_id" if kind == "national_id" else "last_name",
            "Cette personne existe hors de votre zone : demandez à un agent national.",
        )
    return found


# --------------------------------------------------------------------------- members


class MemberImport(RegistryImport):
    """Set-based: the file's cooperatives, persons and their memberships are looked up in a
    few queries; every rule of :func:`~registry.services.member_admit`,
    ``member_role_change`` and ``member_leave`` is checked at validation for every row
    (earlier rows of the file counting, as if written one by one); new memberships are
    written by :func:`~registry.services.members_admit_bulk`."""

    kind = "members"
    columns = [
        Column("cooperative", aliases=("cooperative rsc", "numero rsc", "rsc", "cooperative id")),
        Column("national_id", False, ("cni", "numero cni", "numero de cni")),
        Column("phone", False, ("telephone", "tel")),
        Column("joined_on", aliases=("date d'adhesion", "adhesion")),
        Column("role", False, ("role", "fonction")),
        Column("left_on", False, ("date de sortie", "sortie")),
        Column("cooperative_name", False, ("nom de la cooperative",)),
        Column("first_name", False, ("prenom",)),
        Column("last_name", False, ("nom",)),
        Column("status", False, ("statut",)),
    ]
    field_columns = {"person": "national_id"}

    # lookups ------------------------------------------------------------------------------

    def prepare(self, rows: list[Row]) -> None:
        self.seen: dict[tuple, int] = {}
        self.allowed: dict[int, bool] = {}
        # A file repeats its dates, roles, CNIs: each distinct cell text is parsed once
        # (what a parser raises is not cached: a bad cell is reported on every row).
        self.national_id = functools.cache(clean.normalize_national_id)
        self.phone = functools.cache(clean.normalize_phone)
        self.role = functools.cache(_role)
        self.date = {
            c: functools.cache(lambda t, c=c: parse_date(t, c)) for c in ("joined_on", "left_on")
        }
        # IN lists by chunks: a file may hold more rows than a query may take parameters.
        keys = {" ".join(row.get("cooperative", "").split()) for row in rows}
        keys.discard("")
        found = [
            c
            for chunk in bulk.chunks(sorted(keys))
            for c in Cooperative.objects.filter(cooperative_scope_q(self.actor))
            .filter(
                Q(registration_number__in=chunk) | Q(pk__in=[int(k) for k in chunk if k.isdigit()])
            )
            .select_related("commune")
        ]
        self.coops = {str(c.pk): c for c in found}
        self.coops.update({c.registration_number: c for c in found if c.registration_number})
        national_ids, phones = set(), set()
        for row in rows:
            national_ids.add(_or_none(self.national_id, row.get("national_id")))
            phones.add(_or_none(self.phone, row.get("phone")))
        national_ids.discard(None)
        phones.discard(None)
        visible = (
            person_list(actor=self.actor)
            .select_related(None)
            .only("first_name", "last_name", "national_id", "phone", "merged_into_id")
        )
        self.by_national_id: dict[str, list[Person]] = {}
        self.by_phone: dict[str, list[Person]] = {}
        for chunk in bulk.chunks(sorted(national_ids)):
            for person in visible.filter(national_id__in=chunk):
                self.by_national_id.setdefault(person.national_id, []).append(person)
        for chunk in bulk.chunks(sorted(phones)):
            for person in visible.filter(phone__in=chunk):
                self.by_phone.setdefault(person.phone, []).append(person)
        coop_ids = {c.pk for c in found}
        person_ids = {p.pk for ps in self.by_national_id.values() for p in ps}
        person_ids |= {p.pk for ps in self.by_phone.values() for p in ps}
        # The membership each row may update: active first, then the latest joined.
        self.existing: dict[tuple[int, int], Membership] = {}
        for chunk in bulk.chunks(sorted(person_ids)):
            for m in Membership.objects.filter(person_id__in=chunk).order_by(
                "status",
                "-joined_on",  # "active" sorts before "left"
            ):
                if m.cooperative_id in coop_ids:
                    self.existing.setdefault((m.cooperative_id, m.person_id), m)
        # Each cooperative's active members and offices, updated row by row; only needed
        # (and counted) where a row of the file gives an office.
        office_coops = set()
        for row in rows:
            coop = self.coops.get(" ".join(row.get("cooperative", "").split()))
            if coop is not None and _or_none(self.role, row.get("role")) in ohada.COMMITTEE_ROLES:
                office_coops.add(coop.pk)
        self.state: dict[int, dict[str, int]] = {
            c["cooperative_id"]: c
            for chunk in bulk.chunks(sorted(office_coops))
            for c in Membership.objects.filter(
                cooperative_id__in=chunk, status=MembershipStatus.ACTIVE
            )
            .order_by()
            .values("cooperative_id")
            .annotate(
                active=Count("id"),
                presidents=Count("id", filter=Q(role=MemberRole.PRESIDENT)),
                committee=Count("id", filter=Q(role__in=ohada.COMMITTEE_ROLES)),
            )
        }

    # validation ---------------------------------------------------------------------------

    def validate(self, row: Row) -> Any:
        values = self.cells(
            row,
            {
                "cooperative": self._cooperative,
                "national_id": optional(self.national_id),
                "phone": optional(self.phone),
                "joined_on": lambda t: self.date["joined_on"](
                    required("joined_on", "La date d'adhésion")(t)
                ),
                "role": self.role,
                "left_on": optional(self.date["left_on"]),
            },
        )
        if values is None:
            return None
        person = self._person(values)
        coop, joined_on, role = values["cooperative"], values["joined_on"], values["role"]
        left_on = values.get("left_on")
        if left_on and left_on < joined_on:
            raise column_error("left_on", "La date de sortie précède la date d'adhésion.")
        key = (coop.pk, person.pk)
        if key in self.seen:
            raise column_error("national_id", f"Même adhésion que la ligne {self.seen[key]}.")
        self.seen[key] = row.number
        plan = {
            "cooperative": coop,
            "person": person,
            "joined_on": joined_on,
            "role": role,
            "left_on": left_on,
        }
        existing = self.existing.get(key)
        if existing is not None and (
            existing.status == MembershipStatus.ACTIVE or existing.joined_on == joined_on
        ):
            return self._check_existing(plan, existing)
        return self._check_admit(plan)

    def _check_existing(self, plan: dict, m: Membership) -> dict:
        """The rules of member_role_change then member_leave on an active membership."""
        coop, role, left_on = plan["cooperative"], plan["role"], plan["left_on"]
        plan.update(action="unchanged", membership=m, new_role=None, leave=False)
        if m.status != MembershipStatus.ACTIVE:
            return plan
        state = self._state(coop)
        if m.role != role:
            self._check_allowed(coop)
            services.check_office_counts(
                coop,
                role,
                active_after=state["active"],
                presidents=state["presidents"] - (m.role == MemberRole.PRESIDENT),
                committee=state["committee"] - (m.role in ohada.COMMITTEE_ROLES),
            )
            plan.update(action="updated", new_role=role)
        if left_on:
            self._check_allowed(coop)
            if left_on < m.joined_on:
                raise ValidationFailed(
                    _("La date de sortie précède la date d'adhésion."),
                    code=Code.LEFT_BEFORE_JOINED,
                    field="left_on",
                )
            plan.update(action="updated", leave=True)
        services.office_tally(state, m.role, -1)
        if not plan["leave"]:
            services.office_tally(state, role)
        return plan

    def _check_admit(self, plan: dict) -> dict:
        """The rules of member_admit (then member_leave when the row has a left date)."""
        coop, person, role = plan["cooperative"], plan["person"], plan["role"]
        self._check_allowed(coop)
        services.check_admission(coop, person, merged=bool(person.merged_into_id), member=False)
        state = self._state(coop)
        services.check_office_counts(
            coop,
            role,
            active_after=state["active"] + 1,
            presidents=state["presidents"],
            committee=state["committee"],
        )
        if not plan["left_on"]:
            services.office_tally(state, role)
        plan["action"] = "created"
        return plan

    def _check_allowed(self, coop: Cooperative) -> None:
        if coop.pk not in self.allowed:
            self.allowed[coop.pk] = perms.can_manage_members.test(self.actor, coop)
        if not self.allowed[coop.pk]:
            raise Forbidden(_("Action non autorisée pour votre rôle."))

    def _state(self, coop: Cooperative) -> dict[str, int]:
        return self.state.setdefault(coop.pk, {"active": 0, "presidents": 0, "committee": 0})

    def _cooperative(self, text: str) -> Cooperative:
        coop = self.coops.get(" ".join(text.split()))
        if coop is None:
            raise column_error(
                "cooperative",
                f"Coopérative introuvable : « {text} » (numéro RSC ou identifiant attendu).",
            )
        return coop

    def _person(self, values: dict) -> Person:
        if values.get("national_id"):
            found = self.by_national_id.get(values["national_id"], [])
            column = "national_id"
        elif values.get("phone"):
            found = self.by_phone.get(values["phone"], [])
            column = "phone"
        else:
            raise column_error("national_id", "Numéro de CNI ou téléphone requis.")
        if not found:
            raise column_error(column, "Aucune personne du registre ne correspond.")
        if len(found) > 1:
            raise column_error(column, "Plusieurs personnes correspondent : précisez la CNI.")
        return found[0]

    # writing ------------------------------------------------------------------------------

    def would_do(self, plan) -> str:
        return plan["action"]

    def write(self, plan) -> str:
        """An existing member's role change and/or leave (new members: :meth:`write_all`)."""
        m = plan["membership"]
        if plan["new_role"]:
            services.member_role_change(actor=self.actor, membership=m, role=plan["role"])
        if plan["leave"]:
            services.member_leave(actor=self.actor, membership=m, left_on=plan["left_on"])
        return plan["action"]

    def write_all(self, plans: list[tuple[int, dict]]) -> None:
        """Every plan in file order: new memberships in bulk, between the role changes and
        leaves of existing ones (so each row sees the rows before it, as validated)."""
        batch: list[tuple[int, dict]] = []
        for number, plan in plans:
            if plan["action"] == "created":
                batch.append((number, plan))
                continue
            self._admit(batch)
            batch = []
            self.write_one(number, plan)
        self._admit(batch)

    def _admit(self, batch: list[tuple[int, dict]]) -> None:
        if not batch:
            return
        try:
            services.members_admit_bulk(
                actor=self.actor,
                rows=[
                    {k: plan[k] for k in ("cooperative", "person", "joined_on", "role", "left_on")}
                    for _number, plan in batch
                ],
            )
        except DomainError as exc:
            number = batch[getattr(exc, "row", 0)][0]
            self.error(number, self.column_for(exc), exc.message)
            raise _Rollback from exc
        self.report.created += len(batch)


def _role(text: str) -> str:
    return parse_choice(text or "membre", MemberRole, "role")


def _or_none(func, text: str | None):
    """``func(text)``, None when the cell is blank or wrong (validation reports it)."""
    if not text:
        return None
    try:
        return func(text)
    except (DomainError, CellError):
        return None


class _Rollback(Exception):
    pass


IMPORTERS = {
    "cooperatives": CooperativeImport,
    "persons": PersonImport,
    "members": MemberImport,
}


class _DryRun(Exception):
    pass


def run_import(
    kind: str, source, *, actor, dry_run: bool = False, filename: str | None = None
) -> ImportReport:
    """Import ``source`` (path, bytes or uploaded file) of ``kind``; see the module doc."""
    if kind not in IMPORTERS:
        raise NotFound(
            _("Type d'import inconnu : %(kind)s (attendu : %(known)s).")
            % {"kind": kind, "known": ", ".join(KINDS)}
        )
    importer = IMPORTERS[kind](actor=actor)
    if not dry_run:
        return importer.run(source, filename=filename)
    report = None
    try:
        with transaction.atomic():
            report = importer.run(source, filename=filename)
            raise _DryRun
    except _DryRun:
        pass
    report.dry_run = True
    return report


__all__ = ["KINDS", "run_import", "ValidationFailed"]
