"""Production hashing: Argon2id at OWASP's m=19 MiB, t=2, p=1; a hash made with Django's
default Argon2 parameters still logs in and is rewritten with the new ones."""

import pytest
from django.contrib.auth.hashers import Argon2PasswordHasher, identify_hasher, make_password
from django.test import Client, override_settings
from django.urls import reverse

from accounts.hashers import OwaspArgon2PasswordHasher
from accounts.tests.factories import UserFactory

PRODUCTION_HASHERS = [
    "accounts.hashers.OwaspArgon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
PASSWORD = "un-mot-de-passe-solide"


def params(encoded: str) -> str:
    # argon2$argon2id$v=19$m=...,t=...,p=...$salt$hash
    return encoded.split("$")[3]


def test_new_hashes_use_owasp_parameters():
    encoded = OwaspArgon2PasswordHasher().encode(PASSWORD, "saltsaltsalt")
    assert encoded.startswith("argon2$argon2id$")
    assert params(encoded) == "m=19456,t=2,p=1"
    assert OwaspArgon2PasswordHasher().verify(PASSWORD, encoded)
    assert not OwaspArgon2PasswordHasher().verify("un-autre-mot-de-passe", encoded)


def test_django_default_hash_must_be_updated_and_own_hash_not():
    old = Argon2PasswordHasher().encode(PASSWORD, "saltsaltsalt")
    assert params(old) == "m=102400,t=2,p=8"
    hasher = OwaspArgon2PasswordHasher()
    assert hasher.verify(PASSWORD, old)
    assert hasher.must_update(old)
    assert not hasher.must_update(hasher.encode(PASSWORD, hasher.salt()))


@pytest.mark.django_db
@override_settings(PASSWORD_HASHERS=PRODUCTION_HASHERS)
def test_login_with_a_django_default_hash_upgrades_it():
    user = UserFactory()
    user.password = Argon2PasswordHasher().encode(PASSWORD, "saltsaltsalt")
    user.save(update_fields=["password"])
    assert isinstance(identify_hasher(user.password), OwaspArgon2PasswordHasher)  # same name

    response = Client().post(reverse("login"), {"username": user.username, "password": PASSWORD})
    assert response.status_code == 302
    user.refresh_from_db()
    assert params(user.password) == "m=19456,t=2,p=1"
    assert user.check_password(PASSWORD)


@pytest.mark.django_db
@override_settings(PASSWORD_HASHERS=PRODUCTION_HASHERS)
def test_failed_login_leaves_the_old_hash():
    user = UserFactory()
    old = Argon2PasswordHasher().encode(PASSWORD, "saltsaltsalt")
    user.password = old
    user.save(update_fields=["password"])
    response = Client().post(
        reverse("login"), {"username": user.username, "password": "faux-mdp-1"}
    )
    assert response.status_code == 200
    user.refresh_from_db()
    assert user.password == old


@override_settings(PASSWORD_HASHERS=PRODUCTION_HASHERS)
def test_make_password_uses_the_owasp_hasher():
    assert params(make_password(PASSWORD)) == "m=19456,t=2,p=1"
