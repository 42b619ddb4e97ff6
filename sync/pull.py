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
from collections.abc import Callable, Iterable

from django.db.models import Exists, OuterRef, Q

from accounts.scoping import scope_for
from credit import selectors as credit_selectors
from credit.models import Instalment, LoanStatus
from purchasing import selectors as purchasing_selectors
from registry import selectors as registry_selectors
from registry.models import MembershipStatus
from sync.models import PushedRecord, RecordStatus
from training import selectors as training_selectors
from training.models import Attendance, Participant, VisitAction

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


# --- one function per kind: yields (id, data) --------------------------------------------


def cooperatives(actor, today) -> Iterable[tuple[int, dict]]:
    qs = registry_selectors.cooperative_list(actor=actor).values(
        "id",
        "name",
        "legal_form",
        "commune__code",
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


def persons(actor, today) -> Iterable[tuple[int, dict]]:
    qs = registry_selectors.person_list(actor=actor).filter(merged_into__isnull=True)
    for p in qs.values(*PERSON_FIELDS, "commune__code").order_by("id"):
        yield p["id"], person_data(p)


def memberships(actor, today) -> Iterable[tuple[int, dict]]:
    qs = registry_selectors.membership_list(actor=actor).filter(status=MembershipStatus.ACTIVE)
    rows = qs.values("id", "cooperative_id", "person_id", "joined_on", "role", "status")
    for m in rows.order_by("id"):
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


def sessions(actor, today) -> Iterable[tuple[int, dict]]:
    since = today - datetime.timedelta(days=SESSION_PAST_DAYS)
    qs = training_selectors.session_list(actor=actor).filter(ends_on__gte=since)
    rows = list(qs.values("id", "module__title", "commune__code", "venue", "starts_on", "ends_on"))
    ids = [s["id"] for s in rows]
    people = defaultdict(list)
    for p in Participant.objects.filter(session_id__in=ids).values(
        "session_id", "person_id", "person__first_name", "person__last_name"
    ):
        name = f"{p['person__first_name']} {p['person__last_name']}"
        people[p["session_id"]].append({"person": p["person_id"], "name": name})
    marks = defaultdict(list)
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


def visits(actor, today) -> Iterable[tuple[int, dict]]:
    open_action = VisitAction.objects.filter(visit=OuterRef("pk"), done_on__isnull=True)
    recent = today - datetime.timedelta(days=VISIT_RECENT_DAYS)
    qs = training_selectors.visit_list(actor=actor).filter(
        Q(visited_on__gte=recent) | Q(Exists(open_action))
    )
    rows = list(qs.values("id", "cooperative_id", "visited_on", "purpose", "findings"))
    actions = defaultdict(list)
    for a in VisitAction.objects.filter(visit_id__in=[v["id"] for v in rows]).values(
        "id", "visit_id", "description", "owner", "due_on", "done_on"
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


def _next_instalments(loan_ids: list[int]) -> dict[int, list[dict]]:
    out = defaultdict(list)
    rows = (
        Instalment.objects.filter(loan_id__in=loan_ids, superseded=False)
        .values(
            "loan_id",
            "number",
            "due_on",
            "principal_due",
            "interest_due",
            "fee_due",
            "penalty_due",
            "principal_paid",
            "interest_paid",
            "fee_paid",
            "penalty_paid",
            "interest_waived",
        )
        .order_by("loan_id", "number")
    )
    for i in rows:
        due = i["principal_due"] + i["interest_due"] + i["fee_due"] + i["penalty_due"]
        paid = i["principal_paid"] + i["interest_paid"] + i["fee_paid"] + i["penalty_paid"]
        remaining = due - paid - i["interest_waived"]
        if remaining > 0 and len(out[i["loan_id"]]) < NEXT_INSTALMENTS:
            out[i["loan_id"]].append(
                {"number": i["number"], "due_on": i["due_on"].isoformat(), "remaining": remaining}
            )
    return out


def loans(actor, today) -> Iterable[tuple[int, dict]]:
    qs = credit_selectors.loan_list(actor=actor, status=LoanStatus.ACTIVE)
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
    nexts = _next_instalments([r["id"] for r in rows])
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


KINDS: dict[str, Callable] = {
    "cooperative": cooperatives,
    "person": persons,
    "membership": memberships,
    "session": sessions,
    "visit": visits,
    "loan": loans,
    "product": products,
    "price": prices,
}


def _uuids(kind: str, ids: list[int]) -> dict[int, str]:
    """The UUIDs devices gave to the records they created (others get a stable one)."""
    out = {}
    for start in range(0, len(ids), 900):
        chunk = ids[start : start + 900]
        for object_id, value in PushedRecord.objects.filter(
            kind=kind, status=RecordStatus.APPLIED, object_id__in=chunk
        ).values_list("object_id", "uuid"):
            out[object_id] = str(value)
    return out


def records_for(actor, *, today: datetime.date) -> dict[str, dict]:
    """Every record ``actor``'s device should hold, keyed ``"kind:id"``."""
    out = {}
    for kind, rows in KINDS.items():
        pairs = list(rows(actor, today))
        known = _uuids(kind, [pk for pk, _data in pairs]) if kind in PUSHED_KINDS else {}
        for pk, data in pairs:
            out[f"{kind}:{pk}"] = {
                "kind": kind,
                "id": pk,
                "uuid": known.get(pk) or str(uuid.uuid5(NAMESPACE, f"{kind}:{pk}")),
                "version": version_of(data),
                "data": data,
            }
    return out


# Kinds a device creates (their records may carry the device's UUID).
PUSHED_KINDS = {"person", "membership", "visit"}
