"""Every read of the network's training and events. Events are public; registrations are
read by their own account and by the organiser; replays and documents by the confirmed
participants and the organiser; a certificate by the participant marked present."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from core.bulk import chunks
from core.errors import Forbidden, NotFound
from events import books, rules
from events.models import (
    FEE_PURPOSE,
    PAYOUT_PURPOSE,
    REFUND_PURPOSE,
    Event,
    EventSettlement,
    Registration,
    RegStatus,
)
from network.matching import split_commission
from training.models import Module


def event_list(*, actor=None, upcoming: bool = True, country: str = "", kind: str = ""):
    qs = Event.objects.filter(cancelled=False)
    if upcoming:
        qs = qs.filter(ends_at__gte=timezone.now())
    qs = qs.filter(**{k: v for k, v in {"country": country, "kind": kind}.items() if v})
    return (
        qs.select_related("organiser", "module")
        .annotate(
            taken=Count("registrations", filter=~Q(registrations__status=RegStatus.CANCELLED))
        )
        .order_by("starts_at", "id")
    )


def event_get(*, actor, pk: int) -> Event:
    event = event_list(actor=actor, upcoming=False).filter(pk=pk).first()
    if event is None:
        raise NotFound(_("Événement introuvable."))
    return event


def ilo_catalogue() -> QuerySet[Module]:
    """The programme's ILO training catalogue, offered to the network's members (public:
    titles, durations, audiences)."""
    return Module.objects.filter(active=True).order_by("programme", "position", "id")


def my_registration(*, actor, event: Event) -> Registration | None:
    if not getattr(actor, "is_authenticated", False):
        return None
    return (
        event.registrations.filter(user=actor)
        .exclude(status=RegStatus.CANCELLED)
        .order_by("-id")
        .first()
    )


def registration_list(*, actor, event: Event) -> QuerySet[Registration]:
    """Every registration (the organiser only)."""
    if not rules.is_organiser(actor, event):
        return Registration.objects.none()
    return event.registrations.select_related("organisation").order_by("registered_at", "id")


def registration_get(*, actor, pk: int) -> Registration:
    reg = (
        Registration.objects.select_related("event__organiser", "organisation")
        .filter(pk=pk)
        .first()
    )
    if reg is None or not (
        rules.owns_registration(actor, reg) or rules.is_organiser(actor, reg.event)
    ):
        raise NotFound(_("Inscription introuvable."))
    return reg


def resources(*, actor, event: Event, registration: Registration | None):
    confirmed = registration is not None and registration.status == RegStatus.CONFIRMED
    if not (confirmed or rules.is_organiser(actor, event)):
        return []
    return list(event.resources.all())


def certificate_registration(*, actor, pk: int) -> Registration:
    """The registration whose certificate the actor may download: its own, marked
    present (the organiser may download any participant's marked present)."""
    reg = registration_get(actor=actor, pk=pk)
    if not reg.attended:
        raise NotFound(_("Attestation introuvable : participation non constatée."))
    return reg


# --------------------------------------------------------------------------- payout statement


def fee_figures(event: Event) -> dict:
    """What the event's payout is now: the fees collected (every registration's paid
    part, cancelled ones aside: theirs are refunded), the platform's commission at the
    event's frozen rate (rounded down: the organiser keeps the odd franc, as campaigns
    do), the net."""
    live = ~Q(status=RegStatus.CANCELLED)
    paid = event.registrations.filter(paid__gt=0).aggregate(
        n=Count("id", filter=live),
        total=Sum("paid", filter=live),
        refunded=Sum("paid", filter=~live),
    )
    collected = paid["total"] or 0
    commission, net = split_commission(collected, event.commission_percent)
    return {
        "registrations_paid": paid["n"],
        "collected": collected,
        "refunded": paid["refunded"] or 0,
        "commission_percent": event.commission_percent,
        "commission": commission,
        "net": net,
    }


@dataclass
class PayoutStatement:
    """An event's fees and their payout to the organiser (docs/events.md, "Payout")."""

    event: Event
    settlement: EventSettlement | None
    figures: dict  # registrations_paid, collected, commission_percent, commission, net
    registrations: list
    cancelled: list  # the cancelled registrations whose fee is refunded, with ``refund``
    payout: object  # payments.Payout or None
    book_lines: list  # [{"account", "debit", "credit", "balance"}] summed by account
    entries: list  # the platform's entries of the event, in order
    ended: bool
    started: bool = False

    @property
    def phase(self) -> str:
        """Where the event itself stands: ``cancelled``, ``upcoming`` (not started),
        ``ongoing`` (started, not ended) or ``ended``."""
        if self.event.cancelled:
            return "cancelled"
        if self.ended:
            return "ended"
        return "ongoing" if self.started else "upcoming"

    @property
    def status(self) -> str:
        """``open`` (not ended), ``payable``, ``requested``, ``awaiting_approval``,
        ``processing``, ``paid_out``, ``failed`` (asked again makes a new attempt),
        ``nothing`` (no fee collected)."""
        if self.settlement and self.settlement.paid_out_at:
            return "paid_out"
        if self.settlement and self.figures["net"] == 0:
            return "nothing"
        if self.payout is not None:
            return {
                "awaiting_approval": "awaiting_approval",
                "approved": "requested",
                "processing": "processing",
                "succeeded": "paid_out",
            }.get(self.payout.status, "failed")
        if not self.ended:
            return "open"
        return "payable" if self.figures["net"] > 0 else "nothing"


def payout_statement(*, actor, event: Event, now=None) -> PayoutStatement:
    """The fee statement of an event: its organiser's accounts and the network's
    administrators only (403 for others: the event itself is public)."""
    from network.models import BookEntry, BookLine
    from payments.selectors import purpose_payout, purpose_payouts

    if not rules.may_request_payout(actor, event):
        raise Forbidden(_("Seuls l'organisateur et les administrateurs du réseau le voient."))
    now = now or timezone.now()
    settlement = EventSettlement.objects.filter(event=event).first()
    if settlement is not None:
        figures = {
            k: getattr(settlement, k)
            for k in (
                "registrations_paid",
                "collected",
                "refunded",
                "commission_percent",
                "commission",
                "net",
            )  # fmt: skip
        }
    else:
        figures = fee_figures(event)
    payout = settlement and purpose_payout(purpose=PAYOUT_PURPOSE, target_id=settlement.pk)
    paid = list(
        event.registrations.filter(paid__gt=0)
        .select_related("organisation")
        .order_by("registered_at", "id")
    )
    cancelled = [r for r in paid if r.status == RegStatus.CANCELLED]
    refunds = purpose_payouts(purpose=REFUND_PURPOSE, target_ids=[r.pk for r in cancelled])
    for r in cancelled:
        r.refund = refunds.get(r.pk)
    mine = books.event_entries_q(event.pk)
    lines = (
        BookLine.objects.filter(entry__in=BookEntry.objects.filter(mine))
        .values("account")
        .annotate(debit=Sum("debit"), credit=Sum("credit"))
        .order_by("account")
    )
    return PayoutStatement(
        event=event,
        settlement=settlement,
        figures=figures,
        registrations=[r for r in paid if r.status != RegStatus.CANCELLED],
        cancelled=cancelled,
        payout=payout or None,
        book_lines=[{**ln, "balance": ln["debit"] - ln["credit"]} for ln in lines],
        entries=list(BookEntry.objects.filter(mine).order_by("id")),
        ended=event.ends_at <= now,
        started=event.starts_at <= now,
    )


def fees_missing_from_books(*, actor) -> list[tuple]:
    """``(registration, intent)`` for each fee applied to a registration (payments'
    ``event_fee`` payments, applied) that has no entry in the platform's books: paid
    before fees were booked (docs/events.md, "Fees paid before the books"). The network's
    administrators only."""
    from network.models import BookEntry
    from payments.models import PaymentIntent

    if not rules.may_book_missing_fees(actor):
        raise Forbidden(_("Seuls les administrateurs du réseau comptabilisent ces frais."))
    applied = PaymentIntent.objects.filter(purpose=FEE_PURPOSE, applied_at__isnull=False)
    missing = []
    for chunk in chunks(list(applied.order_by("id")), 500):
        registrations = Registration.objects.in_bulk([i.target_id for i in chunk])
        pairs = [(registrations.get(i.target_id), i) for i in chunk]
        pairs = [(r, i) for r, i in pairs if r is not None]
        refs = {books.fee_ref(r.event_id, i.pk): (r, i) for r, i in pairs}
        booked = set(
            BookEntry.objects.filter(source=books.FEE, source_ref__in=list(refs)).values_list(
                "source_ref", flat=True
            )
        )
        missing += [pair for ref, pair in refs.items() if ref not in booked]
    return missing
