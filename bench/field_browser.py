"""Issue 19 point 7, measured in Chromium (docs/benchmarks.md, "Offline sync"):

1. **First load of the agent's home**: a new browser profile (empty cache) signs in as the
   department's agent; then the home (``/``) and the field app (``/terrain/``) are opened
   and every response counted as it came over the wire (CDP ``Network.loadingFinished``'s
   ``encodedDataLength``: headers and body, compressed when the server compressed it).
   The field app's data (``/api/v1/sync/pull``) is counted apart: it is the department's
   data (its own goal, < 2 MB), not the app. Goal: the home under 150 KB.
2. **An offline page**: the field app, once loaded online (the service worker keeps it),
   opened again with the network cut and the CPU throttled ×4 (CDP
   ``Emulation.setCPUThrottlingRate``); the time from the navigation's start until its
   forms hold the device's data (the cooperatives read and decrypted from IndexedDB).
   ``BENCH_FIELD_OPENINGS`` times (5). Goal: under 1 s.

Run by ``make bench`` (with the sync measures) when Chromium is present, or alone:
``BENCH_ONLY=field DATABASE_URL=postgres://… make bench``. gunicorn serves the app,
DEBUG off, the static files collected (whitenoise sends them compressed).
"""

from __future__ import annotations

import os
import shutil
import statistics
from pathlib import Path

from bench.run import database_url, log, start_server

AGENT = "bench-agent-department"
PASSWORD = "bench-sunucoop-2026"  # noqa: S105 (bench.synthetic's; that module needs Django)
HOME_BUDGET = 150 * 1024
OFFLINE_BUDGET_MS = 1000
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]
SHOT = Path(__file__).resolve().parent.parent / "var" / "bench" / "field-offline.png"
READY = "#visit-coop option:nth-child(2)"  # the cooperatives read and decrypted


class Wire:
    """Bytes received per URL, as Chromium's network layer counted them."""

    def __init__(self, page):
        self.urls: dict[str, str] = {}
        self.bytes: dict[str, int] = {}
        cdp = page.context.new_cdp_session(page)
        cdp.send("Network.enable")
        cdp.on("Network.responseReceived", self._response)
        cdp.on("Network.loadingFinished", self._finished)

    def _response(self, event):
        self.urls[event["requestId"]] = event["response"]["url"]

    def _finished(self, event):
        url = self.urls.get(event["requestId"], "?")
        self.bytes[url] = self.bytes.get(url, 0) + int(event["encodedDataLength"])

    def take(self) -> dict[str, int]:
        taken, self.bytes = self.bytes, {}
        return taken


def _sign_in(page, base: str) -> None:
    page.goto(base + "/comptes/connexion/")
    page.fill("input[name=username]", AGENT)
    page.fill("input[name=password]", PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    page.wait_for_url(lambda url: "/comptes/connexion/" not in url)


def _split(taken: dict[str, int], base: str) -> dict:
    api = {u: n for u, n in taken.items() if "/api/" in u}
    app = {u.removeprefix(base): n for u, n in taken.items() if u not in api}
    return {
        "bytes": sum(app.values()),
        "kib": round(sum(app.values()) / 1024, 1),
        "responses": len(app),
        "by_url": dict(sorted(app.items(), key=lambda x: -x[1])),
        "data_kib": round(sum(api.values()) / 1024, 1),
    }


def measure_field(base: str) -> dict:
    from playwright.sync_api import sync_playwright

    openings = int(os.environ.get("BENCH_FIELD_OPENINGS", "5"))
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        signing = browser.new_context(locale="fr-FR")
        signing_page = signing.new_page()
        signing_page.set_default_timeout(180_000)  # the first requests import every URLconf
        _sign_in(signing_page, base)
        session = signing.storage_state()  # the session's cookie only
        signing.close()
        # a profile with nothing cached (no HTTP cache, no service worker), signed in
        context = browser.new_context(
            locale="fr-FR", viewport={"width": 412, "height": 915}, storage_state=session
        )
        page = context.new_page()
        page.set_default_timeout(180_000)
        wire = Wire(page)
        page.goto(base + "/", wait_until="networkidle")
        home = _split(wire.take(), base)
        page.goto(base + "/terrain/")
        page.wait_for_selector("#field-app[data-synced='1']:not([data-syncing])")
        page.evaluate("navigator.serviceWorker.ready.then(() => true)")
        page.wait_for_timeout(1000)  # the service worker keeps its copy of the page
        field = _split(wire.take(), base)
        page.goto(base + "/", wait_until="networkidle")  # the home again: what the cache spares
        again = _split(wire.take(), base)
        cdp = context.new_cdp_session(page)
        cdp.send("Emulation.setCPUThrottlingRate", {"rate": 4})
        context.set_offline(True)
        times = []
        for _i in range(openings):
            page.goto(base + "/terrain/")
            page.locator(READY).wait_for(state="attached")
            times.append(page.evaluate("performance.now()"))
        page.screenshot(path=str(SHOT))
        banner = page.locator("#offline-banner").inner_text()
        context.close()
        browser.close()
    return {
        "home_first_load": home,
        "field_first_load": field,
        "home_second_load": {"kib": again["kib"], "responses": again["responses"]},
        "home_budget_kib": HOME_BUDGET // 1024,
        "home_met": home["bytes"] < HOME_BUDGET,
        "offline_open_ms": {
            "cpu_throttling": 4,
            "openings": len(times),
            "p50": round(statistics.median(times)),
            "max": round(max(times)),
            "all": [round(t) for t in times],
        },
        "offline_banner": banner.strip()[:80],
        "offline_met": max(times) < OFFLINE_BUDGET_MS,
        "load_average": os.getloadavg(),
    }


def measure() -> dict:
    if not CHROMIUM:
        return {"skipped": "Chromium not found"}
    SHOT.parent.mkdir(parents=True, exist_ok=True)
    db = os.environ.get("BENCH_FIELD_DATABASE_URL") or database_url(
        os.environ.get("SCALE", "national")
    )
    proc, port = start_server(db, workers=2, extra=["--timeout", "120"])
    try:
        return measure_field(f"http://127.0.0.1:{port}")
    finally:
        proc.terminate()
        proc.wait(timeout=60)


def main() -> None:
    import json

    report = measure()
    log(f"application de terrain : {json.dumps(report, ensure_ascii=False)}")
