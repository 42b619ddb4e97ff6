"""The decent-job rule (feeds the programme's 7,000 decent jobs target).

A job is *decent* when it meets every criterion switched on in ``settings.SUNUCOOP``:

- ``DECENT_JOB_WRITTEN_CONTRACT`` (default True): a written contract (CDI, CDD or
  written seasonal contract; not a verbal agreement, not none);
- ``DECENT_JOB_MIN_MONTHLY_PAY`` (default 64 223 F CFA, the Senegalese monthly SMIG
  after the 2023 rise, 173.33 h x 370.54 F: **unverified**, keep it a setting; 0 turns
  the criterion off);
- ``DECENT_JOB_SOCIAL_SECURITY`` (default True): registered with social security.

:func:`is_decent_job` answers for one job in Python; :func:`decent_job_q` is the same
rule as a database filter, for counting (monitoring) without loading rows.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db.models import Q

from registry.models import ContractType, Employment

WRITTEN_CONTRACTS = frozenset({ContractType.CDI, ContractType.CDD, ContractType.SEASONAL})

DEFAULTS = {
    "DECENT_JOB_WRITTEN_CONTRACT": True,
    "DECENT_JOB_MIN_MONTHLY_PAY": 64_223,  # unverified: monthly SMIG, Senegal, 2023
    "DECENT_JOB_SOCIAL_SECURITY": True,
}


def decent_job_settings() -> dict:
    conf = getattr(settings, "SUNUCOOP", {})
    return {key: conf.get(key, default) for key, default in DEFAULTS.items()}


def is_decent_job(job: Employment, on: datetime.date | None = None) -> bool:
    """Whether ``job`` meets the rule (and, with ``on``, is held on that day)."""
    conf = decent_job_settings()
    if on is not None and not (
        job.started_on <= on and (job.ended_on is None or job.ended_on >= on)
    ):
        return False
    if conf["DECENT_JOB_WRITTEN_CONTRACT"] and job.contract_type not in WRITTEN_CONTRACTS:
        return False
    if job.monthly_pay < int(conf["DECENT_JOB_MIN_MONTHLY_PAY"] or 0):
        return False
    return not (conf["DECENT_JOB_SOCIAL_SECURITY"] and not job.social_security)


def decent_job_reasons(job: Employment) -> list[str]:
    """The criteria ``job`` misses, in French (empty when decent), for display."""
    conf = decent_job_settings()
    reasons = []
    if conf["DECENT_JOB_WRITTEN_CONTRACT"] and job.contract_type not in WRITTEN_CONTRACTS:
        reasons.append("pas de contrat écrit")
    minimum = int(conf["DECENT_JOB_MIN_MONTHLY_PAY"] or 0)
    if job.monthly_pay < minimum:
        reasons.append(f"salaire inférieur au minimum ({minimum} F CFA)")
    if conf["DECENT_JOB_SOCIAL_SECURITY"] and not job.social_security:
        reasons.append("pas de sécurité sociale")
    return reasons


def decent_job_q(on: datetime.date | None = None, prefix: str = "") -> Q:
    """Database form of :func:`is_decent_job` (``prefix`` e.g. ``"jobs__"``)."""
    conf = decent_job_settings()
    q = Q()
    if conf["DECENT_JOB_WRITTEN_CONTRACT"]:
        q &= Q(**{f"{prefix}contract_type__in": sorted(WRITTEN_CONTRACTS)})
    minimum = int(conf["DECENT_JOB_MIN_MONTHLY_PAY"] or 0)
    if minimum:
        q &= Q(**{f"{prefix}monthly_pay__gte": minimum})
    if conf["DECENT_JOB_SOCIAL_SECURITY"]:
        q &= Q(**{f"{prefix}social_security": True})
    if on is not None:
        q &= Q(**{f"{prefix}started_on__lte": on}) & (
            Q(**{f"{prefix}ended_on__isnull": True}) | Q(**{f"{prefix}ended_on__gte": on})
        )
    return q
