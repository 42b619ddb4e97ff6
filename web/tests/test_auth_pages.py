"""Login, logout and password reset by e-mail (Django's mail outbox), in French."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from django.urls import reverse

from accounts.tests.factories import UserFactory

pytestmark = pytest.mark.django_db

PASSWORD = "sunucoop-test-pw"


@pytest.fixture
def user(db):
    return UserFactory(username="awa", email="awa@example.sn", first_name="Awa", last_name="Diop")


def test_login_then_logout(client, user):
    page = client.get(reverse("login"))
    assert page.status_code == 200
    assert ">Connexion</h1>" in page.content.decode()
    response = client.post(reverse("login"), {"username": "awa", "password": PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == reverse("home")
    assert "Bonjour Awa Diop" in client.get("/").content.decode()

    response = client.post(reverse("logout"))
    assert response.status_code == 302
    assert response["Location"] == reverse("login")
    assert client.get("/").status_code == 302  # signed out for real


def test_wrong_password_gives_a_french_error_and_keeps_the_username(client, user):
    response = client.post(reverse("login"), {"username": "awa", "password": "mauvais-mdp"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "Identifiant ou mot de passe incorrect." in html
    assert 'value="awa"' in html
    assert client.get("/").status_code == 302


def test_logout_needs_a_post(client, user):
    client.force_login(user)
    assert client.get(reverse("logout")).status_code == 405
    assert client.get("/").status_code == 200


def test_login_redirects_to_next(client, user):
    response = client.post(
        reverse("login") + "?next=/healthz",
        {"username": "awa", "password": PASSWORD, "next": "/healthz"},
    )
    assert response["Location"] == "/healthz"


def test_password_reset_by_email_sets_a_new_password(client, user):
    response = client.post(reverse("password_reset"), {"email": "awa@example.sn"})
    assert response.status_code == 302
    assert response["Location"] == reverse("password_reset_done")
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["awa@example.sn"]
    assert message.subject == "SunuCoop : réinitialisation de votre mot de passe"
    assert "Vous avez demandé à changer le mot de passe" in message.body
    assert "Votre identifiant : awa" in message.body

    link = re.search(r"https?://[^/\s]+(/\S+)", message.body).group(1)
    response = client.get(link)  # the token moves into the session, then a clean URL
    assert response.status_code == 302
    form_url = response["Location"]
    page = client.get(form_url)
    assert page.context["validlink"] is True
    assert "Nouveau mot de passe" in page.content.decode()

    bad = client.post(
        form_url, {"new_password1": "nouveau-secret-42", "new_password2": "autre-chose-42"}
    )
    assert bad.status_code == 200
    assert "Les deux mots de passe ne correspondent pas." in bad.content.decode()

    response = client.post(
        form_url, {"new_password1": "nouveau-secret-42", "new_password2": "nouveau-secret-42"}
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("password_reset_complete")
    user.refresh_from_db()
    assert user.check_password("nouveau-secret-42")
    assert not user.check_password(PASSWORD)

    used = client.get(link, follow=True)  # a used link is no longer valid
    assert "Ce lien n'est plus valable" in used.content.decode()


def test_password_reset_for_an_unknown_address_sends_nothing_and_reveals_nothing(client, user):
    response = client.post(reverse("password_reset"), {"email": "inconnu@example.sn"})
    assert response.status_code == 302
    assert response["Location"] == reverse("password_reset_done")
    assert mail.outbox == []


def test_password_reset_rejects_a_malformed_address_in_french(client, user):
    response = client.post(reverse("password_reset"), {"email": "pas-une-adresse"})
    assert response.status_code == 200
    assert "Saisissez une adresse de courriel valide." in response.content.decode()
    assert mail.outbox == []
