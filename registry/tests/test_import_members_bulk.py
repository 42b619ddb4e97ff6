"""The set-based members import (registry/imports.py, services.members_admit_bulk) keeps
the rules of the row-by-row import it replaced, which wrote each row with member_admit.

The reference, :class:`RowByRowMemberImport`, is that previous importer verbatim. Each
case runs through both (each in a transaction rolled back) and must give the same report
(row, column, message, counts), the same memberships and the same history rows.
"""

import datetime
from typing import Any

import pytest
from django.db import transaction

from core.errors import DomainError
from core.tabular import Row
from geo.models import AreaChange
from registry import services
from registry.imports import (
    Column,
    MemberImport,
    RegistryImport,
    column_error,
    optional,
    parse_choice,
    parse_date,
    required,
)
from registry.models import Cooperative, MemberRole, Membership, MembershipStatus, Person
from registry.selectors import cooperative_list, person_list
from registry.tests.factories import CooperativeFactory, MembershipFactory, PersonFactory


class RowByRowMemberImport(RegistryImport):
    """The members import before it became set-based (one member_admit a row)."""

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

    def prepare(self, rows) -> None:
        self.seen: dict[tuple, int] = {}
        visible = list(cooperative_list(actor=self.actor))
        self.coops = {str(c.pk): c for c in visible}
        self.coops.update({c.registration_number: c for c in visible if c.registration_number})

    def validate(self, row: Row) -> Any:
        values = self.cells(
            row,
            {
                "cooperative": self._cooperative,
                "national_id": optional(services.normalize_national_id),
                "phone": optional(services.normalize_phone),
                "joined_on": lambda t: parse_date(
                    required("joined_on", "La date d'adhésion")(t), "joined_on"
                ),
                "role": lambda t: parse_choice(t or "membre", MemberRole, "role"),
                "left_on": optional(lambda t: parse_date(t, "left_on")),
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
        return {
            "cooperative": coop,
            "person": person,
            "joined_on": joined_on,
            "role": role,
            "left_on": left_on,
        }

    def _cooperative(self, text: str) -> Cooperative:
        coop = self.coops.get(" ".join(text.split()))
        if coop is None:
            raise column_error(
                "cooperative",
                f"Coopérative introuvable : « {text} » (numéro RSC ou identifiant attendu).",
            )
        return coop

    def _person(self, values: dict) -> Person:
        visible = person_list(actor=self.actor)
        if values.get("national_id"):
            found = list(visible.filter(national_id=values["national_id"])[:2])
            column = "national_id"
        elif values.get("phone"):
            found = list(visible.filter(phone=values["phone"])[:2])
            column = "phone"
        else:
            raise column_error("national_id", "Numéro de CNI ou téléphone requis.")
        if not found:
            raise column_error(column, "Aucune personne du registre ne correspond.")
        if len(found) > 1:
            raise column_error(column, "Plusieurs personnes correspondent : précisez la CNI.")
        return found[0]

    def write(self, plan) -> str:
        coop, person = plan["cooperative"], plan["person"]
        existing = (
            Membership.objects.filter(cooperative=coop, person=person)
            .order_by("status", "-joined_on")  # "active" sorts before "left"
            .first()
        )
        if existing is not None and (
            existing.status == MembershipStatus.ACTIVE or existing.joined_on == plan["joined_on"]
        ):
            action, active = "unchanged", existing.status == MembershipStatus.ACTIVE
            if active and existing.role != plan["role"]:
                services.member_role_change(
                    actor=self.actor, membership=existing, role=plan["role"]
                )
                action = "updated"
            if active and plan["left_on"]:
                services.member_leave(
                    actor=self.actor, membership=existing, left_on=plan["left_on"]
                )
                action = "updated"
            return action
        membership = services.member_admit(
            actor=self.actor,
            cooperative=coop,
            person=person,
            joined_on=plan["joined_on"],
            role=plan["role"],
        )
        if plan["left_on"]:
            services.member_leave(actor=self.actor, membership=membership, left_on=plan["left_on"])
        return "created"


HEADER = "coopérative;cni;téléphone;date d'adhésion;rôle;date de sortie"


@pytest.fixture
def reg(world):
    """Cooperatives and persons of Koumpentoum (the Tambacounda agent's), some members."""
    kpt = world.koumpentoum
    coops = {
        key: CooperativeFactory(name=f"Coop {key}", commune=kpt, registration_number=f"RSC-{key}")
        for key in "ABCE"
    }
    coops["D"] = CooperativeFactory(
        name="Coop D", commune=kpt, registration_number="RSC-D", stage="dissoute"
    )
    world.coop_mbour.registration_number = "RSC-MBO"
    world.coop_mbour.save()
    persons = {
        f"P{i}": PersonFactory(commune=kpt, national_id=f"10000000000{i:02d}") for i in range(1, 13)
    }
    for key in ("pres", "mem", "mem2", "act", "act2", "twin1", "twin2"):
        persons[key] = PersonFactory(commune=kpt, national_id=f"20000000000{len(persons):02d}")
    persons["twin2"].national_id = persons["twin1"].national_id
    persons["twin2"].save()
    persons["P5"].phone = "+221770000105"
    persons["P5"].save()
    persons["merged"] = PersonFactory(
        commune=kpt, national_id="3000000000001", merged_into=persons["P12"]
    )
    a, d = coops["A"], datetime.date
    MembershipFactory(cooperative=a, person=persons["pres"], role="president")
    MembershipFactory(cooperative=a, person=persons["mem"], joined_on=d(2025, 1, 1))
    MembershipFactory(cooperative=a, person=persons["mem2"], joined_on=d(2025, 3, 1))
    MembershipFactory(cooperative=a, person=persons["act"])
    MembershipFactory(cooperative=a, person=persons["act2"])
    return {"world": world, "coops": coops, "persons": persons}


def line(reg, coop, person, joined="01/04/2025", role="membre", left="", phone=""):
    cni = reg["persons"][person].national_id if person in reg["persons"] else person
    return f"{coop};{cni};{phone};{joined};{role};{left}"


def good_rows(reg):
    return [
        line(reg, "RSC-A", "P1"),
        line(reg, "RSC-A", "pres"),  # the president steps down to member (updated) ...
        line(reg, "RSC-A", "P2", role="président(e)"),  # ... so a new one may be admitted
        line(reg, "RSC-A", "mem", left="30/06/2025"),  # an active member leaves (updated)
        line(reg, "RSC-B", "P3", "02/04/2025", "tresorier", "15/05/2025"),  # admitted, left
        line(reg, "RSC-B", "P4", "03/04/2025", "secretaire"),
        line(reg, "RSC-B", "", "04/04/2025", phone="77 000 01 05"),  # found by phone
    ]


CASES = {
    "unknown_person": lambda r: [line(r, "RSC-B", "9999999999999")],
    "merged_person": lambda r: [line(r, "RSC-B", "merged")],
    "two_persons_same_cni": lambda r: [line(r, "RSC-B", "twin1")],
    "already_active_member": lambda r: [line(r, "RSC-A", "act")],
    "already_active_member_new_office": lambda r: [line(r, "RSC-A", "act2", role="président")],
    "dissolved_cooperative": lambda r: [line(r, "RSC-D", "P6")],
    "two_presidents_in_the_file": lambda r: [
        line(r, "RSC-C", "P7", role="président(e)"),
        line(r, "RSC-C", "P8", role="president"),
    ],
    "committee_too_large": lambda r: [
        line(r, "RSC-E", "P9", role="vice_president"),
        line(r, "RSC-E", "P10", role="secrétaire"),
        line(r, "RSC-E", "P11", role="trésorier(ère)"),
        line(r, "RSC-E", "P12", role="secretaire"),
    ],
    "cooperative_out_of_scope": lambda r: [line(r, "RSC-MBO", "P1")],
    "duplicate_row": lambda r: [line(r, "RSC-A", "P1")],
    "left_before_the_existing_membership": lambda r: [
        line(r, "RSC-A", "mem2", "01/01/2025", left="15/02/2025")
    ],
    "unknown_cooperative_and_bad_date": lambda r: [line(r, "RSC-ZZ", "P6", "31/02/2025")],
}


class _Done(Exception):
    pass


def outcome(importer_class, lines, actor) -> dict:
    """What an import of ``lines`` reports and writes; rolled back afterwards."""
    data = ("\r\n".join([HEADER, *lines]) + "\r\n").encode("utf-8-sig")
    result = {}
    try:
        with transaction.atomic():
            AreaChange.objects.all().delete()
            report = importer_class(actor=actor).run(data, filename="m.csv")
            result["errors"] = [(e.row, e.column, str(e.message)) for e in report.errors]
            result["counts"] = (report.created, report.updated)
            result["memberships"] = sorted(
                Membership.objects.values_list(
                    "cooperative_id", "person_id", "joined_on", "left_on", "role", "status"
                )
            )
            result["history"] = [
                (h.cooperative_id, h.person_id, h.history_type, h.role, h.status, h.left_on)
                for h in Membership.history.order_by("cooperative_id", "person_id", "history_id")
            ] + [h.history_user_id for h in Membership.history.order_by("history_id")]
            first = {}
            for area, day in AreaChange.objects.values_list("area_id", "affects_from"):
                first[area] = min(day, first.get(area, day))
            result["first_day_marked"] = first
            raise _Done
    except _Done:
        pass
    return result


def test_good_file_writes_what_member_admit_wrote(reg):
    actor, lines = reg["world"].agent_tc, good_rows(reg)
    before = outcome(RowByRowMemberImport, lines, actor)
    after = outcome(MemberImport, lines, actor)
    assert before["errors"] == [] and before["counts"] == (5, 2)
    assert after == before
    assert len(after["memberships"]) > len(Membership.objects.all())  # it did write


def test_lookups_by_chunks_give_the_same_result(reg, monkeypatch):
    """Long files are looked up by chunks of IN lists: chunks of 2 change nothing."""
    from core import bulk

    actor = reg["world"].agent_tc
    lines = good_rows(reg) + CASES["two_presidents_in_the_file"](reg)
    whole = [outcome(MemberImport, rows, actor) for rows in (good_rows(reg), lines)]
    original, longest = bulk.chunks, []

    def by_two(values, size=None):
        longest.append(len(values))
        return original(values, 2)

    monkeypatch.setattr(bulk, "chunks", by_two)  # the services' and the imports' lookups
    assert [outcome(MemberImport, rows, actor) for rows in (good_rows(reg), lines)] == whole
    assert max(longest) > 2  # some lookups did take several chunks
    assert whole[0]["counts"] == (5, 2) and whole[1]["errors"]


@pytest.mark.parametrize("case", sorted(CASES))
def test_each_bad_row_is_reported_as_before(reg, case):
    actor = reg["world"].agent_tc
    lines = good_rows(reg) + CASES[case](reg)
    before = outcome(RowByRowMemberImport, lines, actor)
    after = outcome(MemberImport, lines, actor)
    assert after == before
    if case.startswith("already_active_member") and case != "already_active_member_new_office":
        assert before["errors"] == [] and before["counts"] == (5, 2)  # unchanged row
    else:
        assert before["errors"] and before["counts"] == (0, 0)
        assert all(row > len(good_rows(reg)) + 1 for row, _col, _msg in before["errors"])


def test_every_bad_row_of_a_file_is_reported_at_once(reg):
    """The row-by-row import stopped at the first error found while writing; the set-based
    one reports every row's error, each as the row alone would have had it."""
    actor, good = reg["world"].agent_tc, good_rows(reg)
    cases = [CASES[name](reg) for name in sorted(CASES)]
    expected, position = [], len(good)
    for rows in cases:
        blank = [""] * (position - len(good))  # the other cases' rows: same row numbers
        expected += outcome(RowByRowMemberImport, good + blank + rows, actor)["errors"]
        position += len(rows)
    combined = outcome(MemberImport, good + [r for rows in cases for r in rows], actor)
    assert sorted(combined["errors"]) == sorted(expected)
    assert len({row for row, _c, _m in expected}) >= 9
    assert combined["counts"] == (0, 0)
    assert combined["memberships"] == sorted(
        Membership.objects.values_list(
            "cooperative_id", "person_id", "joined_on", "left_on", "role", "status"
        )
    )


# ----------------------------------------------------------------------- the bulk service


def _admit_one_by_one(actor, rows):
    """member_admit (then member_leave) row by row: (memberships, index and error)."""
    done = []
    for index, row in enumerate(rows):
        try:
            m = services.member_admit(
                actor=actor,
                cooperative=row["cooperative"],
                person=row["person"],
                joined_on=row["joined_on"],
                role=row.get("role", "membre"),
            )
            if row.get("left_on"):
                m = services.member_leave(actor=actor, membership=m, left_on=row["left_on"])
        except DomainError as exc:
            return done, (index, type(exc), exc.code, exc.field, str(exc.message))
        done.append(m)
    return done, None


def _both(actor, rows):
    results = []
    for bulk in (False, True):
        try:
            with transaction.atomic():
                if bulk:
                    try:
                        services.members_admit_bulk(actor=actor, rows=rows)
                        error = None
                    except DomainError as exc:
                        error = (exc.row, type(exc), exc.code, exc.field, str(exc.message))
                else:
                    _done, error = _admit_one_by_one(actor, rows)
                written = sorted(
                    Membership.objects.values_list(
                        "cooperative_id", "person_id", "joined_on", "left_on", "role", "status"
                    )
                )
                history = sorted(
                    Membership.history.values_list(
                        "cooperative_id", "person_id", "history_type", "status", "history_user"
                    )
                )
                raise _Done
        except _Done:
            results.append((error, (written, history) if error is None else None))
    return results


def test_bulk_service_keeps_member_admit_rules(reg):
    world, coops, p = reg["world"], reg["coops"], reg["persons"]
    day = datetime.date(2025, 4, 1)

    def row(coop, person, role="membre", **extra):
        return {"cooperative": coop, "person": p[person], "joined_on": day, "role": role, **extra}

    a, b, c, e = coops["A"], coops["B"], coops["C"], coops["E"]
    scenarios = {
        "good": [row(b, "P1"), row(b, "P2", "president"), row(b, "P3", left_on=day)],
        "merged": [row(b, "P1"), row(b, "merged")],
        "already_member": [row(a, "act")],
        "member_twice_in_batch": [row(b, "P1"), row(b, "P1")],
        "dissolved": [row(coops["D"], "P1")],
        "two_presidents": [row(c, "P1", "president"), row(c, "P2", "president")],
        "president_taken": [row(a, "P1", "president")],
        "president_left_in_batch": [
            row(c, "P1", "president", left_on=day),
            row(c, "P2", "president"),
        ],
        "committee": [row(e, f"P{i}", "secretaire") for i in range(1, 5)],
        "out_of_scope": [row(b, "P1"), row(world.coop_mbour, "P2")],
        "bad_role": [row(b, "P1", "chef")],
        "left_before_joined": [row(b, "P1", left_on=day - datetime.timedelta(days=1))],
    }
    for name, rows in scenarios.items():
        one_by_one, bulk = _both(world.agent_tc, rows)
        assert bulk == one_by_one, name
        assert (one_by_one[0] is None) == (name in ("good", "president_left_in_batch")), name
    # a member may not manage members: Forbidden, as member_admit
    one_by_one, bulk = _both(world.member, [row(world.coop_tc, "P1")])
    assert bulk == one_by_one and one_by_one[0][1].__name__ == "Forbidden"


def test_bulk_service_marks_each_commune_once_from_its_earliest_day(reg):
    coops, p = reg["coops"], reg["persons"]
    AreaChange.objects.all().delete()
    services.members_admit_bulk(
        actor=reg["world"].national,
        rows=[
            {"cooperative": coops["B"], "person": p["P1"], "joined_on": "2025-05-02"},
            {"cooperative": coops["C"], "person": p["P2"], "joined_on": "2025-04-03"},
            {"cooperative": coops["B"], "person": p["P3"], "joined_on": "2025-06-01"},
        ],
    )
    marks = list(AreaChange.objects.values_list("area_id", "affects_from"))
    assert marks == [(reg["world"].koumpentoum.pk, datetime.date(2025, 4, 3))]
    assert services.members_admit_bulk(actor=reg["world"].national, rows=[]) == []


def _history_rows():
    return [
        {
            k: v
            for k, v in row.items()
            if k not in ("history_id", "id", "history_date")  # ids and time differ
        }
        for row in Membership.history.order_by("history_id").values()
    ]


def test_bulk_history_rows_are_those_of_simple_history(reg):
    """The history rows copied in one INSERT ... SELECT hold what bulk_create_with_history
    wrote: every field, the actor, no change reason, one "+" row per membership in order,
    and one date for the whole batch."""
    from django.utils import timezone
    from simple_history.utils import bulk_create_with_history

    coops, p, actor = reg["coops"], reg["persons"], reg["world"].agent_tc
    day = datetime.date(2025, 4, 1)
    rows = [
        {"cooperative": coops["B"], "person": p["P1"], "joined_on": day},
        {"cooperative": coops["C"], "person": p["P2"], "joined_on": day, "role": "president"},
        {"cooperative": coops["B"], "person": p["P3"], "joined_on": day, "role": "secretaire"},
    ]
    results = []
    for bulk in (True, False):
        try:
            with transaction.atomic():
                Membership.history.all().delete()
                if bulk:
                    created = services.members_admit_bulk(actor=actor, rows=rows)
                else:
                    created = bulk_create_with_history(
                        [Membership(**{"role": "membre", **r}) for r in rows],
                        Membership,
                        default_user=actor,
                        default_date=timezone.now(),  # one date, as the service gives
                    )
                history = list(Membership.history.order_by("history_id"))
                assert [h.id for h in history] == [m.pk for m in created]
                assert len({h.history_date for h in history}) == 1
                results.append(_history_rows())
                raise _Done
        except _Done:
            pass
    bulk, reference = results
    assert len(bulk) == 3 and bulk == reference
    assert {h["history_user_id"] for h in bulk} == {actor.pk}
    assert [h["role"] for h in bulk] == ["membre", "president", "secretaire"]
    assert {(h["history_type"], h["history_change_reason"]) for h in bulk} == {("+", None)}


def test_bulk_history_without_an_actor_takes_the_services_user(reg, monkeypatch):
    """An actor without a pk (no user row) leaves the history user to simple_history's
    default, as bulk_create_with_history did: here none."""
    coops, p = reg["coops"], reg["persons"]
    from registry.services import memberships

    monkeypatch.setattr(memberships.perms.can_manage_members, "test", lambda *a: True)
    monkeypatch.setattr(memberships, "scope_for", lambda actor: type("S", (), {"national": True}))
    anonymous = type("Nobody", (), {"pk": None, "is_authenticated": False})()
    services.members_admit_bulk(
        actor=anonymous,
        rows=[{"cooperative": coops["B"], "person": p["P1"], "joined_on": "2025-04-01"}],
    )
    assert [h.history_user_id for h in Membership.history.filter(person=p["P1"])] == [None]


def test_repeated_cells_are_parsed_once_and_reported_on_every_row(reg, monkeypatch):
    """Each distinct date, role or CNI text is parsed once per file; a bad one is still
    reported on every row holding it, as the row-by-row import did."""
    from registry import imports

    calls = []
    original = imports._role
    monkeypatch.setattr(imports, "_role", lambda t: calls.append(t) or original(t))
    actor = reg["world"].agent_tc
    lines = [
        line(reg, "RSC-B", "P1", "31/02/2025"),
        line(reg, "RSC-B", "P2", "31/02/2025", role="chef"),
        line(reg, "RSC-B", "P3", "02/04/2025", role="chef"),
        line(reg, "RSC-C", "P4", "02/04/2025"),
    ]
    before = outcome(RowByRowMemberImport, lines, actor)
    after = outcome(MemberImport, lines, actor)
    assert after == before
    assert [(row, column) for row, column, _m in after["errors"]] == [
        (2, "joined_on"),
        (3, "joined_on"),
        (3, "role"),
        (4, "role"),
    ]
    assert calls.count("membre") == 1  # parsed once for two rows
