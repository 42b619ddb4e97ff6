"""Jobs: the employments a cooperative creates (the programme counts them)."""

from __future__ import annotations

from django.utils.translation import gettext as _

from core.errors import Conflict, ValidationFailed
from core.services import service
from geo.changes import areas_touch
from registry import cleaners as clean
from registry import rules as perms
from registry.errors import Code
from registry.models import ContractType, Cooperative, Employment, Person
from registry.services.checks import require, visible_cooperative


def _check_ended_after_started(started_on, ended_on) -> None:
    if ended_on and ended_on < started_on:
        raise ValidationFailed(
            _("La fin précède le début."), code=Code.ENDED_BEFORE_STARTED, field="ended_on"
        )


@service(
    texts=(Employment,),
    event_dates=("started_on",),
    planned_dates=("ended_on",),
    amounts=("monthly_pay",),
)
def employment_record(
    *,
    actor,
    cooperative: Cooperative,
    person: Person,
    job_title: str,
    contract_type: str,
    started_on,
    ended_on=None,
    monthly_pay: int = 0,
    social_security: bool = False,
) -> Employment:
    coop = Cooperative.objects.select_related("commune").get(pk=cooperative.pk)
    visible_cooperative(actor, coop)
    require(perms.can_manage_jobs.test(actor, coop))
    person = Person.objects.get(pk=person.pk)
    if person.merged_into_id:
        raise Conflict(
            _("Cette personne a été fusionnée : choisissez la fiche conservée."),
            code=Code.PERSON_MERGED,
            field="person",
        )
    started_on = clean.date(started_on, "started_on", _("La date de début"))
    ended_on = clean.date(ended_on, "ended_on", _("La date de fin"), required=False)
    _check_ended_after_started(started_on, ended_on)
    pay = clean.amount(monthly_pay, "monthly_pay")
    areas_touch([coop.commune_id], on=started_on)
    return Employment.objects.create(
        cooperative=coop,
        person=person,
        job_title=clean.required_text(job_title, "job_title", _("Le poste"), 120),
        contract_type=clean.choice(
            contract_type, ContractType, "contract_type", _("Type de contrat")
        ),
        started_on=started_on,
        ended_on=ended_on,
        monthly_pay=pay,
        social_security=bool(social_security),
    )


@service(planned_dates=("ended_on",))
def employment_end(*, actor, employment: Employment, ended_on) -> Employment:
    job = (
        Employment.objects.select_for_update()
        .select_related("cooperative__commune")
        .get(pk=employment.pk)
    )
    visible_cooperative(actor, job.cooperative)
    require(perms.can_manage_jobs.test(actor, job.cooperative))
    ended_on = clean.date(ended_on, "ended_on", _("La date de fin"))
    if job.ended_on is not None:
        raise Conflict(_("Cet emploi est déjà terminé."), code=Code.ALREADY_ENDED)
    _check_ended_after_started(job.started_on, ended_on)
    job.ended_on = ended_on
    job.save()
    areas_touch([job.cooperative.commune_id], on=ended_on)
    return job
