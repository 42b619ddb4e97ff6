"""Issue 14, point 7: headers. A Content-Security-Policy on every answer (DEBUG and
production), no inline script or event handler in any template, Swagger UI from our own
static files working under the policy, and a lock-out keyed on username + the client's
address as read through the documented proxy setting (a shared proxy locks nobody else)."""

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from accounts.tests.factories import UserFactory
from config.tests.test_security import PASSWORD, production_env, run_python

BASE_DIR = Path(settings.BASE_DIR)
SCREENSHOTS = BASE_DIR / "var" / "screenshots" / "headers"


def policy(response) -> dict[str, str]:
    header = response["Content-Security-Policy"]
    return {
        part.split()[0]: " ".join(part.split()[1:]) for part in header.split(";") if part.strip()
    }


# ---------------------------------------------------------------- the policy


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/comptes/connexion/", "/api/v1/docs", "/healthz", "/nope/"])
def test_every_answer_carries_the_policy(client, path):
    p = policy(client.get(path))
    assert p["script-src"] == "'self'"  # no 'unsafe-inline', no 'unsafe-eval', no CDN
    assert p["default-src"] == "'self'" and p["object-src"] == "'none'"
    assert p["frame-ancestors"] == "'none'" and p["base-uri"] == "'self'"
    assert "unsafe" not in p["style-src"]


@pytest.mark.django_db
def test_api_answers_carry_it_too(api_client):
    user = UserFactory(username="awa")
    response = api_client(user).get("/api/v1/auth/tokens")
    assert (
        response.status_code == 200 and "script-src 'self'" in response["Content-Security-Policy"]
    )


PRINT_POLICY = """
import django
django.setup()
from django.conf import settings
print(settings.DEBUG, "csp.middleware.CSPMiddleware" in settings.MIDDLEWARE)
print(settings.CONTENT_SECURITY_POLICY["DIRECTIVES"]["script-src"])
"""


@pytest.mark.parametrize("debug", ["0", "1"])
def test_policy_holds_in_debug_and_production(tmp_path, debug):
    result = run_python(["-c", PRINT_POLICY], production_env(tmp_path, DEBUG=debug))
    assert result.returncode == 0, result.stderr
    flags, script_src = result.stdout.splitlines()
    assert flags == f"{debug == '1'} True"
    assert script_src == "[\"'self'\"]"


# ---------------------------------------------------------------- the templates


def template_files():
    roots = [BASE_DIR / "templates", *BASE_DIR.glob("*/templates")]
    return [p for root in roots for p in root.rglob("*.html") if ".venv" not in p.parts]


INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*type=\"application/json\")[^>]*>", re.I)
HANDLER = re.compile(r"<[^>]+\son[a-z]+\s*=", re.I)
JS_URL = re.compile(r"""(?:href|src|action)\s*=\s*["']\s*javascript:""", re.I)


def test_no_template_has_an_inline_script_or_handler():
    files = template_files()
    assert len(files) > 50
    offenders = [
        f"{path.relative_to(BASE_DIR)}: {m.group(0)[:60]}"
        for path in files
        for pattern in (INLINE_SCRIPT, HANDLER, JS_URL)
        for m in pattern.finditer(path.read_text(encoding="utf-8"))
    ]
    assert offenders == []


def test_the_template_scan_finds_planted_offenders():
    planted = '<script>alert(1)</script><button onclick="x()">'
    assert INLINE_SCRIPT.search(planted) and HANDLER.search(planted)
    assert not INLINE_SCRIPT.search('<script src="/static/x.js" defer></script>')
    assert not INLINE_SCRIPT.search('<script type="application/json" id="s">{}</script>')
    assert JS_URL.search('<a href="javascript:void(0)">')


# ---------------------------------------------------------------- Swagger UI


@pytest.mark.django_db
def test_swagger_ui_is_served_from_our_static_files(client):
    response = client.get("/api/v1/docs")
    assert response.status_code == 200
    html = response.content.decode()
    sources = re.findall(r"""(?:src|href)=["']([^"']+)["']""", html)
    assert "/static/ninja/swagger-ui-bundle.js" in sources
    assert "/static/ninja/swagger-ui.css" in sources
    assert not [s for s in sources if s.startswith(("http:", "https:", "//"))]
    assert "cdn" not in html.lower()
    for path in ("/static/ninja/swagger-ui-bundle.js", "/static/ninja/swagger-ui-init.js"):
        asset = client.get(path)
        assert asset.status_code == 200, path
        b"".join(asset.streaming_content) if asset.streaming else asset.content


# ---------------------------------------------------------------- lock-out behind a proxy


def login(client, username, password, forwarded):
    return client.post(
        reverse("login"),
        {"username": username, "password": password},
        REMOTE_ADDR="10.0.0.1",  # the proxy
        HTTP_X_FORWARDED_FOR=forwarded,
    )


@pytest.mark.django_db
def test_behind_a_shared_proxy_one_clients_failures_lock_no_one_else(settings):
    settings.TRUSTED_PROXY_COUNT = 1
    UserFactory(username="awa")
    attacker, colleague = "196.1.1.1", "196.2.2.2"
    for _ in range(5):
        login(Client(), "awa", "mauvais-mot-de-passe", attacker)
    assert login(Client(), "awa", PASSWORD, attacker).status_code == 429
    # Same user, same proxy, another client behind it: signs in.
    assert login(Client(), "awa", PASSWORD, colleague).status_code == 302
    # The attacker cannot escape by writing its own X-Forwarded-For entries on the left.
    assert login(Client(), "awa", PASSWORD, f"8.8.8.8, {attacker}").status_code == 429


@pytest.mark.django_db
def test_without_a_trusted_proxy_the_header_is_ignored(settings):
    settings.TRUSTED_PROXY_COUNT = 0
    UserFactory(username="awa")
    for n in range(5):  # the attacker changes the header every time: no use
        login(Client(), "awa", "mauvais-mot-de-passe", f"196.1.1.{n}")
    assert login(Client(), "awa", PASSWORD, "196.9.9.9").status_code == 429


def test_client_ip_reads_the_nth_entry_from_the_right(rf, settings):
    from config.lockout import client_ip

    request = rf.get("/", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="1.1.1.1, 2.2.2.2, 10.0.0.1")
    settings.TRUSTED_PROXY_COUNT = 0
    assert client_ip(request) == "10.0.0.2"
    settings.TRUSTED_PROXY_COUNT = 2
    assert client_ip(request) == "2.2.2.2"
    settings.TRUSTED_PROXY_COUNT = 5  # shorter than announced: the direct peer
    assert client_ip(request) == "10.0.0.2"


# ---------------------------------------------------------------- in Chromium


@pytest.mark.browser
def test_pages_and_swagger_work_in_chromium_without_csp_violations(page, demo_registry):
    violations, errors = [], []
    page.on(
        "console",
        lambda msg: (
            violations.append(msg.text)
            if "Content Security Policy" in msg.text or "Content-Security-Policy" in msg.text
            else None
        ),
    )
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.goto(page.base_url + "/comptes/connexion/")
    page.get_by_label("Identifiant").fill("national")
    page.get_by_label("Mot de passe").fill("sunucoop-demo")
    page.get_by_role("button", name="Se connecter").click()
    page.wait_for_url(page.base_url + "/")
    # htmx works under the policy: the person search updates the results in place.
    page.goto(page.base_url + "/registre/personnes/")
    page.fill("#id_q", "zzzz-personne")
    with page.expect_request(lambda r: r.headers.get("hx-request") == "true"):
        page.press("#id_q", "Enter")
    page.wait_for_selector('[data-testid="empty"]')
    assert page.evaluate("typeof window.htmx") == "object"
    page.goto(page.base_url + "/comptes/jetons/")
    page.get_by_label("Nom du jeton").fill("Navigateur")
    page.get_by_role("button", name="Créer le jeton").click()
    page.wait_for_selector('[data-testid="new-token"]')
    page.set_viewport_size({"width": 360, "height": 800})
    page.screenshot(path=str(SCREENSHOTS / "tokens-360.png"), full_page=True)
    page.set_viewport_size({"width": 1280, "height": 900})
    page.screenshot(path=str(SCREENSHOTS / "tokens-desktop.png"), full_page=True)
    page.goto(page.base_url + "/api/v1/docs")
    page.wait_for_selector(".swagger-ui .info .title")
    assert "SunuCoop API" in page.inner_text(".swagger-ui .info .title")
    page.wait_for_selector(".opblock")  # the operations are listed
    page.screenshot(path=str(SCREENSHOTS / "swagger-desktop.png"))
    assert violations == [] and errors == []
