"""The authorization matrix: what each role gets from every page and API operation.

Each app declares its entries in ``<app>/tests/authz_matrix.py``:

- ``build(world, objs)`` (optional) creates the app's objects, one on each side:
  ``objs["loan"] = Pair(a=loan_in_koumpentoum, b=loan_in_mbour)``. Side A is the
  Koumpentoum cooperative (Tambacounda region; the officer's cooperative, the lender's
  loans, the member's cooperative); side B is the Mbour cooperative (Thiès region, Mbour
  department; another lender). ``build`` functions run bottom layer first, so an app may
  use what the apps below it built (``objs["cooperative"]``, ``objs["person"]``...).
- ``ENTRIES``: a list of :func:`page` and :func:`api` entries. An argument written
  ``"@loan"`` is the id of ``objs["loan"]`` on the side being tried (``"@loan.year"`` an
  attribute); the same ``@`` names work inside ``body``/``data``/``query``.

``web/tests/test_authz_matrix.py`` builds the world once, tries every entry as every
role (signed in with a session for pages, with a Bearer token for the API), each request
rolled back afterwards, and fails when a URL pattern or an OpenAPI operation has no entry.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

# The roles tried, with the world's user who plays each (accounts/tests/world.py).
ROLES = (
    "national",
    "region",
    "department",
    "officer",
    "lender",
    "member",
    "nobody",
    "anonymous",
)
SIGNED_IN = ROLES[:-1]
USERS = {
    "national": "national",
    "region": "agent_tc",  # agent of the Tambacounda region (side A)
    "department": "agent_mbour",  # agent of the Mbour department (side B)
    "officer": "officer",  # officer of the Koumpentoum cooperative (side A)
    "lender": "lender",  # staff of the lender of side A's loans
    "member": "member",  # a member of the Koumpentoum cooperative (side A)
    "nobody": "nobody",  # signed in, no role
}
# (side in scope, side out of scope) for each role; None: not tried.
SIDES = {
    "national": ("a", None),
    "region": ("a", "b"),
    "department": ("b", "a"),
    "officer": ("a", "b"),
    "lender": ("a", "b"),
    "member": ("a", "b"),
    "nobody": ("a", None),
    "anonymous": ("a", None),
}
# Text that marks each side's objects (names of its cooperative and of its persons). A role
# must never receive the markers of a side it does not see (checked on every answer).
MARKERS = {
    "a": ("tisserands de Koumpentoum", "Tokalpha"),
    "b": ("transformatrices de Mbour", "Tokbeta"),
    "c": ("Tokgamma",),  # the Thiès cooperative: seen by the national role only
}
HIDDEN = {
    "national": (),
    "region": ("b", "c"),
    "department": ("a", "c"),
    "officer": ("b", "c"),
    "lender": ("b", "c"),
    "member": ("b", "c"),
    "nobody": ("a", "b", "c"),
    "anonymous": ("a", "b", "c"),
}


@dataclass(frozen=True)
class Pair:
    """One object on each side."""

    a: Any
    b: Any


@dataclass(frozen=True)
class Entry:
    kind: str  # "page" or "api"
    key: str  # a URL name ("credit:loan_detail") or an operation ("GET /api/v1/loans")
    method: str
    args: dict
    expect: dict  # role -> status with the object of its own side
    out: dict  # role -> status with the object of the other side
    body: Any = None  # API: JSON body; pages: form data
    query: dict = field(default_factory=dict)
    files: dict = field(default_factory=dict)  # API multipart: name -> (filename, bytes)
    leak_check: bool = True
    public: bool = False  # pages: anonymous visitors are not sent to the login page
    gap: str = ""  # a known hole (the issue that fixes it): the entry is a strict xfail
    note: str = ""

    @property
    def id(self) -> str:
        return f"{self.key}" if self.kind == "api" else f"{self.method} {self.key}"


def _mentions_object(value) -> bool:
    if isinstance(value, str):
        return value.startswith("@")
    if isinstance(value, dict):
        return any(_mentions_object(v) for v in value.values())
    if isinstance(value, list | tuple):
        return any(_mentions_object(v) for v in value)
    return False


def E(default: int | None = None, **statuses: int) -> dict:
    """Statuses by role: ``E(200, member=404, nobody=403)``; ``default`` for the roles not
    named (signed-in roles only; the anonymous visitor has its own default)."""
    unknown = set(statuses) - set(ROLES)
    if unknown:
        raise ValueError(f"unknown roles {sorted(unknown)}; roles are {ROLES}")
    result = {r: default for r in SIGNED_IN if default is not None}
    result.update(statuses)
    return result


def _entry(kind, key, method, expect, out, anonymous, args, **rest) -> Entry:
    expect = {"anonymous": anonymous, **expect}
    missing = [r for r in ROLES if expect.get(r) is None]
    if missing:
        raise ValueError(f"{key}: no expected status for {missing}")
    has_object = _mentions_object((args, rest.get("body"), rest.get("query")))
    full_out = {}
    if has_object:
        full_out = {r: 404 for r, (_, o) in SIDES.items() if o is not None}
        full_out.update(out or {})
    return Entry(kind=kind, key=key, method=method, args=args, expect=expect, out=full_out, **rest)


def page(
    name: str,
    *,
    expect: dict,
    method: str = "GET",
    out: dict | None = None,
    anonymous: int = 302,
    data: Any = None,
    query: dict | None = None,
    leak_check: bool = True,
    public: bool = False,
    gap: str = "",
    note: str = "",
    **args,
) -> Entry:
    """A page (a named URL pattern). Anonymous visitors are sent to the login page (302)
    unless ``anonymous`` says otherwise; ``public`` pages may redirect them elsewhere."""
    return _entry(
        "page",
        name,
        method,
        expect,
        out,
        anonymous,
        args,
        body=data,
        query=query or {},
        leak_check=leak_check,
        public=public,
        gap=gap,
        note=note,
    )


def api(
    key: str,
    *,
    expect: dict,
    out: dict | None = None,
    anonymous: int = 401,
    body: Any = None,
    query: dict | None = None,
    files: dict | None = None,
    leak_check: bool = True,
    gap: str = "",
    note: str = "",
    **args,
) -> Entry:
    """An API operation, ``"METHOD /api/v1/path/{param}"`` as in the OpenAPI document."""
    method, _, _path = key.partition(" ")
    return _entry(
        "api",
        key,
        method,
        expect,
        out,
        anonymous,
        args,
        body=body,
        query=query or {},
        files=files or {},
        leak_check=leak_check,
        gap=gap,
        note=note,
    )
