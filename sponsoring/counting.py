"""Counting without tracking (docs/sponsoring.md): one row per announcement and day, its
impressions and clicks incremented in one statement; no cookie, no person, no address,
no third-party script.

Who is not counted (the rule, documented): a HEAD request; a request without a
User-Agent, or whose User-Agent contains "bot", "crawl", "spider", "slurp",
"preview" or "headless" (case ignored); a browser's prefetch (``Sec-Purpose`` or
``Purpose`` naming ``prefetch``). They still see the page and follow the link."""

from __future__ import annotations

from django.db import connection

from sponsoring.models import DailyCount

ROBOT_WORDS = ("bot", "crawl", "spider", "slurp", "preview", "headless")


def is_counted(request) -> bool:
    """Whether the request counts as a person's view or click (not a robot's)."""
    if request is None or request.method == "HEAD":
        return False
    agent = request.headers.get("User-Agent", "").lower()
    if not agent or any(word in agent for word in ROBOT_WORDS):
        return False
    purpose = (request.headers.get("Sec-Purpose") or request.headers.get("Purpose") or "").lower()
    return "prefetch" not in purpose


def increment(*, booking_ids, day, impressions: int = 0, clicks: int = 0) -> None:
    """Add to the day's counters of these bookings in one statement (an upsert: atomic
    on PostgreSQL and SQLite alike, exact under concurrent requests)."""
    ids = sorted(set(booking_ids))
    if not ids:
        return
    table = connection.ops.quote_name(DailyCount._meta.db_table)
    rows = ", ".join(["(%s, %s, %s, %s)"] * len(ids))
    # our own table's name; every value is a parameter
    sql = f"INSERT INTO {table} (booking_id, day, impressions, clicks) VALUES {rows} "  # noqa: S608
    sql += (
        f"ON CONFLICT (booking_id, day) DO UPDATE SET "
        f"impressions = {table}.impressions + excluded.impressions, "
        f"clicks = {table}.clicks + excluded.clicks"
    )
    params = []
    for pk in ids:
        params += [pk, day, impressions, clicks]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
