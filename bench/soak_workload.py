"""The mixed workload of ``make soak`` (bench/soak.py): each role's usual pages and writes,
sent over HTTP to the app, and what the client must remember to check afterwards.

Every operation answers ``(status, ok)``: ``status`` 0 when no HTTP answer came (the
connection was cut), ``ok`` when the answer is the one a user expects. A write whose answer
was lost is sent once more with the same key (an ``Idempotency-Key``, a sale's
``client_uuid``, a sync record's UUID), as the field app does.
"""

from __future__ import annotations

import datetime
import itertools
import json
import queue
import threading
import urllib.parse
import uuid
from http.client import HTTPException

from bench.load import Session

# name -> weight (a share of the requests). The rates behind them: docs/benchmarks.md, "Soak".
MIX = {
    "home_agent": 9,
    "cooperatives": 7,
    "person_search": 5,
    "arrears": 4,
    "home_officer": 7,
    "portfolio_lender": 4,
    "dashboard": 2,
    "register_person": 6,
    "attendance": 6,
    "repayment": 8,
    "wave_payment": 3,
    "sale": 8,
    "sync_pull": 5,
    "sync_push": 4,
}
JSON = {"Content-Type": "application/json"}
LOST = (OSError, HTTPException)


class Pool:
    """Sessions of one user, lent to one thread at a time (a session is one connection)."""

    def __init__(self, make, size: int):
        self._free: queue.Queue = queue.Queue()
        for _ in range(size):
            self._free.put(make())

    def run(self, func):
        s = self._free.get()
        try:
            return func(s)
        finally:
            self._free.put(s)


class Workload:
    """What each operation sends, for the users and objects of ``targets`` (soak_targets)."""

    def __init__(self, host: str, port: int, targets: dict, *, pool_size: int = 6):
        self.host, self.port, self.t = host, port, targets
        self.counter = itertools.count(1)
        self.lock = threading.Lock()
        self.record: dict[str, list] = {"repayments": [], "sales": [], "payments": [], "synced": []}
        users = targets["users"]
        self.pages = {r: Pool(lambda r=r: self._browser(users[r]), pool_size) for r in users}
        self.api = {r: Pool(lambda r=r: self._api(users[r]), pool_size) for r in users}
        self.cursor = ""  # the agent's device: the cursor of its last pull answered

    # ------------------------------------------------------------------ sessions
    def _browser(self, username: str) -> Session:
        s = Session(self.host, self.port)
        if s.login(username, self.t["password"]) != 302:
            raise SystemExit(f"soak: login failed for {username}")
        return s

    def _api(self, username: str) -> Session:
        s = Session(self.host, self.port)
        s.api_login(username, self.t["password"])
        return s

    def _remember(self, kind: str, value) -> None:
        with self.lock:
            self.record[kind].append(value)

    # ------------------------------------------------------------------ dispatch
    def run(self, name: str) -> tuple[int, bool]:
        if name in self.t["pages"]:
            role, path = self.t["pages"][name]
            return self._safe(self.pages[role], lambda s: _get(s, path, 200))
        return getattr(self, f"op_{name}")()

    @staticmethod
    def _safe(pool: Pool, func) -> tuple[int, bool]:
        try:
            return pool.run(func)
        except LOST:
            return 0, False

    def _write(self, pool: Pool, send, ok: set[int]) -> tuple[int, bool]:
        """``send(session)`` once, and once more if no answer came (same key)."""
        for attempt in range(2):
            try:
                status = pool.run(send)
            except LOST:
                if attempt:
                    return 0, False
                continue
            return status, status in ok
        return 0, False

    # ------------------------------------------------------------------ writes
    def op_register_person(self) -> tuple[int, bool]:
        n = next(self.counter)
        body = {
            "first_name": "Endurance",
            "last_name": f"Personne {n:07d}",
            "sex": "F" if n % 2 else "M",
            "commune": self.t["field"]["commune"],
        }
        return self._write(self.api["agent"], _post(body, "/api/v1/persons"), {201})

    def op_attendance(self) -> tuple[int, bool]:
        n = next(self.counter)
        row = self.t["attendance"][n % len(self.t["attendance"])]
        path = f"/api/v1/training/sessions/{row['session']}/attendance"
        body = {"person": row["person"], "day": row["day"], "present": bool(n % 3)}
        return self._write(self.api["agent"], _post(body, path), {201})

    def op_repayment(self) -> tuple[int, bool]:
        n = next(self.counter)
        loans = self.t["lender_loans"]
        key = f"soak-{uuid.uuid4().hex}"
        body = {"amount": 100, "paid_on": self.t["today"], "channel": "cash"}
        body["reference"] = f"SOAK-{n:08d}"
        path = f"/api/v1/loans/{loans[n % len(loans)]}/repayments"
        status, ok = self._write(
            self.api["lender"], _post(body, path, {"Idempotency-Key": key}), {201}
        )
        self._remember(
            "repayments", {"user": self.t["users"]["lender"], "key": key, "status": status}
        )
        return status, ok

    def op_sale(self) -> tuple[int, bool]:
        n = next(self.counter)
        shop = self.t["shop"]
        body = {
            "client_uuid": str(uuid.uuid4()),
            "site": shop["site"],
            "till": shop["till"],
            "sold_at": _now_iso(),
            "lines": [
                {"lot": shop["lots"][n % len(shop["lots"])], "quantity": 1, "unit_price": 500}
            ],
            "payments": [{"channel": "cash", "amount": 500}],
        }
        send = _post(body, "/api/v1/shop/sales")
        status, ok = self._write(self.api["cashier"], send, {200, 201})
        if ok and n % 10 == 0:  # a till that did not hear the answer sends the sale again
            status, ok = self._write(self.api["cashier"], send, {200})
        if ok:
            self._remember("sales", body["client_uuid"])
        return status, ok

    def op_wave_payment(self) -> tuple[int, bool]:
        """The officer pays 100 F of a loan by Wave: the app opens the sandbox's checkout,
        the payer approves it there, the sandbox sends the signed webhook to the app."""
        n = next(self.counter)
        loans = self.t["officer_loans"]
        body = {"purpose": "loan_repayment", "target": loans[n % len(loans)], "amount": 100}
        body |= {"phone": "+221770000001", "provider": "wave"}
        try:
            status, data = self.api["officer"].run(
                lambda s: s.request("POST", "/api/v1/payments", json.dumps(body).encode(), JSON)
            )
        except LOST:
            return 0, False
        if status != 201:
            return status, False
        started = json.loads(data)
        approved = _approve(started["checkout_url"])
        if approved == 303:
            self._remember("payments", started["id"])
        return approved, approved == 303

    def op_sync_pull(self) -> tuple[int, bool]:
        """The agent's device pulls what changed since its last pull answered, as the field
        app does. (Each of the pool's six sessions kept its own cursor until 07/12/2026:
        the server keeps a user's last 10 cursors, so one pull in seven found its cursor
        gone and made a whole pull, whose cost grows with the area the soak fills.)"""

        def pull(s: Session) -> int:
            with self.lock:
                since = self.cursor
            path = "/api/v1/sync/pull" + (f"?since={urllib.parse.quote(since)}" if since else "")
            status, data = s.request("GET", path)
            if status == 400 and since:  # an expired cursor: a full pull, as field.js does
                status, data = s.request("GET", "/api/v1/sync/pull")
            if status == 200:
                with self.lock:
                    self.cursor = json.loads(data)["cursor"]
            return status

        return self._write(self.api["agent"], pull, {200})

    def op_sync_push(self) -> tuple[int, bool]:
        n = next(self.counter)
        field = self.t["field"]
        yesterday = (
            datetime.date.fromisoformat(self.t["today"]) - datetime.timedelta(1)
        ).isoformat()
        person = {"first_name": "Terrain", "last_name": f"Hors ligne {n:07d}", "sex": "F"}
        visit = {
            "cooperative": field["cooperatives"][n % len(field["cooperatives"])],
            "visited_on": yesterday,
            "purpose": "Suivi (endurance)",
            "findings": f"Visite {n}",
        }
        records = [
            {
                "uuid": str(uuid.uuid4()),
                "kind": "person",
                "data": person | {"commune": field["commune"]},
            },
            {"uuid": str(uuid.uuid4()), "kind": "visit", "data": visit},
        ]
        payload = {"device": f"soak-{n % 50:02d}", "records": records}
        answers: list = []

        def push(s: Session) -> int:
            status, data = s.request(
                "POST", "/api/v1/sync/push", json.dumps(payload).encode(), JSON
            )
            if status == 200:
                answers[:] = json.loads(data)["results"]
            return status

        status, ok = self._write(self.api["agent"], push, {200})
        applied = [a["uuid"] for a in answers if a["status"] == "applied"]
        for u in applied:
            self._remember("synced", u)
        return status, ok and len(applied) == len(records)


def _get(s: Session, path: str, expected: int) -> tuple[int, bool]:
    status, _ = s.request("GET", path)
    return status, status == expected


def _post(body: dict, path: str, headers: dict | None = None):
    data = json.dumps(body).encode()

    def send(s: Session) -> int:
        return s.request("POST", path, data, {**JSON, **(headers or {})})[0]

    return send


def _approve(checkout_url: str) -> int:
    """The payer's "approve" on the sandbox's checkout page (its form's POST)."""
    parts = urllib.parse.urlsplit(checkout_url)
    s = Session(parts.hostname, parts.port)
    try:
        form = urllib.parse.urlencode({"mobile": "+221770000001"}).encode()
        headers = {"Content-Type": "application/x-www-form-urlencoded"}
        return s.request("POST", parts.path.rstrip("/") + "/approve", form, headers)[0]
    except LOST:
        return 0
    finally:
        s.conn.close()


def _now_iso() -> str:
    return datetime.datetime.now(datetime.UTC).isoformat()
