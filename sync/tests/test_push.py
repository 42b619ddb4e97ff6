"""The push: each record once, through the same services; conflicts kept; backlog."""

import base64
import datetime

from credit.models import Repayment
from registry.models import Membership, Person
from registry.services import person_update
from sync.models import PushedRecord
from sync.pull import version_of
from sync.services import records_push, snapshot_take
from sync.tests.conftest import TODAY, new_uuid
from training.models import Attendance, Visit

JPEG = b"\xff\xd8\xff\xe0" + b"\x02" * 40


def push(user, *records, device="phone-1"):
    user = type(user).objects.get(pk=user.pk)
    return records_push(actor=user, device=device, records=list(records))


def rec(kind, data, uuid=None, base_version=None):
    return {"uuid": uuid or new_uuid(), "kind": kind, "base_version": base_version, "data": data}


def visit(world, **over):
    data = {
        "cooperative": world.coop_tc.pk,
        "visited_on": "2026-03-01",
        "purpose": "Suivi du registre",
        "findings": "Registre à jour",
        "actions": [{"description": "Tenir le cahier", "owner": "Bureau", "due_on": "2026-04-01"}],
        "position": {"lat": 13.99, "lon": -14.55, "accuracy": 12},
        "photo": "data:image/jpeg;base64," + base64.b64encode(JPEG).decode(),
    }
    data.update(over)
    return data


def test_same_uuid_twice_is_written_once(world):
    record = rec("visit", visit(world))
    [first] = push(world.agent_tc, record)
    assert first["status"] == "applied"
    [again] = push(world.agent_tc, record)
    assert again == {**first, "status": "duplicate", "code": None, "message": None}
    fresh = rec("visit", visit(world, purpose="Deuxième visite"))
    [once, twice] = push(world.agent_tc, fresh, fresh)
    assert (once["status"], twice["status"]) == ("applied", "duplicate")
    assert Visit.objects.filter(cooperative=world.coop_tc).count() == 2
    v = Visit.objects.get(pk=first["id"])
    assert v.purpose == "Suivi du registre"
    assert v.visitor == world.agent_tc and v.actions.count() == 1
    assert (str(v.latitude), str(v.longitude), v.position_accuracy) == ("13.99000", "-14.55000", 12)
    assert (v.photo.content_type, bytes(v.photo.data)) == ("image/jpeg", JPEG)
    stored = PushedRecord.objects.get(uuid=record["uuid"])
    assert stored.data["position"] == {"lat": 13.99, "lon": -14.55, "accuracy": 12}
    assert stored.data["photo"] == "kept with the visit"  # not a second copy of the image


def test_a_photo_that_is_not_an_image_is_refused(world):
    bad = "data:image/jpeg;base64," + base64.b64encode(b"<svg onload=alert(1)>").decode()
    [r1] = push(world.agent_tc, rec("visit", visit(world, photo=bad)))
    [r2] = push(world.agent_tc, rec("visit", visit(world, photo="data:image/jpeg;base64,@@@")))
    assert (r1["status"], r1["code"], r2["code"]) == ("rejected", "invalid_photo", "invalid")
    assert not Visit.objects.exists()


def test_out_of_scope_is_rejected_then_corrected_and_resent(world):
    record = rec("visit", visit(world, cooperative=world.coop_mbour.pk))
    [refused] = push(world.agent_tc, record)
    assert refused["status"] == "rejected"
    assert refused["code"] == "not_found"
    assert not Visit.objects.exists()
    record["data"]["cooperative"] = world.coop_tc.pk  # corrected on the device
    [applied] = push(world.agent_tc, record)
    assert applied["status"] == "applied"
    assert Visit.objects.count() == 1


def test_a_broken_rule_is_rejected_with_its_code(world):
    future = (TODAY + datetime.timedelta(days=3650)).isoformat()
    [r1] = push(world.agent_tc, rec("visit", visit(world, visited_on=future)))
    assert (r1["status"], r1["code"]) == ("rejected", "date_out_of_range")
    [r2] = push(world.agent_tc, rec("visit", visit(world, purpose="")))
    assert (r2["status"], r2["code"]) == ("rejected", "required")
    [r3] = push(world.agent_tc, rec("visit", {"cooperative": "x"}))
    assert (r3["status"], r3["code"]) == ("rejected", "invalid")
    [r4] = push(world.officer, rec("visit", visit(world)))
    assert (r4["status"], r4["code"]) == ("rejected", "forbidden")
    assert not Visit.objects.exists()
    [r5] = push(world.agent_tc, {"uuid": "not-a-uuid", "kind": "visit", "data": {}})
    assert r5["code"] == "invalid_uuid"
    [r6] = push(world.agent_tc, rec("spaceship", {}))
    assert r6["code"] == "unknown_kind"


def test_a_person_and_her_membership_in_any_order(world):
    person_uuid = new_uuid()
    membership = rec(
        "membership",
        {"cooperative": world.coop_tc.pk, "person": person_uuid, "joined_on": "2026-02-01"},
    )
    person = rec(
        "person",
        {"first_name": "Khady", "last_name": "Sané", "sex": "F", "commune": "SN-TC-KPT-01"},
        uuid=person_uuid,
    )
    results = push(world.agent_tc, membership, person)  # the child first: it waits
    assert [r["status"] for r in results] == ["applied", "applied"]
    khady = Person.objects.get(pk=results[1]["id"])
    assert Membership.objects.get(pk=results[0]["id"]).person == khady


def test_a_child_whose_parent_never_came_waits_then_goes(world):
    person_uuid = new_uuid()
    membership = rec(
        "membership",
        {"cooperative": world.coop_tc.pk, "person": person_uuid, "joined_on": "2026-02-01"},
    )
    [waiting] = push(world.agent_tc, membership)
    assert (waiting["status"], waiting["code"]) == ("rejected", "parent_missing")
    assert not Membership.objects.filter(person__first_name="Khady").exists()
    person = rec(
        "person",
        {"first_name": "Khady", "last_name": "Sané", "sex": "F", "commune": "SN-TC-KPT-01"},
        uuid=person_uuid,
    )
    push(world.agent_tc, person)
    [applied] = push(world.agent_tc, membership)
    assert applied["status"] == "applied"
    assert Membership.objects.filter(person__first_name="Khady").count() == 1


def test_a_likely_duplicate_is_created_and_flagged_not_merged(world):
    existing = world.persons_tc[0]
    person_update(actor=world.agent_tc, person=existing, phone="770000001")
    data = {
        "first_name": existing.first_name,
        "last_name": existing.last_name,
        "sex": existing.sex,
        "birth_date": existing.birth_date.isoformat(),
        "phone": "770000001",
        "commune": "SN-TC-KPT-01",
    }
    [result] = push(world.agent_tc, rec("person", data))
    assert (result["status"], result["code"]) == ("applied", "possible_duplicate")
    assert result["id"] != existing.pk
    assert Person.objects.filter(phone="+221770000001", merged_into=None).count() == 2


def test_a_stale_edit_is_a_conflict_kept_for_a_supervisor(world):
    person = world.persons_tc[1]
    pulled = snapshot_take(actor=world.agent_tc, today=TODAY)
    seen = next(r for r in pulled["records"] if r["kind"] == "person" and r["id"] == person.pk)
    person_update(actor=world.national, person=person, phone="771111111")  # meanwhile
    edit = rec(
        "person",
        {**seen["data"], "phone": "772222222"},
        base_version=seen["version"],
    )
    [result] = push(world.agent_tc, edit)
    assert (result["status"], result["code"]) == ("conflict", "stale_version")
    person.refresh_from_db()
    assert person.phone == "+221771111111"  # nothing overwritten
    [again] = push(world.agent_tc, edit)
    assert again["status"] == "conflict"
    stored = PushedRecord.objects.get(uuid=edit["uuid"])
    assert stored.server_data["phone"] == "+221771111111"
    assert stored.status == "conflict" and stored.resolution == ""


def test_an_edit_on_the_current_version_is_applied(world):
    person = world.persons_tc[1]
    pulled = snapshot_take(actor=world.agent_tc, today=TODAY)
    seen = next(r for r in pulled["records"] if r["kind"] == "person" and r["id"] == person.pk)
    [result] = push(
        world.agent_tc,
        rec("person", {**seen["data"], "phone": "772222222"}, base_version=seen["version"]),
    )
    assert result["status"] == "applied"
    person.refresh_from_db()
    assert person.phone == "+221772222222"


def test_attendance_once_and_a_changed_mark_is_a_conflict(world, field):
    session, person = field["session"], world.persons_tc[0]
    mark = {"session": session.pk, "person": person.pk, "day": "2026-03-02", "present": True}
    first = rec("attendance", mark)
    assert push(world.agent_tc, first)[0]["status"] == "applied"
    assert push(world.agent_tc, first)[0]["status"] == "duplicate"
    other_device = rec("attendance", {**mark, "present": False})  # never saw the mark
    [result] = push(world.agent_tc, other_device, device="phone-2")
    assert result["status"] == "conflict"
    assert Attendance.objects.get(participant__person=person).present is True
    seen = rec("attendance", {**mark, "present": False}, base_version=version_of({"present": True}))
    assert push(world.agent_tc, seen)[0]["status"] == "applied"
    assert Attendance.objects.get(participant__person=person).present is False


def test_cash_repayment_keeps_its_date_and_is_posted_once(world, field):
    loan = field["loan"]
    data = {"loan": loan.pk, "amount": 25_000, "paid_on": "2026-02-20", "reference": "R-0001"}
    record = rec("repayment", data)
    [first] = push(world.agent_tc, record)
    assert first["status"] == "applied"
    assert push(world.agent_tc, record)[0]["status"] == "duplicate"
    repayments = Repayment.objects.filter(loan=loan, reference="R-0001")
    assert repayments.count() == 1
    assert repayments.get().paid_on == datetime.date(2026, 2, 20)
    assert repayments.get().channel == "cash"
    [reused] = push(world.agent_tc, rec("repayment", {**data, "amount": 1_000}))
    assert (reused["status"], reused["code"]) == ("rejected", "receipt_reused")
    other_phone = push(world.agent_tc, rec("repayment", {**data, "amount": 1_000}), device="p2")
    assert other_phone[0]["status"] == "applied"
    [no_receipt] = push(world.agent_tc, rec("repayment", {**data, "reference": ""}))
    assert (no_receipt["status"], no_receipt["code"]) == ("rejected", "required")
    [lender_side] = push(world.agent_mbour, rec("repayment", {**data, "reference": "X"}))
    assert lender_side["code"] == "not_found"
