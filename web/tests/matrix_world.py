"""The authorization matrix's world, shared by the matrix and the link crawl tests."""

from __future__ import annotations

import importlib
import importlib.util
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.test import Client

from accounts.tests.authz import USERS

BASE_DIR = Path(settings.BASE_DIR).resolve()


def matrix_modules():
    """Each project app's ``tests/authz_matrix`` module, bottom layer first."""
    modules = []
    for config in apps.get_app_configs():
        if Path(config.path).resolve().parent != BASE_DIR:  # the project's own apps only
            continue
        name = f"{config.name}.tests.authz_matrix"
        if importlib.util.find_spec(f"{config.name}.tests") is None:
            continue
        if importlib.util.find_spec(name) is not None:
            modules.append(importlib.import_module(name))
    return modules


def build_matrix_world(modules) -> dict:
    """The world (accounts/tests/world.py), every app's ``build(world, objs)``, and for each
    role a signed-in client (pages) and a Bearer-token client (API). Call it inside a
    transaction that the caller rolls back."""
    from accounts.services import api_token_issue
    from accounts.tests.world import build_world

    world = build_world()
    objs: dict = {}
    for module in modules:
        build = getattr(module, "build", None)
        if build is not None:
            build(world, objs)
    users = {role: getattr(world, attr) for role, attr in USERS.items()}
    pages = {"anonymous": Client(raise_request_exception=False)}
    apis = {"anonymous": Client(raise_request_exception=False)}
    for role, user in users.items():
        pages[role] = Client(raise_request_exception=False)
        pages[role].force_login(user)
        token = api_token_issue(user=user, actor=user)
        apis[role] = Client(
            raise_request_exception=False, headers={"Authorization": f"Bearer {token}"}
        )
    return {"world": world, "objs": objs, "pages": pages, "apis": apis, "users": users}
