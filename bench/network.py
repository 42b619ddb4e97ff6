"""Network portal bench (issue 20, point 11), part of ``make bench`` (docs/benchmarks.md),
database side ``manage.py bench_network generate|pages|pledges``:

1. **Data**: 50 000 approved organisations in 54 African countries (1 or 2 sectors each),
   5 000 projects each with a live campaign, 10 paid pledges on each campaign; written in
   bulk (bench data, not through the services) once, kept between runs (the generation is
   skipped when the bench's organisations are there).
2. **Pages** (DEBUG off, HTTPS, Django's test client in one process): the directory's
   search (text ignoring accents, filters by country, kind and sector, later pages) and
   campaign pages of random live campaigns, ``requests`` each; p50/p95; goal p95 < 100 ms.
3. **Pledges**: a new campaign with a match fund; ``rate`` pledges a second (100) for
   ``seconds`` (60), open loop, from ``processes`` (2) forked processes of ``threads`` (8)
   threads each (each thread its own connection), each
   pledge recorded then paid as the provider confirms it (payments' ``payment_state_apply``,
   which calls the purpose once: the pledge counts, the fund matches it). Afterwards the
   figures are checked **exact** from the rows: raised = the sum sent, backers = the
   distinct phones, matched = the rule replayed, the books' money held = raised + matched.
"""

from __future__ import annotations

import datetime
import queue
import random
import secrets
import statistics
import threading
import time
from decimal import Decimal

from django.db import connections, transaction
from django.utils import timezone

from core import dates
from core.text import fold

ORGS = 50_000
CAMPAIGNS = 5_000
PLEDGES_PER_CAMPAIGN = 10
PAGE_TARGET_MS = 100.0
PLEDGE_RATE = 100
PLEDGE_SECONDS = 60.0
SLUG = "banc-org-"
CITIES = ["Thiès", "Ségou", "Bobo-Dioulasso", "Bouaké", "Kaolack", "Kayes", "Kumasi",
          "Parakou", "Zinder", "Saint-Louis", "Mopti", "Korhogo", "Tamale", "Lomé"]  # fmt: skip
WORDS = ["femmes", "jeunes", "producteurs", "éleveurs", "pêcheurs", "artisans", "santé",
         "épargne", "karité", "mil", "riz", "coton", "cacao", "maraîchers"]  # fmt: skip


def countries() -> list[str]:
    from network.countries import AFRICA

    return sorted(AFRICA - {"EH"})  # 54 countries


def _bulk(model, rows, size=5000):
    return model.objects.bulk_create(rows, batch_size=size)


def _organisations(n: int) -> list:
    from network.models import Kind, Organisation, OrganisationSector, OrgStatus, Sector

    codes, kinds, sectors = countries(), list(Kind.values), list(Sector.values)
    now = timezone.now()
    orgs = []
    for i in range(n):
        country, city = codes[i % len(codes)], CITIES[(i // 7) % len(CITIES)]
        kind = kinds[i % len(kinds)]
        name = f"{kind.capitalize()} des {WORDS[i % len(WORDS)]} de {city} {i}"
        orgs.append(Organisation(
            name=name, slug=f"{SLUG}{i}", kind=kind, country=country, city=city,
            description=f"Organisation {i} du banc.", email=f"org{i}@banc.example",
            status=OrgStatus.APPROVED, moderated_at=now, contact_verified_at=now,
            verified_at=now, search_text=fold(name, city, country, kind),
        ))  # fmt: skip
    orgs = _bulk(Organisation, orgs)
    _bulk(OrganisationSector, [
        OrganisationSector(organisation=o, sector=sectors[(i + k * 5) % len(sectors)])
        for i, o in enumerate(orgs) for k in range(1 + i % 2)
    ])  # fmt: skip
    return orgs


def _campaigns(orgs, n: int, per_campaign: int) -> int:
    from network.models import Campaign, Pledge, PledgeStatus, Project

    today = dates.today()
    projects = _bulk(Project, [
        Project(
            organisation=o, title=f"Projet du banc {i}", slug=f"banc-projet-{i}",
            summary="Un projet du banc.", country=o.country, sector="agriculture",
            stage="demarrage", budget=5_000_000, needs_money=1_000_000,
            search_text=fold(f"Projet du banc {i}", o.name, o.city),
        )
        for i, o in enumerate(orgs[:n])
    ])  # fmt: skip
    campaigns = _bulk(Campaign, [
        Campaign(
            project=p, goal=1_000_000, starts_on=today - datetime.timedelta(days=10),
            ends_on=today + datetime.timedelta(days=20 + i % 60),
            mode="all_or_nothing" if i % 2 else "keep_it_all", commission_percent=Decimal(5),
        )
        for i, p in enumerate(projects)
    ])  # fmt: skip
    now = timezone.now()
    pledges = [
        Pledge(
            campaign=c, amount=1_000 + 500 * k, donor_name=f"Donateur {k}",
            donor_phone=f"+22177{i % 1000:03d}{k:04d}", provider="wave",
            status=PledgeStatus.PAID, token=secrets.token_urlsafe(16)[:32], paid_at=now,
        )
        for i, c in enumerate(campaigns) for k in range(per_campaign)
    ]  # fmt: skip
    _bulk(Pledge, pledges)
    return len(pledges)


def generate(*, orgs: int = ORGS, campaigns: int = CAMPAIGNS,
             pledges: int = PLEDGES_PER_CAMPAIGN) -> dict:  # fmt: skip
    """The bench's organisations, projects, live campaigns and paid pledges (once)."""
    from network.models import Campaign, Organisation

    existing = Organisation.objects.filter(slug__startswith=SLUG).count()
    if existing >= orgs:
        return {"generated": False, "organisations": existing}
    started = time.perf_counter()
    with transaction.atomic():
        made = _organisations(orgs)
        count = _campaigns(made, campaigns, pledges)
    return {
        "generated": True,
        "organisations": len(made),
        "countries": len({o.country for o in made}),
        "live_campaigns": Campaign.objects.filter(project__slug__startswith="banc-").count(),
        "pledges": count,
        "seconds": round(time.perf_counter() - started, 1),
    }


def _p95(times: list[float]) -> float:
    times = sorted(times)
    return times[max(0, int(round(0.95 * len(times))) - 1)]


def _timed(client, urls: list[str]) -> dict:
    """Wall time per request, and beside it what it cost: the process's CPU time (on a
    loaded machine the wall time is mostly waiting for a core), the queries and their time."""
    client.get(urls[0], secure=True)  # warm-up
    times, cpu, sql, queries = [], [], [], []

    def counted(execute, sql_text, params, many, context):
        began = time.perf_counter()
        try:
            return execute(sql_text, params, many, context)
        finally:
            sql[-1] += time.perf_counter() - began
            queries[-1] += 1

    for url in urls:
        sql.append(0.0)
        queries.append(0)
        started, cpu_started = time.perf_counter(), time.process_time()
        with connections["default"].execute_wrapper(counted):
            response = client.get(url, secure=True)
        times.append((time.perf_counter() - started) * 1000)
        cpu.append((time.process_time() - cpu_started) * 1000)
        assert response.status_code == 200, (url, response.status_code)
    p95 = _p95(times)
    return {
        "requests": len(urls),
        "p50_ms": round(statistics.median(times), 1),
        "p95_ms": round(p95, 1),
        "python_cpu_p50_ms": round(statistics.median(cpu), 1),
        "sql_p50_ms": round(statistics.median(sql) * 1000, 1),
        "queries_max": max(queries),
        "target_p95_ms": PAGE_TARGET_MS,
        "ok": p95 < PAGE_TARGET_MS,
    }


def measure_pages(*, requests: int = 200, seed: int = 42) -> dict:
    """The directory's searches and campaign pages, as a visitor (no login)."""
    from django.test import Client

    from network.models import Campaign, Organisation

    rng = random.Random(seed)
    codes = countries()
    searches = ["thies", "Ségou", "cooperative sante", "femmes mil", "bouake karite"]
    directory = []
    for i in range(requests):
        kind = ("", "q", "country", "kind_sector", "page")[i % 5]
        params = {
            "": "",
            "q": f"q={rng.choice(searches)}",
            "country": f"country={rng.choice(codes)}",
            "kind_sector": f"country={rng.choice(codes)}&kind=cooperative&sector=agriculture",
            "page": f"q=cooperative&page={rng.randint(2, 50)}",
        }[kind]
        directory.append(f"/reseau/organisations/?{params}")
    ids = list(
        Campaign.objects.filter(state="open", project__slug__startswith="banc-").values_list(
            "pk", flat=True
        )
    )
    campaign_urls = [f"/reseau/campagnes/{rng.choice(ids)}/" for _ in range(requests)]
    client = Client(HTTP_HOST="localhost")
    return {
        "organisations": Organisation.objects.count(),
        "live_campaigns": len(ids),
        "directory": _timed(client, directory),
        "campaign_page": _timed(client, campaign_urls),
    }


def _pledge_campaign():
    """A new live campaign (Senegal) with a match fund: factor 1, 3 000 F per pledge at
    most, caps per project and budget out of reach (so the rule's result is known)."""
    from network import books
    from network.models import Campaign, MatchFund, Organisation, Project

    org = Organisation.objects.filter(slug__startswith=SLUG, country="SN").first()
    today = dates.today()
    tag = secrets.token_hex(4)
    project = Project.objects.create(
        organisation=org, title=f"Projet des dons du banc {tag}", slug=f"banc-dons-{tag}",
        summary="Charge de dons.", country="SN", sector="agriculture", stage="demarrage",
        budget=10**9,
    )  # fmt: skip
    campaign = Campaign.objects.create(
        project=project, goal=10**9, starts_on=today, ends_on=today + datetime.timedelta(days=30),
        mode="keep_it_all", commission_percent=Decimal(5),
    )  # fmt: skip
    fund = MatchFund.objects.create(
        sponsor=f"Fonds du banc {tag}", budget=10**12, factor=Decimal(1), max_per_pledge=3_000,
        max_per_project=10**12,
    )  # fmt: skip
    fund.campaigns.set([campaign])
    books.fund_deposited(fund)
    return campaign


def _amount(phone_index: int) -> int:
    return 1_000 + (phone_index % 50) * 100


def _pledge_paid(campaign, k: int, phones: int) -> None:
    from network import services
    from payments.models import PaymentIntent
    from payments.providers.base import SUCCEEDED, PaymentState
    from payments.services import payment_state_apply

    amount = _amount(k % phones)
    pledge = services.pledge_record(
        campaign=campaign, amount=amount, donor_name=f"Donateur {k}",
        donor_phone=f"+22177{k % phones:07d}", provider="wave", actor=None,
    )  # fmt: skip
    intent = PaymentIntent.objects.create(
        purpose="pledge", target_id=pledge.pk, target_label=f"Don {pledge.pk}", amount=amount,
        phone=pledge.donor_phone, provider="wave", reference="BENCH" + secrets.token_hex(8),
    )  # fmt: skip
    state = PaymentState(status=SUCCEEDED, reference=intent.reference, amount=amount,
                         currency="XOF", transaction_id="BENCH-" + intent.reference)  # fmt: skip
    payment_state_apply(intent_id=intent.pk, state=state, source="bench")


def _fire(campaign, total: int, rate: float, threads: int, phones: int, processes: int) -> dict:
    """Open loop: the k-th pledge is due at start + k / rate, whatever the answers; the
    pledges are shared among ``processes`` forked processes (each its own interpreter and
    ``threads`` connections: one Python process cannot use both cores of this machine),
    the k-th to process k mod ``processes``."""
    import multiprocessing

    start = time.time() + 1.0
    if connections["default"].vendor != "postgresql" or processes <= 1:
        # SQLite (the bench's test): a forked child would not share an in-memory database,
        # and a second thread's write is refused there ("database table is locked"): one
        # process, one thread (SQLite takes one writer at a time anyway)
        results: queue.Queue = queue.Queue()
        single = threads if connections["default"].vendor == "postgresql" else 1
        _fire_share(campaign.pk, range(total), start, rate, single, phones, results)
        parts = [results.get()]
    else:
        connections.close_all()  # the children open their own
        context = multiprocessing.get_context("fork")
        results = context.Queue()
        shares = [
            context.Process(
                target=_fire_share,
                args=(
                    campaign.pk,
                    range(p, total, processes),
                    start,
                    rate,
                    threads,
                    phones,
                    results,
                ),
            )  # fmt: skip
            for p in range(processes)
        ]
        for child in shares:
            child.start()
        parts = [results.get(timeout=30 * 60) for _ in shares]
        for child in shares:
            child.join()
    latencies = [x for part in parts for x in part["latencies"]]
    lags = [x for part in parts for x in part["lags"]]
    errors = [x for part in parts for x in part["errors"]]
    elapsed = max(part["ended"] for part in parts) - start
    cpu = sum(part["cpu_s"] for part in parts)
    return {
        "sent": total,
        "seconds": round(elapsed, 1),
        "rate_per_s": round(total / elapsed, 1),
        "p50_ms": round(statistics.median(latencies), 1),
        "p95_ms": round(_p95(latencies), 1),
        "start_lag_p95_ms": round(_p95(lags), 1),
        "processes": len(parts),
        "threads_per_process": threads,
        "python_cpu_ms_per_pledge": round(cpu * 1000 / total, 1),
        "errors": len(errors),
        "first_errors": errors[:3],
    }


def _fire_share(campaign_id, ks, start: float, rate: float, threads: int, phones: int, out):
    """One process's share of the schedule (in a forked child)."""
    from network.models import Campaign

    cpu_started = time.process_time()
    campaign = Campaign.objects.select_related("project").get(pk=campaign_id)
    work: queue.Queue = queue.Queue()
    latencies, lags, errors = [], [], []
    lock = threading.Lock()

    def worker():
        try:
            while (item := work.get()) is not None:
                k, due = item
                begun = time.time()
                try:
                    _pledge_paid(campaign, k, phones)
                except Exception as exc:  # noqa: BLE001 - counted and reported
                    with lock:
                        errors.append(repr(exc)[:200])
                done = time.time()
                with lock:
                    latencies.append((done - due) * 1000)
                    lags.append((begun - due) * 1000)
        finally:
            connections.close_all()

    pool = [threading.Thread(target=worker) for _ in range(threads)]
    for t in pool:
        t.start()
    for k in ks:
        due = start + k / rate
        time.sleep(max(0.0, due - time.time()))
        work.put((k, due))
    for _ in pool:
        work.put(None)
    for t in pool:
        t.join()
    out.put({
        "latencies": latencies, "lags": lags, "errors": errors, "ended": time.time(),
        "cpu_s": time.process_time() - cpu_started,
    })  # fmt: skip


def _exact(campaign, total: int, phones: int) -> dict:
    """The figures, read fresh from the rows, against what was sent."""
    from network.models import BookLine, Match, Pledge
    from network.selectors import campaign_figures

    used = min(total, phones)
    raised = sum(_amount(k % phones) for k in range(total))
    matched = sum(min(_amount(p), 3_000) for p in range(used))
    figures = campaign_figures(campaign)
    held = sum(
        line.credit - line.debit
        for line in BookLine.objects.filter(account="4191", entry__campaign=campaign)
    )
    paid = Pledge.objects.filter(campaign=campaign, status="paid").count()
    got = {
        "paid_pledges": paid,
        "raised": figures["raised"],
        "backers": figures["backers"],
        "matched": figures["matched"],
        "matches": Match.objects.filter(campaign=campaign).count(),
        "held_in_books": held,
    }
    want = {
        "paid_pledges": total,
        "raised": raised,
        "backers": used,
        "matched": matched,
        "matches": used,
        "held_in_books": raised + matched,
    }
    return {"figures": got, "expected": want, "exact": got == want}


def measure_pledges(*, rate: float = PLEDGE_RATE, seconds: float = PLEDGE_SECONDS,
                    threads: int = 8, processes: int = 2) -> dict:  # fmt: skip
    """``rate`` pledges a second on one campaign for ``seconds``; the figures checked."""
    total = int(rate * seconds)
    phones = max(1, total // 3)  # each phone pledges three times: matched once
    campaign = _pledge_campaign()
    load = _fire(campaign, total, rate, threads, phones, processes)
    result = {"campaign": campaign.pk, "target_rate_per_s": rate, **load}
    result.update(_exact(campaign, total, phones))
    result["ok"] = result["exact"] and load["errors"] == 0 and load["rate_per_s"] >= 0.95 * rate
    return result
