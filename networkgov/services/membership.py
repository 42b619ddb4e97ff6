"""Membership of the network: the tariff, joining for a year, dues paid by phone
(payments purpose ``network_dues``), reminders before the due date."""

from __future__ import annotations

import datetime
import logging

from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core import dates
from core.errors import Conflict, Forbidden, NotFound, ValidationFailed
from core.money import format_xof
from core.services import service
from network.models import Kind, Organisation, OrgStatus
from networkgov import books, rules
from networkgov.errors import Code
from networkgov.models import DuesTariff, Membership, Size
from networkgov.statutes import statutes, year_due_on

log = logging.getLogger(__name__)


@service(amounts=("amount",))
def tariff_set(*, actor, kind: str, size: str, amount: int) -> DuesTariff:
    """An administrator sets the yearly dues of a kind and size of organisation (whole
    F CFA, at least 1); memberships already opened keep their amount."""
    if not rules.is_admin(actor):
        raise Forbidden(_("Seuls les administrateurs du réseau fixent les cotisations."))
    if kind not in Kind.values:
        raise ValidationFailed(
            _("Type d'organisation inconnu."), code=Code.INVALID_CHOICE, field="kind"
        )
    if size not in Size.values:
        raise ValidationFailed(_("Taille inconnue."), code=Code.INVALID_CHOICE, field="size")
    if not isinstance(amount, int) or amount < 1:
        raise ValidationFailed(
            _("La cotisation est un nombre entier de francs, au moins 1 F CFA."),
            code=Code.OUT_OF_RANGE,
            field="amount",
        )
    tariff, _created = DuesTariff.objects.update_or_create(
        kind=kind, size=size, defaults={"amount": amount}
    )
    return tariff


@service
def membership_join(
    *, actor, organisation: Organisation, size: str, year: int | None = None, today=None
) -> Membership:
    """An approved organisation joins the network (or renews) for ``year`` (this year or
    the next), its dues frozen from the tariff of its kind and declared size. Due by the
    statutes' date, or ``new_member_days`` after joining when that is later."""
    today = today or dates.today()
    year = year or today.year
    if not (rules.owns(actor, organisation.pk) or rules.is_admin(actor)):
        raise Forbidden(_("Seul le responsable de l'organisation l'inscrit au réseau."))
    organisation = Organisation.objects.select_for_update().get(pk=organisation.pk)
    if organisation.status != OrgStatus.APPROVED:
        raise Conflict(
            _("Seule une organisation approuvée de l'annuaire peut adhérer."),
            code=Code.NOT_APPROVED,
        )
    if year not in (today.year, today.year + 1):
        raise ValidationFailed(
            _("Adhésion pour cette année ou la suivante."), code=Code.INVALID, field="year"
        )
    if size not in Size.values:
        raise ValidationFailed(_("Taille inconnue."), code=Code.INVALID_CHOICE, field="size")
    if Membership.objects.filter(organisation=organisation, year=year).exists():
        raise Conflict(
            _("L'organisation est déjà membre pour %(year)s.") % {"year": year},
            code=Code.ALREADY_MEMBER,
        )
    tariff = DuesTariff.objects.filter(kind=organisation.kind, size=size).first()
    if tariff is None:
        raise Conflict(
            _("Aucune cotisation n'est fixée pour ce type et cette taille d'organisation."),
            code=Code.NO_TARIFF,
            field="size",
        )
    due_on = max(year_due_on(year), today + datetime.timedelta(days=statutes()["new_member_days"]))
    return Membership.objects.create(
        organisation=organisation,
        year=year,
        size=size,
        dues=tariff.amount,
        joined_on=today,
        due_on=due_on,
    )


def check_dues_amount(membership: Membership, amount) -> int:
    """1 F CFA to what remains of the dues; refused with ``out_of_range`` otherwise."""
    if membership.remaining <= 0:
        raise Conflict(_("La cotisation de cette année est déjà payée."), code=Code.OVERPAID)
    if (
        isinstance(amount, bool)
        or not isinstance(amount, int)
        or not 1 <= amount <= membership.remaining
    ):
        raise ValidationFailed(
            _("Le montant doit être un nombre entier de francs, de 1 F CFA à %(due)s (reste dû).")
            % {"due": format_xof(membership.remaining)},
            code=Code.OUT_OF_RANGE,
            field="amount",
        )
    return amount


@service(atomic=False)
def dues_payment_start(*, actor, membership: Membership, amount: int, phone: str, provider: str):
    """An account of the organisation pays (part of) its dues by phone."""
    from payments.services import payment_start

    if not rules.can_pay_dues(actor, membership):
        raise NotFound(_("Adhésion introuvable."))
    membership = Membership.objects.get(pk=membership.pk)
    amount = check_dues_amount(membership, amount)
    return payment_start(
        purpose="network_dues",
        target_id=membership.pk,
        amount=amount,
        phone=phone,
        provider=provider,
        actor=actor,
    )


@service
def dues_paid(*, intent) -> str:
    """Called once by payments when a dues payment succeeded: the amount is added to the
    membership (never above its dues: the payment is then flagged for review) and posted
    in the platform's books (552 → 756)."""
    membership = (
        Membership.objects.select_for_update()
        .select_related("organisation")
        .get(pk=intent.target_id)
    )
    if intent.amount > membership.remaining:
        raise Conflict(_("Ce paiement dépasse le reste dû de la cotisation."), code=Code.OVERPAID)
    on = timezone.localdate(intent.paid_at) if intent.paid_at else dates.today()
    membership.paid += intent.amount
    if membership.paid >= membership.dues:
        membership.paid_on = on
    membership.save(update_fields=["paid", "paid_on"])
    books.dues_received(membership, amount=intent.amount, on=on, reference=intent.reference)
    return f"dues:{membership.pk}"


def _reminder_text(membership: Membership) -> str:
    from messaging.rendering import render, template_texts

    return render(
        template_texts("network_dues_reminder")["fr"],
        {
            "name": membership.organisation.name[:40],
            "year": str(membership.year),
            "amount": format_xof(membership.remaining),
            "due_on": membership.due_on.strftime("%d/%m/%Y"),
        },
    )


def _claim_reminder(pk: int, as_of: datetime.date) -> Membership | None:
    """Mark the reminder sent (once per membership), in its own short transaction."""
    with transaction.atomic():
        m = Membership.objects.select_for_update().select_related("organisation").get(pk=pk)
        if m.reminded_on is not None or m.remaining <= 0:
            return None
        m.reminded_on = as_of
        m.save(update_fields=["reminded_on"])
        return m


@service(atomic=False)
def dues_reminders_send(*, actor=None, as_of: datetime.date) -> int:
    """Remind (SMS through messaging, and e-mail) every organisation whose dues are unpaid
    and due within ``reminder_days`` of ``as_of``; once per membership. Answers how many
    organisations were reminded."""
    from messaging.backends import SmsSendError
    from messaging.services import sms_send

    window = as_of + datetime.timedelta(days=statutes()["reminder_days"])
    due = Membership.objects.filter(
        reminded_on__isnull=True, due_on__gte=as_of, due_on__lte=window
    ).order_by("due_on", "pk")
    sent = 0
    for pk in list(due.values_list("pk", flat=True)):
        membership = _claim_reminder(pk, as_of)
        if membership is None:
            continue
        org, text = membership.organisation, _reminder_text(membership)
        if org.phone:
            try:
                sms_send(kind="network_dues_reminder", phone=org.phone, text=text, actor=actor)
            except SmsSendError:
                log.warning("dues reminder SMS refused for membership %s", membership.pk)
        if org.email:
            send_mail(_("Cotisation au réseau ESS"), text, None, [org.email], fail_silently=True)
        sent += 1
    return sent
