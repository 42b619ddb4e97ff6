"""Every write of the network portal (docs/network.md): the directory and its moderation,
the project bank, campaigns, pledges (paid through the payments app), match funds and the
closing of campaigns (refunds, settlements, the platform's books in network.books)."""

from __future__ import annotations

import contextlib
import datetime
import functools
import hashlib
import secrets
from decimal import Decimal, InvalidOperation

import phonenumbers
from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, connections, router, transaction
from django.db.models import Exists, F, OuterRef
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from core import dates, files
from core.errors import Conflict, Forbidden, NotFound, ValidationFailed
from core.files import CleanFile
from core.money import format_xof
from core.services import fields_check, model_update, service
from core.text import fold
from network import books, rules
from network.countries import country_name, is_african
from network.errors import Code
from network.models import (
    AbuseReport,
    Campaign,
    CampaignState,
    CampaignUpdate,
    FileKind,
    Kind,
    Match,
    MatchFund,
    MatchStatus,
    MatchTally,
    Mode,
    NetworkStaff,
    Organisation,
    OrganisationFile,
    OrganisationMember,
    OrganisationSector,
    OrgStatus,
    Pledge,
    PledgeStatus,
    Project,
    ProjectFollow,
    ProjectMessage,
    ReportReason,
    ReportStatus,
    Sector,
    StaffRole,
    Stage,
)
from network.once import insert_once
from network.ratelimit import RateLimited

DECISIONS = {
    "approve": OrgStatus.APPROVED,
    "request_changes": OrgStatus.CHANGES,
    "refuse": OrgStatus.REFUSED,
}


# --------------------------------------------------------------------------- checks


def phone_e164(raw, *, country: str = "SN", field: str = "phone") -> str:
    """A phone number in E.164 (``phonenumbers``, the country's own format accepted)."""
    raw = str(raw or "").strip()
    if not raw:
        return ""
    try:
        number = phonenumbers.parse(raw, (country or "SN").upper())
    except phonenumbers.NumberParseException:
        number = None
    if number is None or not phonenumbers.is_valid_number(number):
        raise ValidationFailed(
            _("Numéro de téléphone invalide."), code=Code.INVALID_PHONE, field=field
        )
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def _required(value, field: str) -> str:
    value = str(value or "").strip()
    if not value:
        raise ValidationFailed(_("Ce champ est obligatoire."), code=Code.REQUIRED, field=field)
    return value


def _choice(value, choices, field: str) -> str:
    if value not in choices.values:
        raise ValidationFailed(_("Valeur inconnue."), code=Code.INVALID_CHOICE, field=field)
    return value


def _country(value, field: str = "country") -> str:
    value = str(value or "").upper()
    if not is_african(value):
        raise ValidationFailed(
            _("Un pays d'Afrique (code ISO 3166-1 à deux lettres)."),
            code=Code.INVALID_COUNTRY,
            field=field,
        )
    return value


def _sectors(values) -> list[str]:
    values = list(dict.fromkeys(values or []))
    if not values or len(values) > 5:
        raise ValidationFailed(_("De 1 à 5 secteurs."), code=Code.INVALID, field="sectors")
    for value in values:
        _choice(value, Sector, "sectors")
    return values


def _unique_slug(model, text: str) -> str:
    base = slugify(fold(text))[:60] or "x"
    slug, n = base, 1
    while model.objects.filter(slug=slug).exists():
        n += 1
        slug = f"{base}-{n}"
    return slug


def _org_search(org: Organisation, sectors: list[str]) -> str:
    return fold(
        org.name,
        org.city,
        org.region,
        country_name(org.country, "fr"),
        country_name(org.country, "en"),
        org.get_kind_display(),
        *[str(Sector(s).label) for s in sectors],
    )


# --------------------------------------------------------------------------- directory


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


ORG_TEXTS = {n: n for n in ("name", "city", "region", "description", "website", "email")}


@service(texts=((Organisation, ORG_TEXTS),))
def organisation_register(
    *,
    actor=None,
    name: str,
    kind: str,
    country: str,
    city: str,
    sectors: list[str],
    description: str = "",
    website: str = "",
    email: str = "",
    phone: str = "",
    region: str = "",
    owner=None,
) -> tuple[Organisation, str]:
    """A registration by the organisation itself: ``pending`` until a moderator decides.
    Returns the organisation and the verification code sent to its e-mail (a moderator
    approves only once the contact is verified). ``owner``: the user who registered."""
    country = _country(country)
    email = str(email or "").strip()
    phone = phone_e164(phone, country=country)
    if not email and not phone:
        raise ValidationFailed(
            _("Donnez un e-mail ou un téléphone de contact."), code=Code.REQUIRED, field="email"
        )
    org = Organisation(
        name=_required(name, "name"),
        kind=_choice(kind, Kind, "kind"),
        country=country,
        city=_required(city, "city"),
        region=region.strip(),
        description=description.strip(),
        website=website.strip(),
        email=email,
        phone=phone,
    )
    sectors = _sectors(sectors)
    org.slug = _unique_slug(Organisation, f"{org.name} {org.city}")
    org.search_text = _org_search(org, sectors)
    code = _new_code(org)
    org.save()
    OrganisationSector.objects.bulk_create(
        [OrganisationSector(organisation=org, sector=s) for s in sectors]
    )
    if owner is not None and getattr(owner, "pk", None):
        OrganisationMember.objects.create(organisation=org, user=owner, is_owner=True)
    transaction.on_commit(lambda: _send_code(org, code))
    return org, code


@service
def organisation_signup(*, username: str, password: str, actor=None, **fields) -> Organisation:
    """The registration page: the owner's account (the programme's password rules and
    lock-out apply to it) and the organisation, pending, in one transaction."""
    from django.contrib.auth import get_user_model

    user_model = get_user_model()
    if user_model.objects.filter(username__iexact=username).exists():
        raise Conflict(_("Cet identifiant est déjà pris."), code=Code.DUPLICATE, field="username")
    user = user_model.objects.create_user(
        username=username[:150], password=password, email=fields.get("email", "")
    )
    org, _code = organisation_register(owner=user, **fields)
    return org


def _new_code(org: Organisation) -> str:
    """A new 6-digit code (stored hashed with the slug), the wrong attempts reset."""
    code = f"{secrets.randbelow(10**6):06d}"
    org.verification_hash = _hash(f"{org.slug}:{code}")
    org.verification_attempts, org.verification_sent_at = 0, timezone.now()
    return code


def _send_code(org: Organisation, code: str) -> None:
    """After the commit: by e-mail when the organisation gave one, else by SMS through
    the messaging app's gateway (kind ``network_code``; a refusal is logged there and the
    page offers to send the code again)."""
    if org.email:
        send_mail(
            _("Votre code de vérification SunuCoop"),
            _("Code de vérification de « %(name)s » : %(code)s") % {"name": org.name, "code": code},
            None,
            [org.email],
            fail_silently=True,
        )
        return
    from messaging.backends import SmsSendError
    from messaging.rendering import render, template_texts
    from messaging.services import sms_send

    text = render(template_texts("network_code")["fr"], {"name": org.name[:40], "code": code})
    # a refusal is logged "failed" by messaging; the verification page sends it again
    with contextlib.suppress(SmsSendError):
        sms_send(kind="network_code", phone=org.phone, text=text)


@service
def organisation_code_resend(*, organisation: Organisation, actor=None) -> str:
    """A new code for a registration whose contact is not verified yet: at most
    NETWORK_CODES_PER_HOUR sends an hour (the first one included), then 429."""
    org = Organisation.objects.select_for_update().get(pk=organisation.pk)
    if org.contact_verified_at is not None:
        raise Conflict(_("Le contact est déjà vérifié."), code=Code.ALREADY_VERIFIED)
    sent = org.verification_sent_at
    if sent and timezone.now() - sent < datetime.timedelta(hours=1):
        if org.verification_sends >= settings.NETWORK_CODES_PER_HOUR:
            raise RateLimited(_("Trop de codes envoyés ; réessayez dans une heure."))
        org.verification_sends += 1
    else:
        org.verification_sends = 1
    code = _new_code(org)
    if sent and org.verification_sends > 1:
        org.verification_sent_at = sent  # the hour counts from its first send
    org.save(update_fields=[*CODE_FIELDS, "updated_at"])
    transaction.on_commit(lambda: _send_code(org, code))
    return code


CODE_FIELDS = ("verification_hash", "verification_attempts", "verification_sent_at",
               "verification_sends")  # fmt: skip


@service(atomic=False)
def organisation_verify_contact(*, organisation: Organisation, code: str, actor=None):
    """The code sent at registration proves the contact address (once). After
    NETWORK_CODE_ATTEMPTS wrong codes the code is void and a new one must be asked for;
    the count of wrong attempts is kept even though the call fails (its own transaction)."""
    with transaction.atomic():
        org, outcome = _check_code(organisation, str(code or "").strip()[:12])
    if outcome == "expired":
        raise Conflict(
            _("Ce code n'est plus valable : demandez-en un nouveau."),
            code=Code.CODE_EXPIRED,
            field="code",
        )
    if outcome == "wrong":
        raise ValidationFailed(
            _("Code de vérification incorrect."), code=Code.BAD_CODE, field="code"
        )
    return org


def _check_code(organisation: Organisation, code: str) -> tuple[Organisation, str]:
    org = Organisation.objects.select_for_update().get(pk=organisation.pk)
    if org.contact_verified_at is not None:
        return org, "verified"
    if not org.verification_hash:
        return org, "expired"
    if not secrets.compare_digest(org.verification_hash, _hash(f"{org.slug}:{code}")):
        org.verification_attempts += 1
        if org.verification_attempts >= settings.NETWORK_CODE_ATTEMPTS:
            org.verification_hash = ""  # too many wrong codes: a new one is needed
        org.save(update_fields=["verification_attempts", "verification_hash"])
        return org, "wrong"
    org.contact_verified_at = timezone.now()
    org.verification_hash = ""
    org.save(update_fields=["contact_verified_at", "verification_hash", "updated_at"])
    return org, "verified"


@service(texts=((Organisation, {"reason": "moderation_reason"}),))
def organisation_moderate(
    *, actor, organisation: Organisation, decision: str, reason: str = ""
) -> Organisation:
    """A moderator of the organisation's country (or an administrator) approves it, asks
    for changes or refuses it; the last two need a reason, shown to the organisation."""
    org = Organisation.objects.select_for_update().get(pk=organisation.pk)
    if not rules.can_moderate(actor, org):
        raise Forbidden(_("Seul un modérateur de ce pays décide de cette organisation."))
    if decision not in DECISIONS:
        raise ValidationFailed(_("Décision inconnue."), code=Code.INVALID_CHOICE, field="decision")
    reason = str(reason or "").strip()
    if decision != "approve" and not reason:
        raise ValidationFailed(_("Donnez le motif."), code=Code.REQUIRED, field="reason")
    if decision == "approve" and org.contact_verified_at is None and org.cooperative_id is None:
        raise Conflict(
            _("Le contact de l'organisation n'est pas encore vérifié."), code=Code.NOT_VERIFIED
        )
    org.status = DECISIONS[decision]
    org.moderation_reason = reason
    org.moderated_by, org.moderated_at = actor, timezone.now()
    org.save()
    return org


@service
def organisation_verify_documents(*, actor, organisation: Organisation) -> Organisation:
    """A moderator has checked the organisation's documents (at least one uploaded; each
    is stamped with who checked it and when): the organisation may raise money."""
    org = Organisation.objects.select_for_update().get(pk=organisation.pk)
    if not rules.can_moderate(actor, org):
        raise Forbidden(_("Seul un modérateur de ce pays vérifie cette organisation."))
    if org.status != OrgStatus.APPROVED:
        raise Conflict(_("L'organisation n'est pas publiée."), code=Code.NOT_APPROVED)
    documents = OrganisationFile.objects.filter(organisation=org).exclude(kind=FileKind.LOGO)
    if not documents.exists():
        raise Conflict(
            _("L'organisation n'a déposé aucun document à vérifier."), code=Code.NO_DOCUMENTS
        )
    now = timezone.now()
    for document in documents.filter(checked_at__isnull=True):
        document.checked_by, document.checked_at = actor, now
        document.save(update_fields=["checked_by", "checked_at"])
    org.verified_at = org.verified_at or now
    org.save(update_fields=["verified_at", "updated_at"])
    return org


@service
def organisation_file_add(
    *, actor, organisation: Organisation, kind: str, file: CleanFile
) -> OrganisationFile:
    """The organisation's users upload its logo (PNG or JPEG, NETWORK_LOGO_MAX_BYTES; a
    new one replaces the old) or a document for the moderators (PDF, office file or
    photo, NETWORK_DOCUMENT_MAX_BYTES, at most NETWORK_DOCUMENTS_MAX). The bytes were
    checked by core.files; the kind and size are checked again here."""
    org = Organisation.objects.select_for_update().get(pk=organisation.pk)
    if not rules.can_edit_organisation(actor, org):
        raise Forbidden(_("Seuls les comptes de l'organisation déposent ses pièces."))
    kind = _choice(kind, FileKind, "kind")
    logo = kind == FileKind.LOGO
    extensions = files.IMAGES if logo else files.DOCUMENTS + files.IMAGES
    limit = settings.NETWORK_LOGO_MAX_BYTES if logo else settings.NETWORK_DOCUMENT_MAX_BYTES
    file = files.clean_bytes(file.filename, file.data, kinds=extensions, max_bytes=limit)
    existing = OrganisationFile.objects.filter(organisation=org)
    if logo:
        existing.filter(kind=FileKind.LOGO).delete()
    elif existing.exclude(kind=FileKind.LOGO).count() >= settings.NETWORK_DOCUMENTS_MAX:
        raise Conflict(
            _("Au plus %(n)s documents.") % {"n": settings.NETWORK_DOCUMENTS_MAX},
            code=Code.TOO_MANY,
            field="file",
        )
    return OrganisationFile.objects.create(
        organisation=org,
        kind=kind,
        filename=file.filename,
        content_type=file.content_type,
        size=file.size,
        data=file.data,
        uploaded_by=actor,
    )


@service(texts=((Organisation, ORG_TEXTS),))
def organisation_update(*, actor, organisation: Organisation, **changes) -> Organisation:
    """The organisation's users edit its public profile; after "changes requested" the
    profile goes back to moderation."""
    org = Organisation.objects.select_for_update().get(pk=organisation.pk)
    if not rules.can_edit_organisation(actor, org):
        raise NotFound(_("Organisation introuvable."))
    allowed = {"name", "city", "region", "description", "website", "email", "phone"}
    allowed |= {"payout_phone", "payout_provider"}
    fields_check(
        changes, allowed=allowed | {"sectors"}, message=_("Champ non modifiable."), code="invalid"
    )
    sectors = changes.pop("sectors", None)
    phones = {
        name: functools.partial(phone_e164, country=org.country, field=name)
        for name in ("phone", "payout_phone")
    }
    model_update(org, changes, allowed=allowed, cleaners=phones)
    if sectors is not None:
        sectors = _sectors(sectors)
        OrganisationSector.objects.filter(organisation=org).delete()
        OrganisationSector.objects.bulk_create(
            [OrganisationSector(organisation=org, sector=s) for s in sectors]
        )
    codes = sectors or list(org.sector_rows.values_list("sector", flat=True))
    org.search_text = _org_search(org, codes)
    if org.status == OrgStatus.CHANGES:
        org.status = OrgStatus.PENDING
    org.save()
    return org


@service
def cooperative_publish(*, actor, cooperative, sectors: list[str]) -> Organisation:
    """A CPS cooperative's officers publish its registry profile in the directory, in one
    action (opt-in): its name, commune and region only; members' data is never published.
    A cooperative of the programme's registry is approved at once (the registry vouches
    for it); the officer becomes the organisation's owner."""
    from accounts.scoping import scope_for

    if cooperative.pk not in scope_for(actor).cooperative_ids:
        raise Forbidden(_("Seuls les responsables de la coopérative la publient."))
    existing = Organisation.objects.filter(cooperative=cooperative).first()
    if existing is not None:
        return existing
    from geo.selectors import area_get

    commune = cooperative.commune
    codes = commune.path_codes() if commune else []
    region = area_get(code=codes[1]) if len(codes) > 1 else None
    org = Organisation(
        name=cooperative.name[:200],
        kind=Kind.COOPERATIVE,
        country="SN",
        city=commune.name if commune else "",
        region=region.name if region else "",
        cooperative=cooperative,
        status=OrgStatus.APPROVED,
        moderated_by=actor,
        moderated_at=timezone.now(),
        moderation_reason=_("Coopérative du registre CPS"),
    )
    sectors = _sectors(sectors)
    org.slug = _unique_slug(Organisation, f"{org.name} {org.city}")
    org.search_text = _org_search(org, sectors)
    org.save()
    OrganisationSector.objects.bulk_create(
        [OrganisationSector(organisation=org, sector=s) for s in sectors]
    )
    OrganisationMember.objects.create(organisation=org, user=actor, is_owner=True)
    return org


@service
def organisation_member_add(*, actor, organisation: Organisation, user) -> OrganisationMember:
    """The owner (or an administrator) gives another user access to the organisation."""
    if not rules.can_manage_members(actor, organisation):
        raise Forbidden(_("Seul le propriétaire ajoute des comptes."))
    member, _created = OrganisationMember.objects.get_or_create(
        organisation=organisation, user=user
    )
    return member


@service
def staff_assign(*, actor, user, role: str, country: str = "") -> NetworkStaff:
    """An administrator names a moderator of a country, or another administrator."""
    if not rules.is_network_admin(actor) and not getattr(actor, "is_superuser", False):
        raise Forbidden(_("Seuls les administrateurs du réseau attribuent les rôles."))
    role = _choice(role, StaffRole, "role")
    country = _country(country) if role == StaffRole.MODERATOR else ""
    staff, _created = NetworkStaff.objects.get_or_create(user=user, role=role, country=country)
    return staff


# --------------------------------------------------------------------------- project bank


def _member_org(actor, organisation: Organisation) -> Organisation:
    if organisation.pk not in rules.network_scope(actor).organisation_ids:
        raise Forbidden(_("Seuls les comptes de l'organisation agissent pour elle."))
    organisation = Organisation.objects.get(pk=organisation.pk)  # its state now
    if organisation.status != OrgStatus.APPROVED:
        raise Conflict(_("L'organisation n'est pas encore publiée."), code=Code.NOT_APPROVED)
    return organisation


@service(texts=(Project,), amounts=("budget", "needs_money"))
def project_create(
    *,
    actor,
    organisation: Organisation,
    title: str,
    summary: str,
    sector: str,
    stage: str,
    budget: int,
    needs_money: int = 0,
    needs_skills: str = "",
    needs_equipment: str = "",
    description: str = "",
    country: str = "",
) -> Project:
    organisation = _member_org(actor, organisation)
    project = Project(
        organisation=organisation,
        title=_required(title, "title"),
        summary=_required(summary, "summary"),
        description=description.strip(),
        country=_country(country or organisation.country),
        sector=_choice(sector, Sector, "sector"),
        stage=_choice(stage, Stage, "stage"),
        budget=budget,
        needs_money=needs_money,
        needs_skills=needs_skills.strip(),
        needs_equipment=needs_equipment.strip(),
        created_by=actor,
    )
    if needs_money > budget:
        raise ValidationFailed(
            _("Le besoin de financement dépasse le budget."), code=Code.INVALID, field="needs_money"
        )
    project.slug = _unique_slug(Project, project.title)
    project.search_text = fold(
        project.title, project.summary, organisation.name, organisation.city,
        country_name(project.country, "fr"), country_name(project.country, "en"),
        project.needs_skills, project.needs_equipment,
    )  # fmt: skip
    project.save()
    return project


@service
def project_follow(*, actor, project: Project) -> ProjectFollow:
    """A partner (any signed-in user) follows a project: its campaigns' news reach them."""
    follow, _created = ProjectFollow.objects.get_or_create(project=project, user=actor)
    return follow


@service(texts=(ProjectMessage,))
def project_message_send(*, actor, project: Project, body: str) -> ProjectMessage:
    """A partner writes to the organisation through the portal: the message is stored,
    then its contact e-mail is notified (the sender's address is not disclosed)."""
    body = _required(body, "body")
    message = ProjectMessage.objects.create(project=project, sender=actor, body=body)
    org = project.organisation
    if org.email:
        transaction.on_commit(lambda: _notify_message(message, org))
    return message


def _notify_message(message: ProjectMessage, org: Organisation) -> None:
    send_mail(
        _("Nouveau message sur SunuCoop : %(title)s") % {"title": message.project.title},
        message.body,
        None,
        [org.email],
        fail_silently=True,
    )
    ProjectMessage.objects.filter(pk=message.pk).update(notified_at=timezone.now())


# --------------------------------------------------------------------------- campaigns


@service(texts=(Campaign,), planned_dates=("starts_on", "ends_on"), amounts=("goal",))
def campaign_create(
    *,
    actor,
    project: Project,
    goal: int,
    starts_on: datetime.date,
    ends_on: datetime.date,
    mode: str,
    today: datetime.date | None = None,
) -> Campaign:
    """A campaign on a project of a verified organisation (documents checked)."""
    org = _member_org(actor, project.organisation)
    if org.verified_at is None:
        raise Conflict(
            _("Un modérateur doit d'abord vérifier les documents de l'organisation."),
            code=Code.NOT_VERIFIED,
        )
    today = today or dates.today()
    if goal < 1:
        raise ValidationFailed(
            _("L'objectif doit être positif."), code=Code.OUT_OF_RANGE, field="goal"
        )
    if ends_on < starts_on or ends_on < today:
        raise ValidationFailed(
            _("La fin doit suivre le début et être à venir."), code=Code.INVALID, field="ends_on"
        )
    if (ends_on - starts_on).days > 120:
        raise ValidationFailed(_("120 jours au plus."), code=Code.TOO_LONG, field="ends_on")
    return Campaign.objects.create(
        project=project,
        goal=goal,
        starts_on=starts_on,
        ends_on=ends_on,
        mode=_choice(mode, Mode, "mode"),
        commission_percent=Decimal(str(settings.NETWORK_COMMISSION_PERCENT)),
        created_by=actor,
    )


@service(texts=(CampaignUpdate,))
def campaign_update_post(*, actor, campaign: Campaign, title: str, body: str) -> CampaignUpdate:
    """News for the backers (shown on the campaign's page)."""
    if campaign.project.organisation_id not in rules.network_scope(actor).organisation_ids:
        raise Forbidden(_("Seuls les comptes de l'organisation publient des nouvelles."))
    update = CampaignUpdate.objects.create(
        campaign=campaign,
        title=_required(title, "title"),
        body=_required(body, "body"),
        created_by=actor,
    )
    transaction.on_commit(lambda: _notify_followers(update))
    return update


def _notify_followers(update: CampaignUpdate) -> None:
    """The project's followers (partners who follow it) get the news by e-mail, each on
    their own (no one sees the others' addresses)."""
    project = update.campaign.project
    addresses = (
        ProjectFollow.objects.filter(project=project)
        .exclude(user__email="")
        .values_list("user__email", flat=True)
    )
    for address in addresses[:1000]:
        send_mail(
            _("Nouvelles de « %(title)s »") % {"title": project.title},
            f"{update.title}\n\n{update.body}",
            None,
            [address],
            fail_silently=True,
        )


def campaign_is_live(campaign: Campaign, today: datetime.date) -> bool:
    return campaign.state == CampaignState.OPEN and campaign.starts_on <= today <= campaign.ends_on


def pledge_create(
    *,
    campaign: Campaign,
    amount,
    donor_name: str,
    donor_phone: str,
    provider: str,
    actor=None,
) -> Pledge:
    """A pledge from anyone (no account needed): recorded pending, then its payment is
    started through the payments app (purpose ``pledge``); it counts once paid."""
    from payments.services import payment_start

    pledge = pledge_record(
        campaign=campaign,
        amount=amount,
        donor_name=donor_name,
        donor_phone=donor_phone,
        provider=provider,
        actor=actor,
    )
    intent = payment_start(
        purpose="pledge",
        target_id=pledge.pk,
        amount=pledge.amount,
        phone=pledge.donor_phone,
        provider=pledge.provider,
        actor=actor,
    )
    Pledge.objects.filter(pk=pledge.pk).update(intent=intent)
    pledge.intent = intent
    return pledge


@service(texts=((Pledge, {"donor_name": "donor_name"}),))
def pledge_record(*, campaign, amount, donor_name, donor_phone, provider, actor) -> Pledge:
    if isinstance(amount, bool) or not isinstance(amount, int):
        raise ValidationFailed(_("Un nombre entier de francs."), code=Code.INVALID, field="amount")
    most = settings.NETWORK_PLEDGE_MAX
    if not 1 <= amount <= most:
        raise ValidationFailed(
            _("Le don doit être compris entre 1 et %(most)s.") % {"most": format_xof(most)},
            code=Code.OUT_OF_RANGE,
            field="amount",
        )
    if not campaign_is_live(campaign, dates.today()):
        raise Conflict(_("Cette campagne ne reçoit pas de dons."), code=Code.CAMPAIGN_NOT_LIVE)
    country = campaign.project.country
    return Pledge.objects.create(
        campaign=campaign,
        amount=amount,
        donor_name=_required(donor_name, "donor_name"),
        donor_phone=_required(phone_e164(donor_phone, country=country, field="donor_phone"),
                              "donor_phone"),
        provider=str(provider or "")[:16],
        token=secrets.token_urlsafe(16)[:32],
    )  # fmt: skip


def pledge_paid(*, intent) -> str:
    """The payments app's word that a pledge's money came (purpose ``pledge``): called once,
    in the transaction that marks the intent succeeded. The pledge counts; the books move
    the money into the campaign's holding account; the match funds match it (API.md)."""
    pledge = Pledge.objects.select_for_update().get(pk=intent.target_id)
    if pledge.status != PledgeStatus.PENDING:
        raise Conflict(_("Cette promesse n'attend plus de paiement."), code=Code.NOT_PENDING)
    if intent.amount != pledge.amount:
        raise Conflict(_("Le montant payé diffère de la promesse."), code=Code.AMOUNT_DIFFERS)
    campaign = _campaign_shared(pledge.campaign_id)
    if campaign.state != CampaignState.OPEN:  # a late payment: a person refunds it
        raise Conflict(_("La campagne est close."), code=Code.CAMPAIGN_CLOSED)
    pledge.status, pledge.paid_at = PledgeStatus.PAID, intent.paid_at or timezone.now()
    pledge.intent, pledge.campaign = intent, campaign
    pledge.save(update_fields=["status", "paid_at", "intent"])
    books.pledge_received(pledge)
    _match_all(campaign, pledge)  # last: the funds' locks are held until the commit
    return f"pledge:{pledge.pk}"


def _campaign_shared(pk: int) -> Campaign:
    """The campaign under a *shared* row lock (PostgreSQL ``FOR SHARE``) until the payment's
    transaction ends: the payments of one campaign run side by side (an exclusive lock
    queued them one by one: 15 pledges a second at most on this machine, and it also
    held up the pledges being recorded, whose key check waits on it), while a closing or a
    suspension (``FOR UPDATE``) waits for the payments under way, and the payments after it
    see the campaign closed: no pledge counts on a closed campaign, none is left out of
    its closing. SQLite locks the whole database for a write anyway."""
    alias = router.db_for_write(Campaign)
    if connections[alias].vendor != "postgresql":
        return Campaign.objects.using(alias).get(pk=pk)
    rows = Campaign.objects.db_manager(alias).raw(
        'SELECT * FROM "network_campaign" WHERE "id" = %s FOR SHARE', [pk]
    )
    return rows[0]


# --------------------------------------------------------------------------- moving a pledge


def check_move_destination(source: Campaign, destination: Campaign, today) -> None:
    """Where a failed campaign's pledge may move: another campaign, live, public, ending
    after the source (so it is still live when the source closes, and moves never form a
    cycle: closings lock campaigns in the order of their end dates)."""
    if destination.pk == source.pk:
        raise ValidationFailed(
            _("Choisissez une autre campagne."), code=Code.INVALID, field="campaign"
        )
    if not campaign_is_live(destination, today) or (
        destination.project.organisation.status != OrgStatus.APPROVED
    ):
        raise Conflict(
            _("Cette campagne ne reçoit pas de dons."),
            code=Code.CAMPAIGN_NOT_LIVE,
            field="campaign",
        )
    if destination.ends_on <= source.ends_on:
        raise ValidationFailed(
            _("La campagne choisie doit finir après celle-ci."), code=Code.INVALID, field="campaign"
        )


@service
def pledge_move_choose(*, pledge: Pledge, destination: Campaign | None, actor=None) -> Pledge:
    """The donor's choice, on the pledge's own page (its secret link is the proof): if
    this all-or-nothing campaign fails, the pledge moves to ``destination`` instead of
    being refunded; ``None`` takes the choice back (a refund). Until the campaign closes."""
    campaign = Campaign.objects.select_for_update().get(pk=pledge.campaign_id)
    pledge = Pledge.objects.select_for_update().get(pk=pledge.pk)
    pledge.campaign = campaign
    if not rules.pledge_movable(pledge):
        raise Conflict(_("Ce don ne peut plus être reporté."), code=Code.NOT_MOVABLE)
    if destination is not None:
        check_move_destination(campaign, destination, dates.today())
    pledge.move_to = destination
    pledge.save(update_fields=["move_to"])
    return pledge


def _move(pledge: Pledge, campaign: Campaign, on) -> bool:
    """Move a failed campaign's paid pledge to the campaign its donor chose, once (the new
    pledge's ``moved_from`` is unique): it counts there at once and is matched by that
    campaign's funds under the usual rule. False when the choice no longer holds (the
    chosen campaign closed meanwhile): the pledge is refunded instead."""
    destination = Campaign.objects.select_for_update().get(pk=pledge.move_to_id)
    try:
        check_move_destination(campaign, destination, dates.today())
    except (Conflict, ValidationFailed):
        return False
    moved = Pledge.objects.create(
        campaign=destination,
        amount=pledge.amount,
        donor_name=pledge.donor_name,
        donor_phone=pledge.donor_phone,
        provider=pledge.provider,
        status=PledgeStatus.PAID,
        token=secrets.token_urlsafe(16)[:32],
        intent=pledge.intent,
        paid_at=timezone.now(),
        moved_from=pledge,
    )
    pledge.status = PledgeStatus.MOVED
    pledge.save(update_fields=["status"])
    books.pledge_moved(pledge, moved, on)
    _match_all(destination, moved)
    return True


def _match_all(campaign: Campaign, pledge: Pledge) -> None:
    """The campaign's funds match the pledge, in the order of their ids (the order their
    locks are taken). A fund that has matched this phone on this campaign already is
    skipped without its lock (matches are never deleted; a race between two payments of
    one phone is settled by the unique (fund, campaign, phone) under the lock)."""
    already = Match.objects.filter(
        fund=OuterRef("pk"), campaign=campaign, donor_phone=pledge.donor_phone
    )
    funds = MatchFund.objects.filter(campaigns=campaign).filter(~Exists(already)).order_by("id")
    for fund in funds:
        _match(fund, campaign, pledge)


def _match(fund: MatchFund, campaign: Campaign, pledge: Pledge) -> Match | None:
    """One fund's match of one pledge (API.md's rule), exact under concurrency.

    The fund's row lock (``FOR NO KEY UPDATE``: the rows that point to the fund need not
    wait) serialises its matches; the caps are read from two counters written only under
    that lock (``MatchFund.committed`` and the fund's ``MatchTally`` on the campaign), so
    the lock is held for a few statements, not for sums over every match. Taken last in
    the payment's transaction, it is held until the commit only. The statements after the
    lock each see what the transactions before it committed (PostgreSQL's read committed
    takes a fresh snapshot per statement)."""
    from network.matching import match_amount

    budget, committed, max_per_project = (
        MatchFund.objects.select_for_update(no_key=True)
        .values_list("budget", "committed", "max_per_project")
        .get(pk=fund.pk)
    )
    tally = MatchTally.objects.filter(fund_id=fund.pk, campaign_id=campaign.pk)
    on_project = tally.values_list("committed", flat=True).first()
    if on_project is None:  # a campaign joined the fund without its tally
        insert_once(MatchTally, fund_id=fund.pk, campaign_id=campaign.pk, committed=0)
        on_project = 0
    amount = match_amount(
        amount=pledge.amount,
        factor=fund.factor,
        max_per_pledge=fund.max_per_pledge,
        left_on_project=max(0, max_per_project - on_project),
        left_in_budget=max(0, budget - committed),
    )
    if amount <= 0:
        return None
    match = Match(
        fund=fund, campaign=campaign, pledge=pledge, donor_phone=pledge.donor_phone,
        amount=amount, status=MatchStatus.COMMITTED, created_at=timezone.now(),
    )  # fmt: skip
    match.pk = insert_once(
        Match, fund_id=fund.pk, campaign_id=campaign.pk, pledge_id=pledge.pk,
        donor_phone=match.donor_phone, amount=amount, status=match.status,
        created_at=match.created_at,
    )  # fmt: skip
    if match.pk is None:  # this phone was matched meanwhile, by another of its payments
        return None
    MatchFund.objects.filter(pk=fund.pk).update(committed=F("committed") + amount)
    tally.update(committed=F("committed") + amount)
    books.match_committed(match)
    return match


def _release_matches(campaign: Campaign, on) -> None:
    """A failed or suspended campaign's matches go back to their funds: each fund's
    counters lowered under its row lock (taken in the order of the funds' ids, after the
    campaigns, as payments do), the books' entries posted."""
    matches = list(
        Match.objects.filter(campaign=campaign, status=MatchStatus.COMMITTED)
        .select_related("fund")
        .order_by("fund_id", "id")
    )
    totals: dict[int, int] = {}
    for match in matches:
        totals[match.fund_id] = totals.get(match.fund_id, 0) + match.amount
    for fund_id in sorted(totals):
        MatchFund.objects.select_for_update(no_key=True).filter(pk=fund_id).values_list("pk").get()
        MatchFund.objects.filter(pk=fund_id).update(committed=F("committed") - totals[fund_id])
        MatchTally.objects.filter(fund_id=fund_id, campaign_id=campaign.pk).update(
            committed=F("committed") - totals[fund_id]
        )
    Match.objects.filter(pk__in=[m.pk for m in matches]).update(status=MatchStatus.RELEASED)
    for match in matches:
        match.status = MatchStatus.RELEASED
        match.campaign = campaign
        books.match_released(match, on)


# --------------------------------------------------------------------------- match funds


def _decimal(value, field: str) -> Decimal:
    try:
        result = Decimal(str(value))
    except (InvalidOperation, ValueError):
        raise ValidationFailed(_("Nombre invalide."), code=Code.INVALID, field=field) from None
    if not result.is_finite() or not Decimal("0.01") <= result <= Decimal("10"):
        raise ValidationFailed(_("Entre 0,01 et 10."), code=Code.OUT_OF_RANGE, field=field)
    return result.quantize(Decimal("0.01"))


@service(texts=(MatchFund,), amounts=("budget", "max_per_pledge", "max_per_project"))
def match_fund_open(
    *,
    actor,
    sponsor: str,
    budget: int,
    factor,
    max_per_pledge: int,
    max_per_project: int,
    campaigns: list[Campaign],
    managers=(),
) -> MatchFund:
    """An administrator opens a sponsor's fund over chosen campaigns (the sponsor's budget
    is deposited with the platform: in the books, 552 / 4672)."""
    if not rules.is_network_admin(actor):
        raise Forbidden(_("Seuls les administrateurs du réseau ouvrent un fonds."))
    for name, value in (("budget", budget), ("max_per_pledge", max_per_pledge)):
        if value < 1:
            raise ValidationFailed(_("Doit être positif."), code=Code.OUT_OF_RANGE, field=name)
    if max_per_project < 1:
        raise ValidationFailed(
            _("Doit être positif."), code=Code.OUT_OF_RANGE, field="max_per_project"
        )
    fund = MatchFund.objects.create(
        sponsor=_required(sponsor, "sponsor"),
        budget=budget,
        factor=_decimal(factor, "factor"),
        max_per_pledge=max_per_pledge,
        max_per_project=max_per_project,
        created_by=actor,
    )
    for campaign in campaigns:
        if campaign.state != CampaignState.OPEN:
            raise Conflict(_("Une campagne choisie est close."), code=Code.CAMPAIGN_CLOSED)
    fund.campaigns.set(campaigns)
    MatchTally.objects.bulk_create([MatchTally(fund=fund, campaign=c) for c in campaigns])
    fund.managers.set(managers)
    books.fund_deposited(fund)
    return fund


# --------------------------------------------------------------------------- abuse reports

REPORT_DECISIONS = {"dismiss": ReportStatus.DISMISSED, "act": ReportStatus.ACTED}


@service(texts=(AbuseReport,))
def abuse_report_create(
    *,
    actor=None,
    organisation: Organisation,
    reason: str,
    details: str = "",
    contact: str = "",
    project: Project | None = None,
    campaign: Campaign | None = None,
) -> AbuseReport:
    """Anyone (no account needed; the pages limit reports per address and hour) reports
    an organisation, one of its projects or campaigns to the moderators of its country."""
    if project is not None and project.organisation_id != organisation.pk:
        raise ValidationFailed(_("Projet inconnu."), code=Code.INVALID, field="project")
    if campaign is not None and campaign.project.organisation_id != organisation.pk:
        raise ValidationFailed(_("Campagne inconnue."), code=Code.INVALID, field="campaign")
    reason = _choice(reason, ReportReason, "reason")
    details = str(details or "").strip()
    if reason == ReportReason.OTHER and not details:
        raise ValidationFailed(_("Précisez ce qui ne va pas."), code=Code.REQUIRED, field="details")
    return AbuseReport.objects.create(
        organisation=organisation,
        project=project or (campaign.project if campaign is not None else None),
        campaign=campaign,
        reason=reason,
        details=details,
        contact=str(contact or "").strip(),
        reporter=actor if getattr(actor, "is_authenticated", False) else None,
    )


@service(texts=((AbuseReport, {"note": "decision_note"}),))
def abuse_report_decide(
    *, actor, report: AbuseReport, decision: str, note: str = ""
) -> AbuseReport:
    """A moderator of the organisation's country (or an administrator) closes a report:
    dismissed, or acted upon (suspending the campaign is its own action); a note is
    required either way. A report is decided once."""
    report = (
        AbuseReport.objects.select_for_update().select_related("organisation").get(pk=report.pk)
    )
    if not rules.can_moderate(actor, report.organisation):
        raise Forbidden(_("Seul un modérateur de ce pays traite ce signalement."))
    if decision not in REPORT_DECISIONS:
        raise ValidationFailed(_("Décision inconnue."), code=Code.INVALID_CHOICE, field="decision")
    if report.status != ReportStatus.OPEN:
        raise Conflict(_("Ce signalement est déjà traité."), code=Code.ALREADY_DECIDED)
    report.status = REPORT_DECISIONS[decision]
    report.decision_note = _required(note, "note")
    report.decided_by, report.decided_at = actor, timezone.now()
    report.save()
    return report


# --------------------------------------------------------------------------- closing


@service(event_dates=("on",))
def campaign_close(*, actor, campaign: Campaign, on: datetime.date) -> Campaign:
    """Close a campaign at its end date. All-or-nothing under its goal (raised + matched):
    ``failed``, every paid pledge refunded through a payout to its phone, the matches back
    to their funds. Otherwise ``succeeded``: the money less the platform's commission is
    paid out to the organisation, with its statement (selectors.campaign_statement).
    Closing twice: 409 ``already_closed``, nothing paid twice."""
    if not rules.is_network_admin(actor):
        raise Forbidden(_("Seuls les administrateurs du réseau clôturent une campagne."))
    campaign = Campaign.objects.select_for_update().get(pk=campaign.pk)
    if campaign.state != CampaignState.OPEN:
        raise Conflict(_("Cette campagne est déjà close."), code=Code.ALREADY_CLOSED)
    if on < campaign.ends_on:
        raise Conflict(_("La campagne n'est pas encore finie."), code=Code.NOT_ENDED, field="on")
    from network.selectors import campaign_figures

    figures = campaign_figures(campaign)
    reached = figures["raised"] + figures["matched"] >= campaign.goal
    if campaign.mode == Mode.ALL_OR_NOTHING and not reached:
        _unwind(campaign, actor, on, CampaignState.FAILED, "")
    else:
        _settle(campaign, actor, on, figures)
    return campaign


@service(texts=((Campaign, {"reason": "state_reason"}),))
def campaign_suspend(*, actor, campaign: Campaign, reason: str) -> Campaign:
    """A moderator of the project's country (or an administrator) suspends a campaign
    (abuse, fraud): every paid pledge refunded once, the matches back to their funds."""
    campaign = Campaign.objects.select_for_update().get(pk=campaign.pk)
    if not rules.can_suspend(actor, campaign):
        raise Forbidden(_("Seul un modérateur de ce pays suspend cette campagne."))
    if campaign.state != CampaignState.OPEN:
        raise Conflict(_("Cette campagne est déjà close."), code=Code.ALREADY_CLOSED)
    _unwind(campaign, actor, dates.today(), CampaignState.SUSPENDED, _required(reason, "reason"))
    return campaign


def _unwind(campaign: Campaign, actor, on, state: str, reason: str) -> None:
    from payments.services import payout_request

    campaign.state, campaign.closed_on, campaign.state_reason = state, on, reason
    campaign.save(update_fields=["state", "closed_on", "state_reason"])
    pledges = list(
        Pledge.objects.select_for_update().filter(
            campaign=campaign, status=PledgeStatus.PAID, refund__isnull=True
        )
    )
    if state == CampaignState.FAILED:
        # the campaigns the donors chose, locked before the funds (payments lock their
        # campaign, then its funds: the same order, so no deadlock), by end date as closings do
        chosen = {p.move_to_id for p in pledges if p.move_to_id}
        list(Campaign.objects.select_for_update().filter(pk__in=chosen).order_by("ends_on", "pk"))
    _release_matches(campaign, on)
    payouts = []
    for pledge in pledges:
        if state == CampaignState.FAILED and pledge.move_to_id and _move(pledge, campaign, on):
            continue  # the donor chose another campaign
        payout = payout_request(
            kind="refund",
            provider=pledge.provider,
            amount=pledge.amount,
            phone=pledge.donor_phone,
            name=pledge.donor_name,
            reason=_("Remboursement campagne %(id)s") % {"id": campaign.pk},
            actor=actor,
            intent=pledge.intent,
        )
        pledge.refund, pledge.status = payout, PledgeStatus.REFUNDING
        pledge.save(update_fields=["refund", "status"])
        books.pledge_refunded(pledge, on)
        payouts.append(payout)
    transaction.on_commit(lambda: _send_all(payouts, actor))


def _settle(campaign: Campaign, actor, on, figures: dict) -> None:
    from network.matching import split_commission
    from payments.services import payout_request

    org = campaign.project.organisation
    total = figures["raised"] + figures["matched"]
    commission, net = split_commission(total, campaign.commission_percent)
    campaign.state, campaign.closed_on = CampaignState.SUCCEEDED, on
    if net > 0 and org.payout_phone:
        campaign.settlement = payout_request(
            kind="settlement",
            provider=org.payout_provider or "wave",
            amount=net,
            phone=org.payout_phone,
            name=org.name[:100],
            reason=_("Campagne %(id)s réussie") % {"id": campaign.pk},
            actor=actor,
        )
    campaign.save(update_fields=["state", "closed_on", "settlement"])
    books.campaign_settled(campaign, on, total=total, commission=commission, net=net)
    if campaign.settlement is not None:
        transaction.on_commit(lambda: _send_all([campaign.settlement], actor))


def _send_all(payouts, actor) -> None:
    from payments.models import PayoutStatus
    from payments.services import payout_send

    for payout in payouts:
        if payout.status == PayoutStatus.APPROVED:
            payout_send(payout=payout, actor=actor)
    pledges_refunds_follow()


def pledges_refunds_follow() -> int:
    """Pledges whose refund payout succeeded are marked refunded (run by the closing job)."""
    from payments.models import PayoutStatus

    return Pledge.objects.filter(
        status=PledgeStatus.REFUNDING, refund__status=PayoutStatus.SUCCEEDED
    ).update(status=PledgeStatus.REFUNDED)


def campaigns_close_due(*, actor, today: datetime.date | None = None) -> dict:
    """The daily job: every open campaign whose end date has passed is closed (each in its
    own transaction; one already closed by someone else is skipped, never paid twice)."""
    today = today or dates.today()
    counts = {"succeeded": 0, "failed": 0, "skipped": 0}
    due = Campaign.objects.filter(state=CampaignState.OPEN, ends_on__lt=today).order_by("id")
    for campaign_id in list(due.values_list("id", flat=True)):
        try:
            campaign = campaign_close(actor=actor, campaign=Campaign(pk=campaign_id), on=today)
        except (Conflict, IntegrityError):
            counts["skipped"] += 1
            continue
        counts[campaign.state] += 1
    counts["refunded"] = pledges_refunds_follow()
    return counts
