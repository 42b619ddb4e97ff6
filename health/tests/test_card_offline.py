"""Member cards checked offline (ADR 0015): Ed25519 signatures, the published public keys,
key rotation, the refusals, and the production settings' refusal without a key."""

import base64
import datetime
import json
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.serialization import (
    Encoding,
    NoEncryption,
    PrivateFormat,
    PublicFormat,
)
from django.core import signing
from django.core.checks import run_checks
from django.core.exceptions import ImproperlyConfigured
from django.test import Client
from django.utils import timezone

from health import services
from health.card_keys import build_keys, card_keys, private_key_from_text
from health.cards import card_read, card_token
from health.tests.factories import (
    enrolled,
    national_user,
    provider_with_convention,
    scheme_of_example,
)

BASE_DIR = Path(__file__).resolve().parents[2]


def _b64(raw: bytes) -> str:
    return base64.b64encode(raw).decode()


def _raw_private(key: Ed25519PrivateKey) -> bytes:
    return key.private_bytes(Encoding.Raw, PrivateFormat.Raw, NoEncryption())


def _raw_public(key) -> bytes:
    return key.public_bytes(Encoding.Raw, PublicFormat.Raw)


def _unb64url(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def _b64url(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


def provider_check(code: str, jwks: dict, today: datetime.date) -> dict:
    """What a provider's own device does with a card, knowing only the published JWK set:
    no server code, the ``cryptography`` package alone. Raises on a card to refuse."""
    head, tail = code.split(".")
    data, signature = _unb64url(head), _unb64url(tail)
    version, kid, person, household, scheme, scheme_name, name, until, issued = json.loads(data)
    assert version == 1
    keys = {k["kid"]: k for k in jwks["keys"] if k["kty"] == "OKP" and k["crv"] == "Ed25519"}
    if kid not in keys:
        raise LookupError(f"unknown key {kid}")
    Ed25519PublicKey.from_public_bytes(_unb64url(keys[kid]["x"])).verify(signature, data)
    if not until or datetime.date.fromisoformat(until) < today:
        raise PermissionError(f"cover expired on {until}")
    return {"person": person, "household": household, "scheme": scheme, "name": name,
            "scheme_name": scheme_name, "until": until, "issued": issued}  # fmt: skip


@pytest.fixture
def covered(world):
    """A household of two enrolled 60 days ago, paid for four months: active today."""
    national = national_user()
    scheme = scheme_of_example(national)
    provider, staff = provider_with_convention(national, scheme)
    on = timezone.localdate() - datetime.timedelta(days=60)
    household = enrolled(world.officer, scheme, world.coop_tc, 2, on=on)
    services.contribution_pay(
        actor=world.officer, household=household, amount=2 * 2_500 + 4 * 1_100, paid_on=on,
        channel="cash",
    )  # fmt: skip
    household.refresh_from_db()
    head = household.members.select_related("person", "household__scheme").get(
        person=household.head
    )
    return household, head, staff


@pytest.mark.django_db
def test_a_card_verifies_with_only_the_public_key_from_the_endpoint(covered):
    household, head, _staff = covered
    today = timezone.localdate()
    code = card_token(head, issued_on=today)
    r = Client().get("/api/v1/health/card-keys")  # public: no token
    assert r.status_code == 200, r.content
    jwks = r.json()
    assert [(k["kty"], k["crv"], k["alg"]) for k in jwks["keys"]] == [("OKP", "Ed25519", "EdDSA")]
    assert len(_unb64url(jwks["keys"][0]["x"])) == 32

    card = provider_check(code, jwks, today)
    assert card == {
        "person": head.person_id,
        "household": household.pk,
        "scheme": household.scheme_id,
        "name": str(head.person),
        "scheme_name": household.scheme.name,
        "until": household.covered_until.isoformat(),
        "issued": today.isoformat(),
    }

    # Tampered: the payload says another person, the signature is the original's.
    head_part, sig_part = code.split(".")
    payload = json.loads(_unb64url(head_part))
    payload[2] += 1
    forged = _b64url(json.dumps(payload, separators=(",", ":")).encode()) + "." + sig_part
    with pytest.raises(InvalidSignature):
        provider_check(forged, jwks, today)
    # Signed by a key that is not published (its own kid): refused.
    rogue = Ed25519PrivateKey.generate()
    payload = json.loads(_unb64url(head_part))
    payload[1] = "rogue-kid00"
    data = json.dumps(payload, separators=(",", ":")).encode()
    rogue_code = _b64url(data) + "." + _b64url(rogue.sign(data))
    with pytest.raises(LookupError):
        provider_check(rogue_code, jwks, today)
    # A published kid, but signed by another key: refused.
    payload[1] = jwks["keys"][0]["kid"]
    data = json.dumps(payload, separators=(",", ":")).encode()
    with pytest.raises(InvalidSignature):
        provider_check(_b64url(data) + "." + _b64url(rogue.sign(data)), jwks, today)
    # Genuine, but the cover printed on it has run out by the day it is shown.
    later = household.covered_until + datetime.timedelta(days=1)
    with pytest.raises(PermissionError):
        provider_check(code, jwks, later)


@pytest.mark.django_db
def test_the_server_refuses_forged_rogue_and_former_hmac_codes(covered, api_client):
    household, head, staff = covered
    today = timezone.localdate()
    code = card_token(head, issued_on=today)
    assert card_read(code).kid == card_keys().kid
    rogue = Ed25519PrivateKey.generate()
    head_part, _sig = code.split(".")
    data = _unb64url(head_part)
    hmac_code = signing.dumps({"p": head.person_id, "s": household.scheme_id}, salt="health.card")
    refused = [
        code[:5] + ("A" if code[5] != "A" else "B") + code[6:],  # one character changed
        head_part + "." + _b64url(rogue.sign(data)),  # the right kid, another key
        hmac_code,  # a card of the former format: printed again
        code + ".x",
        "A" * 401,
    ]
    client = api_client(staff)
    for bad in refused:
        r = client.get("/api/v1/health/cards/verify", {"code": bad[:500]})
        assert (r.status_code, r.json()["code"]) == (400, "invalid_card"), bad
    body = client.get("/api/v1/health/cards/verify", {"code": code}).json()
    assert (body["status"], body["person"]) == ("active", head.person_id)


@pytest.mark.django_db
def test_keys_rotate_old_cards_still_check_and_both_keys_are_published(covered, settings):
    household, head, _staff = covered
    today = timezone.localdate()
    first, second = Ed25519PrivateKey.generate(), Ed25519PrivateKey.generate()
    settings.HEALTH_CARD_SIGNING_KEY = _b64(_raw_private(first))
    old_code = card_token(head, issued_on=today)
    old_kid = card_keys().kid
    settings.HEALTH_CARD_SIGNING_KEY = _b64(_raw_private(second))
    with pytest.raises(Exception) as refused:  # the old key no longer published
        card_read(old_code)
    assert refused.value.code == "invalid_card"
    settings.HEALTH_CARD_PREVIOUS_PUBLIC_KEYS = [_b64(_raw_public(first.public_key()))]
    assert card_read(old_code).kid == old_kid
    new_code = card_token(head, issued_on=today)
    assert card_read(new_code).kid == card_keys().kid != old_kid
    jwks = Client().get("/api/v1/health/card-keys").json()
    assert [k["kid"] for k in jwks["keys"]] == [card_keys().kid, old_kid]
    for code in (old_code, new_code):
        assert provider_check(code, jwks, today)["person"] == head.person_id


def test_the_signing_key_is_raw_base64_or_pem_and_a_bad_one_is_refused(settings):
    key = Ed25519PrivateKey.generate()
    raw = _raw_private(key)
    pem = key.private_bytes(Encoding.PEM, PrivateFormat.PKCS8, NoEncryption()).decode()
    for text in (_b64(raw), _b64url(raw), pem):
        assert _raw_private(private_key_from_text(text)) == raw
    for bad in ("abc", _b64(raw[:31]), _b64(raw) + "AAAA", "-----BEGIN " + "PRIVATE KEY-----\nxx"):
        with pytest.raises((ValueError, TypeError)):
            private_key_from_text(bad)
        with pytest.raises(ImproperlyConfigured):
            build_keys(signing_text=bad, previous=[], secret="s")
    # Without a key (DEBUG and tests): derived from SECRET_KEY, the same on every run.
    a = build_keys(signing_text="", previous=[], secret="one")
    assert a.derived and a.kid == build_keys(signing_text="", previous=[], secret="one").kid
    assert a.kid != build_keys(signing_text="", previous=[], secret="two").kid
    settings.HEALTH_CARD_SIGNING_KEY = "not a key"
    assert [e.id for e in run_checks() if e.id.startswith("health.")] == ["health.E001"]


def _production_check(**env_overrides) -> subprocess.CompletedProcess:
    import os

    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("SUNUCOOP_", "DJANGO_", "PYTEST", "HEALTH_CARD_"))
        and k not in {"DEBUG", "DATABASE_URL", "SECRET_KEY"}
    }
    env.update(DEBUG="0", DJANGO_SETTINGS_MODULE="config.settings")
    env["SECRET_KEY"] = secrets.token_urlsafe(40)
    env.update(env_overrides)
    return subprocess.run(
        [sys.executable, "-c", "import django; django.setup()"],
        cwd=BASE_DIR, env=env, capture_output=True, text=True, timeout=120,
    )  # fmt: skip


def test_production_refuses_to_start_without_a_card_signing_key():
    result = _production_check()
    assert result.returncode != 0
    assert "HEALTH_CARD_SIGNING_KEY doit être défini" in result.stderr
    key = _b64(_raw_private(Ed25519PrivateKey.generate()))
    assert _production_check(HEALTH_CARD_SIGNING_KEY=key).returncode == 0
