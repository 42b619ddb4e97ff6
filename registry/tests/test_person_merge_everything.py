"""Issue 14, point 9: a person merge moves everything that belongs to the duplicate.

Memberships and jobs (registry), the member's login (accounts), and through the hooks of
:mod:`registry.merge_hooks`: training participation and attendance, loans, share
operations and movements, assembly attendance, the member's business in the books. The
duplicate stays as a tombstone; indicators count the person once; a pending transfer
between the two records is refused with nothing written; "not a duplicate" is recorded and
the pair is no longer proposed. Pages for each role.
"""

import datetime

import pytest
from django.urls import reverse

from accounts.models import RoleAssignment
from capital.models import ShareMovement, ShareOperation
from capital.selectors import holding_of, share_register
from capital.services import share_operation_request
from capital.tests.factories import StatutesFactory, done_operation
from core.errors import Conflict, ValidationFailed
from credit.models import Loan
from credit.tests.factories import active_loan, lender_staff, product
from governance.models import Attendance as AssemblyAttendance
from governance.services import attendance_record as assembly_attendance_record
from governance.tests.factories import held_assembly
from ledger.models import MemberTransaction
from ledger.services import member_transaction_record
from monitoring.selectors import indicator_values_from_scratch
from registry.merge_hooks import person_merge_hooks
from registry.models import DuplicateDismissal, Membership, Person
from registry.selectors import duplicate_candidates_list, person_duplicates
from registry.services import duplicate_dismiss, person_merge, person_update
from training.models import Attendance, Participant
from training.services import attendance_record
from training.tests.factories import ParticipantFactory, SessionFactory

pytestmark = pytest.mark.django_db

DAY1, DAY2 = datetime.date(2025, 6, 2), datetime.date(2025, 6, 3)


def test_every_app_above_the_registry_registered_its_hook():
    assert {h.app for h in person_merge_hooks()} >= {
        "capital",
        "credit",
        "governance",
        "ledger",
        "training",
    }


@pytest.fixture
def pair(world):
    """keep and dup: two records of one member of the Koumpentoum cooperative; dup is the
    one with the member login (world.member)."""
    keep, dup = world.persons_tc[1], world.persons_tc[0]
    return world, keep, dup


def _training(w, keep, dup):
    both = SessionFactory(commune=w.koumpentoum, starts_on=DAY1, ends_on=DAY2)
    only_dup = SessionFactory(commune=w.koumpentoum)
    for p in (keep, dup):
        ParticipantFactory(session=both, person=p, cooperative=w.coop_tc)
    lone = ParticipantFactory(session=only_dup, person=dup, cooperative=w.coop_tc)
    attendance_record(actor=w.national, session=both, person=keep, day=DAY1, present=True)
    attendance_record(actor=w.national, session=both, person=keep, day=DAY2, present=False)
    attendance_record(actor=w.national, session=both, person=dup, day=DAY2, present=True)
    Participant.objects.filter(session=both, person=dup).update(evaluation_score=15)
    return both, lone


def _shares(w, keep, dup):
    StatutesFactory(cooperative=w.coop_tc, share_value=5000)
    on = datetime.date(2026, 2, 1)
    for p, n in ((keep, 2), (dup, 3)):
        done_operation(
            actor=w.officer,
            cooperative=w.coop_tc,
            kind="subscription",
            person=p,
            shares=n,
            amount=n * 5000,
            effective_on=on,
        )


def test_merge_moves_training_loans_shares_assemblies_books_and_login(pair):
    w, keep, dup = pair
    both, lone = _training(w, keep, dup)
    checker = lender_staff(w.lender_obj, "checker-merge")
    loan = active_loan(
        maker=w.lender,
        checker=checker,
        product=product(w.lender, w.lender_obj),
        borrower_person=dup,
    )
    _shares(w, keep, dup)
    assembly = held_assembly(cooperative=w.coop_tc, actor=w.officer)
    for p in (keep, dup):
        assembly_attendance_record(assembly=assembly, person=p, actor=w.officer)
    tx = member_transaction_record(
        actor=w.officer,
        cooperative=w.coop_tc,
        person_id=dup.pk,
        on=datetime.date(2026, 3, 1),
        amount=40_000,
    )

    person_merge(actor=w.agent_tc, keep=keep, duplicate=dup)

    # training: one line in the shared session, the days merged, completion recomputed
    merged = Participant.objects.get(session=both, person=keep)
    assert not Participant.objects.filter(person=dup).exists()
    assert dict(Attendance.objects.filter(participant=merged).values_list("day", "present")) == {
        DAY1: True,
        DAY2: True,
    }
    assert merged.completed and merged.evaluation_score == 15
    lone.refresh_from_db()
    assert lone.person == keep
    # credit: the loan is keep's, amounts untouched, its history says why
    loan.refresh_from_db()
    assert loan.borrower_person == keep and loan.outstanding_principal == 1_000_000
    assert "fusion" in loan.history.first().history_change_reason
    # capital: the two accounts in one cooperative are one holding of 5 shares
    assert not ShareMovement.objects.filter(person=dup).exists()
    assert not ShareOperation.objects.filter(person=dup).exists()
    held = holding_of(w.coop_tc, keep)
    assert (held.shares, held.subscribed) == (5, 25_000)
    register = share_register(actor=w.national, cooperative=w.coop_tc)
    assert [h.person for h in register if h.shares] == [keep]
    # governance: one line on the register, never two votes
    assert list(AssemblyAttendance.objects.filter(assembly=assembly).values_list("person_id")) == [
        (keep.pk,)
    ]
    # ledger: the member's business is keep's
    tx.refresh_from_db()
    assert tx.person_id == keep.pk and not MemberTransaction.objects.filter(person=dup).exists()
    # accounts: the member's login now reads keep's record
    assert RoleAssignment.objects.get(user=w.member).person_id == keep.pk
    # the tombstone
    dup.refresh_from_db()
    assert dup.merged_into_id == keep.pk
    assert dup.history.first().history_change_reason == f"fusionnée dans {keep.pk}"


def test_indicators_count_the_merged_person_once(pair):
    w, keep, dup = pair
    both, _ = _training(w, keep, dup)
    # both records completed the session: two trained people before, one after
    attendance_record(actor=w.national, session=both, person=dup, day=DAY1, present=True)
    attendance_record(actor=w.national, session=both, person=keep, day=DAY2, present=True)
    # dup is also a member of the Mbour cooperative: two memberships, one person
    Membership.objects.create(
        cooperative=w.coop_mbour, person=dup, joined_on=datetime.date(2024, 1, 1)
    )
    sn = w.koumpentoum.parent.parent.parent
    as_of = datetime.date.today()

    def figures():
        rows = indicator_values_from_scratch(
            actor=w.national,
            area=sn,
            year=as_of.year,
            as_of=as_of,
            codes=["members_total", "trained_people"],
        )
        return {r["code"]: r["value"] for r in rows}

    before = figures()
    person_merge(actor=w.national, keep=keep, duplicate=dup)
    after = figures()
    assert after["members_total"] == before["members_total"] - 1
    assert after["trained_people"] == before["trained_people"] - 1
    assert Membership.objects.filter(person=keep, cooperative=w.coop_mbour).exists()


def test_a_pending_transfer_between_the_two_records_is_refused_and_nothing_written(pair):
    w, keep, dup = pair
    both, _ = _training(w, keep, dup)
    _shares(w, keep, dup)
    share_operation_request(
        actor=w.officer,
        cooperative=w.coop_tc,
        kind="transfer",
        person=dup,
        to_person=keep,
        shares=1,
        effective_on=datetime.date(2026, 3, 1),
    )
    with pytest.raises(Conflict) as exc:
        person_merge(actor=w.national, keep=keep, duplicate=dup)
    assert exc.value.code == "merge_pending_transfer"
    assert "cession" in str(exc.value.message)
    # nothing half-written: the hooks that ran before (training) were rolled back
    dup.refresh_from_db()
    assert dup.merged_into_id is None
    assert Participant.objects.filter(session=both, person=dup).exists()
    assert Membership.objects.filter(person=dup).exists()
    assert RoleAssignment.objects.get(user=w.member).person_id == dup.pk


def test_not_a_duplicate_is_recorded_and_the_pair_no_longer_proposed(world):
    a, b = world.persons_tc[1], world.persons_tc[2]
    for p in (a, b):
        person_update(actor=world.national, person=p, national_id="1751199001234")
        p.refresh_from_db()
    assert [x.pk for x in person_duplicates(actor=world.national, person=a)] == [b.pk]
    assert [(c.keep, c.duplicate) for c in duplicate_candidates_list(actor=world.national)] == [
        (a, b)
    ]
    with pytest.raises(ValidationFailed) as exc:
        duplicate_dismiss(actor=world.agent_tc, person=a, other=b, reason="   ")
    assert exc.value.field == "reason"
    with pytest.raises(ValidationFailed):
        duplicate_dismiss(actor=world.agent_tc, person=a, other=b, reason="x" * 256)
    with pytest.raises(ValidationFailed):
        duplicate_dismiss(actor=world.agent_tc, person=a, other=a, reason="moi")

    dismissal = duplicate_dismiss(
        actor=world.agent_tc, person=b, other=a, reason="Deux CNI vues : jumelles"
    )
    assert (dismissal.person_low_id, dismissal.person_high_id) == (a.pk, b.pk)
    assert dismissal.dismissed_by == world.agent_tc
    assert not person_duplicates(actor=world.national, person=a).exists()
    assert not person_duplicates(actor=world.national, person=b).exists()
    assert duplicate_candidates_list(actor=world.national) == []
    with pytest.raises(Conflict) as exc:
        duplicate_dismiss(actor=world.national, person=a, other=b, reason="encore")
    assert exc.value.code == "already_dismissed"
    # a third record with the same CNI is still proposed, against the oldest it may be
    c = world.persons_tc[0]
    person_update(actor=world.national, person=c, national_id="1751199001234")
    pairs = [(p.keep.pk, p.duplicate.pk) for p in duplicate_candidates_list(actor=world.national)]
    assert c.pk < a.pk < b.pk
    assert pairs == [(c.pk, a.pk), (c.pk, b.pk)]  # never (a, b) again


# --- pages, for each role ------------------------------------------------------------------


@pytest.fixture
def twins(world):
    a, b = world.persons_tc[1], world.persons_tc[2]
    for p in (a, b):
        person_update(actor=world.national, person=p, national_id="1751199001234")
    return world, a, b


@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("national", 200),
        ("agent_tc", 200),
        ("agent_th", 404),  # persons of another region: never revealed
        ("officer", 403),  # sees the members of the cooperative, may not merge or dismiss
        ("lender", 404),
        ("member", 404),
        ("nobody", 404),
    ],
)
def test_dismiss_page_by_role(client, twins, role, status):
    w, a, b = twins
    client.force_login(getattr(w, role))
    url = reverse("registry:duplicate_dismiss", args=[a.pk, b.pk])
    assert client.get(url).status_code == status
    response = client.post(url, {"reason": "Deux CNI différentes vues"})
    assert response.status_code == (302 if status == 200 else status)
    assert DuplicateDismissal.objects.exists() == (status == 200)


def test_dismiss_page_asks_for_a_reason_and_then_drops_the_pair(client, twins):
    w, a, b = twins
    client.force_login(w.agent_tc)
    listing = client.get(reverse("registry:duplicate_list"))
    dismiss_url = reverse("registry:duplicate_dismiss", args=[a.pk, b.pk])
    assert dismiss_url in listing.content.decode()
    page = client.get(dismiss_url).content.decode()
    assert "Confirmer : pas un doublon" in page and 'name="reason"' in page
    refused = client.post(dismiss_url, {"reason": ""})
    assert refused.status_code == 200 and not DuplicateDismissal.objects.exists()
    done = client.post(dismiss_url, {"reason": "Deux CNI différentes vues"}, follow=True)
    assert done.redirect_chain[-1][0] == reverse("registry:duplicate_list")
    assert "Aucun doublon probable" in done.content.decode()
    detail = client.get(reverse("registry:person_detail", args=[a.pk])).content.decode()
    assert 'data-testid="duplicates"' not in detail


@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("national", 302),
        ("agent_tc", 302),
        ("agent_th", 404),
        ("officer", 403),
        ("lender", 404),
        ("member", 404),
        ("nobody", 404),
    ],
)
def test_merge_page_by_role_moves_the_loan(client, twins, role, status):
    w, a, b = twins
    checker = lender_staff(w.lender_obj, "checker-page")
    loan = active_loan(
        maker=w.lender,
        checker=checker,
        product=product(w.lender, w.lender_obj),
        borrower_person=b,
    )
    client.force_login(getattr(w, role))
    response = client.post(reverse("registry:person_merge", args=[a.pk, b.pk]))
    assert response.status_code == status
    loan.refresh_from_db()
    assert (loan.borrower_person_id == a.pk) == (status == 302)
    assert Person.objects.get(pk=b.pk).merged_into_id == (a.pk if status == 302 else None)


def test_merge_page_shows_the_refusal_in_french(client, pair):
    w, keep, dup = pair
    _shares(w, keep, dup)
    share_operation_request(
        actor=w.officer,
        cooperative=w.coop_tc,
        kind="transfer",
        person=dup,
        to_person=keep,
        shares=1,
        effective_on=datetime.date(2026, 3, 1),
    )
    client.force_login(w.national)
    response = client.post(reverse("registry:person_merge", args=[keep.pk, dup.pk]))
    assert response.status_code == 200
    assert "Une cession de parts entre ces deux fiches est en cours" in response.content.decode()
    assert Loan.objects.count() == 0 and Person.objects.get(pk=dup.pk).merged_into_id is None
