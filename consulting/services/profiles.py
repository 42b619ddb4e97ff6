"""Consultants' profiles: written by the consultant, verified by a moderator."""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext as _

from consulting.errors import Code
from consulting.models import ConsultantProfile, ProfileStatus
from consulting.rules import can_verify_consultant
from consulting.services import checks
from core.errors import Forbidden, ValidationFailed
from core.services import service
from core.text import fold
from network.countries import is_african
from network.services import phone_e164

DECISIONS = {"verify": ProfileStatus.VERIFIED, "refuse": ProfileStatus.REFUSED}


def _clean(data: dict) -> dict:
    countries = checks.code_list(
        data.get("countries"), field="countries", allowed=is_african, most=10
    )
    clean = {
        "name": checks.text(data.get("name"), field="name", most=120),
        "headline": checks.text(data.get("headline"), field="headline", most=200),
        "bio": checks.text(data.get("bio"), field="bio", most=3000, required=False),
        "skills": checks.skill_list(data.get("skills")),
        "countries": "," + ",".join(countries) + ",",
        "languages": ","
        + ",".join(
            checks.code_list(
                data.get("languages"),
                field="languages",
                allowed=lambda v: v in checks.LANGUAGES,
                most=6,
            )
        )
        + ",",
        "day_rate": checks.whole(data.get("day_rate"), field="day_rate", most=5_000_000),
        "references": checks.text(data.get("references"), field="references", most=3000),
        "payout_provider": checks.provider(data.get("payout_provider") or "wave"),
    }
    clean["payout_phone"] = phone_e164(
        data.get("payout_phone"), country=countries[0], field="payout_phone"
    )
    if not clean["payout_phone"]:
        raise ValidationFailed(
            _("Le téléphone de versement est obligatoire."),
            code=Code.REQUIRED,
            field="payout_phone",
        )
    return clean


@service
def consultant_profile_save(*, actor, **data) -> ConsultantProfile:
    """A signed-in user writes their own consultant profile. A new profile, or an edited
    one, waits for a moderator's verification before it is public or may propose."""
    if not getattr(actor, "is_authenticated", False):
        raise Forbidden(_("Connectez-vous pour créer votre profil de consultant."))
    clean = _clean(data)
    clean["search_text"] = fold(
        " ".join([clean["name"], clean["headline"], " ".join(clean["skills"]), clean["countries"]])
    )
    profile = ConsultantProfile.objects.select_for_update().filter(user=actor).first()
    if profile is None:
        return ConsultantProfile.objects.create(user=actor, **clean)
    for name, value in clean.items():
        setattr(profile, name, value)
    profile.status, profile.moderation_reason = ProfileStatus.PENDING, ""
    profile.save()
    return profile


@service(texts=((ConsultantProfile, {"reason": "moderation_reason"}),))
def consultant_verify(
    *, actor, profile: ConsultantProfile, decision: str, reason: str = ""
) -> ConsultantProfile:
    """A moderator of one of the consultant's countries (or an administrator) verifies the
    profile (its references checked) or refuses it with a reason."""
    profile = ConsultantProfile.objects.select_for_update().get(pk=profile.pk)
    if not can_verify_consultant(actor, profile):
        raise Forbidden(_("Seul un modérateur d'un pays du consultant décide de ce profil."))
    if decision not in DECISIONS:
        raise ValidationFailed(_("Décision inconnue."), code=Code.INVALID_CHOICE, field="decision")
    reason = str(reason or "").strip()
    if decision == "refuse" and not reason:
        raise ValidationFailed(_("Donnez le motif."), code=Code.REQUIRED, field="reason")
    profile.status, profile.moderation_reason = DECISIONS[decision], reason
    profile.moderated_by, profile.moderated_at = actor, timezone.now()
    profile.save()
    return profile
