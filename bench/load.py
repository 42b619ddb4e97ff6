"""A small closed-loop HTTP load generator: N clients, keep-alive, latencies per request."""

from __future__ import annotations

import http.client
import json
import statistics
import threading
import time
import urllib.parse
from dataclasses import dataclass, field
from http.cookies import SimpleCookie


@dataclass
class Result:
    name: str
    count: int
    errors: int
    p50_ms: float
    p95_ms: float
    throughput_rps: float
    status: dict = field(default_factory=dict)

    def as_dict(self) -> dict:
        return {
            "count": self.count,
            "errors": self.errors,
            "p50_ms": round(self.p50_ms, 2),
            "p95_ms": round(self.p95_ms, 2),
            "throughput_rps": round(self.throughput_rps, 1),
            "status": self.status,
        }


class Session:
    """A keep-alive connection with cookies, like one browser tab."""

    def __init__(self, host: str, port: int):
        self.host, self.port = host, port
        self.conn = http.client.HTTPConnection(host, port, timeout=60)
        self.cookies: dict[str, str] = {}
        self.headers: dict[str, str] = {}

    def request(
        self, method: str, path: str, body: bytes | None = None, headers: dict | None = None
    ) -> tuple[int, bytes]:
        h = {
            "Host": f"{self.host}:{self.port}",
            "Accept-Language": "fr",
            **self.headers,
            **(headers or {}),
        }
        if self.cookies:
            h["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        for attempt in range(2):
            try:
                self.conn.request(method, path, body=body, headers=h)
                resp = self.conn.getresponse()
                data = resp.read()
                break
            except (http.client.HTTPException, ConnectionError):
                self.conn.close()
                self.conn = http.client.HTTPConnection(self.host, self.port, timeout=60)
                if attempt:
                    raise
        for header in resp.headers.get_all("Set-Cookie") or []:
            cookie = SimpleCookie()
            cookie.load(header)
            for key, morsel in cookie.items():
                self.cookies[key] = morsel.value
        return resp.status, data

    def login(self, username: str, password: str) -> int:
        self.request("GET", "/comptes/connexion/")
        token = self.cookies.get("csrftoken", "")
        body = urllib.parse.urlencode(
            {"username": username, "password": password, "csrfmiddlewaretoken": token}
        ).encode()
        status, _ = self.request(
            "POST",
            "/comptes/connexion/",
            body=body,
            headers={
                "Content-Type": "application/x-www-form-urlencoded",
                "Referer": f"http://{self.host}:{self.port}/comptes/connexion/",
            },
        )
        return status

    def api_login(self, username: str, password: str) -> str:
        """The API's token exchange (``POST /api/v1/auth/token``): later requests carry the
        token as a Bearer header. Returns the token; refused credentials stop the bench."""
        status, data = self.request(
            "POST",
            "/api/v1/auth/token",
            body=json.dumps({"username": username, "password": password}).encode(),
            headers={"Content-Type": "application/json"},
        )
        if status not in (200, 201):
            raise SystemExit(f"no API token for {username}: {status} {data[:200]!r}")
        token = json.loads(data)["token"]
        self.headers["Authorization"] = f"Bearer {token}"
        return token


def percentile(values: list[float], p: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    k = (len(ordered) - 1) * p
    lo, hi = int(k), min(int(k) + 1, len(ordered) - 1)
    return ordered[lo] + (ordered[hi] - ordered[lo]) * (k - lo)


def measure(
    name: str,
    sessions: list[Session],
    action,
    *,
    requests: int,
    warmup: int = 1,
    max_seconds: float | None = None,
    min_per_client: int = 3,
) -> Result:
    """Run ``action(session, i) -> status`` ``requests`` times spread over the sessions.

    With ``max_seconds``, a client stops early once that time has passed and it has made
    ``min_per_client`` requests: a page of several seconds is still measured (on fewer
    samples, ``count`` says how many) without holding the run for many minutes.
    """
    for s in sessions:
        for i in range(warmup):
            action(s, i)
    latencies: list[float] = []
    statuses: dict[str, int] = {}
    lock = threading.Lock()
    per_client = max(1, requests // len(sessions))

    def worker(session: Session, offset: int):
        for i in range(per_client):
            if (
                max_seconds is not None
                and i >= min_per_client
                and time.perf_counter() - begun > max_seconds
            ):
                break
            started = time.perf_counter()
            status = action(session, offset + i)
            elapsed = (time.perf_counter() - started) * 1000
            with lock:
                latencies.append(elapsed)
                statuses[str(status)] = statuses.get(str(status), 0) + 1

    threads = [
        threading.Thread(target=worker, args=(s, n * per_client)) for n, s in enumerate(sessions)
    ]
    started = begun = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    wall = time.perf_counter() - started
    errors = sum(n for code, n in statuses.items() if not code.startswith(("2", "3")))
    return Result(
        name=name,
        count=len(latencies),
        errors=errors,
        p50_ms=statistics.median(latencies),
        p95_ms=percentile(latencies, 0.95),
        throughput_rps=len(latencies) / wall if wall else 0.0,
        status=statuses,
    )
