"""The member cards' signing keys (Ed25519, ADR 0015).

One **signing key** (private, ``settings.HEALTH_CARD_SIGNING_KEY``: the raw 32 bytes in
base64, or a PEM "PRIVATE KEY") signs every card printed now; the **public keys**
published (``GET /api/v1/health/card-keys``, a JWK set) are its public key and those of
``settings.HEALTH_CARD_PREVIOUS_PUBLIC_KEYS`` (the raw 32 bytes in base64, comma-separated:
the keys of cards printed before a rotation, still checked). Each key is named by its
``kid``: the first 11 characters of the base64url SHA-256 of the raw public key, so a
key's name never needs configuring and two keys never share one by accident.

Without ``HEALTH_CARD_SIGNING_KEY`` (only allowed in DEBUG and tests: production's settings
refuse to start), the key is derived from ``SECRET_KEY`` (SHA-256 of a fixed label and the
secret): the same on every run of one installation, so demo cards stay valid, but it is not
a key to hand out: whoever knows ``SECRET_KEY`` can sign cards.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
from dataclasses import dataclass
from functools import lru_cache

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

DERIVATION_LABEL = b"sunucoop.health.card.ed25519.v1:"
RAW = serialization.Encoding.Raw
RAW_PUBLIC = serialization.PublicFormat.Raw


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def b64url_decode(text: str) -> bytes:
    """Base64url without padding (also accepts the standard alphabet); ValueError if not."""
    text = text.strip().replace("+", "-").replace("/", "_").rstrip("=")
    if not text or any(c not in _B64URL for c in text) or len(text) % 4 == 1:
        raise ValueError("not base64url")
    try:
        return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
    except (binascii.Error, ValueError) as exc:
        raise ValueError("not base64url") from exc


_B64URL = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_")


def public_raw(key: Ed25519PublicKey) -> bytes:
    return key.public_bytes(RAW, RAW_PUBLIC)


def kid_of(key: Ed25519PublicKey) -> str:
    return b64url(hashlib.sha256(public_raw(key)).digest())[:11]


def private_key_from_text(text: str) -> Ed25519PrivateKey:
    """A private key from a setting: raw 32 bytes in base64(url), or a PEM private key."""
    text = (text or "").strip()
    if text.startswith("-----BEGIN"):
        key = serialization.load_pem_private_key(text.encode(), password=None)
        if not isinstance(key, Ed25519PrivateKey):
            raise ValueError("the PEM key is not an Ed25519 key")
        return key
    raw = b64url_decode(text)
    if len(raw) != 32:
        raise ValueError("an Ed25519 private key is 32 bytes")
    return Ed25519PrivateKey.from_private_bytes(raw)


def public_key_from_text(text: str) -> Ed25519PublicKey:
    raw = b64url_decode(text)
    if len(raw) != 32:
        raise ValueError("an Ed25519 public key is 32 bytes")
    return Ed25519PublicKey.from_public_bytes(raw)


def derived_private_key(secret: str) -> Ed25519PrivateKey:
    """DEBUG and tests only: a key derived from ``SECRET_KEY`` (see the module's note)."""
    return Ed25519PrivateKey.from_private_bytes(
        hashlib.sha256(DERIVATION_LABEL + secret.encode()).digest()
    )


@dataclass(frozen=True)
class CardKeys:
    signing: Ed25519PrivateKey
    kid: str
    public: dict[str, Ed25519PublicKey]  # kid -> key; the signing key's first
    derived: bool  # True when derived from SECRET_KEY (DEBUG and tests)


def build_keys(*, signing_text: str, previous: list[str], secret: str) -> CardKeys:
    """The keys from the settings' texts; ``ImproperlyConfigured`` when one is malformed."""
    try:
        signing = private_key_from_text(signing_text) if signing_text else None
        olds = [public_key_from_text(p) for p in previous if p.strip()]
    except ValueError as exc:
        raise ImproperlyConfigured(
            f"HEALTH_CARD_SIGNING_KEY / HEALTH_CARD_PREVIOUS_PUBLIC_KEYS : clé invalide ({exc})."
        ) from None
    derived = signing is None
    if derived:
        signing = derived_private_key(secret)
    own = signing.public_key()
    public = {kid_of(own): own}
    for old in olds:
        public.setdefault(kid_of(old), old)
    return CardKeys(signing=signing, kid=kid_of(own), public=public, derived=derived)


@lru_cache(maxsize=4)
def _keys_for(signing_text: str, previous: tuple[str, ...], secret: str) -> CardKeys:
    return build_keys(signing_text=signing_text, previous=list(previous), secret=secret)


def card_keys() -> CardKeys:
    """The keys of the current settings (cached per settings' values)."""
    return _keys_for(
        getattr(settings, "HEALTH_CARD_SIGNING_KEY", "") or "",
        tuple(getattr(settings, "HEALTH_CARD_PREVIOUS_PUBLIC_KEYS", ()) or ()),
        settings.SECRET_KEY,
    )


def sign(data: bytes) -> tuple[str, bytes]:
    """``(kid, signature)`` of ``data`` with the signing key."""
    keys = card_keys()
    return keys.kid, keys.signing.sign(data)


def verify(kid: str, signature: bytes, data: bytes) -> bool:
    """Whether ``signature`` over ``data`` is that of the published key ``kid``."""
    key = card_keys().public.get(kid)
    if key is None:
        return False
    try:
        key.verify(signature, data)
    except InvalidSignature:
        return False
    return True


def jwks() -> dict:
    """The published public keys as a JWK set (RFC 8037: kty OKP, crv Ed25519)."""
    return {
        "keys": [
            {
                "kty": "OKP",
                "crv": "Ed25519",
                "x": b64url(public_raw(key)),
                "kid": kid,
                "alg": "EdDSA",
                "use": "sig",
            }
            for kid, key in card_keys().public.items()
        ]
    }
