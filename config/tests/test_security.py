"""Security basics (issue 2, point 8): lock-out after repeated failures on the login page
and the API token endpoint, Argon2 in production, ``check --deploy`` clean, SECRET_KEY
required, no secret committed."""

import base64
import os
import re
import secrets
import shutil
import string
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from accounts.tests.factories import UserFactory

BASE_DIR = Path(settings.BASE_DIR)
PASSWORD = "sunucoop-test-pw"  # accounts.tests.factories.UserFactory


# ------------------------------------------------------------------ lock-out (django-axes)


def login(client, username, password):
    return client.post(reverse("login"), {"username": username, "password": password})


@pytest.mark.django_db
def test_login_page_locks_after_five_failures_even_with_the_right_password():
    UserFactory(username="awa")
    client = Client()
    assert settings.AXES_FAILURE_LIMIT == 5
    for _ in range(4):
        response = login(client, "awa", "mauvais-mot-de-passe")
        assert response.status_code == 200  # the form again, with its error
        assert response.context["form"].non_field_errors()
        assert "_auth_user_id" not in client.session
    # The fifth failure locks: the answer is already the locked page.
    assert login(client, "awa", "mauvais-mot-de-passe").status_code == 429
    response = login(client, "awa", PASSWORD)  # sixth attempt, right password: refused
    assert response.status_code == 429
    assert response["Retry-After"] == "1800"
    html = response.content.decode()
    assert "Trop de tentatives" in html and "temporairement verrouillé" in html
    assert '<html lang="fr"' in html
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_four_failures_then_the_right_password_still_logs_in():
    UserFactory(username="awa")
    client = Client()
    for _ in range(4):
        login(client, "awa", "mauvais-mot-de-passe")
    response = login(client, "awa", PASSWORD)
    assert response.status_code == 302
    assert "_auth_user_id" in client.session


@pytest.mark.django_db
def test_lock_is_per_username_and_address():
    UserFactory(username="awa")
    UserFactory(username="binta")
    for _ in range(5):
        login(Client(), "awa", "mauvais-mot-de-passe")
    assert login(Client(), "binta", PASSWORD).status_code == 302  # other user, same address
    other_address = Client(REMOTE_ADDR="10.1.2.3")
    assert login(other_address, "awa", PASSWORD).status_code == 302  # same user, elsewhere
    assert login(Client(), "awa", PASSWORD).status_code == 429  # still locked here


@pytest.mark.django_db
def test_admin_login_is_locked_too():
    UserFactory(username="root", is_staff=True, is_superuser=True)
    client = Client()
    url = reverse("admin:login")
    for _ in range(5):
        client.post(url, {"username": "root", "password": "mauvais-mot-de-passe"})
    response = client.post(url, {"username": "root", "password": PASSWORD})
    assert response.status_code == 429


@pytest.mark.django_db
def test_api_token_endpoint_counts_failures_and_locks():
    UserFactory(username="awa")
    client = Client()

    def token(password):
        return client.post(
            "/api/v1/auth/token",
            {"username": "awa", "password": password},
            content_type="application/json",
        )

    for _ in range(4):
        response = token("mauvais-mot-de-passe")
        assert response.status_code == 401
        assert response.json()["code"] == "invalid_credentials"
    assert token("mauvais-mot-de-passe").status_code == 429
    response = token(PASSWORD)  # sixth attempt, right password: refused
    assert response.status_code == 429
    assert response["Content-Type"].startswith("application/json")
    body = response.json()
    assert body["code"] == "locked" and body["field"] is None
    assert "verrouillé" in body["message"]
    from axes.models import AccessAttempt

    attempt = AccessAttempt.objects.get(username="awa")
    assert attempt.failures_since_start >= 5


@pytest.mark.django_db
def test_api_token_works_before_the_limit():
    UserFactory(username="awa")
    client = Client()
    for _ in range(4):
        client.post(
            "/api/v1/auth/token",
            {"username": "awa", "password": "faux"},
            content_type="application/json",
        )
    response = client.post(
        "/api/v1/auth/token",
        {"username": "awa", "password": PASSWORD},
        content_type="application/json",
    )
    assert response.status_code == 200 and response.json()["token"]


# ------------------------------------------------------------------ production settings


def production_env(tmp_path, **overrides):
    """The environment of a production process: no test flag, DEBUG off, a real key."""
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("SUNUCOOP_", "DJANGO_", "PYTEST", "AXES_"))
        and k not in {"DEBUG", "DATABASE_URL", "ALLOWED_HOSTS", "SECRET_KEY"}
        and not k.startswith("HEALTH_CARD_")
    }
    alphabet = string.ascii_letters + string.digits + "!@#%^&*(-_=+)"
    env.update(
        DEBUG="0",
        SECRET_KEY="".join(secrets.choice(alphabet) for _ in range(50)),
        HEALTH_CARD_SIGNING_KEY=base64.b64encode(secrets.token_bytes(32)).decode(),
        ALLOWED_HOSTS="sunucoop.sn",
        SUNUCOOP_VAR_DIR=str(tmp_path / "var"),
        DJANGO_SETTINGS_MODULE="config.settings",
    )
    env.update(overrides)
    return {k: v for k, v in env.items() if v is not None}


def run_python(args, env):
    return subprocess.run(
        [sys.executable, *args],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=180,
    )


def test_check_deploy_is_clean_under_production_settings(tmp_path):
    result = run_python(
        ["manage.py", "check", "--deploy", "--fail-level", "WARNING"], production_env(tmp_path)
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues (0 silenced)." in result.stdout
    assert "WARNING" not in result.stderr


def test_check_deploy_would_catch_a_debug_production(tmp_path):
    """The previous test can fail: the same check flags DEBUG on."""
    result = run_python(
        ["manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        production_env(tmp_path, DEBUG="1"),
    )
    assert result.returncode != 0
    assert "security.W018" in result.stderr + result.stdout


PRINT_HASHING = """
import django
django.setup()
from django.conf import settings
from django.contrib.auth.hashers import make_password
print(settings.PASSWORD_HASHERS[0])
print(make_password("un-mot-de-passe-solide").split("$")[0:2])
print(settings.TESTING, settings.SESSION_COOKIE_SECURE, settings.CSRF_COOKIE_SECURE)
"""


def test_production_hashes_passwords_with_argon2id(tmp_path):
    result = run_python(["-c", PRINT_HASHING], production_env(tmp_path))
    assert result.returncode == 0, result.stderr
    hasher, prefix, flags = result.stdout.splitlines()
    assert hasher == "accounts.hashers.OwaspArgon2PasswordHasher"
    assert prefix == "['argon2', 'argon2id']"
    assert flags == "False True True"


def test_settings_refuse_to_start_without_secret_key_when_debug_is_off(tmp_path):
    for missing in [None, ""]:
        result = run_python(["manage.py", "check"], production_env(tmp_path, SECRET_KEY=missing))
        assert result.returncode != 0
        assert "ImproperlyConfigured" in result.stderr
        assert "SECRET_KEY doit être défini quand DEBUG est désactivé." in result.stderr
    # With DEBUG on, the development key is allowed.
    ok = run_python(["manage.py", "check"], production_env(tmp_path, SECRET_KEY=None, DEBUG="1"))
    assert ok.returncode == 0, ok.stderr


# ------------------------------------------------------------------ no secret committed

SECRET_PATTERNS = [
    re.compile(r"""SECRET_KEY\s*[:=]\s*["'][^"']+["']"""),
    re.compile(r"-----BEGIN (?:RSA |EC |OPENSSH |DSA )?PRIVATE KEY-----"),
    re.compile(r"postgres(?:ql)?://[^:@/\s]+:[^@/\s]+@"),  # a URL with a password
    re.compile(r"\bAKIA[0-9A-Z]{16}\b"),  # AWS access key id
]
DEV_FALLBACK = 'SECRET_KEY = "insecure-development-key-never-used-in-production"'


def tracked_files():
    if not shutil.which("git") or not (BASE_DIR / ".git").exists():
        pytest.skip("not a git checkout")
    out = subprocess.run(
        ["git", "ls-files", "-z"], cwd=BASE_DIR, capture_output=True, check=True
    ).stdout
    return [BASE_DIR / p for p in out.decode().split("\0") if p]


def find_secrets(paths):
    hits = []
    for path in paths:
        if path.suffix in {".png", ".jpg", ".ico", ".woff2", ".xlsx", ".pdf", ".mo"}:
            continue
        try:
            text = path.read_text(encoding="utf-8")
        except (UnicodeDecodeError, FileNotFoundError, IsADirectoryError):
            continue
        for number, line in enumerate(text.splitlines(), 1):
            if DEV_FALLBACK in line or "config/tests/test_security.py" in str(path):
                continue
            if any(p.search(line) for p in SECRET_PATTERNS):
                hits.append(f"{path}:{number}: {line.strip()[:80]}")
    return hits


def test_no_secret_is_committed():
    files = tracked_files()
    assert any(f.name == "settings.py" for f in files)
    assert not [f for f in files if f.name in {".env", "id_rsa", "id_ed25519"}]
    assert find_secrets(files) == []


def test_the_secret_scan_finds_a_planted_secret(tmp_path):
    planted = tmp_path / "local_settings.py"
    planted.write_text(
        'SECRET_KEY = "d8f7g6h5j4k3l2"\n'
        'DATABASE_URL = "postgres://u:pw@db/x"\n'
        'SECRET_KEY = os.environ.get("SECRET_KEY", "")\n'  # reading it is fine
        + DEV_FALLBACK
        + "\n"
    )
    assert [h.split(":")[1] for h in find_secrets([planted])] == ["1", "2"]
