"""Issue 14, point 6: API tokens. A password change or a deactivation revokes a user's
tokens; a user lists and revokes their own (page and API); tokens have a name and a
last-used date written at most once a minute; at most API_TOKEN_MAX_PER_USER live tokens
per user (the oldest revoked)."""

from datetime import timedelta

import pytest
from django.contrib.auth.tokens import default_token_generator
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from accounts.auth import user_for_token
from accounts.models import ApiToken, TokenRevocation
from accounts.services import api_token_issue, user_deactivate, user_password_set
from accounts.tests.factories import UserFactory

PASSWORD = "sunucoop-test-pw"
NEW_PASSWORD = "un-nouveau-mot-de-passe-2026"


def bearer(raw):
    return Client(headers={"Authorization": f"Bearer {raw}"})


def works(raw) -> bool:
    return bearer(raw).get("/api/v1/areas?level=region").status_code == 200


# ---------------------------------------------------------------- password and deactivation


@pytest.mark.django_db
def test_password_change_through_the_service_revokes_every_token():
    user = UserFactory(username="awa")
    raws = [api_token_issue(user=user, actor=user) for _ in range(2)]
    other = UserFactory(username="binta")
    other_raw = api_token_issue(user=other, actor=other)
    assert all(works(r) for r in raws)
    user_password_set(user=user, password=NEW_PASSWORD, actor=user)
    assert not any(works(r) for r in raws)
    assert works(other_raw)  # nobody else's
    assert set(ApiToken.objects.filter(user=user).values_list("revoked_reason", flat=True)) == {
        TokenRevocation.PASSWORD
    }
    assert works(api_token_issue(user=user, actor=user))  # a new one, after the change


@pytest.mark.django_db
def test_password_reset_page_revokes_the_tokens():
    user = UserFactory(username="awa")
    raw = api_token_issue(user=user, actor=user)
    client = Client()
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    url = reverse("password_reset_confirm", args=[uid, default_token_generator.make_token(user)])
    form_url = client.get(url, follow=True).redirect_chain[-1][0]
    response = client.post(form_url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD)
    assert not works(raw)
    assert ApiToken.objects.get(user=user).revoked_reason == TokenRevocation.PASSWORD


@pytest.mark.django_db
def test_admin_password_change_and_deactivation_revoke_the_tokens():
    admin = UserFactory(username="root", is_staff=True, is_superuser=True)
    user = UserFactory(username="awa")
    client = Client()
    client.force_login(admin)
    raw = api_token_issue(user=user, actor=user)
    url = reverse("admin:auth_user_password_change", args=[user.pk])
    response = client.post(url, {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD})
    assert response.status_code == 302, response.content.decode()[:500]
    assert not works(raw)

    raw = api_token_issue(user=user, actor=user)
    assert works(raw)
    change = reverse("admin:accounts_user_change", args=[user.pk])
    form = client.get(change).context["adminform"].form
    data = {k: v for k, v in form.initial.items() if v is not None and k != "is_active"}
    data.update(
        {
            "username": "awa",
            "date_joined_0": "01/01/2026",
            "date_joined_1": "10:00:00",
            "roles-TOTAL_FORMS": "0",
            "roles-INITIAL_FORMS": "0",
        }
    )
    data.pop("groups", None), data.pop("user_permissions", None), data.pop("last_login", None)
    data.pop("date_joined", None)
    response = client.post(change, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    user.refresh_from_db()
    assert not user.is_active
    token = ApiToken.objects.get(user=user, revoked_reason=TokenRevocation.DEACTIVATED)
    assert token.revoked_at is not None
    user.is_active = True  # even reactivated, the old token stays revoked
    user.save()
    assert not works(raw)


@pytest.mark.django_db
def test_deactivation_service_revokes_and_a_reactivated_account_needs_new_tokens():
    user = UserFactory(username="awa")
    raw = api_token_issue(user=user, actor=user)
    user_deactivate(user=user, actor=user)
    assert not works(raw)
    user.is_active = True
    user.save()
    assert not works(raw)
    assert ApiToken.objects.get(user=user).revoked_reason == TokenRevocation.DEACTIVATED


@pytest.mark.django_db
def test_a_password_changed_outside_the_forms_still_disables_the_tokens(monkeypatch):
    """``manage.py changepassword`` calls set_password directly: the stamp catches it."""
    user = UserFactory(username="awa")
    raw = api_token_issue(user=user, actor=user)
    answers = iter([NEW_PASSWORD, NEW_PASSWORD])
    monkeypatch.setattr("getpass.getpass", lambda *a, **k: next(answers))
    call_command("changepassword", "awa", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert ApiToken.objects.get(user=user).revoked_at is None  # not marked...
    assert user_for_token(raw) is None  # ...but refused
    assert not works(raw)


# ---------------------------------------------------------------- names, last use, limit


@pytest.mark.django_db
def test_token_has_a_name_from_the_api_and_names_are_checked():
    UserFactory(username="awa")
    client = Client()
    body = {"username": "awa", "password": PASSWORD, "name": "Tablette de terrain"}
    response = client.post("/api/v1/auth/token", body, content_type="application/json")
    assert response.status_code == 200
    assert ApiToken.objects.get().name == "Tablette de terrain"
    for name, code in [("x" * 101, "too_long"), ("a\x00b", "invalid_character")]:
        response = client.post(
            "/api/v1/auth/token", {**body, "name": name}, content_type="application/json"
        )
        assert response.status_code == 400, name
        assert response.json()["code"] == code and response.json()["field"] == "name"
    assert ApiToken.objects.count() == 1


@pytest.mark.django_db
def test_last_used_is_written_at_most_once_a_minute(django_assert_num_queries):
    user = UserFactory(username="awa")
    raw = api_token_issue(user=user, actor=user)
    token = ApiToken.objects.get()
    assert token.last_used_at is None
    user_for_token(raw)
    token.refresh_from_db()
    first = token.last_used_at
    assert first is not None
    with django_assert_num_queries(1):  # the read only, no UPDATE
        assert user_for_token(raw) == user
    token.refresh_from_db()
    assert token.last_used_at == first
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=first - timedelta(seconds=61))
    with django_assert_num_queries(2):  # the read and one UPDATE
        user_for_token(raw)
    token.refresh_from_db()
    assert token.last_used_at > first - timedelta(seconds=1)


@pytest.mark.django_db
def test_at_most_n_live_tokens_per_user_the_oldest_revoked(settings):
    settings.API_TOKEN_MAX_PER_USER = 3
    user = UserFactory(username="awa")
    other = UserFactory(username="binta")
    other_raw = api_token_issue(user=other, actor=other)
    raws = [api_token_issue(user=user, name=f"t{i}", actor=user) for i in range(3)]
    assert all(works(r) for r in raws)
    fourth = api_token_issue(user=user, name="t3", actor=user)
    assert not works(raws[0])
    assert all(works(r) for r in [*raws[1:], fourth, other_raw])
    live = ApiToken.objects.filter(user=user, revoked_at__isnull=True)
    assert sorted(live.values_list("name", flat=True)) == ["t1", "t2", "t3"]
    assert ApiToken.objects.get(name="t0").revoked_reason == TokenRevocation.LIMIT


@pytest.mark.django_db
def test_expired_tokens_do_not_count_against_the_limit(settings):
    settings.API_TOKEN_MAX_PER_USER = 2
    user = UserFactory(username="awa")
    old = api_token_issue(user=user, name="old", actor=user)
    ApiToken.objects.filter(name="old").update(expires_at=timezone.now() - timedelta(days=1))
    keep = api_token_issue(user=user, name="keep", actor=user)
    newest = api_token_issue(user=user, name="newest", actor=user)
    assert works(keep) and works(newest) and not works(old)
    assert ApiToken.objects.get(name="old").revoked_at is None  # expired, not revoked


# ---------------------------------------------------------------- list and revoke: API


@pytest.mark.django_db
def test_api_lists_only_the_callers_tokens_without_their_values():
    user = UserFactory(username="awa")
    other = UserFactory(username="binta")
    raw = api_token_issue(user=user, name="mine", actor=user)
    api_token_issue(user=other, name="not-mine", actor=other)
    response = bearer(raw).get("/api/v1/auth/tokens")
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 1
    [item] = body["items"]
    assert item["name"] == "mine" and item["live"] is True and item["revoked_at"] is None
    assert item["last_used_at"] is not None
    assert raw not in response.content.decode()
    assert "key_hash" not in item and "password_stamp" not in item
    assert bearer(raw).get("/api/v1/auth/tokens?limit=0").status_code == 400


@pytest.mark.django_db
def test_api_revokes_own_tokens_and_404s_on_others():
    user = UserFactory(username="awa")
    other = UserFactory(username="binta")
    raw = api_token_issue(user=user, name="main", actor=user)
    spare = api_token_issue(user=user, name="spare", actor=user)
    other_raw = api_token_issue(user=other, actor=other)
    spare_id = ApiToken.objects.get(name="spare").pk
    other_id = ApiToken.objects.get(user=other).pk
    response = bearer(raw).delete(f"/api/v1/auth/tokens/{other_id}")
    assert response.status_code == 404 and response.json()["code"] == "not_found"
    assert works(other_raw)
    for missing in [10**12, 2**63 + 5]:
        assert bearer(raw).delete(f"/api/v1/auth/tokens/{missing}").status_code == 404
    response = bearer(raw).delete(f"/api/v1/auth/tokens/{spare_id}")
    assert response.status_code == 200
    assert response.json()["live"] is False
    assert response.json()["revoked_reason"] == TokenRevocation.USER
    assert not works(spare) and works(raw)
    assert Client().get("/api/v1/auth/tokens").status_code == 401


# ---------------------------------------------------------------- list and revoke: pages


@pytest.mark.django_db
def test_token_page_creates_shows_once_lists_and_revokes_with_confirmation(
    django_assert_max_num_queries,
):
    user = UserFactory(username="awa")
    other = UserFactory(username="binta")
    api_token_issue(user=other, name="Jeton de Binta", actor=other)
    client = Client()
    client.force_login(user)
    url = reverse("token_list")
    empty = client.get(url)
    assert empty.status_code == 200 and 'data-testid="empty"' in empty.content.decode()
    response = client.post(url, {"name": "Tablette"})
    html = response.content.decode()
    raw = response.context["new_token"]
    assert raw in html and "il ne sera plus jamais affiché" in html
    assert works(raw)
    for i in range(25):
        api_token_issue(user=user, name=f"n{i}", actor=user)
    with django_assert_max_num_queries(8):
        page = client.get(url)
    html = page.content.decode()
    assert raw not in html and "Jeton de Binta" not in html
    assert html.count('data-testid="token"') == 20 and "Page 1 sur 2" in html
    token = ApiToken.objects.get(name="n24")
    revoke = reverse("token_revoke", args=[token.pk])
    confirm = client.get(revoke)
    assert confirm.status_code == 200 and "définitive" in confirm.content.decode()
    assert ApiToken.objects.get(pk=token.pk).revoked_at is None  # GET only asks
    assert client.post(revoke).status_code == 302
    assert ApiToken.objects.get(pk=token.pk).revoked_reason == TokenRevocation.USER
    binta_token = ApiToken.objects.get(user=other)
    assert client.get(reverse("token_revoke", args=[binta_token.pk])).status_code == 404
    assert client.post(reverse("token_revoke", args=[binta_token.pk])).status_code == 404
    assert ApiToken.objects.get(pk=binta_token.pk).revoked_at is None


@pytest.mark.django_db
def test_token_page_refuses_a_too_long_name_in_french():
    user = UserFactory(username="awa")
    client = Client()
    client.force_login(user)
    response = client.post(reverse("token_list"), {"name": "x" * 101})
    assert response.status_code == 200
    assert response.context["form"].errors["name"]
    assert ApiToken.objects.count() == 0
    assert Client().get(reverse("token_list")).status_code == 302  # signed in only
