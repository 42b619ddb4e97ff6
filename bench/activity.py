"""Synthetic activity for the benchmark: credit, training, follow-up visits and the books.

Run after the registry and the users (see :data:`bench.synthetic.GENERATORS`). Same rules
as the registry generator: deterministic from the seed, explicit keys, rows inserted in
bulk (:func:`bench.rows.insert_rows`: COPY on PostgreSQL).

Credit (see docs/benchmarks.md for the distribution):

- Lenders: the programme's fund, a national MEC network ("MEC de référence", the bench
  lender user's) and regional MECs; each with the demo's three products plus a weekly
  member product, created through ``credit.services.loan_product_create``.
- Loans: 40 % to cooperatives, 60 % to members through their cooperative; schedules from
  the real engine (``credit.schedule.build_schedule``) per loan, fees at disbursement paid
  by deduction as ``loan_disburse`` does.
- Repayments: 88 % of loans paid on time, on the due date or a few days after (about
  75 % of the active portfolio, as closed loans were mostly paid on time); the others
  stop paying at a date chosen so that their days past due fall in each aging bucket
  (1-30, 31-90, 91-180, 181-365, over 365), some with a partial payment. Each payment
  is allocated like ``credit.allocation.allocate`` (fees, interest, then principal of
  the oldest instalment due) and the instalments' paid columns are the sums of their
  allocation lines. Some instalments are paid in two payments so that the repayment
  count reaches the scale's.
- Loan figures: the real nightly job (``credit.portfolio.refresh_all``) on the as-of date;
  fully repaid loans are closed on their last payment.
"""

from __future__ import annotations

import datetime
import random
from collections import defaultdict
from decimal import Decimal

from django.utils import timezone

from bench.rows import bulk_load, insert_rows
from bench.scales import Scale
from core.text import fold

AS_OF = datetime.date(2026, 11, 1)

# Share of loans in each behaviour; None = paid on time.
BEHAVIOURS = [
    (None, 88.0),
    ((1, 30), 4.5),
    ((31, 90), 2.8),
    ((91, 180), 2.0),
    ((181, 365), 1.6),
    ((366, 700), 1.1),
]
PRODUCTS = [
    # key, borrower kind, share within that kind, spec, principal range (F CFA)
    (
        "agr",
        "coop",
        0.75,
        {
            "name": "Crédit AGR coopérative",
            "annual_rate": Decimal("18"),
            "term_months": 12,
            "fee_rate": Decimal("2"),
            "penalty_rate": Decimal("5"),
            "arrears_tolerance": 500,
            "min_principal": 250_000,
            "max_principal": 10_000_000,
        },
        (250_000, 10_000_000),
    ),
    (
        "campagne",
        "coop",
        0.25,
        {
            "name": "Crédit de campagne (remboursement après récolte)",
            "annual_rate": Decimal("16"),
            "term_months": 12,
            "fee_rate": Decimal("1.5"),
            "repayment_months": [11, 12, 1],
        },
        (500_000, 8_000_000),
    ),
    (
        "micro",
        "person",
        0.5,
        {
            "name": "Microcrédit membre",
            "annual_rate": Decimal("20"),
            "term_months": 6,
            "fee_rate": Decimal("1"),
            "amortization": "equal_principal",
            "min_principal": 50_000,
            "max_principal": 1_000_000,
        },
        (50_000, 1_000_000),
    ),
    (
        "hebdo",
        "person",
        0.5,
        {
            "name": "Crédit hebdomadaire membre",
            "annual_rate": Decimal("18"),
            "term_months": 6,
            "frequency": "weekly",
            "fee_rate": Decimal("1"),
            "arrears_tolerance": 200,
            "min_principal": 25_000,
            "max_principal": 500_000,
        },
        (25_000, 500_000),
    ),
]
REGIONAL_MECS = ["SN-TC", "SN-KL", "SN-ZG", "SN-SL", "SN-KD", "SN-TH"]
PURPOSES = [
    "fonds de roulement",
    "achat d'intrants",
    "équipement de transformation",
    "stock de campagne",
    "petit commerce",
    "embouche",
]
CHANNELS = [("cash", 50), ("mobile_money", 35), ("bank", 15)]

LOAN_CHUNK = 10_000  # loans generated, then written with their rows, at a time
LOAN_FIELDS = [
    "id",
    "lender_id",
    "product_id",
    "borrower_cooperative_id",
    "borrower_person_id",
    "cooperative_id",
    "area_id",
    "principal",
    "purpose",
    "status",
    "terms",
    "effective_rate",
    "applied_on",
    "approved_on",
    "disbursed_on",
    "closed_on",
    "created_by_id",
    "approved_by_id",
    "outstanding_principal",
    "arrears_amount",
    "days_past_due",
    "figures_as_of",
    "search_text",
    "created_at",
]
INSTALMENT_FIELDS = [
    "id",
    "loan_id",
    "cooperative_id",
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
    "penalty_accrued_to",
    "superseded",
]
REPAYMENT_FIELDS = [
    "id",
    "loan_id",
    "cooperative_id",
    "amount",
    "paid_on",
    "channel",
    "reference",
    "note",
    "recorded_by_id",
    "recorded_at",
]
ALLOCATION_FIELDS = [
    "id",
    "repayment_id",
    "instalment_id",
    "loan_id",
    "cooperative_id",
    "component",
    "amount",
    "paid_on",
]
EVENT_FIELDS = ["id", "loan_id", "cooperative_id", "kind", "on", "actor_id", "at", "detail"]


def _weighted(rng: random.Random, pairs):
    return rng.choices([p[0] for p in pairs], weights=[p[1] for p in pairs])[0]


def _next_id(model) -> int:
    from django.db.models import Max

    return (model.objects.aggregate(m=Max("pk"))["m"] or 0) + 1


def _principal(rng: random.Random, low: int, high: int) -> int:
    """Log-uniform between the bounds, rounded to 5,000 F (25,000 F above a million)."""
    value = low * (high / low) ** rng.random()
    step = 25_000 if value >= 1_000_000 else 5_000
    return max(low, int(value // step) * step)


def _lenders_and_products(actor):
    from credit import services
    from credit.models import Lender, LoanProduct
    from geo.models import Area

    lenders = [
        Lender.objects.get_or_create(
            name="Fonds d'appui aux coopératives (programme)", defaults={"kind": "fonds"}
        )[0],
        Lender.objects.get_or_create(name="MEC de référence", defaults={"kind": "mec"})[0],
    ]
    regions = {a.code: a for a in Area.objects.filter(code__in=REGIONAL_MECS)}
    for code in REGIONAL_MECS:
        area = regions[code]
        lenders.append(
            Lender.objects.get_or_create(
                name=f"MEC de {area.name}", defaults={"kind": "mec", "area": area}
            )[0]
        )
    products = {}
    for lender in lenders:
        for key, _kind, _share, spec, _range in PRODUCTS:
            product = LoanProduct.objects.filter(lender=lender, name=spec["name"]).first()
            if product is None:
                product = services.loan_product_create(
                    actor=actor, lender=lender, on=datetime.date(2024, 1, 1), **spec
                )
            products[lender.pk, key] = product
    return lenders, products


def generate_credit(scale: Scale, rng: random.Random) -> dict:
    from accounts.models import User
    from credit import schedule as engine
    from credit.models import Allocation, Instalment, Loan, LoanEvent, Repayment
    from credit.portfolio import refresh_all
    from credit.services import product_terms, terms_snapshot
    from registry.models import Cooperative, Membership, Person

    if not scale.loans:
        return {"loans": 0}
    national = User.objects.get(username="bench-national")
    lender_user = User.objects.get(username="bench-lender")
    lenders, products = _lenders_and_products(national)
    fund, reference, regional = lenders[0], lenders[1], lenders[2:]
    regional_by_code = {lender.area.code: lender for lender in regional}

    coops = list(
        Cooperative.objects.filter(stage__in=["immatriculee", "en_activite", "consolidee"])
        .order_by("pk")
        .values_list("pk", "name", "commune_id", "commune__path")
    )
    coop_by_pk = {c[0]: c for c in coops}
    members = list(
        Membership.objects.filter(cooperative_id__in=coop_by_pk, status="active")
        .order_by("pk")
        .values_list("person_id", "cooperative_id")
    )
    person_ids = {m[0] for m in members}
    persons = {
        pk: (f"{first} {last}", commune)
        for pk, first, last, commune in Person.objects.filter(pk__in=person_ids).values_list(
            "pk", "first_name", "last_name", "commune_id"
        )
    }
    snapshots = {key: terms_snapshot(p) for key, p in products.items()}
    now = timezone.now()

    # Pass 1: each loan's borrower, product, dates, behaviour and schedule.
    plans = []
    for _ in range(scale.loans):
        kind = "coop" if rng.random() < 0.4 else "person"
        choices = [(p[0], p[2]) for p in PRODUCTS if p[1] == kind]
        key = _weighted(rng, choices)
        spec = next(p for p in PRODUCTS if p[0] == key)
        if kind == "coop":
            coop = rng.choice(coops)
            person = None
        else:
            person, coop_pk = rng.choice(members)
            coop = coop_by_pk[coop_pk]
        region = coop[3].split("/")[1]
        r = rng.random()
        if r < 0.35:
            lender = fund
        elif r < 0.65 or region not in regional_by_code:
            lender = reference
        else:
            lender = regional_by_code[region]
        principal = _principal(rng, *spec[4])
        behaviour = _weighted(rng, BEHAVIOURS)
        term_days = spec[3]["term_months"] * 30
        state = "disbursed"
        if behaviour is None:
            s = rng.random()
            if s < 0.03:
                state = "application"
            elif s < 0.04:
                state = "approved"
            elif s < 0.05:
                state = "rejected"
            disbursed = AS_OF - datetime.timedelta(days=rng.randrange(0, 730))
            stop = None
        else:
            dpd = rng.randint(*behaviour)
            stop = AS_OF - datetime.timedelta(days=dpd)
            # disbursed so that an instalment falls due on or just after the stop date
            disbursed = stop - datetime.timedelta(days=rng.randrange(31, max(32, term_days)))
        applied = disbursed - datetime.timedelta(days=rng.randrange(7, 45))
        approved = applied + datetime.timedelta(days=rng.randrange(1, 7))
        if state != "disbursed":
            applied = AS_OF - datetime.timedelta(days=rng.randrange(1, 60))
            approved = applied + datetime.timedelta(days=2)
        rows = []
        if state == "disbursed":
            product = products[lender.pk, key]
            rows = engine.build_schedule(
                product_terms(product, principal=principal, disbursed_on=disbursed)
            )
        plans.append(
            {
                "key": key,
                "lender": lender,
                "coop": coop,
                "person": person,
                "principal": principal,
                "state": state,
                "applied": applied,
                "approved": approved,
                "disbursed": disbursed if state == "disbursed" else None,
                "stop": stop,
                "rows": rows,
                "purpose": rng.choice(PURPOSES),
            }
        )

    # How many payments the plan gives with one payment per instalment; split some
    # instalments into two payments to reach the scale's repayment count.
    single = 0
    for plan in plans:
        limit = plan["stop"] or AS_OF
        single += sum(1 for row in plan["rows"] if row.total and row.due_on < limit)
    split_share = min(1.0, max(0.0, (scale.repayments - single) / max(single, 1)))

    loan_pk, inst_pk = _next_id(Loan), _next_id(Instalment)
    rep_pk, alloc_pk, event_pk = _next_id(Repayment), _next_id(Allocation), _next_id(LoanEvent)
    loans, instalments, repayments, allocations, events = [], [], [], [], []
    counts = defaultdict(int)
    written = defaultdict(int)

    def flush() -> None:
        """Write the loans generated so far with their rows, and forget them."""
        for model, fields, rows in (
            (Loan, LOAN_FIELDS, loans),
            (Instalment, INSTALMENT_FIELDS, instalments),
            (Repayment, REPAYMENT_FIELDS, repayments),
            (Allocation, ALLOCATION_FIELDS, allocations),
            (LoanEvent, EVENT_FIELDS, events),
        ):
            written[model] += insert_rows(model, fields, rows)
            rows.clear()

    with bulk_load([Loan, Instalment, Repayment, Allocation, LoanEvent]):
        for plan_index, plan in enumerate(plans):
            if plan_index and plan_index % LOAN_CHUNK == 0:
                flush()
            lender, coop, person = plan["lender"], plan["coop"], plan["person"]
            maker = lender_user.pk if lender.pk == reference.pk else national.pk
            checker = national.pk if maker == lender_user.pk else lender_user.pk
            if person is not None:
                name, area = persons[person]
                area = area or coop[2]
            else:
                name, area = coop[1], coop[2]
            purpose = plan["purpose"]
            # Instalments and payments.
            paid_cols: dict[int, list[int]] = {}
            last_paid = None
            ipks = {}
            for row in plan["rows"]:
                ipks[row.number] = inst_pk
                paid_cols[row.number] = [0, 0, 0]  # fee, interest, principal
                inst_pk += 1

            def pay(
                row,
                amount,
                on,
                channel,
                *,
                loan_pk=loan_pk,
                coop_pk=coop[0],
                maker=maker,
                ipks=ipks,
                paid_cols=paid_cols,
            ):
                nonlocal rep_pk, alloc_pk, last_paid
                repayments.append(
                    (
                        rep_pk,
                        loan_pk,
                        coop_pk,
                        amount,
                        on,
                        channel,
                        "",
                        "Frais retenus au décaissement" if channel == "deduction" else "",
                        maker,
                        now,
                    )
                )
                left = amount
                cols = paid_cols[row.number]
                for index, component, due in (
                    (0, "fee", row.fee),
                    (1, "interest", row.interest),
                    (2, "principal", row.principal),
                ):
                    take = min(left, due - cols[index])
                    if take > 0:
                        allocations.append(
                            (
                                alloc_pk,
                                rep_pk,
                                ipks[row.number],
                                loan_pk,
                                coop_pk,
                                component,
                                take,
                                on,
                            )
                        )
                        alloc_pk += 1
                        cols[index] += take
                        left -= take
                rep_pk += 1
                last_paid = on if last_paid is None else max(last_paid, on)

            stop = plan["stop"]
            for row in plan["rows"]:
                if not row.total:
                    continue
                if row.number == 0:
                    pay(row, row.total, row.due_on, "deduction")
                    continue
                if row.due_on > AS_OF:
                    break
                if stop is not None and row.due_on >= stop:
                    # the first unpaid instalment: sometimes a part of it
                    if rng.random() < 0.4 and row.due_on < AS_OF:
                        on = row.due_on + datetime.timedelta(days=rng.randrange(0, 10))
                        part = int(row.total * rng.uniform(0.2, 0.7))
                        if part > 0 and on <= AS_OF:
                            pay(row, part, min(on, AS_OF), _weighted(rng, CHANNELS))
                    break
                channel = _weighted(rng, CHANNELS)
                delay = _weighted(
                    rng, [(0, 60), (rng.randrange(1, 4), 30), (rng.randrange(4, 11), 10)]
                )
                on = min(row.due_on + datetime.timedelta(days=delay), AS_OF)
                if rng.random() < split_share and row.total > 1:
                    first = int(row.total * rng.uniform(0.3, 0.7))
                    first_on = min(row.due_on + datetime.timedelta(days=rng.randrange(0, 2)), on)
                    pay(row, first, first_on, channel)
                    pay(row, row.total - first, on, channel)
                else:
                    pay(row, row.total, on, channel)
            for row in plan["rows"]:
                fee, interest, principal_paid = paid_cols[row.number]
                instalments.append(
                    (
                        ipks[row.number],
                        loan_pk,
                        coop[0],
                        row.number,
                        row.due_on,
                        row.principal,
                        row.interest,
                        row.fee,
                        0,
                        principal_paid,
                        interest,
                        fee,
                        0,
                        0,
                        None,
                        False,
                    )
                )
            state = plan["state"]
            status = {
                "application": "application",
                "approved": "approved",
                "rejected": "rejected",
            }.get(state, "active")
            closed_on = None
            outstanding = 0
            if state == "disbursed":
                outstanding = plan["principal"] - sum(paid_cols[r.number][2] for r in plan["rows"])
                if outstanding == 0 and all(
                    sum(paid_cols[r.number]) == r.total for r in plan["rows"]
                ):
                    status, closed_on = "closed", last_paid
                events.append(
                    (event_pk, loan_pk, coop[0], "disbursed", plan["disbursed"], checker, now, {})
                )
                event_pk += 1
            counts[status] += 1
            product = products[lender.pk, plan["key"]]
            loans.append(
                (
                    loan_pk,
                    lender.pk,
                    product.pk,
                    coop[0] if person is None else None,
                    person,
                    coop[0],
                    area,
                    plan["principal"],
                    purpose,
                    status,
                    snapshots[lender.pk, plan["key"]],
                    product.effective_rate,
                    plan["applied"],
                    plan["approved"] if state != "application" else None,
                    plan["disbursed"],
                    closed_on,
                    maker,
                    checker if state not in ("application", "rejected") else None,
                    outstanding if status == "active" else 0,
                    0,
                    0,
                    closed_on or (plan["disbursed"] if status == "active" else None),
                    fold(name, coop[1] if person else "", purpose)[:400],
                    now,
                )
            )
            loan_pk += 1
            plan["rows"] = None  # written: the schedule is no longer needed

        flush()
    from bench.synthetic import reset_sequences

    reset_sequences([Loan, Instalment, Repayment, Allocation, LoanEvent])
    seen, changed = refresh_all(as_of=AS_OF)
    return {
        "loans": written[Loan],
        "loans_by_status": dict(sorted(counts.items())),
        "instalments": written[Instalment],
        "repayments": written[Repayment],
        "allocations": written[Allocation],
        "refreshed": seen,
    }


# --- training and follow-up ---------------------------------------------------------------

VISIT_PURPOSES = [
    "suivi de la gestion",
    "appui à la tenue des livres",
    "préparation de l'assemblée générale",
    "suivi du crédit",
    "diagnostic organisationnel",
]
FINDINGS = [
    "Registres à jour, caisse conforme.",
    "Cahier de caisse incomplet depuis deux mois.",
    "Bonne participation des membres, besoin de formation en gestion.",
    "Retards de remboursement signalés, plan d'apurement discuté.",
]
ACTIONS = [
    ("Mettre à jour le cahier de caisse", "trésorière"),
    ("Convoquer l'assemblée générale", "président"),
    ("Déposer les états financiers", "secrétaire"),
    ("Relancer les membres en retard", "comité de crédit"),
]


def _members_by_coop():
    from registry.models import Membership

    by_coop: dict[int, list[int]] = defaultdict(list)
    for person, coop in (
        Membership.objects.filter(status="active")
        .order_by("pk")
        .values_list("person_id", "cooperative_id")
    ):
        by_coop[coop].append(person)
    return by_coop


def generate_training(scale: Scale, rng: random.Random) -> dict:
    from accounts.models import User
    from registry.models import Cooperative
    from training.models import (
        Attendance,
        Module,
        Participant,
        Session,
        Trainer,
        Visit,
        VisitAction,
    )

    modules = list(
        Module.objects.filter(active=True).order_by("pk").values_list("pk", "duration_days")
    )
    coops = list(
        Cooperative.objects.exclude(stage="dissoute")
        .order_by("pk")
        .values_list("pk", "commune_id", "stage")
    )
    by_coop = _members_by_coop()
    agents = list(
        User.objects.filter(username__in=["bench-agent-region", "bench-agent-department"])
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    now = timezone.now()
    first = datetime.date(2025, 1, 6)
    span = (AS_OF - first).days

    trainer_pk = _next_id(Trainer)
    trainers = []
    for i in range(max(5, len(coops) // 30)):
        kind = "agent" if i % 3 else "partner"
        name = f"Formateur {i + 1}"
        trainers.append(
            (
                trainer_pk + i,
                name,
                kind,
                "" if kind == "agent" else "ONG partenaire",
                "",
                True,
                fold(name),
            )
        )
    insert_rows(
        Trainer, ["id", "name", "kind", "organisation", "phone", "active", "search_text"], trainers
    )

    sessions, session_trainers, participants, attendances = [], [], [], []
    s_pk, st_pk = _next_id(Session), _next_id(Session.trainers.through)
    p_pk, a_pk = _next_id(Participant), _next_id(Attendance)
    for _ in range(max(1, len(coops) // 2) if modules else 0):
        module, duration = rng.choice(modules)
        coop, commune, _stage = rng.choice(coops)
        days = max(1, min(int(duration or 1), 5))
        starts = first + datetime.timedelta(days=rng.randrange(span - days))
        ends = starts + datetime.timedelta(days=days - 1)
        sessions.append(
            (s_pk, module, "regular", commune, "Salle communale", starts, ends, "", agents[0], now)
        )
        session_trainers.append((st_pk, s_pk, rng.choice(trainers)[0]))
        st_pk += 1
        pool = by_coop.get(coop, [])
        for person in rng.sample(pool, min(len(pool), rng.randint(10, 25))):
            present = [rng.random() < 0.93 for _ in range(days)]
            completed = all(present)
            score = rng.randint(8, 19) if completed and rng.random() < 0.7 else None
            participants.append((p_pk, s_pk, person, coop, completed, score))
            for d, here in enumerate(present):
                attendances.append((a_pk, p_pk, starts + datetime.timedelta(days=d), here))
                a_pk += 1
            p_pk += 1
        s_pk += 1
    insert_rows(
        Session,
        [
            "id",
            "module_id",
            "kind",
            "commune_id",
            "venue",
            "starts_on",
            "ends_on",
            "notes",
            "created_by_id",
            "created_at",
        ],
        sessions,
    )
    insert_rows(Session.trainers.through, ["id", "session_id", "trainer_id"], session_trainers)
    insert_rows(
        Participant,
        ["id", "session_id", "person_id", "cooperative_id", "completed", "evaluation_score"],
        participants,
    )
    insert_rows(Attendance, ["id", "participant_id", "day", "present"], attendances)

    visits, actions = [], []
    v_pk, va_pk = _next_id(Visit), _next_id(VisitAction)
    for coop, _commune, _stage in coops:
        for _ in range(rng.choice([0, 1, 1, 2, 2, 3])):
            on = AS_OF - datetime.timedelta(days=rng.randrange(1, 365))
            visits.append(
                (
                    v_pk,
                    coop,
                    on,
                    rng.choice(VISIT_PURPOSES),
                    rng.choice(FINDINGS),
                    rng.choice(agents),
                    now,
                )
            )
            for _ in range(rng.choice([0, 1, 1, 2])):
                description, owner = rng.choice(ACTIONS)
                due = on + datetime.timedelta(days=rng.choice([15, 30, 60]))
                done = due - datetime.timedelta(days=rng.randrange(0, 10))
                actions.append(
                    (
                        va_pk,
                        v_pk,
                        coop,
                        description,
                        owner,
                        due,
                        done if done <= AS_OF and rng.random() < 0.6 else None,
                    )
                )
                va_pk += 1
            v_pk += 1
    insert_rows(
        Visit,
        ["id", "cooperative_id", "visited_on", "purpose", "findings", "visitor_id", "created_at"],
        visits,
    )
    insert_rows(
        VisitAction,
        ["id", "visit_id", "cooperative_id", "description", "owner", "due_on", "done_on"],
        actions,
    )
    from bench.synthetic import reset_sequences

    reset_sequences(
        [Trainer, Session, Session.trainers.through, Participant, Attendance, Visit, VisitAction]
    )
    return {
        "trainers": len(trainers),
        "sessions": len(sessions),
        "participants": len(participants),
        "attendances": len(attendances),
        "visits": len(visits),
        "visit_actions": len(actions),
    }


# --- the books ----------------------------------------------------------------------------

SALES = [
    ("7021", "Vente de produits de la coopérative", 70),
    ("7061", "Prestation de services", 15),
    ("7011", "Vente de marchandises", 15),
]
EXPENSES = [
    ("6021", "Achat de matières premières", 40),
    ("6052", "Eau, électricité, carburant", 20),
    ("6181", "Transport", 20),
    ("6047", "Emballages", 20),
]


def generate_ledger(scale: Scale, rng: random.Random) -> dict:
    from ledger import chart
    from ledger.models import Account, Journal, JournalEntry, JournalLine, JournalSequence
    from registry.models import Cooperative

    accounts = dict(Account.objects.values_list("code", "pk"))
    coops = list(
        Cooperative.objects.filter(stage__in=["immatriculee", "en_activite", "consolidee"])
        .order_by("pk")
        .values_list("pk", "stage")
    )
    now = timezone.now()
    start = datetime.date(2025, 11, 1)
    span = (AS_OF - start).days
    treasury = [
        (code, accounts[acc], w)
        for code, acc, w in [
            ("CA", chart.CASH, 60),
            ("MM", chart.MOBILE_MONEY, 25),
            ("BQ", chart.BANK, 15),
        ]
    ]
    journals, sequences, entries, lines = [], [], [], []
    j_pk, seq_pk = _next_id(Journal), _next_id(JournalSequence)
    e_pk, l_pk = _next_id(JournalEntry), _next_id(JournalLine)
    for coop, stage in coops:
        ids = {}
        for code, label, kind, account in [
            *chart.TREASURY_JOURNALS.values(),
            chart.OPERATIONS_JOURNAL,
        ]:
            ids[code] = j_pk
            journals.append((j_pk, coop, code, str(label), kind, accounts.get(account)))
            j_pk += 1
        monthly = {"immatriculee": 2, "en_activite": 5, "consolidee": 8}[stage]
        rows = []  # (journal code, date, label, debit account, credit account, amount, person)
        for _ in range(monthly * 12):
            on = start + datetime.timedelta(days=rng.randrange(span))
            journal, cash, _w = rng.choices(treasury, weights=[t[2] for t in treasury])[0]
            if rng.random() < 0.6:
                code, label, _w = rng.choices(SALES, weights=[s[2] for s in SALES])[0]
                amount = int(rng.lognormvariate(11.5, 0.9)) // 500 * 500 or 500
                rows.append((journal, on, label, cash, accounts[code], amount, None))
            else:
                code, label, _w = rng.choices(EXPENSES, weights=[s[2] for s in EXPENSES])[0]
                amount = int(rng.lognormvariate(11.0, 0.8)) // 500 * 500 or 500
                rows.append((journal, on, label, accounts[code], cash, amount, None))
        rows.sort(key=lambda r: (r[0], r[1]))
        numbers: dict[tuple[str, int], int] = defaultdict(int)
        for journal, on, label, debit_account, credit_account, amount, person in rows:
            numbers[journal, on.year] += 1
            entries.append(
                (
                    e_pk,
                    coop,
                    ids[journal],
                    on.year,
                    numbers[journal, on.year],
                    on,
                    label,
                    "normal",
                    "",
                    "",
                    fold(label)[:300],
                    now,
                )
            )
            lines.append((l_pk, e_pk, coop, debit_account, on, amount, 0, person))
            lines.append((l_pk + 1, e_pk, coop, credit_account, on, 0, amount, None))
            l_pk += 2
            e_pk += 1
        for (journal, year), last in sorted(numbers.items()):
            sequences.append((seq_pk, ids[journal], year, last))
            seq_pk += 1
    with bulk_load([Journal, JournalSequence, JournalEntry, JournalLine]):
        insert_rows(
            Journal, ["id", "cooperative_id", "code", "label", "kind", "account_id"], journals
        )
        insert_rows(JournalSequence, ["id", "journal_id", "year", "last_number"], sequences)
        insert_rows(
            JournalEntry,
            [
                "id",
                "cooperative_id",
                "journal_id",
                "fiscal_year",
                "number",
                "date",
                "label",
                "kind",
                "source",
                "source_ref",
                "search_text",
                "created_at",
            ],
            entries,
        )
        insert_rows(
            JournalLine,
            [
                "id",
                "entry_id",
                "cooperative_id",
                "account_id",
                "date",
                "debit",
                "credit",
                "person_id",
            ],
            lines,
        )

    from bench.synthetic import reset_sequences

    reset_sequences([Journal, JournalSequence, JournalEntry, JournalLine])
    return {"journals": len(journals), "entries": len(entries), "entry_lines": len(lines)}
