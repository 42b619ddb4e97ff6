"""The sandboxes as ``make demo`` runs them (issue 18, point 2): ``python -m sandboxes``, a
separate process beside the app, and ``--print-env``, the settings that point the app at
it. The app's own Wave adapter opens a checkout session there, the payer approves on the
process's payment page over HTTP, the process sends the signed webhook back to the app's
URL (a listener of this test, handing it to the app unchanged), and the day's statement
downloaded from the process shows the transaction. No setting names the sandbox: only
``--print-env``'s URLs and keys."""

from __future__ import annotations

import http.client
import os
import socket
import subprocess
import sys
import threading
import urllib.parse
import urllib.request
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest
from django.conf import settings as django_settings

from credit.models import Repayment
from payments.tests.conftest import start

pytestmark = pytest.mark.django_db


def _free_base() -> int:
    """A base port whose next three ports are free (one per registered sandbox)."""
    for _ in range(50):
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            base = s.getsockname()[1]
        if base > 60000:
            continue
        try:
            for port in range(base, base + 3):
                with socket.socket() as s:
                    s.bind(("127.0.0.1", port))
            return base
        except OSError:
            continue
    raise RuntimeError("no three free ports")


class _Listener(BaseHTTPRequestHandler):
    """Stands for the app's URL: keeps each webhook (headers and raw body)."""

    received: list = []

    def do_POST(self):  # noqa: N802 - http.server's name
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        self.received.append((self.path, dict(self.headers.items()), body))
        self.send_response(200)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, format, *args):  # noqa: A002
        pass


@pytest.fixture
def sandbox_process():
    listener = HTTPServer(("127.0.0.1", 0), _Listener)
    _Listener.received = []
    threading.Thread(target=listener.serve_forever, daemon=True).start()
    base = _free_base()
    env = {**os.environ, "WAVE_WEBHOOK_SECRET": "proc-secret", "WAVE_API_KEY": "proc-key"}
    args = [sys.executable, "-m", "sandboxes", "--port-base", str(base), "--app-url"]
    args.append(f"http://127.0.0.1:{listener.server_address[1]}")
    cwd = django_settings.BASE_DIR
    printed = subprocess.run(
        [*args, "--print-env"], cwd=cwd, env=env, capture_output=True, text=True, check=True
    ).stdout
    proc = subprocess.Popen(args, cwd=cwd, env=env, stdout=subprocess.PIPE, text=True)
    try:
        started = {proc.stdout.readline().split()[1].rstrip(":") for _ in range(3)}
        assert started == {"wave", "sms", "orange_money"}
        exports = dict(line.removeprefix("export ").split("=", 1) for line in printed.splitlines())
        yield exports, _Listener.received
    finally:
        proc.terminate()
        proc.wait(timeout=10)
        listener.shutdown()
        listener.server_close()


def test_the_demo_sandbox_process_takes_a_payment_over_http(
    client, credit, settings, sandbox_process
):
    exports, received = sandbox_process
    assert exports["WAVE_WEBHOOK_SECRET"] == "proc-secret"
    for key in ("WAVE_BASE_URL", "WAVE_API_KEY", "WAVE_WEBHOOK_SECRET"):
        setattr(settings, key, exports[key])
    settings.WAVE_WEBHOOK_SECRETS_PREVIOUS = []
    intent = start(credit, actor=credit.w.agent_tc, loan=credit.loan_tc, amount=30_000)
    assert intent.checkout_url.startswith(exports["WAVE_BASE_URL"] + "/c/")
    with urllib.request.urlopen(intent.checkout_url, timeout=10) as page:  # noqa: S310
        assert "Wave — bac à sable" in page.read().decode()
    page_url = urllib.parse.urlsplit(intent.checkout_url)
    payer = http.client.HTTPConnection(page_url.hostname, page_url.port, timeout=10)
    payer.request(
        "POST",
        page_url.path + "/approve",
        body="mobile=%2B221771234567",
        headers={"Content-Type": "application/x-www-form-urlencoded"},
    )
    approved = payer.getresponse()
    assert approved.status == 303  # back to the app's return page
    assert "/paiements/retour/" in approved.getheader("Location")
    payer.close()
    [(path, headers, body)] = received
    assert path == "/api/v1/webhooks/wave" and headers["Wave-Signature"].startswith("t=")
    answer = client.post(
        path,
        data=body,
        content_type="application/json",
        headers={"Wave-Signature": headers["Wave-Signature"]},
    )
    assert answer.json()["outcome"] == "applied"
    intent.refresh_from_db()
    assert intent.status == "succeeded"
    assert Repayment.objects.filter(loan=credit.loan_tc, reference=intent.reference).count() == 1
    day = intent.paid_at.date().isoformat()
    statement = exports["WAVE_BASE_URL"] + f"/statement.csv?date={day}"
    with urllib.request.urlopen(statement, timeout=10) as csv_file:  # noqa: S310
        text = csv_file.read().decode("utf-8-sig")
    assert intent.reference in text and intent.provider_transaction_id in text
