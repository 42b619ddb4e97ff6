"""The programme's configurable follow-up rules (never law: see docs/programme-facts.md).

Defaults below; override any key in ``settings.SUNUCOOP`` (e.g. from the environment).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings

DEFAULTS = {
    # "Supported" for the 90 % target: at least this many completed trainings by members
    # (ever, up to the as-of date) and this many visits in the last window days.
    "SUPPORTED_MIN_COMPLETED_TRAININGS": 1,
    "SUPPORTED_MIN_VISITS": 1,
    "SUPPORTED_VISIT_WINDOW_DAYS": 183,
    # Agent's work list: a cooperative not visited for this many days is listed.
    "VISIT_DUE_AFTER_DAYS": 90,
    # Agent's work list: sessions starting within this many days are "coming".
    "COMING_SESSIONS_DAYS": 30,
}


@dataclass(frozen=True)
class SupportedRule:
    min_completed_trainings: int
    min_visits: int
    visit_window_days: int


def setting(name: str) -> int:
    return int(getattr(settings, "SUNUCOOP", {}).get(name, DEFAULTS[name]))


def supported_rule() -> SupportedRule:
    return SupportedRule(
        min_completed_trainings=setting("SUPPORTED_MIN_COMPLETED_TRAININGS"),
        min_visits=setting("SUPPORTED_MIN_VISITS"),
        visit_window_days=setting("SUPPORTED_VISIT_WINDOW_DAYS"),
    )
