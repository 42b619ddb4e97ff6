"""Loans pulled by what changed: their history, their borrower's, their cooperative's, and
the nightly job's runs (``credit.FiguresRun``), which write figures without history
(docs/offline.md, "What a pull of changes computes")."""

import datetime

import pytest

from credit import services as credit_services
from credit.models import FiguresRun, Loan
from credit.portfolio import refresh_all
from registry import services as registry_services
from sync import pull as pull_module
from sync.models import PullCursor
from sync.tests.conftest import TODAY
from sync.tests.test_pull import held
from sync.tests.test_pull_dated import pull, sent


@pytest.fixture
def spy(monkeypatch):
    """What each pull handed the loans' computation: ``None`` (whole) or the ids."""
    calls = []
    rows = pull_module.KINDS["loan"]

    def counted(actor, today, only=None):
        calls.append(None if only is None else set(only))
        return rows(actor, today, only=only)

    monkeypatch.setitem(pull_module.KINDS, "loan", counted)
    return calls


def _loan_record(answer, pk):
    return next(r for r in answer["records"] if r["kind"] == "loan" and r["id"] == pk)


def _pay(world, loan, amount, on=TODAY):
    return credit_services.repayment_post(
        actor=world.lender,
        loan=Loan.objects.get(pk=loan.pk),
        amount=amount,
        paid_on=on,
        channel="cash",
    )


def test_a_repayment_sends_its_loan_alone_and_a_quiet_pull_computes_none(world, field, spy):
    loan = field["loan"]
    first = pull(world.agent_tc)
    before = _loan_record(first, loan.pk)["data"]["next_instalments"][0]
    quiet = pull(world.agent_tc, first["cursor"])
    assert quiet["records"] == [] and quiet["deleted"] == []
    assert spy[-1] == set()  # nothing computed
    _pay(world, loan, 10_000)
    after = pull(world.agent_tc, quiet["cursor"])
    assert sent(after, "loan") == {loan.pk}
    assert spy[-1] == {loan.pk}
    now = _loan_record(after, loan.pk)["data"]["next_instalments"][0]
    assert (now["number"], now["remaining"]) == (before["number"], before["remaining"] - 10_000)
    assert held(after, held(quiet, held(first))) == held(pull(world.agent_tc))


def test_a_reversal_and_a_reschedule_are_sent(world, field, spy):
    """Each service that writes a loan's instalments saves its row (history): the device
    ends as a whole pull would leave it."""
    loan = field["loan"]
    repayment = _pay(world, loan, 50_000)
    first = pull(world.agent_tc)
    credit_services.repayment_reverse(
        actor=world.lender, repayment=repayment, on=TODAY, reason="Erreur de saisie"
    )
    second = pull(world.agent_tc, first["cursor"])
    assert sent(second, "loan") == {loan.pk} and spy[-1] == {loan.pk}
    request = credit_services.loan_change_request(
        actor=world.lender,
        loan=Loan.objects.get(pk=loan.pk),
        kind="reschedule",
        on=TODAY,
        reason="Récolte tardive",
        params={"term_months": 18},
    )
    checker = Loan.objects.get(pk=loan.pk).approved_by
    credit_services.loan_change_decide(actor=checker, request=request, approve=True)
    third = pull(world.agent_tc, second["cursor"])
    assert sent(third, "loan") == {loan.pk} and spy[-1] == {loan.pk}
    device = held(third, held(second, held(first)))
    assert device == held(pull(world.agent_tc))


def test_a_loan_settled_leaves_the_device(world, field):
    loan = field["loan"]
    first = pull(world.agent_tc)
    most = credit_services.loan_amount_payable(Loan.objects.get(pk=loan.pk), TODAY)
    _pay(world, loan, most)
    assert Loan.objects.get(pk=loan.pk).status == "closed"
    after = pull(world.agent_tc, first["cursor"])
    assert after["deleted"] == [{"kind": "loan", "id": loan.pk}]


def test_the_borrowers_new_name_is_sent(world, field, spy):
    loan = field["loan"]
    first = pull(world.agent_tc)
    registry_services.cooperative_update(
        actor=world.national, cooperative=world.coop_tc, name="Coopérative Nouvelle Aube"
    )
    after = pull(world.agent_tc, first["cursor"])
    assert _loan_record(after, loan.pk)["data"]["borrower"] == "Coopérative Nouvelle Aube"
    assert loan.pk in spy[-1]


def test_the_nightly_job_makes_one_whole_pull_of_loans(world, field, spy):
    """Its bulk UPDATE writes no history: the run it leaves when it ends makes the next
    pull compute the loans whole, once. A run that changed nothing does not."""
    loan = field["loan"]
    first = pull(world.agent_tc)
    assert _loan_record(first, loan.pk)["data"]["days_past_due"] == 0
    late = TODAY + datetime.timedelta(days=60)
    assert refresh_all(as_of=late) == (1, 1)
    assert FiguresRun.objects.get().changed == 1
    after = pull(world.agent_tc, first["cursor"])
    assert spy[-1] is None  # whole
    assert sent(after, "loan") == {loan.pk}
    assert _loan_record(after, loan.pk)["data"]["days_past_due"] > 0
    quiet = pull(world.agent_tc, after["cursor"])
    assert spy[-1] == set() and quiet["records"] == []
    assert refresh_all(as_of=late) == (1, 0)  # nothing changed: a run, no whole pull
    assert FiguresRun.objects.count() == 2
    pull(world.agent_tc, quiet["cursor"])
    assert spy[-1] == set()


def test_a_cursor_stored_before_the_runs_computes_the_loans_whole_once(world, field, spy):
    from sync.services import cursor_held

    refresh_all(as_of=TODAY + datetime.timedelta(days=60))
    first = pull(world.agent_tc)
    row = PullCursor.objects.get(token=first["cursor"])
    old = cursor_held(row)
    assert old.figures_run == FiguresRun.objects.get().pk
    old.figures_run = None
    row.versions, row.base = old.pack(), None
    row.save()
    after = pull(world.agent_tc, first["cursor"])
    assert spy[-1] is None and after["records"] == []
    pull(world.agent_tc, after["cursor"])
    assert spy[-1] == set()


# --- the cursor stored as what changed since its base (issue 23) -------------------------


def test_pulls_of_changes_store_deltas_on_one_base_and_keep_the_bases_they_need(
    world, field, monkeypatch
):
    from sync import services as sync_services

    first = pull(world.agent_tc)
    base = PullCursor.objects.get(token=first["cursor"])
    assert base.base_id is None
    cursors, answer, device = [first["cursor"]], first, held(first)
    for i in range(12):  # more than the cursors kept
        registry_services.person_update(
            actor=world.agent_tc, person=world.persons_tc[i % 3], phone=f"77100{i:04d}"
        )
        answer = pull(world.agent_tc, answer["cursor"])
        device = held(answer, device)
        cursors.append(answer["cursor"])
        row = PullCursor.objects.get(token=answer["cursor"])
        assert row.base_id == base.pk  # a delta on the first pull's whole blob
        assert len(bytes(row.versions)) < len(bytes(base.versions))
    assert device == held(pull(world.agent_tc))
    kept = PullCursor.objects.filter(user=world.agent_tc)
    # the 10 last, and the base they are read with (the first cursor, older than them)
    assert kept.count() == sync_services.CURSORS_KEPT + 1
    assert kept.filter(pk=base.pk).exists()
    # a retry from one of the last cursors still works
    retried = pull(world.agent_tc, cursors[-3])
    assert held(retried, held(pull(world.agent_tc, cursors[-4]), held(first)))
    # past the share of the big kinds, a whole blob again (a new base), the old one dropped
    monkeypatch.setattr(sync_services, "DELTA_MIN", 0)
    monkeypatch.setattr(sync_services, "DELTA_SHARE", 10**9)
    registry_services.person_update(
        actor=world.agent_tc, person=world.persons_tc[0], phone="771009999"
    )
    new = pull(world.agent_tc, answer["cursor"])
    assert PullCursor.objects.get(token=new["cursor"]).base_id is None
    assert held(new, device) == held(pull(world.agent_tc))
