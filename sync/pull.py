"""What goes to a device: the records its user may see and needs in the field.

Every kind reads through its app's scoped selector (the same reads as the pages), then
keeps only the fields the device needs, as the resource's POST names them. A record's
``version`` is a digest of its ``data``: any change to what the device holds changes it,
whatever wrote it (a form, an import, the nightly job).
"""

from __future__ import annotations

import datetime
import hashlib
import json
import uuid
from collections import defaultdict
from collections.abc import Callable, Collection, Iterable
from dataclasses import dataclass

from django.db.models import Exists, F, OuterRef, Q, Window
from django.db.models.functions import RowNumber

from accounts.scoping import scope_for
from credit import selectors as credit_selectors
from credit.models import Instalment, Loan, LoanStatus
from geo.models import Area
from purchasing import selectors as purchasing_selectors
from registry import selectors as registry_selectors
from registry.models import Cooperative, Membership, MembershipStatus, Person
from sync.held import Held
from sync.marks import Mark, mark_start
from sync.models import PushedRecord, RecordStatus
from training import selectors as training_selectors
from training.models import Attendance, Module, Participant, Session, Visit, VisitAction
from valuechain import selectors as valuechain_selectors
from valuechain.models import SiteKind, StockLevel, Till
from valuechain.rules import can_operate

# Sessions ended this many days ago still go (attendance is often taken late).
SESSION_PAST_DAYS = 14
# Visits this recent go, and older ones while an action is open.
VISIT_RECENT_DAYS = 90
# Market prices observed within this many days.
PRICE_DAYS = 60
# Next unpaid instalments sent with a loan.
NEXT_INSTALMENTS = 3

NAMESPACE = uuid.UUID("6c1f0e6a-9a37-4b5e-9d1c-2a8f5e3b7d10")


def version_of(data: dict) -> str:
    raw = json.dumps(data, sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.sha1(raw.encode(), usedforsecurity=False).hexdigest()[:16]


def _codes(path: str | None) -> list[str]:
    return [c for c in (path or "").split("/") if c]


def _iso(d) -> str | None:
    return d.isoformat() if d else None


# Ids per ``IN (...)`` (SQLite allows 999 parameters a statement).
CHUNK = 900


def _restricted(qs, only: Collection[int] | None):
    """``qs`` whole (``only`` is ``None``), or cut to the ids of ``only``, by chunks."""
    if only is None:
        yield qs
        return
    ids = sorted(only)
    for start in range(0, len(ids), CHUNK):
        yield qs.filter(id__in=ids[start : start + CHUNK])


# --- one function per kind: yields (id, data) --------------------------------------------


def visible_cooperatives(actor, today):
    return registry_selectors.cooperative_list(actor=actor)


def cooperatives(actor, today, only: Collection[int] | None = None) -> Iterable[tuple[int, dict]]:
    for qs in _restricted(visible_cooperatives(actor, today), only):
        yield from _cooperative_rows(qs)


def _cooperative_rows(qs) -> Iterable[tuple[int, dict]]:
    qs = qs.values(
        "id",
        "name",
        "legal_form",
        "commune__code",
        "commune__name",
        "commune__path",
        "sector__code",
        "value_chain_stage",
        "stage",
        "registration_number",
        "founded_on",
        "member_count",
    )
    for c in qs.order_by("id"):
        codes = _codes(c["commune__path"])
        yield (
            c["id"],
            {
                "id": c["id"],
                "name": c["name"],
                "legal_form": c["legal_form"],
                "commune": c["commune__code"],
                "commune_name": c["commune__name"],
                "department": codes[2] if len(codes) > 2 else None,
                "region": codes[1] if len(codes) > 1 else None,
                "sector": c["sector__code"],
                "value_chain_stage": c["value_chain_stage"],
                "stage": c["stage"],
                "registration_number": c["registration_number"],
                "founded_on": _iso(c["founded_on"]),
                "member_count": c["member_count"],
            },
        )


PERSON_FIELDS = ("id", "first_name", "last_name", "sex", "birth_date", "phone", "national_id")


def person_data(row: dict) -> dict:
    data = {k: row[k] for k in PERSON_FIELDS}
    data["birth_date"] = _iso(row["birth_date"])
    data["commune"] = row["commune__code"]
    return data


def visible_persons(actor, today):
    return registry_selectors.person_list(actor=actor).filter(merged_into__isnull=True)


def _persons_among(actor, only: Collection[int]):
    ids = sorted(only)
    for start in range(0, len(ids), CHUNK):
        yield registry_selectors.person_list_among(actor=actor, ids=ids[start : start + CHUNK])


def persons(actor, today, only: Collection[int] | None = None) -> Iterable[tuple[int, dict]]:
    # the changed ones checked from their ids, not against the area's every membership
    chunks = [visible_persons(actor, today)] if only is None else _persons_among(actor, only)
    for qs in chunks:
        for p in qs.values(*PERSON_FIELDS, "commune__code").order_by("id"):
            yield p["id"], person_data(p)


def visible_memberships(actor, today):
    return registry_selectors.membership_list(actor=actor).filter(status=MembershipStatus.ACTIVE)


def memberships(actor, today, only: Collection[int] | None = None) -> Iterable[tuple[int, dict]]:
    fields = ("id", "cooperative_id", "person_id", "joined_on", "role", "status")
    for qs in _restricted(visible_memberships(actor, today), only):
        for m in qs.values(*fields).order_by("id"):
            yield (
                m["id"],
                {
                    "id": m["id"],
                    "cooperative": m["cooperative_id"],
                    "person": m["person_id"],
                    "joined_on": _iso(m["joined_on"]),
                    "role": m["role"],
                    "status": m["status"],
                },
            )


def attendance_data(present: bool) -> dict:
    return {"present": present}


def visible_sessions(actor, today):
    """The sessions that go: visible, and ended ``SESSION_PAST_DAYS`` ago at most."""
    since = today - datetime.timedelta(days=SESSION_PAST_DAYS)
    return training_selectors.session_list(actor=actor).filter(ends_on__gte=since)


def sessions(actor, today, only: Collection[int] | None = None) -> Iterable[tuple[int, dict]]:
    fields = ("id", "module__title", "commune__code", "venue", "starts_on", "ends_on")
    rows = []
    for qs in _restricted(visible_sessions(actor, today), only):
        rows += qs.values(*fields)
    ids = [s["id"] for s in rows]
    people = defaultdict(list)
    marks = defaultdict(list)
    if ids:
        for p in Participant.objects.filter(session_id__in=ids).values(
            "session_id", "person_id", "person__first_name", "person__last_name"
        ):
            name = f"{p['person__first_name']} {p['person__last_name']}"
            people[p["session_id"]].append({"person": p["person_id"], "name": name})
        for a in Attendance.objects.filter(participant__session_id__in=ids).values(
            "participant__session_id", "participant__person_id", "day", "present"
        ):
            marks[a["participant__session_id"]].append(
                {
                    "person": a["participant__person_id"],
                    "day": a["day"].isoformat(),
                    "present": a["present"],
                    "version": version_of(attendance_data(a["present"])),
                }
            )
    for s in sorted(rows, key=lambda r: r["id"]):
        days = (s["ends_on"] - s["starts_on"]).days + 1
        yield (
            s["id"],
            {
                "id": s["id"],
                "module": s["module__title"],
                "commune": s["commune__code"],
                "venue": s["venue"],
                "starts_on": s["starts_on"].isoformat(),
                "ends_on": s["ends_on"].isoformat(),
                "days": [
                    (s["starts_on"] + datetime.timedelta(days=i)).isoformat() for i in range(days)
                ],
                "participants": sorted(people[s["id"]], key=lambda p: p["name"]),
                "attendance": sorted(marks[s["id"]], key=lambda a: (a["person"], a["day"])),
            },
        )


def visible_visits(actor, today):
    """The visits that go: visible, and ``VISIT_RECENT_DAYS`` old at most or with an
    action still open."""
    open_action = VisitAction.objects.filter(visit=OuterRef("pk"), done_on__isnull=True)
    recent = today - datetime.timedelta(days=VISIT_RECENT_DAYS)
    return training_selectors.visit_list(actor=actor).filter(
        Q(visited_on__gte=recent) | Q(Exists(open_action))
    )


def visits(actor, today, only: Collection[int] | None = None) -> Iterable[tuple[int, dict]]:
    rows = []
    for qs in _restricted(visible_visits(actor, today), only):
        rows += qs.values("id", "cooperative_id", "visited_on", "purpose", "findings")
    actions = defaultdict(list)
    ids = [v["id"] for v in rows]
    for a in (
        VisitAction.objects.filter(visit_id__in=ids).values(
            "id", "visit_id", "description", "owner", "due_on", "done_on"
        )
        if ids
        else ()
    ):
        actions[a["visit_id"]].append(
            {
                "id": a["id"],
                "description": a["description"],
                "owner": a["owner"],
                "due_on": a["due_on"].isoformat(),
                "done_on": _iso(a["done_on"]),
            }
        )
    for v in sorted(rows, key=lambda r: r["id"]):
        yield (
            v["id"],
            {
                "id": v["id"],
                "cooperative": v["cooperative_id"],
                "visited_on": v["visited_on"].isoformat(),
                "purpose": v["purpose"],
                "findings": v["findings"],
                "actions": sorted(actions[v["id"]], key=lambda a: (a["due_on"], a["id"])),
            },
        )


def _next_instalments(loans) -> dict[int, list[dict]]:
    """The next unpaid instalments of each loan of ``loans`` (a queryset of ids): the sum
    left to pay computed and the first ``NEXT_INSTALMENTS`` kept by the database (the paid
    ones and the later ones never leave it)."""
    out = defaultdict(list)
    due = F("principal_due") + F("interest_due") + F("fee_due") + F("penalty_due")
    paid = F("principal_paid") + F("interest_paid") + F("fee_paid") + F("penalty_paid")
    rows = (
        Instalment.objects.filter(loan_id__in=loans, superseded=False)
        .annotate(remaining=due - paid - F("interest_waived"))
        .filter(remaining__gt=0)
        .annotate(rank=Window(RowNumber(), partition_by=F("loan_id"), order_by=F("number").asc()))
        .filter(rank__lte=NEXT_INSTALMENTS)
        .values_list("loan_id", "number", "due_on", "remaining")
        .order_by("loan_id", "number")
    )
    for loan_id, number, due_on, remaining in rows:
        out[loan_id].append(
            {"number": number, "due_on": due_on.isoformat(), "remaining": remaining}
        )
    return out


def visible_loans(actor, today):
    return credit_selectors.loan_list(actor=actor, status=LoanStatus.ACTIVE)


def loans(actor, today, only: Collection[int] | None = None) -> Iterable[tuple[int, dict]]:
    for qs in _restricted(visible_loans(actor, today), only):
        yield from _loan_rows(qs)


def _loan_rows(qs) -> Iterable[tuple[int, dict]]:
    rows = list(
        qs.values(
            "id",
            "borrower_cooperative_id",
            "borrower_cooperative__name",
            "borrower_person_id",
            "borrower_person__first_name",
            "borrower_person__last_name",
            "cooperative_id",
            "principal",
            "disbursed_on",
            "status",
            "outstanding_principal",
            "arrears_amount",
            "days_past_due",
        )
    )
    ids = [r["id"] for r in rows]
    # a few changed loans: their ids; a whole area's: the same scoped query, as a subquery
    nexts = _next_instalments(ids if len(ids) <= CHUNK else qs.order_by().values("id"))
    for r in sorted(rows, key=lambda r: r["id"]):
        borrower = r["borrower_cooperative__name"] or (
            f"{r['borrower_person__first_name']} {r['borrower_person__last_name']}"
        )
        yield (
            r["id"],
            {
                "id": r["id"],
                "borrower_cooperative": r["borrower_cooperative_id"],
                "borrower_person": r["borrower_person_id"],
                "borrower": borrower,
                "cooperative": r["cooperative_id"],
                "principal": r["principal"],
                "disbursed_on": _iso(r["disbursed_on"]),
                "status": r["status"],
                "outstanding_principal": r["outstanding_principal"],
                "arrears_amount": r["arrears_amount"],
                "days_past_due": r["days_past_due"],
                "next_instalments": nexts[r["id"]],
            },
        )


def products(actor, today) -> Iterable[tuple[int, dict]]:
    for p in purchasing_selectors.product_list(actor=actor).values(
        "id", "name", "unit", "category"
    ):
        yield p["id"], dict(p)


def prices(actor, today) -> Iterable[tuple[int, dict]]:
    scope = scope_for(actor)
    qs = purchasing_selectors.price_list(actor=actor).filter(
        observed_on__gte=today - datetime.timedelta(days=PRICE_DAYS)
    )
    if not scope.national and scope.area_paths:
        near = Q()
        for path in sorted(scope.area_paths):
            near |= Q(area__path__startswith=path)
        qs = qs.filter(near)
    for p in qs.values("id", "product_id", "area__code", "price", "observed_on", "source"):
        yield (
            p["id"],
            {
                "id": p["id"],
                "product": p["product_id"],
                "area": p["area__code"],
                "price": p["price"],
                "observed_on": p["observed_on"].isoformat(),
                "source": p["source"],
            },
        )


def shops(actor, today) -> Iterable[tuple[int, dict]]:
    """The shops (boutiques témoins) the user sells at, with their tills and the lots each
    holds: what the field app's sale form offers (the sale goes back as a ``sale`` record)."""
    sites = [
        s
        for s in valuechain_selectors.site_list(actor=actor, kind=SiteKind.TEMOIN).order_by("id")
        if can_operate(actor, s)
    ]
    ids = [s.pk for s in sites]
    tills, stock = defaultdict(list), defaultdict(list)
    for t in Till.objects.filter(site_id__in=ids).values("site_id", "id", "name").order_by("id"):
        tills[t["site_id"]].append({"id": t["id"], "name": t["name"]})
    levels = StockLevel.objects.filter(site_id__in=ids, quantity__gt=0).values(
        "site_id", "lot_id", "lot__code", "lot__product__name", "lot__product__unit", "quantity"
    )
    for lv in levels.order_by("lot__product__name", "lot_id"):
        stock[lv["site_id"]].append(
            {
                "lot": lv["lot_id"],
                "code": lv["lot__code"],
                "product": lv["lot__product__name"],
                "unit": lv["lot__product__unit"],
                "quantity": lv["quantity"],
            }
        )
    for s in sites:
        data = {"id": s.pk, "name": s.name, "commune": s.commune.code}
        yield s.pk, data | {"tills": tills[s.pk], "stock": stock[s.pk]}


KINDS: dict[str, Callable] = {
    "cooperative": cooperatives,
    "person": persons,
    "membership": memberships,
    "session": sessions,
    "visit": visits,
    "loan": loans,
    "product": products,
    "price": prices,
    "shop": shops,
}


def _uuids(kind: str, ids: list[int]) -> dict[int, str]:
    """The UUIDs devices gave to the records they created (others get a stable one)."""
    out = {}
    for start in range(0, len(ids), CHUNK):
        chunk = ids[start : start + CHUNK]
        for object_id, value in PushedRecord.objects.filter(
            kind=kind, status=RecordStatus.APPLIED, object_id__in=chunk
        ).values_list("object_id", "uuid"):
            out[object_id] = str(value)
    return out


def _records(kind: str, pairs: Iterable[tuple[int, dict]]) -> dict[str, dict]:
    """The records of one kind as sent, keyed ``"kind:id"``."""
    pairs = list(pairs)
    known = _uuids(kind, [pk for pk, _data in pairs]) if kind in PUSHED_KINDS else {}
    return {
        f"{kind}:{pk}": {
            "kind": kind,
            "id": pk,
            "uuid": known.get(pk) or str(uuid.uuid5(NAMESPACE, f"{kind}:{pk}")),
            "version": version_of(data),
            "data": data,
        }
        for pk, data in pairs
    }


def records_for(actor, *, today: datetime.date) -> dict[str, dict]:
    """Every record ``actor``'s device should hold, keyed ``"kind:id"``."""
    out = {}
    for kind, rows in KINDS.items():
        out |= _records(kind, rows(actor, today))
    return out


# Kinds a device creates (their records may carry the device's UUID).
PUSHED_KINDS = {"person", "membership", "visit"}

# The big kinds (thousands a department) are pulled by what changed: the ids whose rows
# (or whose cooperative's row) have a history row the last pull did not see (its marks,
# sync/marks.py), and the scope is computed for those ids only; the device keeps the
# others as they were. Everything their data holds is their own row's, and what makes one
# visible is their own row, a membership's or a cooperative's: each of those writes
# history. Cooperatives too: their data is their row and their active member count, which
# only a membership's write changes. What changes the scope from the user's side (their
# roles) or the map (an area moved) makes the pull a whole one (``scope_digest``,
# ``Changes.map_moved``).
#
# Sessions and visits too: a session's data is its row, its module's title, its
# participants' rows and names and their attendance; a visit's, its row and its actions;
# each of those writes history (a participant's ``completed``, written in bulk, is not
# sent). What makes one visible is its own row, its participants' (a session) or its
# cooperative's (a visit), and its window, which also moves by the date alone: those kinds
# are computed whole at the first pull of a day (``DATED``).
#
# Loans too: a loan's data is its row, its borrower's name and its next instalments. Every
# service that writes its instalments or its row saves the row (``refresh_loan_figures``
# at the least), which writes history; a name, the person's or cooperative's history. What
# makes one visible is its own row (status, area, cooperative, lender, borrower). The one
# writer without history is the nightly job's bulk UPDATE of the figures (arrears, days
# past due): each run leaves a ``credit.FiguresRun`` when it ends, and the first pull after
# a run the cursor has not seen computes the loans whole (``Held.figures_run``). Products,
# prices and shops (a few hundred rows) are computed whole at every pull.
INCREMENTAL: dict[str, Callable] = {
    "cooperative": visible_cooperatives,
    "person": visible_persons,
    "membership": visible_memberships,
    "session": visible_sessions,
    "visit": visible_visits,
    "loan": visible_loans,
}
# The incremental kinds whose window moves with the date: whole at a day's first pull.
DATED = {"session", "visit"}


# The history tables whose rows say what changed, each read from its own mark
# (sync/marks.py): the incremental kinds' own, and the map's (an area created, moved or
# renamed: scopes are paths). Per table, what its rows give besides their history id.
HISTORIES: dict[str, tuple] = {
    "cooperative": (Cooperative, ("id",)),
    "membership": (Membership, ("id", "person_id", "cooperative_id")),
    "person": (Person, ("id",)),
    "area": (Area, ()),
    "session": (Session, ("id",)),
    "participant": (Participant, ("id", "session_id")),
    "attendance": (Attendance, ("id", "participant_id")),
    "module": (Module, ("id",)),
    "visit": (Visit, ("id",)),
    "visit_action": (VisitAction, ("id", "visit_id")),
    "loan": (Loan, ("id",)),
}


@dataclass
class Changes:
    """What a pull of changes reads first: per history table, the rows (their history id
    first) that may say a change; whether the map moved; and the marks its cursor keeps
    for the next pull."""

    rows: dict[str, list[tuple]]
    map_moved: bool
    marks: dict[str, Mark]

    def candidates(self) -> dict[str, set[int]]:
        """Per incremental kind, the ids that may have changed (in data or in
        visibility): a history row of their own, of one of their memberships, or of their
        cooperative (moved to another commune, say)."""
        rows = self.rows
        coops = {pk for _h, pk in rows["cooperative"]}
        memberships = {pk for _h, pk, _person, _coop in rows["membership"]}
        persons = {pk for _h, pk in rows["person"]}
        persons |= {person for _h, _pk, person, _coop in rows["membership"]}
        for start in range(0, len(coops), CHUNK):
            chunk = sorted(coops)[start : start + CHUNK]
            for pk, person in Membership.objects.filter(cooperative_id__in=chunk).values_list(
                "id", "person_id"
            ):
                memberships.add(pk)
                persons.add(person)
        # a cooperative's data holds its active member count: its memberships' writes count
        counted = coops | {coop for _h, _pk, _person, coop in rows["membership"]}
        return {
            "cooperative": counted,
            "person": persons,
            "membership": memberships,
            "session": self._sessions(),
            "visit": self._visits(coops),
            "loan": self._loans(coops),
        }

    def _loans(self, coops: set[int]) -> set[int]:
        """A history row of the loan, or of its borrower (the name) or its cooperative
        (moved to another commune, say)."""
        out = {pk for _h, pk in self.rows["loan"]}
        named = {pk for _h, pk in self.rows["person"]}
        out |= _column_among(Loan.objects.all(), "borrower_person_id", named, "id")
        for column in ("borrower_cooperative_id", "cooperative_id"):
            out |= _column_among(Loan.objects.all(), column, coops, "id")
        return out

    def _sessions(self) -> set[int]:
        """A history row of the session, of a participant or its attendance (the session
        of every participant id it ever had: the row may be gone), of its module (the
        title), or of a participant's person (the name)."""
        rows = self.rows
        out = {pk for _h, pk in rows["session"]}
        out |= {session for _h, _pk, session in rows["participant"]}
        participants = {p for _h, _pk, p in rows["attendance"]}
        out |= _column_among(Participant.history.all(), "id", participants, "session_id")
        modules = {pk for _h, pk in rows["module"]}
        out |= _column_among(Session.objects.all(), "module_id", modules, "id")
        persons = {pk for _h, pk in rows["person"]}
        out |= _column_among(Participant.objects.all(), "person_id", persons, "session_id")
        return out

    def _visits(self, coops: set[int]) -> set[int]:
        """A history row of the visit, of one of its actions, or of its cooperative (moved
        to another commune, say)."""
        rows = self.rows
        out = {pk for _h, pk in rows["visit"]}
        out |= {visit for _h, _pk, visit in rows["visit_action"]}
        out |= _column_among(Visit.objects.all(), "cooperative_id", coops, "id")
        return out


def _column_among(qs, lookup: str, ids: Collection[int], column: str) -> set[int]:
    """The distinct ``column`` of the rows of ``qs`` whose ``lookup`` is among ``ids``,
    asked by chunks of ``CHUNK`` ids (under SQLite's variable limit)."""
    ids = sorted(ids)
    out: set[int] = set()
    for start in range(0, len(ids), CHUNK):
        rows = qs.filter(**{f"{lookup}__in": ids[start : start + CHUNK]})
        out |= set(rows.order_by().values_list(column, flat=True).distinct())
    return out


def marks_start(*, now: datetime.datetime) -> dict[str, Mark]:
    """The marks of a pull that has none to start from (a whole pull)."""
    return {name: mark_start(model, now=now) for name, (model, _f) in HISTORIES.items()}


def _history_rows(name: str, where: Q) -> list[tuple]:
    model, fields = HISTORIES[name]
    return list(model.history.filter(where).order_by().values_list("history_id", *fields))


def changes_read(
    marks: dict[str, Mark] | None, *, window_from: datetime.datetime, now: datetime.datetime
) -> Changes:
    """The history rows above each mark or in its gaps (one query a table), read before
    any data of the pull. A cursor without marks (stored before them) looks for the rows
    dated since ``window_from`` instead, once: its new marks are read first."""
    if marks is not None and set(marks) == set(HISTORIES):
        rows = {name: _history_rows(name, marks[name].condition()) for name in HISTORIES}
        marks = {
            name: marks[name].advanced((row[0] for row in rows[name]), now=now)
            for name in HISTORIES
        }
    else:
        marks = marks_start(now=now)
        window = Q(history_date__gte=window_from)
        rows = {name: _history_rows(name, window) for name in HISTORIES}
    return Changes(rows, bool(rows["area"]), marks)


def scope_digest(actor) -> str:
    """What bounds the user's scope: a pull of changes is valid while it stays the same."""
    scope = scope_for(actor)
    parts = (
        scope.national,
        sorted(scope.area_paths),
        sorted(scope.cooperative_ids),
        sorted(scope.lender_ids),
        sorted(scope.person_ids),
    )
    return version_of({"scope": parts})


def records_since(
    actor,
    *,
    today: datetime.date,
    held: Held,
    candidates: dict[str, set[int]],
    figures_run: int | None = None,
) -> tuple[list[dict], list[dict]]:
    """What changed for a device that holds ``held`` (as sent by an earlier pull for the
    same scope), given the ids that may have changed since (:func:`changes_read`): the
    records to send and the ``deleted`` ones (gone or out of sight). ``held`` is updated to
    what the device holds afterwards. The ``DATED`` kinds are computed whole at the first
    pull of a day (``held.day`` not ``today``, or unknown: a cursor stored before it), the
    loans after a run of the nightly job the cursor has not seen (``figures_run``, the last
    one, read before any data)."""
    send: list[dict] = []
    deleted: list[tuple[str, int]] = []
    whole = {"loan"} if held.figures_run != figures_run else set()
    if held.day != today:  # None: a cursor stored before it
        whole |= DATED
    for kind, rows in KINDS.items():
        before = held.kind(kind)
        if kind in INCREMENTAL and kind not in whole:
            todo = candidates[kind]
            fresh = _records(kind, rows(actor, today, only=todo))
            seen = {rec["id"] for rec in fresh.values()}
            for pk in sorted(todo - seen):
                if pk in before:
                    before.remove(pk)
                    deleted.append((kind, pk))
            for rec in fresh.values():
                if before.get(rec["id"]) != rec["version"]:
                    send.append(rec)
                    before.put(rec["id"], rec["version"])
        else:
            fresh = _records(kind, rows(actor, today))
            now = {rec["id"]: rec["version"] for rec in fresh.values()}
            changed = [rec for rec in fresh.values() if before.get(rec["id"]) != rec["version"]]
            gone = [pk for pk, _v in list(before.items()) if pk not in now]
            send += changed
            deleted += [(kind, pk) for pk in gone]
            if kind in held.big:
                touched = [rec["id"] for rec in changed] + gone
                held.big[kind] = held.big[kind].replaced_by(now, touched)
            else:
                held.small[kind] = now
    return send, [{"kind": k, "id": pk} for k, pk in sorted(deleted)]
