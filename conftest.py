"""Shared test fixtures. Browser tests need Debian's chromium; without it they are skipped
with a loud notice (CI installs it and sets SUNUCOOP_REQUIRE_BROWSER=1 so they never skip)."""

import os
import shutil
import sys

import pytest

os.environ.setdefault("SUNUCOOP_TESTING", "1")
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # Playwright's sync API + live_server

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
BROWSER_FIXTURES = {"page", "browser"}


def _truthy(value: str | None) -> bool:
    return (value or "").strip().lower() in {"1", "true", "yes", "on"}


def _browser_missing() -> str | None:
    """Why browser tests cannot run here, or None when they can."""
    if not CHROMIUM:
        return "Chromium not found (apt-get install -y chromium)"
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "Playwright for Python not installed (pip install -e '.[dev]')"
    return None


def _is_browser_test(item) -> bool:
    return item.get_closest_marker("browser") is not None or bool(
        BROWSER_FIXTURES & set(getattr(item, "fixturenames", ()))
    )


def _banner(count: int, reason: str) -> str:
    return (
        "\n" + "!" * 78 + f"\n!! {count} BROWSER TESTS SKIPPED: {reason}."
        "\n!! Set SUNUCOOP_REQUIRE_BROWSER=1 to make this an error (CI does).\n" + "!" * 78 + "\n"
    )


def pytest_configure(config):
    """With SUNUCOOP_REQUIRE_BROWSER=1 (CI), a machine that cannot run the browser tests is an
    error before anything runs (also under pytest-xdist, whose workers collect on their own)."""
    reason = _browser_missing()
    if reason and _truthy(os.environ.get("SUNUCOOP_REQUIRE_BROWSER")):
        raise pytest.UsageError(
            f"Browser tests are required (SUNUCOOP_REQUIRE_BROWSER=1) but cannot run: {reason}."
        )


def pytest_collection_modifyitems(config, items):
    browser_items = [i for i in items if _is_browser_test(i)]
    if not browser_items:
        return
    for item in browser_items:  # a test using ``page`` is a browser test, marked or not
        if item.get_closest_marker("browser") is None:
            item.add_marker(pytest.mark.browser)
    reason = _browser_missing()
    if reason is None:
        return
    if _truthy(os.environ.get("SUNUCOOP_REQUIRE_BROWSER")):
        raise pytest.UsageError(
            f"Browser tests are required (SUNUCOOP_REQUIRE_BROWSER=1) but cannot run: {reason}."
        )
    banner = _banner(len(browser_items), reason)
    sys.stderr.write(banner)
    config._sunucoop_browser_banner = banner
    skip = pytest.mark.skip(reason=reason)
    for item in browser_items:
        item.add_marker(skip)


def pytest_terminal_summary(terminalreporter, exitstatus, config):
    banner = getattr(config, "_sunucoop_browser_banner", None)
    reason = _browser_missing()
    if banner is None and reason:  # under pytest-xdist the workers collect: count their skips
        skipped = terminalreporter.stats.get("skipped", [])
        count = sum(1 for report in skipped if reason in str(report.longrepr))
        banner = _banner(count, reason) if count else None
    if banner:
        terminalreporter.write(banner, red=True, bold=True)


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
            ],
        )
        yield b
        b.close()


_DATA_MIGRATIONS: list | None = None


def _data_migrations() -> list:
    """Each data migration's function with the historical apps it runs on, in order.

    Computed once per test process: the migration state is walked forward once and the
    apps are rendered only where a RunPython runs (rendering them for every transactional
    test cost seconds each on PostgreSQL). Read from the migration files even when the test
    database was made from the models (``--nomigrations``)."""
    global _DATA_MIGRATIONS
    if _DATA_MIGRATIONS is None:
        from django.db.migrations.executor import MigrationExecutor
        from django.db.migrations.operations.special import RunPython
        from django.db.migrations.state import ProjectState
        from django.test.utils import override_settings

        with override_settings(MIGRATION_MODULES={}):  # --nomigrations hides them otherwise
            executor = MigrationExecutor(None)  # the files only: no database is asked
        loader = executor.loader
        plan = executor.migration_plan(loader.graph.leaf_nodes(), clean_start=True)
        state = ProjectState(real_apps=loader.unmigrated_apps)
        steps = []
        for migration, _backwards in plan:
            for op in migration.operations:
                if isinstance(op, RunPython):
                    steps.append((op.code, state.clone().apps))
                else:
                    op.state_forwards(migration.app_label, state)
        _DATA_MIGRATIONS = steps
    return _DATA_MIGRATIONS


def restore_reference_data() -> bool:
    """Re-run every data migration (RunPython) if a transactional test flushed the database.

    A transactional test ends with a flush that also wipes the rows written by data
    migrations (regions, departments, sectors, charts of accounts...). Rather than trust
    serialized rollback, replay those migrations, in order, on their historical models.
    Returns whether anything had to be restored.
    """
    global _REFERENCE
    from django.db import connection

    from core.tests import snapshot
    from geo.models import Area

    if Area.objects.exists():
        return False
    if _REFERENCE is not None:  # the replay's rows, copied the first time (core/tests/snapshot)
        snapshot.put_back(_REFERENCE)
        return True
    steps = _data_migrations()
    with connection.schema_editor(atomic=True) as schema_editor:
        for code, apps in steps:
            code(apps, schema_editor)
    _REFERENCE = snapshot.take()
    return True


_REFERENCE = None  # core.tests.snapshot.Snapshot of the reference data, once replayed


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """pytest-django's test databases, made from the models (``--nomigrations`` in
    pyproject.toml: running the migrations took each worker about two minutes of CPU),
    then given the rows of the data migrations, replayed in order. That the migrations
    build the same schema is ``core/tests/test_migrations.py``'s check."""
    with django_db_blocker.unblock():
        restore_reference_data()
    yield


@pytest.fixture(autouse=True)
def _reference_data_survives_flushes(request):
    """Every transactional test starts with the reference data of the data migrations.

    pytest-django runs transactional tests last, and each ends with a flush of every
    table; so at the start of each one (once its database is set up), put that data back
    if an earlier one flushed it."""
    transactional = {"transactional_db", "live_server"} & set(request.fixturenames) or any(
        m.kwargs.get("transaction") for m in request.node.iter_markers("django_db")
    )
    if transactional:
        request.getfixturevalue("_django_db_helper")
        restore_reference_data()
    yield


@pytest.fixture(autouse=True)
def _each_test_starts_in_french():
    """The active language is the thread's: a request in English leaves English active
    (LocaleMiddleware activates it, nothing puts French back), and the next test's
    ``reverse()`` of a portal page would answer ``/en/reseau/...``."""
    from django.utils import translation

    translation.deactivate()
    yield
    translation.deactivate()


@pytest.fixture
def page(browser, live_server, transactional_db):
    """A fresh French-speaking page on the live server. The database is transactional
    (data must be committed for the live server to see it); the reference data of the
    data migrations is put back if an earlier transactional test flushed it."""
    context = browser.new_context(locale="fr-FR", viewport={"width": 1280, "height": 900})
    pg = context.new_page()
    pg.set_default_timeout(15000)
    pg.base_url = live_server.url
    yield pg
    context.close()


_DEMOS: dict = {}  # what load_demo printed and a snapshot of its rows, by kind, per process


def _demo(**kwargs) -> list[str]:
    """``load_demo(**kwargs)`` committed; loaded once per test process, then its rows put
    back from a snapshot (core/tests/snapshot.py): the same rows, in a fraction of the time."""
    from django.db import transaction

    from core.tests import snapshot
    from demo.loader import load_demo

    key = tuple(sorted(kwargs.items()))
    if key in _DEMOS:
        lines, rows = _DEMOS[key]
        snapshot.put_back(rows)
        return lines
    with transaction.atomic():  # one commit, as `manage.py load_demo` does: much faster
        lines = load_demo(**kwargs)
    _DEMOS[key] = (lines, snapshot.take())
    return lines


@pytest.fixture
def demo_data(transactional_db):
    """The whole demo data set (demo.loader.load_demo), committed for the live server."""
    return _demo()


@pytest.fixture
def demo_registry(transactional_db):
    """The demo's users, communes, cooperatives and persons only: half the demo's cost."""
    return _demo(registry_only=True)


@pytest.fixture
def world(db):
    """One user per role over a small two-region world (accounts/tests/world.py)."""
    from accounts.tests.world import build_world

    return build_world()


@pytest.fixture
def credit(world):
    """Loans on both sides of the world (``credit/tests/fixtures.py``), for the tests of
    credit, payments and core."""
    from credit.tests.fixtures import credit_world

    return credit_world(world)


@pytest.fixture
def api_client(client):
    """``api_client(user)`` -> a client whose requests carry that user's Bearer token."""
    from django.test import Client

    from accounts.services import api_token_issue

    def make(user):
        token = api_token_issue(user=user, actor=user)
        return Client(headers={"Authorization": f"Bearer {token}"})

    return make


@pytest.fixture(scope="session")
def sandboxes():
    """Every registered sandbox (sandboxes.REGISTRY: Wave, and what others add) on a free
    127.0.0.1 port for the session, with the settings pointed at them (restored after).

    Webhooks go to ``sandbox.config["app_url"]``: a test that needs them set it to its
    ``live_server.url`` (see payments/tests/conftest.py, ``wave_live``)."""
    from django.conf import settings

    from sandboxes.server import start_all

    config = {"WAVE_WEBHOOK_SECRET": "test-wave-secret", "WAVE_API_KEY": "test-wave-key"}
    config.update({"SMS_GATEWAY_TOKEN": "test-sms-token", "SMS_CALLBACK_TOKEN": "test-sms-cb"})
    config.update({"ORANGE_MONEY_CLIENT_ID": "test-om-id", "ORANGE_MONEY_CLIENT_SECRET": "x"})
    config.update({"ORANGE_MONEY_MERCHANT_KEY": "test-om-merchant"})
    running = start_all(config)
    overrides = {}
    for r in running.values():
        overrides.update(r.sandbox.settings_for(r.url))
    saved = {k: getattr(settings, k, None) for k in overrides}
    for key, value in overrides.items():
        setattr(settings, key, value)
    yield running
    for key, value in saved.items():
        setattr(settings, key, value)
    for r in running.values():
        r.stop()


@pytest.fixture
def today_is(monkeypatch):
    """``today_is(date)``: the one date rule's today (core.dates.today) for a test whose
    books or loans run past the real today (a year-end closing, a write-off next year)."""

    def pin(day):
        monkeypatch.setattr("core.dates.today", lambda: day)

    return pin
