"""Cooperatives: registration, changes, the lifecycle (rules in :mod:`registry.ohada`)."""

from __future__ import annotations

import datetime

from django.utils.translation import gettext as _

from accounts.scoping import scope_for
from core import dates
from core.errors import Conflict, ValidationFailed
from core.services import fields_check, model_update, service
from core.text import fold
from geo.changes import areas_touch
from registry import cleaners as clean
from registry import ohada, scope_text
from registry import rules as perms
from registry.cooperative_hooks import cooperative_communes_elsewhere
from registry.errors import Code
from registry.models import Cooperative, LegalForm, Stage, StageTransition, ValueChainStage
from registry.services.checks import (
    active_counts,
    actor_user,
    country,
    out_of_reach,
    require,
    visible_cooperative,
)


def cooperative_search_text(coop: Cooperative) -> str:
    return fold(coop.name, coop.registration_number, coop.commune.name if coop.commune else "")[
        :400
    ]


@service(texts=(Cooperative,), event_dates=("founded_on", "on"))
def cooperative_register(
    *,
    actor,
    name: str,
    legal_form: str,
    commune,
    sector,
    value_chain_stage: str,
    founded_on=None,
    registration_number=None,
    phone: str = "",
    email: str = "",
    address: str = "",
    latitude=None,
    longitude=None,
    sponsor=None,
    on: datetime.date | None = None,
) -> Cooperative:
    """A new cooperative at stage ``sensibilisee``, its first transition recorded.

    ``on`` dates that first transition (default: ``founded_on``, else today).
    """
    require(perms.can_register_cooperative.test(actor))
    coop = Cooperative(
        name=clean.required_text(name, "name", _("Le nom"), 200),
        legal_form=clean.choice(legal_form, LegalForm, "legal_form", _("Forme juridique")),
        commune=clean.commune(commune),
        sector=clean.sector(sector),
        value_chain_stage=clean.choice(
            value_chain_stage, ValueChainStage, "value_chain_stage", _("Maillon")
        ),
        founded_on=clean.date(founded_on, "founded_on", _("La date de création"), required=False),
        registration_number=clean.registration_number(registration_number),
        phone=clean.normalize_phone(phone),
        email=clean.email(email),
        address=clean.short_text(address),
        latitude=clean.latitude(latitude),
        longitude=clean.longitude(longitude),
        sponsor=clean.sponsor(sponsor),
        stage=Stage.SENSIBILISEE,
        created_by=actor_user(actor),
    )
    scope = scope_for(actor)
    if not scope.national and not scope.covers(coop.commune):
        raise out_of_reach()
    on = on or coop.founded_on or dates.today()
    coop.stage_changed_on = on
    coop.search_text = cooperative_search_text(coop)
    coop.save()
    StageTransition.objects.create(
        cooperative=coop,
        from_stage="",
        to_stage=Stage.SENSIBILISEE,
        on=on,
        actor=actor_user(actor),
    )
    areas_touch([coop.commune_id])
    return coop


def cooperative_cleaners(coop: Cooperative) -> dict:
    """The fields :func:`cooperative_update` may change, each with its cleaner."""
    return {
        "name": lambda v: clean.required_text(v, "name", _("Le nom"), 200),
        "legal_form": lambda v: clean.choice(v, LegalForm, "legal_form", _("Forme juridique")),
        "registration_number": lambda v: clean.registration_number(v, exclude_pk=coop.pk),
        "commune": clean.commune,
        "sector": clean.sector,
        "value_chain_stage": lambda v: clean.choice(
            v, ValueChainStage, "value_chain_stage", _("Maillon")
        ),
        "founded_on": lambda v: clean.date(
            v, "founded_on", _("La date de création"), required=False
        ),
        "phone": clean.normalize_phone,
        "email": clean.email,
        "address": clean.short_text,
        "latitude": clean.latitude,
        "longitude": clean.longitude,
        "sponsor": clean.sponsor,
    }


def _check_legal_form_fits(coop: Cooperative) -> None:
    """A registered cooperative changing its legal form must meet the new form's minimum
    membership and committee size."""
    if coop.stage not in ohada.law_for(country(coop)).registered_stages:
        return
    active, committee = active_counts(coop)
    rules = ohada.form_rules(country(coop), coop.legal_form)
    if active < rules.min_members:
        raise Conflict(
            _(
                "Une %(form)s doit compter au moins %(min)s membres actifs "
                "à l'étape actuelle (%(active)s actuellement)."
            )
            % {"form": rules.label, "min": rules.min_members, "active": active},
            code=Code.OHADA_MIN_MEMBERS,
            field="legal_form",
        )
    ohada.check_committee(
        country=country(coop),
        legal_form=coop.legal_form,
        active_members=active,
        committee_size=committee,
    )


@service(texts=(Cooperative,), event_dates=("founded_on",))
def cooperative_update(*, actor, cooperative: Cooperative, **fields) -> Cooperative:
    """Change the given fields (not the stage: see :func:`cooperative_stage_change`)."""
    coop = Cooperative.objects.select_for_update().select_related("commune").get(pk=cooperative.pk)
    visible_cooperative(actor, coop)
    require(perms.can_edit_cooperative.test(actor, coop))
    cleaners = cooperative_cleaners(coop)
    fields_check(fields, allowed=cleaners, message=_("Champ non modifiable ici : %(field)s."))
    areas_touch([coop.commune_id])  # the old commune, if it moves
    sector = coop.sector_id
    model_update(coop, fields, allowed=cleaners, cleaners=cleaners)
    if "commune" in fields:
        require(
            perms.can_edit_cooperative.test(actor, coop),
            _("Cette commune est hors de votre zone."),
        )
    if "legal_form" in fields:
        _check_legal_form_fits(coop)
    coop.search_text = cooperative_search_text(coop)
    coop.save()
    if "commune" in fields:
        scope_text.rebuild_cooperative_members([coop.pk])  # the agents who see its members
    areas_touch([coop.commune_id])
    if coop.sector_id != sector:  # the figures grouped by it elsewhere (its members' loans)
        areas_touch(cooperative_communes_elsewhere([coop.pk]))
    return coop


@service(
    texts=(
        (StageTransition, {"note": "note"}),
        (Cooperative, {"registration_number": "registration_number"}),
    ),
    event_dates=("on",),
)
def cooperative_stage_change(
    *,
    actor,
    cooperative: Cooperative,
    stage: str,
    on,
    note: str = "",
    registration_number=None,
) -> Cooperative:
    """Move along the lifecycle (rules in :mod:`registry.ohada`); records the transition.

    ``registration_number`` may be given at the same time (typically with
    ``immatriculee``).
    """
    coop = Cooperative.objects.select_for_update().select_related("commune").get(pk=cooperative.pk)
    visible_cooperative(actor, coop)
    require(perms.can_change_stage.test(actor, coop))
    stage = clean.choice(stage, Stage, "stage", _("Étape"))
    on = clean.date(on, "on", _("La date"))
    if coop.stage_changed_on and on < coop.stage_changed_on:
        raise ValidationFailed(
            _("La date ne peut précéder celle de l'étape actuelle (%(date)s).")
            % {"date": f"{coop.stage_changed_on:%d/%m/%Y}"},
            code=Code.STAGE_DATE,
            field="on",
        )
    if registration_number not in (None, ""):
        coop.registration_number = clean.registration_number(
            registration_number, exclude_pk=coop.pk
        )
    active, committee = active_counts(coop)
    ohada.check_stage_change(
        country=country(coop),
        legal_form=coop.legal_form,
        current=coop.stage,
        target=stage,
        active_members=active,
        committee_size=committee,
        registration_number=coop.registration_number,
    )
    StageTransition.objects.create(
        cooperative=coop,
        from_stage=coop.stage,
        to_stage=stage,
        on=on,
        note=clean.short_text(note),
        actor=actor_user(actor),
    )
    coop.stage = stage
    coop.stage_changed_on = on
    coop.search_text = cooperative_search_text(coop)
    coop.save()
    areas_touch([coop.commune_id])
    return coop
