"""Writes of the national monitoring: targets, set and cascaded by the national role."""

from __future__ import annotations

import datetime
import logging
from decimal import ROUND_DOWN, Decimal

from django.utils import timezone
from django.utils.translation import gettext as _

from core import dates
from core.errors import Forbidden, ValidationFailed
from core.services import service
from geo.models import Area
from monitoring import rules
from monitoring.errors import Code
from monitoring.indicators import BY_CODE
from monitoring.models import Report, ReportStatus, Target
from monitoring.selectors import PERCENT_UNITS, descendant_commune_counts

logger = logging.getLogger(__name__)


def _national_only(actor) -> None:
    if not rules.may_set_targets.test(actor):
        raise Forbidden(_("Seul le ministère fixe les cibles du programme."))


def _check(indicator: str, year: int, value: Decimal) -> None:
    if indicator not in BY_CODE:
        raise ValidationFailed(
            _("Indicateur inconnu."), code=Code.UNKNOWN_INDICATOR, field="indicator"
        )
    if not 2000 <= int(year) <= 2100:
        raise ValidationFailed(_("Année invalide."), code=Code.INVALID_YEAR, field="year")
    if value < 0:
        raise ValidationFailed(
            _("Une cible ne peut pas être négative."), code=Code.NEGATIVE, field="value"
        )
    if BY_CODE[indicator].unit in PERCENT_UNITS and value > 100:
        raise ValidationFailed(
            _("Un pourcentage ne dépasse pas 100."), code=Code.OVER_100, field="value"
        )


@service(texts=(Target,))
def target_set(
    *,
    actor,
    indicator: str,
    area: Area,
    year: int,
    value=None,
    note: str = "",
    baseline_year: int | None = None,
    multiplier=None,
) -> Target:
    """Set a target: a ``value``, or ``multiplier`` × the value measured in
    ``baseline_year`` for the same area (e.g. production doubled: 2 × 2025)."""
    _national_only(actor)
    if baseline_year in (None, "") and multiplier in (None, ""):
        if value in (None, ""):
            raise ValidationFailed(
                _("Indiquez une cible, ou une année de référence et un multiplicateur."),
                code=Code.REQUIRED,
                field="value",
            )
        value = Decimal(str(value))
        _check(indicator, year, value)
        baseline_year = multiplier = None
    else:
        _check(indicator, year, Decimal(0))
        if baseline_year in (None, "") or multiplier in (None, ""):
            raise ValidationFailed(
                _("Une cible relative demande l'année de référence et le multiplicateur."),
                code=Code.BASELINE_INCOMPLETE,
                field="baseline_year" if baseline_year in (None, "") else "multiplier",
            )
        baseline_year, multiplier = int(baseline_year), Decimal(str(multiplier))
        if BY_CODE[indicator].unit in PERCENT_UNITS:
            raise ValidationFailed(
                _("Un pourcentage ne se fixe pas par rapport à une année de référence."),
                code=Code.BASELINE_PERCENT,
                field="baseline_year",
            )
        if not 2000 <= baseline_year < int(year):
            raise ValidationFailed(
                _("L'année de référence précède l'année de la cible."),
                code=Code.BASELINE_YEAR,
                field="baseline_year",
            )
        if multiplier <= 0:
            raise ValidationFailed(
                _("Le multiplicateur est positif."), code=Code.MULTIPLIER, field="multiplier"
            )
        value = None
    target, _created = Target.objects.update_or_create(
        indicator=indicator,
        area=area,
        year=year,
        defaults={
            "value": value,
            "baseline_year": baseline_year,
            "multiplier": multiplier,
            "note": note,
            "set_by": actor,
        },
    )
    return target


def split(total: Decimal, weights: dict[int, int]) -> dict[int, Decimal]:
    """Split a whole-number ``total`` by ``weights``; largest remainders take the residue,
    so the parts sum exactly to the total."""
    whole = int(total)
    weight_sum = sum(weights.values())
    if not weights:
        return {}
    if weight_sum == 0:
        weights = dict.fromkeys(weights, 1)
        weight_sum = len(weights)
    raw = {k: Decimal(whole) * w / weight_sum for k, w in weights.items()}
    parts = {k: int(v.to_integral_value(ROUND_DOWN)) for k, v in raw.items()}
    residue = whole - sum(parts.values())
    for k in sorted(raw, key=lambda k: (-(raw[k] - parts[k]), k))[:residue]:
        parts[k] += 1
    return {k: Decimal(v) for k, v in parts.items()}


@service
def target_cascade(*, actor, indicator: str, area: Area, year: int) -> list[Target]:
    """Give each child of ``area`` its share of the area's target.

    Counts are shared in proportion to the communes below each child (equally when no
    commune is loaded yet); percentages apply unchanged to every child, and so does a
    relative target (each child doubles its own baseline).
    """
    _national_only(actor)
    parent = Target.objects.filter(indicator=indicator, area=area, year=year).first()
    if parent is None:
        raise ValidationFailed(
            _("Fixez d'abord la cible de cette zone."), code=Code.NO_TARGET, field="indicator"
        )
    weights = descendant_commune_counts(area)
    if not weights:
        raise ValidationFailed(
            _("Cette zone n'a pas de sous-zones."), code=Code.NO_CHILDREN, field="area"
        )
    note = f"réparti depuis {area.name}"
    children = {a.pk: a for a in Area.objects.filter(pk__in=weights)}
    if parent.baseline_year:  # relative: each child against its own baseline
        return [
            target_set(
                actor=actor,
                indicator=indicator,
                area=child,
                year=year,
                baseline_year=parent.baseline_year,
                multiplier=parent.multiplier,
                note=note,
            )
            for child in children.values()
        ]
    if BY_CODE[indicator].unit in PERCENT_UNITS:
        shares = dict.fromkeys(weights, parent.value)
    else:
        shares = split(parent.value, weights)
    return [
        target_set(
            actor=actor, indicator=indicator, area=children[pk], year=year, value=v, note=note
        )
        for pk, v in shares.items()
    ]


# --- quarterly reports ----------------------------------------------------------------------


def _check_report_period(year: int, quarter: int, today) -> None:
    if quarter not in (1, 2, 3, 4):
        raise ValidationFailed(
            _("Trimestre invalide (1 à 4)."), code=Code.INVALID_QUARTER, field="quarter"
        )
    if not 2000 <= int(year) <= 2100:
        raise ValidationFailed(_("Année invalide."), code=Code.INVALID_YEAR, field="year")
    if datetime.date(year, 3 * quarter - 2, 1) > today:
        raise ValidationFailed(
            _("Ce trimestre n'a pas encore commencé."), code=Code.FUTURE_QUARTER, field="quarter"
        )


@service
def report_request(*, actor, area: Area, year: int, quarter: int) -> Report:
    """Ask for the quarterly report of ``area``: built at once for a small area, else left
    for the worker (``manage.py monitoring_worker``)."""
    from monitoring.reports import is_large
    from monitoring.selectors import monitoring_area_get

    area = monitoring_area_get(actor=actor, code=area.code)  # 404 outside the actor's area
    year, quarter = int(year), int(quarter)
    _check_report_period(year, quarter, dates.today())
    report = Report.objects.create(area=area, year=year, quarter=quarter, requested_by=actor)
    if not is_large(area):
        report_build(report=report)
    return report


def report_build(*, report: Report) -> Report:
    """Build the files of a report (the worker, or at once for a small area). Claims the
    report first, so two workers never build the same one."""
    from monitoring.reports import render_pdf, render_xlsx, report_data

    claimed = Report.objects.filter(pk=report.pk, status=ReportStatus.PENDING).update(
        status=ReportStatus.RUNNING, started_at=timezone.now()
    )
    if not claimed:
        report.refresh_from_db()
        return report
    try:
        data = report_data(
            actor=report.requested_by,
            area=report.area,
            year=report.year,
            quarter=report.quarter,
            today=dates.today(),
        )
        pdf, xlsx = render_pdf(data), render_xlsx(data)
    except Exception as exc:  # recorded on the report, shown to the user, logged
        logger.exception("report %s failed", report.pk)
        Report.objects.filter(pk=report.pk).update(
            status=ReportStatus.FAILED, error=str(exc)[:2000], finished_at=timezone.now()
        )
    else:
        Report.objects.filter(pk=report.pk).update(
            status=ReportStatus.DONE, pdf=pdf, xlsx=xlsx, finished_at=timezone.now()
        )
    report.refresh_from_db()
    return report


def reports_work(*, limit: int | None = None) -> int:
    """Build the pending reports, oldest first; returns how many were built."""
    done = 0
    for report in Report.objects.filter(status=ReportStatus.PENDING).order_by("requested_at"):
        report_build(report=report)
        done += 1
        if limit and done >= limit:
            break
    return done
