"""The generated authorization matrix (issue 14, point 12).

Every URL pattern (Django's resolver) and every OpenAPI operation has entries in some
app's ``tests/authz_matrix.py`` (see ``accounts/tests/authz.py`` and CONTRIBUTING.md);
each entry is tried as every role of the world with an object of its scope and one
outside it. The world is built once for the module; each request is rolled back.
"""

from __future__ import annotations

import copy
import json
import re

import pytest
from django.apps import apps
from django.db import transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from accounts.tests.authz import HIDDEN, MARKERS, ROLES, SIDES, Entry, Pair
from web.tests.matrix_world import build_matrix_world, matrix_modules

LOGIN_PATH = "/comptes/connexion/"


MODULES = matrix_modules()
ENTRIES: list[Entry] = [e for m in MODULES for e in m.ENTRIES]


# --- the world -----------------------------------------------------------------------


@pytest.fixture(scope="module")
def matrix_world(django_db_setup, django_db_blocker):
    """The world and every app's objects, built once and rolled back at the end."""
    with django_db_blocker.unblock(), transaction.atomic():
        yield build_matrix_world(MODULES)
        transaction.set_rollback(True)


def resolve(value, objs: dict, side: str):
    """``"@name"`` -> the id of ``objs[name]`` on ``side``; ``"@name.attr"`` -> an attribute."""
    if isinstance(value, dict):
        return {k: resolve(v, objs, side) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [resolve(v, objs, side) for v in value]
    if not (isinstance(value, str) and value.startswith("@")):
        return value
    name, _, attr = value[1:].partition(".")
    obj = objs[name]
    if isinstance(obj, Pair):
        obj = getattr(obj, side)
    result = getattr(obj, attr or "pk")
    return result.pk if hasattr(result, "pk") else result


def request(entry: Entry, world: dict, role: str, side: str):
    objs = world["objs"]
    args = resolve(entry.args, objs, side)
    query = resolve(entry.query, objs, side)
    body = resolve(entry.body, objs, side)
    if entry.kind == "page":
        client, url = world["pages"][role], reverse(entry.key, kwargs=args)
    else:
        client = world["apis"][role]
        url = entry.key.partition(" ")[2].format(**args)
    kwargs = {}
    if entry.kind == "api" and entry.files:
        from django.core.files.uploadedfile import SimpleUploadedFile

        kwargs["data"] = {
            k: SimpleUploadedFile(name, content) for k, (name, content) in entry.files.items()
        }
        kwargs["data"].update(body or {})
    elif entry.kind == "api" and body is not None:
        kwargs = {"data": json.dumps(body), "content_type": "application/json"}
    elif body is not None:
        kwargs["data"] = body
    if query:
        from urllib.parse import urlencode

        url += "?" + urlencode(query, doseq=True)
    cookies = copy.deepcopy(client.cookies)  # a sign-out must not sign the role out for good
    with transaction.atomic():
        response = getattr(client, entry.method.lower())(url, **kwargs)
        transaction.set_rollback(True)
    client.cookies = cookies
    return response


def leaks(role: str, response) -> list[str]:
    ctype = response.get("Content-Type", "")
    if not any(t in ctype for t in ("html", "json", "text/plain", "csv")):
        return []
    content = b"".join(response.streaming_content) if response.streaming else response.content
    text = content.decode("utf-8", "replace")
    return [m for side in HIDDEN[role] for m in MARKERS[side] if m in text]


def suggestion(observed: dict) -> str:
    """The observed statuses written as an ``E(...)``, to review and paste."""
    signed = {r: s for r, s in observed.items() if r != "anonymous"}
    if not signed:
        return "E()"
    common = max(set(signed.values()), key=list(signed.values()).count)
    rest = ", ".join(f"{r}={s}" for r, s in signed.items() if s != common)
    return f"E({common}{', ' + rest if rest else ''})"


def names(value) -> set[str]:
    """The object names (``@name``) that ``value`` mentions."""
    if isinstance(value, str) and value.startswith("@"):
        return {value[1:].partition(".")[0]}
    if isinstance(value, dict):
        value = list(value.values())
    if isinstance(value, list | tuple):
        return set().union(*(names(v) for v in value))
    return set()


def check(entry: Entry, world: dict) -> list[str]:
    problems = []
    seen_in, seen_out = {}, {}
    mentioned = names([entry.args, entry.body, entry.query])
    sided = any(isinstance(world["objs"][n], Pair) for n in mentioned)
    for role in ROLES:
        inside, outside = SIDES[role]
        tries = [(inside, entry.expect[role], "in scope")]
        if sided and outside is not None:
            tries.append((outside, entry.out[role], "out of scope"))
        for side, expected, label in tries:
            response = request(entry, world, role, side)
            (seen_in if label == "in scope" else seen_out)[role] = response.status_code
            if response.status_code != expected:
                problems.append(
                    f"{role} ({label}): expected {expected}, got {response.status_code}"
                )
                continue
            to_login = response.get("Location", "").startswith(LOGIN_PATH)
            if role == "anonymous" and expected == 302 and not entry.public and not to_login:
                problems.append(f"anonymous: redirected to {response['Location']}")
            if entry.leak_check:  # every answer: pages, JSON, error pages, forms
                found = leaks(role, response)
                if found:
                    problems.append(f"{role} ({label}): LEAK of {found}")
    if problems:
        problems.append(
            f"observed: expect={suggestion(seen_in)}, anonymous={seen_in['anonymous']}"
            + (f", out={seen_out}" if seen_out else "")
        )
    return problems


def _param(entry: Entry):
    marks = [pytest.mark.xfail(strict=True, reason=entry.gap)] if entry.gap else []
    return pytest.param(entry, id=entry.id, marks=marks)


@pytest.mark.django_db
@pytest.mark.parametrize("entry", [_param(e) for e in ENTRIES])
def test_entry(entry, matrix_world):
    problems = check(entry, matrix_world)
    assert not problems, f"{entry.id}:\n  " + "\n  ".join(problems)


# --- every endpoint has an entry -----------------------------------------------------


def url_patterns(patterns=None, prefix="", namespace=""):
    """(key, route) of every URL pattern: its ``namespace:name`` (or its route)."""
    for p in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(p, URLResolver):
            ns = ":".join(filter(None, [namespace, p.namespace]))
            yield from url_patterns(p.url_patterns, prefix + str(p.pattern), ns)
        elif isinstance(p, URLPattern):
            name = f"{namespace}:{p.name}" if namespace and p.name else p.name
            yield name or prefix + str(p.pattern), prefix + str(p.pattern)


def openapi_operations() -> set[str]:
    from config.api import api

    schema = api.get_openapi_schema()
    return {f"{m.upper()} {path}" for path, ops in schema["paths"].items() for m in ops}


def _as_openapi(route: str) -> str:
    return "/" + re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", route)


def test_every_url_pattern_has_an_entry():
    """A page without an entry fails here. The admin site is checked as a whole
    (test_admin_is_staff_only); the API's patterns by their OpenAPI operations."""
    declared = {e.key for e in ENTRIES if e.kind == "page"}
    api_paths = {op.partition(" ")[2] for op in openapi_operations()}
    missing = sorted(
        f"{key}  ({route})"
        for key, route in url_patterns()
        if not route.startswith("admin/")
        and key not in declared
        and _as_openapi(route) not in api_paths
    )
    assert not missing, (
        "URL patterns without an authorization-matrix entry (add them to "
        "<app>/tests/authz_matrix.py, see CONTRIBUTING.md):\n  " + "\n  ".join(missing)
    )


def test_every_api_operation_has_an_entry():
    declared = {e.key for e in ENTRIES if e.kind == "api"}
    missing = sorted(openapi_operations() - declared)
    assert not missing, (
        "API operations without an authorization-matrix entry (add them to "
        "<app>/tests/authz_matrix.py, see CONTRIBUTING.md):\n  " + "\n  ".join(missing)
    )


def test_every_entry_names_a_real_endpoint():
    names = {key for key, _ in url_patterns()}
    operations = openapi_operations()
    stale = sorted(
        e.id for e in ENTRIES if e.key not in (names if e.kind == "page" else operations)
    )
    assert not stale, "entries for endpoints that do not exist:\n  " + "\n  ".join(stale)


# --- the admin site ------------------------------------------------------------------


@pytest.mark.django_db
def test_admin_is_staff_only(matrix_world):
    """Every admin list and add page: roles without staff status are sent to the admin
    login (302), even the national role; a staff superuser gets them."""
    from django.contrib import admin

    from accounts.tests.factories import UserFactory

    staff = Client(raise_request_exception=False)
    staff.force_login(UserFactory(username="matrix-staff", is_staff=True, is_superuser=True))
    urls = [reverse("admin:index")]
    for model in apps.get_models():
        if admin.site.is_registered(model):
            opts = model._meta
            urls.append(reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist"))
    problems = []
    for url in urls:
        for role in ROLES:
            response = matrix_world["pages"][role].get(url)
            if response.status_code != 302 or "/admin/login/" not in response["Location"]:
                problems.append(f"{url} as {role}: {response.status_code}")
        if staff.get(url).status_code != 200:
            problems.append(f"{url} as staff: not 200")
    assert not problems, "\n".join(problems)
