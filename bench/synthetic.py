"""Deterministic synthetic data for the benchmark, inserted in bulk.

The same seed and scale give the same rows. Rows carry explicit primary keys so that
foreign keys are known before insertion; on PostgreSQL the biggest tables go through
COPY, and sequences are reset afterwards. Each domain adds a ``generate_<domain>``
function called by :func:`generate`.
"""

from __future__ import annotations

import datetime
import random
import time
from collections.abc import Iterable, Sequence

from django.db import connection, models, transaction
from django.utils import timezone

from bench.names import COOP_ACTIVITIES, FIRST_NAMES_F, FIRST_NAMES_M, LAST_NAMES
from bench.rows import CHUNK, bulk_load, insert_rows
from bench.scales import Scale
from core.text import fold
from geo.models import Area
from registry import scope_text
from registry.models import Cooperative, Employment, Membership, Person, Sector

# Relative weight of each region (population, tilted towards the programme's priority regions).
REGION_WEIGHTS = {
    "SN-DK": 3.0,
    "SN-TH": 2.2,
    "SN-DB": 1.6,
    "SN-KL": 1.2,
    "SN-SL": 1.3,
    "SN-LG": 1.2,
    "SN-FK": 0.9,
    "SN-KD": 1.2,
    "SN-TC": 1.3,
    "SN-ZG": 1.0,
    "SN-MT": 1.0,
    "SN-KA": 0.8,
    "SN-SE": 0.9,
    "SN-KE": 0.6,
}
STAGE_WEIGHTS = [
    ("sensibilisee", 10),
    ("en_constitution", 15),
    ("immatriculee", 25),
    ("en_activite", 35),
    ("consolidee", 12),
    ("dissoute", 3),
]
AS_OF = datetime.date(2026, 11, 1)
BATCH = 5_000
PERSON_FIELDS = [
    "id",
    "first_name",
    "last_name",
    "sex",
    "birth_date",
    "phone",
    "national_id",
    "commune_id",
    "search_text",
    "identity_key",
    "created_at",
    "scope_text",
]
MEMBERSHIP_FIELDS = ["id", "cooperative_id", "person_id", "joined_on", "role", "status"]


def copy_or_bulk(model: type[models.Model], objs: Sequence[models.Model]) -> None:
    """Insert ``objs`` (with explicit pks): COPY on PostgreSQL, bulk_create elsewhere."""
    if not objs:
        return
    if connection.vendor != "postgresql":
        model.objects.bulk_create(objs, batch_size=BATCH)
        return
    fields = [f for f in model._meta.concrete_fields]
    columns = ", ".join(connection.ops.quote_name(f.column) for f in fields)
    table = connection.ops.quote_name(model._meta.db_table)
    sql = f"COPY {table} ({columns}) FROM STDIN"  # noqa: S608 (names from model metadata)
    with connection.cursor() as cursor, cursor.cursor.copy(sql) as copy:
        attnames = [f.attname for f in fields]
        for obj in objs:
            values = obj.__dict__
            copy.write_row([values.get(a) for a in attnames])


def reset_sequences(models_: Iterable[type[models.Model]]) -> None:
    sql = connection.ops.sequence_reset_sql(_no_style(), list(models_))
    with connection.cursor() as cursor:
        for statement in sql:
            cursor.execute(statement)


def _no_style():
    from django.core.management.color import no_style

    return no_style()


def next_id(model: type[models.Model]) -> int:
    return (model.objects.aggregate(m=models.Max("pk"))["m"] or 0) + 1


def weighted(rng: random.Random, pairs: Sequence[tuple[str, float]]) -> str:
    return rng.choices([p[0] for p in pairs], weights=[p[1] for p in pairs])[0]


def generate_communes(scale: Scale, rng: random.Random) -> list[Area]:
    communes = []
    pk = next_id(Area)
    now_areas = []
    for dept in Area.objects.filter(level="department").order_by("code"):
        for i in range(1, scale.communes_per_department + 1):
            code = f"{dept.code}-{i:02d}"
            name = f"{dept.name} {i}" if i > 1 else dept.name
            now_areas.append(
                Area(
                    pk=pk,
                    code=code,
                    name=name,
                    level="commune",
                    parent=dept,
                    path=f"{dept.path}{code}/",
                    search_text=fold(name, code),
                )
            )
            pk += 1
    copy_or_bulk(Area, now_areas)
    communes.extend(now_areas)
    return communes


def generate_registry(scale: Scale, rng: random.Random) -> dict:
    communes = generate_communes(scale, rng)
    by_region: dict[str, list[Area]] = {}
    for c in communes:
        by_region.setdefault(c.path.split("/")[1], []).append(c)
    regions = [(code, REGION_WEIGHTS.get(code, 1.0)) for code in sorted(by_region)]
    sectors = {s.code: s for s in Sector.objects.all()}
    activities = [(code, names) for code, names in COOP_ACTIVITIES if code in sectors]
    now = timezone.now()

    coops = []
    pk = next_id(Cooperative)
    for i in range(scale.cooperatives):
        region = weighted(rng, regions)
        commune = rng.choice(by_region[region])
        sector_code, names = rng.choice(activities)
        name = f"Coopérative des {rng.choice(names)} de {commune.name} {i + 1}"
        stage = weighted(rng, STAGE_WEIGHTS)
        legal_form = "COOP-CA" if rng.random() < 0.2 else "SCOOPS"
        founded = datetime.date(2025, 3, 21) + datetime.timedelta(days=rng.randrange(0, 590))
        registered = stage not in ("sensibilisee", "en_constitution")
        coops.append(
            Cooperative(
                pk=pk,
                name=name,
                legal_form=legal_form,
                registration_number=f"SN-{region[3:]}-{founded.year}-C-{pk:06d}"
                if registered
                else None,
                commune=commune,
                sector=sectors[sector_code],
                value_chain_stage=rng.choice(["source", "technologique", "production", "temoin"]),
                stage=stage,
                stage_changed_on=founded,
                founded_on=founded,
                search_text=fold(name),
                created_at=now - datetime.timedelta(days=rng.randrange(600)),
            )
        )
        pk += 1
    copy_or_bulk(Cooperative, coops)

    # Persons and their memberships, written by chunks of CHUNK persons (a household-scale
    # registry does not fit in memory as rows); the first members of each cooperative
    # take the committee roles.
    roles = ["president", "tresorier", "secretaire"]
    seen: dict[int, int] = {}
    members_by_coop: dict[int, list[int]] = {}
    persons_n = memberships_n = 0
    persons, memberships = [], []
    pk, mpk = next_id(Person), next_id(Membership)

    ancestors = scope_text.Ancestors.load()  # the person's scope text, as the services write it

    def member(coop: Cooperative, person: int, joined: datetime.date) -> None:
        nonlocal mpk
        n = seen.get(coop.pk, 0)
        seen[coop.pk] = n + 1
        memberships.append(
            (mpk, coop.pk, person, joined, roles[n] if n < len(roles) else "membre", "active")
        )
        members_by_coop.setdefault(coop.pk, []).append(person)
        mpk += 1

    def flush() -> None:
        nonlocal persons_n, memberships_n
        persons_n += insert_rows(Person, PERSON_FIELDS, persons)
        memberships_n += insert_rows(Membership, MEMBERSHIP_FIELDS, memberships)
        persons.clear()
        memberships.clear()

    with bulk_load([Person, Membership]):
        for i in range(scale.persons):
            coop = coops[i % len(coops)] if i < len(coops) * 5 else rng.choice(coops)
            sex = "F" if rng.random() < 0.62 else "M"
            first = rng.choice(FIRST_NAMES_F if sex == "F" else FIRST_NAMES_M)
            last = rng.choice(LAST_NAMES)
            age = int(rng.triangular(16, 70, 30))
            birth = AS_OF - datetime.timedelta(days=age * 365 + rng.randrange(365))
            phone = f"+2217{rng.choice('05678')}{rng.randrange(10**7):07d}"
            persons.append(
                (
                    pk,
                    first,
                    last,
                    sex,
                    birth,
                    phone,
                    f"{1 if sex == 'M' else 2}{rng.randrange(10**12):012d}",
                    coop.commune_id,
                    fold(first, last, phone),
                    fold(last, first, birth.isoformat()),
                    now,
                )
            )
            joined = coop.founded_on + datetime.timedelta(days=rng.randrange(0, 60))
            member(coop, pk, joined)
            joined_coops = [(coop.pk, coop.commune_id)]
            if rng.random() < scale.second_membership_share:
                other = rng.choice(coops)
                if other.pk != coop.pk:
                    member(other, pk, joined)
                    joined_coops.append((other.pk, other.commune_id))
            words = scope_text.person_words(
                ancestors, commune_id=coop.commune_id, creator_id=None, cooperatives=joined_coops
            )
            persons[-1] = (*persons[-1], scope_text.compose(words))
            pk += 1
            if len(persons) >= CHUNK:
                flush()
        flush()

    jobs = []
    jpk = next_id(Employment)
    for coop in coops:
        for _ in range(int(rng.expovariate(1 / scale.jobs_per_cooperative))):
            contract = rng.choice(["cdi", "cdd", "saisonnier", "verbal", "aucun"])
            jobs.append(
                Employment(
                    pk=jpk,
                    cooperative=coop,
                    person_id=rng.choice(members_by_coop[coop.pk]),
                    job_title=rng.choice(["productrice", "vendeur", "gestionnaire", "ouvrier"]),
                    contract_type=contract,
                    started_on=coop.founded_on,
                    monthly_pay=rng.choice([45_000, 60_000, 75_000, 90_000, 120_000]),
                    social_security=rng.random() < 0.4,
                )
            )
            jpk += 1
    copy_or_bulk(Employment, jobs)
    reset_sequences([Area, Cooperative, Person, Membership, Employment])
    return {
        "communes": len(communes),
        "cooperatives": len(coops),
        "persons": persons_n,
        "memberships": memberships_n,
        "jobs": len(jobs),
    }


GENERATORS = [("registry", generate_registry)]


def generate(scale: Scale, seed: int = 42, log=print) -> dict:
    counts = {}
    for name, func in GENERATORS + _activity_generators():
        started = time.perf_counter()
        with transaction.atomic():
            result = func(scale, random.Random(f"{seed}-{name}"))
        counts.update(result)
        log(f"  {name}: {result} en {time.perf_counter() - started:.1f} s")
    return counts


__all__ = ["generate"]


BENCH_PASSWORD = "bench-sunucoop-2026"  # noqa: S105 (synthetic benchmark data only)


def generate_users(scale: Scale, rng: random.Random) -> dict:
    """One user per role, as the load runner logs in with them."""
    from accounts.models import User
    from accounts.services import role_assign
    from credit.models import Lender

    tc = Area.objects.get(code="SN-TH")
    dept = Area.objects.get(code="SN-TH-MBO")
    coop = (
        Cooperative.objects.filter(commune__path__startswith=tc.path).order_by("pk").first()
        or Cooperative.objects.order_by("pk").first()  # tiny test scales
    )
    lender, _ = Lender.objects.get_or_create(name="MEC de référence", defaults={"kind": "mec"})
    users = {}
    for username in [
        "bench-national",
        "bench-agent-region",
        "bench-agent-department",
        "bench-officer",
        "bench-lender",
    ]:
        user, _ = User.objects.get_or_create(username=username)
        user.set_password(BENCH_PASSWORD)
        user.save()
        users[username] = user
    role_assign(user=users["bench-national"], role="national")
    role_assign(user=users["bench-agent-region"], role="agent", area=tc)
    role_assign(user=users["bench-agent-department"], role="agent", area=dept)
    role_assign(user=users["bench-officer"], role="officer", cooperative=coop)
    role_assign(user=users["bench-lender"], role="lender", lender=lender)
    return {"users": len(users)}


GENERATORS.append(("users", generate_users))


def _activity_generators():
    from bench.activity import generate_credit, generate_ledger, generate_training

    return [
        ("credit", generate_credit),
        ("training", generate_training),
        ("ledger", generate_ledger),
    ]
