"""Cooperative law as data: the OHADA Uniform Act on cooperative societies (AUSCOOP, 2010).

Every legal rule the registry enforces is read from :data:`LAWS`, keyed by country code
(the first segment of an area's path) and legal form, so that another country's variant
is one more entry, not new code. Services call :func:`check_stage_change`,
:func:`check_committee` and :func:`min_members`; a violation raises
:class:`core.errors.Conflict` with a stable code and a French message, before anything
is written.

Interpretations (see docs/registry.md):

- *Active members* are memberships with status ``active``.
- The *management committee* (comité de gestion, SCOOPS art. 223) is the set of active
  members holding an office: ``president``, ``vice_president``, ``secretaire``,
  ``tresorier``. The ``surveillance`` role is the separate supervisory commission and is
  not counted. Its maximum is 3, or 5 once the cooperative has 100 active members.
- The minimum number of members (SCOOPS art. 204: 5; COOP-CA art. 267: 15) is checked on
  every move to ``immatriculee`` or a later stage of activity.
- The lifecycle runs forward one step at a time; ``dissoute`` is reachable from any stage
  and is final. The only way back is ``consolidee`` -> ``en_activite`` (a cooperative
  that loses its consolidated status after a follow-up evaluation).
- A registration number (RSC) is NOT required to reach ``immatriculee`` in Senegal: the
  number is often delivered weeks after the registration date, and the stage records
  the date. The flag is per country (``registration_number_required``).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from core.errors import Conflict
from registry.errors import Code

SENSIBILISEE = "sensibilisee"
EN_CONSTITUTION = "en_constitution"
IMMATRICULEE = "immatriculee"
EN_ACTIVITE = "en_activite"
CONSOLIDEE = "consolidee"
DISSOUTE = "dissoute"

COMMITTEE_ROLES = frozenset({"president", "vice_president", "secretaire", "tresorier"})


@dataclass(frozen=True)
class FormRules:
    """What the law says about one legal form in one country."""

    label: str
    min_members: int
    # ((from this many active members, at most this many committee members), ...),
    # ascending; None: no limit enforced.
    committee_max: tuple[tuple[int, int], ...] | None = None
    source: str = ""


@dataclass(frozen=True)
class CountryLaw:
    forms: dict[str, FormRules]
    # Stage order and the allowed moves (besides dissolution, always allowed).
    lifecycle: tuple[str, ...] = (
        SENSIBILISEE,
        EN_CONSTITUTION,
        IMMATRICULEE,
        EN_ACTIVITE,
        CONSOLIDEE,
    )
    backward: frozenset[tuple[str, str]] = field(
        default_factory=lambda: frozenset({(CONSOLIDEE, EN_ACTIVITE)})
    )
    # Stages at which the minimum number of members must hold.
    registered_stages: frozenset[str] = frozenset({IMMATRICULEE, EN_ACTIVITE, CONSOLIDEE})
    registration_number_required: bool = False


OHADA_FORMS = {
    "SCOOPS": FormRules(
        label="SCOOPS",
        min_members=5,
        committee_max=((0, 3), (100, 5)),
        source="AUSCOOP art. 204 (5 membres), art. 223 (comité de gestion)",
    ),
    "COOP-CA": FormRules(
        label="COOP-CA",
        min_members=15,
        committee_max=None,
        source="AUSCOOP art. 267 (15 membres)",
    ),
}

# Every OHADA member state shares the Uniform Act; Senegal is the programme's country.
LAWS: dict[str, CountryLaw] = {
    "SN": CountryLaw(forms=OHADA_FORMS),
}
DEFAULT_COUNTRY = "SN"


def law_for(country: str | None) -> CountryLaw:
    return LAWS.get(country or DEFAULT_COUNTRY, LAWS[DEFAULT_COUNTRY])


def form_rules(country: str | None, legal_form: str) -> FormRules:
    return law_for(country).forms[legal_form]


def min_members(country: str | None, legal_form: str) -> int:
    return form_rules(country, legal_form).min_members


def committee_max(country: str | None, legal_form: str, active_members: int) -> int | None:
    """The largest management committee allowed with ``active_members`` members."""
    steps = form_rules(country, legal_form).committee_max
    if steps is None:
        return None
    allowed = None
    for threshold, maximum in steps:
        if active_members >= threshold:
            allowed = maximum
    return allowed


def allowed_next_stages(country: str | None, stage: str) -> list[str]:
    """The stages a cooperative at ``stage`` may move to (for forms and buttons)."""
    law = law_for(country)
    if stage == DISSOUTE:
        return []
    result = []
    if stage in law.lifecycle:
        i = law.lifecycle.index(stage)
        if i + 1 < len(law.lifecycle):
            result.append(law.lifecycle[i + 1])
    result += [to for (frm, to) in sorted(law.backward) if frm == stage]
    result.append(DISSOUTE)
    return result


def check_stage_change(
    *,
    country: str | None,
    legal_form: str,
    current: str,
    target: str,
    active_members: int,
    committee_size: int,
    registration_number: str | None,
) -> None:
    """Raise Conflict unless the move ``current`` -> ``target`` is lawful."""
    law = law_for(country)
    if target not in allowed_next_stages(country, current):
        raise Conflict(
            _(
                "Passage de l'étape « %(current)s » à « %(target)s » non autorisé "
                "(étapes possibles : %(possible)s)."
            )
            % {
                "current": current,
                "target": target,
                "possible": ", ".join(allowed_next_stages(country, current)) or _("aucune"),
            },
            code=Code.STAGE_TRANSITION,
            field="stage",
        )
    if target in law.registered_stages:
        rules = law.forms[legal_form]
        if active_members < rules.min_members:
            raise Conflict(
                _(
                    "Une %(form)s doit compter au moins %(min)s membres actifs pour "
                    "atteindre cette étape (%(active)s actuellement)."
                )
                % {"form": rules.label, "min": rules.min_members, "active": active_members},
                code=Code.OHADA_MIN_MEMBERS,
                field="stage",
            )
        check_committee(
            country=country,
            legal_form=legal_form,
            active_members=active_members,
            committee_size=committee_size,
        )
        if law.registration_number_required and not registration_number:
            raise Conflict(
                _("Le numéro d'immatriculation (RSC) est requis pour cette étape."),
                code=Code.REGISTRATION_NUMBER_REQUIRED,
                field="registration_number",
            )


def check_committee(
    *, country: str | None, legal_form: str, active_members: int, committee_size: int
) -> None:
    """Raise Conflict when the management committee is larger than the law allows."""
    maximum = committee_max(country, legal_form, active_members)
    if maximum is not None and committee_size > maximum:
        raise Conflict(
            _(
                "Le comité de gestion d'une %(form)s compte au plus %(max)s membres avec "
                "%(active)s membres actifs (%(asked)s demandés)."
            )
            % {
                "form": form_rules(country, legal_form).label,
                "max": maximum,
                "active": active_members,
                "asked": committee_size,
            },
            code=Code.OHADA_COMMITTEE_SIZE,
            field="role",
        )
