"""Rollups: stored figures kept fresh, equal to a recomputation from scratch, cheap to read."""

import datetime
import io

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from accounts.services import role_assign
from accounts.tests.factories import UserFactory
from core.errors import DomainError
from credit.tests.factories import active_loan, lender_staff, product
from geo.models import Area
from ledger.services import entry_post
from monitoring import rollups
from monitoring.models import AreaFigures
from monitoring.selectors import (
    indicator_values,
    indicator_values_from_scratch,
    month_ends,
)
from registry.models import Employment, Membership
from registry.services import (
    cooperative_register,
    cooperative_stage_change,
    employment_end,
    employment_record,
    member_admit,
    member_leave,
    person_create,
    person_update,
)
from training.services import attendance_record, participant_enrol, visit_record
from training.tests.factories import SessionFactory, module

YEAR = 2026
AS_OF = datetime.date(2026, 11, 1)
AREAS = ["SN", "SN-TH", "SN-TH-MBO", "SN-TH-MBO-01", "SN-TH-THI-01", "SN-TC", "SN-TC-KPT-01"]


def stored(actor, code, as_of=AS_OF):
    area = Area.objects.get(code=code)
    return {
        r["code"]: r["value"]
        for r in indicator_values(actor=actor, area=area, year=YEAR, as_of=as_of)
    }


def scratch(actor, code, as_of=AS_OF):
    area = Area.objects.get(code=code)
    return {
        r["code"]: r["value"]
        for r in indicator_values_from_scratch(actor=actor, area=area, year=YEAR, as_of=as_of)
    }


def all_rows():
    return {
        (r.area_id, r.year, r.as_of): r.values
        for r in AreaFigures.objects.filter(year=YEAR, as_of=AS_OF)
    }


class Ops:
    """Operations through the services, on the small two-region world."""

    def __init__(self, world):
        self.w = world
        self.national = world.national
        self.books = UserFactory(username="books")
        self.communes = [world.koumpentoum, world.mbour, world.thies]
        self.coops = [world.coop_tc, world.coop_mbour, world.coop_thies]
        for coop in self.coops:
            role_assign(user=self.books, role="officer", cooperative=coop)
        self.persons = world.persons_tc + world.persons_mbour + world.persons_thies
        self.initial = (list(self.coops), list(self.persons))

    def reset(self):
        """Forget what a rolled-back example created."""
        self.coops, self.persons = list(self.initial[0]), list(self.initial[1])
        for name in ("millet", "chain", "sites"):
            self.__dict__.pop(name, None)
        self.books._sunucoop_scope = None

    def _books(self):
        self.books._sunucoop_scope = None
        return self.books

    def register(self, commune: int, month: int):
        coop = cooperative_register(
            actor=self.national,
            name=f"Coop {len(self.coops)}",
            legal_form="SCOOPS",
            commune=self.communes[commune],
            sector="artisanat",
            value_chain_stage="production",
            founded_on=datetime.date(YEAR, month, 1),
        )
        role_assign(user=self.books, role="officer", cooperative=coop)
        self.coops.append(coop)

    def person(self, sex: str, age: int):
        self.persons.append(
            person_create(
                actor=self.national,
                first_name="Awa",
                last_name=f"Nom{len(self.persons)}",
                sex=sex,
                birth_date=datetime.date(2026 - age, 3, 1),
            )
        )

    def admit(self, coop: int, person: int, month: int):
        member_admit(
            actor=self.national,
            cooperative=self.coops[coop % len(self.coops)],
            person=self.persons[person % len(self.persons)],
            joined_on=datetime.date(YEAR, month, 1),
        )

    def leave(self, index: int, month: int):
        rows = list(Membership.objects.filter(status="active").order_by("id"))
        if rows:
            m = rows[index % len(rows)]
            member_leave(
                actor=self.national,
                membership=m,
                left_on=max(m.joined_on, datetime.date(YEAR, month, 1)),
            )

    def job(self, coop: int, person: int, decent: bool, month: int):
        employment_record(
            actor=self.national,
            cooperative=self.coops[coop % len(self.coops)],
            person=self.persons[person % len(self.persons)],
            job_title="tisserande",
            contract_type="cdi" if decent else "verbal",
            started_on=datetime.date(YEAR, month, 1),
            monthly_pay=100_000,
            social_security=True,
        )

    def end_job(self, index: int, month: int):
        rows = list(Employment.objects.filter(ended_on__isnull=True).order_by("id"))
        if rows:
            job = rows[index % len(rows)]
            employment_end(
                actor=self.national,
                employment=job,
                ended_on=max(job.started_on, datetime.date(YEAR, month, 1)),
            )

    def sale(self, coop: int, amount: int, month: int):
        entry_post(
            actor=self._books(),
            cooperative=self.coops[coop % len(self.coops)],
            journal="CA",
            on=datetime.date(YEAR, month, 10),
            label="Vente",
            lines=[("5711", amount, 0), ("7021", 0, amount)],
        )

    def train(self, commune: int, person: int, month: int):
        day = datetime.date(YEAR, month, 3)
        session = SessionFactory(
            module=module("think-coop"), commune=self.communes[commune], starts_on=day, ends_on=day
        )
        who = self.persons[person % len(self.persons)]
        participant_enrol(actor=self.national, session=session, person=who)
        attendance_record(actor=self.national, session=session, person=who, day=day, present=True)

    def visit(self, coop: int, month: int):
        visit_record(
            actor=self.national,
            cooperative=self.coops[coop % len(self.coops)],
            visited_on=datetime.date(YEAR, month, 5),
            purpose="Suivi",
        )

    def sex(self, person: int):
        p = self.persons[person % len(self.persons)]
        p.refresh_from_db()
        person_update(actor=self.national, person=p, sex="M" if p.sex == "F" else "F")

    def dissolve(self, coop: int, month: int):
        cooperative_stage_change(
            actor=self.national,
            cooperative=self.coops[coop % len(self.coops)],
            stage="dissoute",
            on=datetime.date(YEAR, month, 15),
        )

    def work(self, coop: int, days: int, month: int):
        """A production run of a value chain with ``days`` of members' work (decent jobs)."""
        from purchasing.services import product_create
        from registry.models import Sector
        from valuechain import services as chains

        coop = self.coops[coop % len(self.coops)]
        if not hasattr(self, "millet"):
            self.millet = product_create(actor=self.national, name="Mil", unit="kg")
            self.chain = chains.value_chain_create(
                actor=self.national,
                name="Céréales",
                sector=Sector.objects.get(code="transformation-agroalimentaire"),
                area=Area.objects.get(code="SN"),
            )
            self.sites = {}
        if coop.pk not in self.sites:
            self.sites[coop.pk] = chains.site_create(
                actor=self.national,
                name=f"Unité {coop.pk}",
                kind="production",
                commune=coop.commune,
                cooperative=coop,
                value_chain=self.chain,
            )
        site, day = self.sites[coop.pk], datetime.date(YEAR, month, 7)
        lot = chains.lot_open(
            actor=self.national,
            product=self.millet,
            quantity=5,
            site=site,
            on=day,
            origin="harvest",
        )
        chains.production_run_record(
            actor=self.national,
            site=site,
            on=day,
            inputs=[(lot, 5)],
            outputs=[(self.millet, 4)],
            work_days=days,
        )

    def read(self, area: int):
        stored(self.national, AREAS[area % len(AREAS)])


month = st.integers(1, 10)
small = st.integers(0, 20)
operation = st.one_of(
    st.tuples(st.just("register"), st.integers(0, 2), month),
    st.tuples(st.just("person"), st.sampled_from(["F", "M"]), st.integers(16, 70)),
    st.tuples(st.just("admit"), small, small, month),
    st.tuples(st.just("leave"), small, month),
    st.tuples(st.just("job"), small, small, st.booleans(), month),
    st.tuples(st.just("end_job"), small, month),
    st.tuples(st.just("sale"), small, st.integers(1, 90_000), month),
    st.tuples(st.just("train"), st.integers(0, 2), small, month),
    st.tuples(st.just("visit"), small, month),
    st.tuples(st.just("sex"), small),
    st.tuples(st.just("dissolve"), small, month),
    st.tuples(st.just("work"), small, st.integers(1, 300), month),
    st.tuples(st.just("read"), small),
    st.tuples(st.just("read"), small),
)


@pytest.fixture
def ops(world):
    for coop in [world.coop_tc, world.coop_mbour, world.coop_thies]:
        coop.founded_on = datetime.date(2025, 4, 1)  # before any figure is stored
        coop.save()
    ops = Ops(world)
    maker, checker = lender_staff(world.lender_obj), lender_staff(world.lender_obj)
    active_loan(
        maker=maker,
        checker=checker,
        product=product(maker, world.lender_obj),
        borrower_cooperative=world.coop_tc,
    )
    return ops


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(steps=st.lists(operation, min_size=1, max_size=12))
def test_stored_figures_equal_a_recomputation_after_random_operations(ops, steps):
    ops.reset()
    end_of_june = month_ends(YEAR, AS_OF)[5]
    with transaction.atomic():
        ops.read(0)  # rows exist before the first operation: the rest is incremental
        stored(ops.national, "SN", end_of_june)  # a past day too: dated marks must hold
        for name, *args in steps:
            try:
                with transaction.atomic():
                    getattr(ops, name)(*args)
            except DomainError:
                pass  # refused by a rule (already a member, dissolved...): nothing changed
        try:
            for code in AREAS:
                assert stored(ops.national, code) == scratch(ops.national, code), code
            assert stored(ops.national, "SN", end_of_june) == scratch(
                ops.national, "SN", end_of_june
            )
            kept = all_rows()
            AreaFigures.objects.all().delete()
            rollups.refresh(Area.objects.get(code="SN"), YEAR, AS_OF)
            assert all_rows() == kept  # every component of every area, breakdowns included
        finally:
            transaction.set_rollback(True)


def test_an_operation_shows_at_the_next_read(ops, client):
    w = ops.w
    before = stored(w.national, "SN")
    assert stored(w.national, "SN-TH")["members_total"] == 6
    newcomer = person_create(actor=w.national, first_name="Ndèye", last_name="Faye", sex="F")
    member_admit(
        actor=w.national, cooperative=w.coop_mbour, person=newcomer, joined_on="2026-10-01"
    )
    after = stored(w.national, "SN")
    assert after["members_total"] == before["members_total"] + 1
    assert after["members_women"] == before["members_women"] + 1
    assert stored(w.national, "SN-TH")["members_total"] == 7
    assert stored(w.national, "SN-TC") == scratch(w.national, "SN-TC")  # untouched, unchanged
    # The dashboard page (today's figures) too.
    client.force_login(w.national)
    client.get("/suivi/")
    entry_post(
        actor=w.officer,
        cooperative=w.coop_tc,
        journal="CA",
        on=datetime.date.today(),
        label="Vente de pagnes",
        lines=[("5711", 123_456, 0), ("7021", 0, 123_456)],
    )
    html = client.get("/suivi/").content.decode()
    assert "123\u202f456" in html or "123 456" in html or "123\xa0456" in html


def test_an_unmarked_change_is_not_seen_but_a_marked_one_is(ops):
    """The freshness signal is what makes a row stale: a write that bypasses the services
    (no mark) is not seen until the next mark of its commune (why every writer must be a
    service)."""
    w = ops.w
    assert stored(w.national, "SN-TC")["cooperatives_total"] == 1
    w.coop_tc.stage, w.coop_tc.stage_changed_on = "dissoute", datetime.date(2026, 1, 2)
    w.coop_tc.save()
    assert stored(w.national, "SN-TC")["cooperatives_total"] == 1  # stale, unmarked
    visit_record(actor=w.national, cooperative=w.coop_tc, visited_on=AS_OF, purpose="Suivi")
    assert stored(w.national, "SN-TC")["cooperatives_total"] == 0
    assert stored(w.national, "SN")["cooperatives_total"] == 2


def test_only_the_changed_branch_is_recomputed(ops):
    w = ops.w
    stored(w.national, "SN")
    # the day's rows (the dashboard also reads the 2025 baseline of a relative target)
    rows = AreaFigures.objects.filter(year=YEAR, as_of=AS_OF)
    computed = dict(rows.values_list("area__code", "computed_at"))
    member_admit(
        actor=w.national, cooperative=w.coop_mbour, person=w.persons_tc[1], joined_on="2026-10-01"
    )
    stored(w.national, "SN")
    after = dict(rows.values_list("area__code", "computed_at"))
    moved = {code for code in after if after[code] != computed.get(code)}
    assert moved == {"SN", "SN-TH", "SN-TH-MBO", "SN-TH-MBO-01"}


def test_a_change_dated_today_leaves_past_days_figures_stored(ops):
    w = ops.w
    end_of_june = month_ends(YEAR, AS_OF)[5]
    june = stored(w.national, "SN", end_of_june)
    stored(w.national, "SN")
    computed = dict(AreaFigures.objects.filter(area__code="SN").values_list("as_of", "computed_at"))
    member_admit(
        actor=w.national, cooperative=w.coop_mbour, person=w.persons_tc[1], joined_on=AS_OF
    )
    assert stored(w.national, "SN", end_of_june) == june
    assert stored(w.national, "SN")["members_total"] == scratch(w.national, "SN")["members_total"]
    after = dict(AreaFigures.objects.filter(area__code="SN").values_list("as_of", "computed_at"))
    assert after[end_of_june] == computed[end_of_june]  # not recomputed
    assert after[AS_OF] != computed[AS_OF]  # recomputed
    # A change dated back in May makes June's figures stale again.
    newcomer = person_create(actor=w.national, first_name="Awa", last_name="Sarr", sex="F")
    member_admit(
        actor=w.national,
        cooperative=w.coop_thies,
        person=newcomer,
        joined_on=datetime.date(2026, 5, 2),
    )
    assert stored(w.national, "SN", end_of_june) == scratch(w.national, "SN", end_of_june)
    assert stored(w.national, "SN", end_of_june)["members_total"] == june["members_total"] + 1


def _national_dashboard_queries(client):
    client.get("/suivi/?year=2026")  # recompute what is stale
    with CaptureQueriesContext(connection) as ctx:
        r = client.get("/suivi/?year=2026")
    assert r.status_code == 200
    return len(ctx.captured_queries)


def test_the_national_dashboard_reads_a_constant_number_of_queries(ops, client):
    w = ops.w
    client.force_login(w.national)
    small_count = _national_dashboard_queries(client)
    for i in range(8):
        coop = cooperative_register(
            actor=w.national,
            name=f"Grande coop {i}",
            legal_form="SCOOPS",
            commune=[w.koumpentoum, w.mbour, w.thies][i % 3],
            sector="artisanat",
            value_chain_stage="production",
            founded_on=datetime.date(2026, 2, 1),
        )
        for j in range(5):
            p = person_create(actor=w.national, first_name="Awa", last_name=f"N{i}x{j}", sex="F")
            member_admit(actor=w.national, cooperative=coop, person=p, joined_on="2026-03-01")
    assert stored(w.national, "SN")["cooperatives_total"] == 11
    assert _national_dashboard_queries(client) == small_count
    assert small_count <= 30


def test_the_nightly_refresh_stores_today_and_forgets_old_marks(ops):
    from django.core.management import call_command

    from geo.models import AreaChange

    w = ops.w
    member_admit(
        actor=w.national, cooperative=w.coop_mbour, person=w.persons_tc[1], joined_on=AS_OF
    )
    assert AreaChange.objects.exists()
    out = io.StringIO()
    call_command("monitoring_refresh", stdout=out)
    today = datetime.date.today()
    assert AreaFigures.objects.filter(area__code="SN", as_of=today).exists()
    assert AreaFigures.objects.filter(area__code="SN-TC-KPT-01", as_of=today).exists()
    assert not AreaChange.objects.exists()  # older than every stored figure
    assert "marques de changement oubliées" in out.getvalue()


def test_the_nightly_refresh_stores_the_baselines_of_relative_targets(ops):
    """The seeded national target "production doubled" (2027, from 2025) reads the 2025
    figures at every indicators request: the nightly job stores them, so no request
    computes a past year (at household scale that took longer than a worker may run)."""
    from django.core.management import call_command

    from monitoring.models import Target
    from monitoring.selectors import baseline_days, targets_with_basis

    today = datetime.date.today()
    assert Target.objects.filter(area__code="SN", baseline_year=2025).exists()
    assert (2025, datetime.date(2025, 12, 31)) in baseline_days(today)
    assert not AreaFigures.objects.filter(year=2025).exists()
    call_command("monitoring_refresh", stdout=io.StringIO())
    stored = AreaFigures.objects.filter(area__code="SN", year=2025, as_of="2025-12-31")
    assert stored.exists()
    computed = stored.get().computed_at
    sn = Area.objects.get(code="SN")
    with CaptureQueriesContext(connection) as queries:
        targets_with_basis(area=sn, year=2027)
    assert stored.get().computed_at == computed  # read, not computed again
    assert not any("INSERT" in q["sql"] or "UPDATE" in q["sql"] for q in queries)


def test_the_nightly_refresh_keeps_the_marks_the_portfolio_rollups_need(ops):
    """The change marks are shared with credit's portfolio rollups: a mark newer than the
    oldest of their stamps survives the pruning, though every monitoring figure is newer."""
    import io

    from django.core.management import call_command
    from django.utils import timezone

    from credit import rollups as portfolio_rollups
    from geo.changes import areas_touch
    from geo.models import AreaChange

    w = ops.w
    portfolio_rollups.compute(as_of=timezone.localdate(), communes=[w.coop_mbour.commune_id])
    stamped = portfolio_rollups.oldest_computed()
    areas_touch([w.coop_mbour.commune_id], on=datetime.date(2026, 3, 1))
    call_command("monitoring_refresh", stdout=io.StringIO())
    assert AreaChange.objects.filter(changed_at__gt=stamped).exists()
    assert not AreaChange.objects.filter(changed_at__lt=stamped).exists()
