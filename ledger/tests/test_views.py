"""HTML pages of the books: simple mode for treasurers, statements, downloads, scoping."""

import datetime
import io

import pytest
from openpyxl import load_workbook

from ledger.models import JournalEntry
from ledger.services import receipt_record


@pytest.fixture(autouse=True)
def _dates_run_into_2027(today_is):
    """These tests write dates into 2027: the date rule's today is pinned past them."""
    today_is(datetime.date(2027, 12, 31))


@pytest.fixture
def officer_client(world, client):
    client.force_login(world.officer)
    return client


def base(world):
    return f"/comptabilite/{world.coop_tc.pk}"


def test_officer_is_sent_to_their_books(world, officer_client):
    r = officer_client.get("/comptabilite/")
    assert r.status_code == 302 and r.url == base(world) + "/"


def test_receipt_form_posts_the_double_entry(world, officer_client):
    r = officer_client.post(
        base(world) + "/recette/",
        {
            "category": "sales_goods",
            "amount": "25 000",
            "on": "2026-03-10",
            "channel": "mobile_money",
            "label": "",
        },
    )
    assert r.status_code == 302
    entry = JournalEntry.objects.get()
    assert entry.journal.code == "MM"
    assert sorted(entry.lines.values_list("account__code", "debit", "credit")) == [
        ("552", 25_000, 0),
        ("7021", 0, 25_000),
    ]


def test_payment_form_keeps_input_on_error(world, officer_client):
    r = officer_client.post(
        base(world) + "/depense/",
        {
            "category": "",
            "amount": "0",
            "on": "2026-03-10",
            "channel": "cash",
            "label": "Fil de coton",
        },
    )
    assert r.status_code == 200
    html = r.content.decode()
    assert "Fil de coton" in html
    assert "errorlist" in html
    assert JournalEntry.objects.count() == 0


def test_payment_into_locked_month_is_a_form_error(world, officer_client):
    from ledger.services import period_lock

    period_lock(actor=world.officer, cooperative=world.coop_tc, year=2026, month=3)
    r = officer_client.post(
        base(world) + "/depense/",
        {"category": "rent", "amount": "5000", "on": "2026-03-10", "channel": "cash"},
    )
    assert r.status_code == 200
    assert "verrouillée" in r.content.decode()


@pytest.fixture
def some_books(world):
    for i, (cat, amount) in enumerate([("sales_goods", 80_000), ("services", 20_000)]):
        receipt_record(
            actor=world.officer,
            cooperative=world.coop_tc,
            category=cat,
            amount=amount,
            on=datetime.date(2026, 2, 1 + i),
            channel="cash",
        )


PAGES = [
    "/",
    "/ecritures/",
    "/balance/",
    "/grand-livre/",
    "/etats-financiers/",
    "/exercices/2026/",
    "/operations-des-membres/",
]


@pytest.mark.parametrize("page", PAGES)
def test_pages_render_for_officer_and_agent(world, client, some_books, page):
    for user in (world.officer, world.agent_tc, world.national):
        client.force_login(user)
        r = client.get(base(world) + page + "?date_from=2026-01-01&date_to=2026-12-31")
        assert r.status_code == 200, (user, page)


@pytest.mark.parametrize("page", PAGES + ["/recette/"])
def test_pages_are_404_outside_scope(world, client, page):
    for user in (world.lender, world.member, world.agent_th):
        client.force_login(user)
        assert client.get(base(world) + page).status_code == 404, (user, page)


def test_agent_may_not_use_the_forms(world, client):
    client.force_login(world.agent_tc)
    assert client.get(base(world) + "/recette/").status_code == 403
    r = client.post(
        base(world) + "/recette/",
        {"category": "services", "amount": "1", "on": "2026-01-01", "channel": "cash"},
    )
    assert r.status_code == 403
    assert JournalEntry.objects.count() == 0


def test_trial_balance_xlsx(world, officer_client, some_books):
    r = officer_client.get(
        base(world) + "/balance/?date_from=2026-01-01&date_to=2026-12-31&format=xlsx"
    )
    assert r.status_code == 200
    ws = load_workbook(io.BytesIO(r.content)).active
    rows = list(ws.iter_rows(values_only=True))
    assert rows[0] == ("Compte", "Intitulé", "Débit", "Crédit", "Solde")
    assert rows[1] == ("5711", "Caisse", 100_000, 0, 100_000)
    assert rows[-1] == ("", "Total", 100_000, 100_000, 0) or rows[-1][1:] == (
        "Total",
        100_000,
        100_000,
        0,
    )


@pytest.mark.parametrize("page", ["/balance/", "/grand-livre/", "/etats-financiers/"])
def test_pdf_downloads(world, officer_client, some_books, page):
    r = officer_client.get(
        base(world) + page + "?date_from=2026-01-01&date_to=2026-12-31&format=pdf"
    )
    assert r.status_code == 200
    assert r["Content-Type"] == "application/pdf"
    assert r.content.startswith(b"%PDF")


def test_statements_xlsx(world, officer_client, some_books):
    r = officer_client.get(
        base(world) + "/etats-financiers/?date_from=2026-01-01&date_to=2026-12-31&format=xlsx"
    )
    ws = load_workbook(io.BytesIO(r.content)).active
    values = {row[0]: row[2] for row in ws.iter_rows(values_only=True) if row[0]}
    assert values["XB"] == 100_000 and values["XI"] == 100_000
    assert values["BZ"] == values["DZ"] == 100_000


def test_reversal_needs_confirmation(world, officer_client, some_books):
    entry = JournalEntry.objects.order_by("id").first()
    url = f"{base(world)}/ecritures/{entry.pk}/"
    r = officer_client.post(url, {"on": "2026-02-05"})
    assert r.status_code == 200 and JournalEntry.objects.count() == 2
    r = officer_client.post(url, {"on": "2026-02-05", "confirm": "on"})
    assert r.status_code == 302
    assert JournalEntry.objects.filter(reverses=entry).exists()


def test_year_close_and_allocation_through_the_page(world, officer_client, some_books):
    from ledger.services import member_transaction_record

    p = world.persons_tc[0]
    member_transaction_record(
        actor=world.officer,
        cooperative=world.coop_tc,
        person_id=p.pk,
        on=datetime.date(2026, 5, 1),
        amount=10_000,
    )
    url = base(world) + "/exercices/2026/"
    officer_client.post(url, {"action": "close"})  # no confirmation: nothing happens
    assert "Clôturer l'exercice" in officer_client.get(url).content.decode()
    assert officer_client.post(url, {"action": "close", "confirm": "1"}).status_code == 302
    data = {
        "action": "allocate",
        "on": "2027-06-30",
        "general_reserve_rate": "20",
        "training_reserve_rate": "20",
        "optional_reserve_rate": "25",
        "share_interest_rate": "0",
        "confirm": "on",
    }
    r = officer_client.post(url, data)
    assert (
        r.status_code == 200 and "20" in r.content.decode()
    )  # optional reserve over 20 %: refused
    r = officer_client.post(url, {**data, "optional_reserve_rate": "10"})
    assert r.status_code == 302
    # 100 000 of surplus; no paid-up capital, so the compulsory reserves already "equal the
    # capital" and take nothing; 10 % optional = 10 000; 90 000 to the only member with business
    r = officer_client.get(f"{url}ristournes/{p.pk}/")
    assert "90\u202f000\u202fF\u202fCFA" in r.content.decode()
    r = officer_client.get(f"{url}ristournes/{p.pk}/?format=pdf")
    assert r.content.startswith(b"%PDF")


def test_entry_list_query_count(world, officer_client, some_books, django_assert_max_num_queries):
    for i in range(20):
        receipt_record(
            actor=world.officer,
            cooperative=world.coop_tc,
            category="services",
            amount=100 + i,
            on=datetime.date(2026, 3, 1),
            channel="bank",
        )
    with django_assert_max_num_queries(20):
        r = officer_client.get(base(world) + "/ecritures/")
    assert r.status_code == 200
