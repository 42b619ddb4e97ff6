"""The payments bench's server-side figures (bench/payments.py): the app server's own time
per webhook is read from gunicorn's access log (``%(U)s %(s)s %(D)s``, microseconds), only
the webhook's answered deliveries counted (the warm-up's 401s and other paths left out)."""

from bench.payments import WEBHOOK_PATH, server_summary, server_times


def test_server_times_keep_the_webhooks_answered_200_in_milliseconds(tmp_path):
    log = tmp_path / "access.log"
    log.write_text(
        f"{WEBHOOK_PATH} 401 900000\n"  # warm-up, refused: not a measured delivery
        f"{WEBHOOK_PATH} 200 12500\n"
        "/healthz 200 800\n"
        f"{WEBHOOK_PATH} 200 3000\n"
        "garbage line\n"
    )
    assert server_times(log) == [12.5, 3.0]


def test_the_summary_gives_percentiles_and_cpu_per_webhook():
    summary = server_summary([float(n) for n in range(1, 101)], cpu_seconds=0.5, sent=100)
    assert summary["server_answered"] == 100
    assert (summary["server_p50_ms"], summary["server_p95_ms"]) == (50.5, 95.05)
    assert summary["workers_cpu_ms_per_webhook"] == 5.0
