"""HTML pages of payments: thin; reads via selectors, writes via services."""

from __future__ import annotations

from urllib.parse import urlsplit

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from core import dates
from core.errors import Forbidden
from core.forms import domain_errors_on
from core.views import query_date
from payments import selectors, services
from payments.forms import (
    EventResolveForm,
    MatchForm,
    PayForm,
    PayoutDecisionForm,
    PayoutRequestForm,
    ReviewForm,
    StatementForm,
)
from payments.models import IntentStatus, PaymentIntent, PayoutStatus, Provider
from payments.rules import can_approve_payout, can_manage_payments

PAGE_SIZE = 25


@login_required
@require_GET
def payment_list(request):
    status = request.GET.get("status", "")
    status = status if status in IntentStatus.values else ""
    q = request.GET.get("q", "")[:80].replace("\x00", "")
    review = request.GET.get("review") == "1"
    qs = selectors.payment_list(actor=request.user, status=status, q=q, review=review)
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    params = {"status": status, "q": q, "review": "1" if review else ""}
    params = {k: v for k, v in params.items() if v}
    return render(
        request,
        "payments/payment_list.html",
        {
            "page": page,
            "status": status,
            "q": q,
            "review": review,
            "statuses": IntentStatus.choices,
            "query": urlencode(params),
            "can_manage": can_manage_payments(request.user),
        },
    )


@login_required
@require_GET
def payment_detail(request, pk: int):
    intent = selectors.payment_get(actor=request.user, pk=pk)
    return render(
        request,
        "payments/payment_detail.html",
        {"intent": intent, "history": intent.history.order_by("-history_date")[:20]},
    )


@login_required
@require_GET
def payment_return(request, reference: str):
    """Where the provider sends the payer back (success_url / error_url)."""
    intent = selectors.payment_by_reference(actor=request.user, reference=reference)
    return render(
        request,
        "payments/payment_return.html",
        {"intent": intent, "issue": request.GET.get("issue", "")},
    )


CHECKOUT_ORIGIN_SETTINGS = {
    "wave": "WAVE_CHECKOUT_ORIGIN",
    "orange_money": "ORANGE_MONEY_CHECKOUT_ORIGIN",
}


def checkout_origins() -> list[str]:
    """The configured providers' payment-page origins (settings), for CSP form-action."""
    origins = []
    for code in getattr(settings, "PAYMENT_PROVIDERS", {}):
        value = str(getattr(settings, CHECKOUT_ORIGIN_SETTINGS.get(code, ""), "") or "")
        parts = urlsplit(value)
        if parts.scheme in ("https", "http") and parts.netloc:
            origins.append(f"{parts.scheme}://{parts.netloc}")
    return sorted(set(origins))


def _origin(url: str) -> str:
    parts = urlsplit(url or "")
    return f"{parts.scheme}://{parts.netloc}"


def _allow_checkout(response):
    """The pay form answers with a redirect to the provider's page: its origin must be in
    the page's CSP form-action (browsers check a form's redirects against it)."""
    response._csp_update = {"form-action": checkout_origins()}
    return response


@login_required
@require_http_methods(["GET", "POST"])
def payment_pay(request, purpose: str, target_id: int):
    """ "Payer par mobile money": the amount and the phone, then the provider's page."""
    target = selectors.payment_target(actor=request.user, purpose=purpose, target_id=target_id)
    form = PayForm(
        request.POST or None,
        initial={"amount": target.amount_suggested or None, "phone": target.phone},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        with domain_errors_on(form):
            intent = services.payment_start(
                purpose=purpose,
                target_id=target_id,
                amount=data["amount"],
                phone=data["phone"],
                provider=data["provider"],
                actor=request.user,
            )
        if not form.errors:
            if _origin(intent.checkout_url) in checkout_origins():
                return redirect(intent.checkout_url)
            # A provider page outside the configured origins: a link (CSP form-action).
            return render(request, "payments/checkout.html", {"intent": intent})
    status = 400 if request.method == "POST" else 200
    response = render(request, "payments/pay.html", {"form": form, "target": target}, status=status)
    return _allow_checkout(response)


# --------------------------------------------------------------------------- national staff


def _manager(request) -> None:
    if not can_manage_payments(request.user):
        raise Forbidden(_("Réservé au niveau national."))


def _page(request, qs, size: int = PAGE_SIZE, name: str = "page"):
    return Paginator(qs, size).get_page(request.GET.get(name))


@login_required
@require_http_methods(["GET", "POST"])
def reconciliation(request):
    """Upload a provider's statement; the day's report (matched, by hand, unmatched,
    fees, the suspense balance which must come back to zero)."""
    _manager(request)
    form = StatementForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        with domain_errors_on(form):
            stmt = services.statement_upload(
                source=data["file"],
                filename=(data["file"].name or "")[:120],
                provider=data["provider"],
                cooperative_id=data["cooperative"],
                actor=request.user,
            )
        if not form.errors:
            last = stmt.lines.order_by("-occurred_at").values_list("occurred_at", flat=True)
            day = timezone.localdate(last[0]) if last else dates.today()
            messages.success(
                request,
                _("Relevé importé : %(new)s ligne(s) nouvelle(s) sur %(read)s.")
                % {"new": stmt.lines_new, "read": stmt.lines_read},
            )
            query = urlencode({"jour": day.isoformat(), "operateur": stmt.provider})
            return redirect(f"{request.path}?{query}")
    provider = request.GET.get("operateur", "wave")
    provider = provider if provider in Provider.values else "wave"
    on = query_date(request, "jour", default=dates.today(), event=True)
    report = selectors.reconciliation_report(actor=request.user, on=on, provider=provider)
    status = 400 if request.method == "POST" else 200
    context = {
        "form": form,
        "report": report,
        "unmatched": _page(request, report["unmatched"]),
        "providers": Provider.choices,
        "statements": selectors.statements(actor=request.user)[:10],
    }
    return render(request, "payments/reconciliation.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def line_match(request, pk: int):
    """Match an unmatched line by hand: which payment or payout, and why (confirmed)."""
    _manager(request)
    line = selectors.unmatched_line_get(actor=request.user, pk=pk)
    candidates = selectors.match_candidates(actor=request.user, line=line)
    form = MatchForm(request.POST or None, candidates=candidates)
    if request.method == "POST" and form.is_valid():
        chosen = next(c for c in candidates if str(c.pk) == form.cleaned_data["target"])
        kind = "intent" if isinstance(chosen, PaymentIntent) else "payout"
        with domain_errors_on(form):
            services.statement_line_match(
                line=line, actor=request.user, note=form.cleaned_data["note"], **{kind: chosen}
            )
        if not form.errors:
            messages.success(request, _("Ligne rapprochée ; le compte d'attente est soldé."))
            day = timezone.localdate(line.occurred_at).isoformat()
            query = urlencode({"jour": day, "operateur": line.provider})
            return redirect(f"{reverse('payments:reconciliation')}?{query}")
    status = 400 if request.method == "POST" else 200
    context = {"line": line, "form": form, "candidates": candidates}
    return render(request, "payments/line_match.html", context, status=status)


@login_required
@require_GET
def review_list(request):
    """Payments flagged for review and provider events naming no payment of ours."""
    _manager(request)
    context = {
        "intents": _page(request, selectors.review_intents(actor=request.user)),
        "events": _page(request, selectors.unknown_events(actor=request.user), name="evenements"),
    }
    return render(request, "payments/review_list.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def review_intent(request, pk: int):
    """Resolve one flagged payment: apply it, close it or refund it, saying why."""
    _manager(request)
    intent = selectors.review_intent_get(actor=request.user, pk=pk)
    form = ReviewForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        action, note = form.cleaned_data["action"], form.cleaned_data["note"]
        with domain_errors_on(form):
            if action == "refund":
                services.payment_refund(intent=intent, actor=request.user, reason=note)
                messages.success(request, _("Remboursement demandé à l'opérateur."))
            else:
                outcome = services.payment_review_resolve(
                    intent=intent, action=action, note=note, actor=request.user
                )
                _review_message(request, outcome)
        if not form.errors:
            return redirect("payments:review")
    status = 400 if request.method == "POST" else 200
    context = {"intent": intent, "form": form}
    return render(request, "payments/review_intent.html", context, status=status)


def _review_message(request, outcome: str) -> None:
    if outcome == "applied":
        messages.success(request, _("Paiement imputé."))
    elif outcome == "closed":
        messages.success(request, _("Paiement classé."))
    else:
        messages.error(request, _("L'imputation a été refusée ; le paiement reste à vérifier."))


@login_required
@require_http_methods(["GET", "POST"])
def review_event(request, pk: int):
    """Class a provider event naming no payment of ours, saying why."""
    _manager(request)
    event = selectors.unknown_event_get(actor=request.user, pk=pk)
    form = EventResolveForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        with domain_errors_on(form):
            services.event_resolve(event=event, note=form.cleaned_data["note"], actor=request.user)
        if not form.errors:
            messages.success(request, _("Événement classé."))
            return redirect("payments:review")
    status = 400 if request.method == "POST" else 200
    return render(
        request, "payments/review_event.html", {"event": event, "form": form}, status=status
    )


@login_required
@require_GET
def payout_list(request):
    """Money sent by phone; those awaiting a second person's approval first."""
    _manager(request)
    status = request.GET.get("statut", PayoutStatus.AWAITING_APPROVAL)
    status = status if status in PayoutStatus.values else ""
    qs = selectors.payout_list(actor=request.user, status=status)
    context = {
        "page": _page(request, qs),
        "status": status,
        "statuses": PayoutStatus.choices,
        "query": urlencode({"statut": status}),
    }
    return render(request, "payments/payout_list.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def payout_new(request):
    """National staff ask for money to be sent by phone: up to the threshold it is sent at
    once; above, it waits for another national user's approval (maker-checker)."""
    _manager(request)
    form = PayoutRequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        with domain_errors_on(form, missing_is_input=True):  # an unknown cooperative number
            payout = services.payout_request(
                kind=data["kind"],
                provider=data["provider"],
                amount=data["amount"],
                phone=data["phone"],
                name=data["name"],
                reason=data["reason"],
                cooperative_id=data["cooperative"],
                actor=request.user,
            )
            if payout.status == PayoutStatus.APPROVED:
                payout = services.payout_send(payout=payout, actor=request.user)
        if not form.errors:
            messages.success(
                request, _("Versement demandé : %(s)s.") % {"s": payout.get_status_display()}
            )
            return redirect("payments:payout_detail", pk=payout.pk)
    status = 400 if request.method == "POST" else 200
    context = {"form": form, "threshold": settings.PAYMENTS_PAYOUT_APPROVAL_THRESHOLD}
    return render(request, "payments/payout_new.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def payout_detail(request, pk: int):
    """A payout; the checker (never the requester) approves and sends it, or refuses it."""
    _manager(request)
    payout = selectors.payout_get(actor=request.user, pk=pk)
    may_decide = payout.status == PayoutStatus.AWAITING_APPROVAL and can_approve_payout(
        request.user, payout
    )
    form = PayoutDecisionForm(request.POST or None)
    if request.method == "POST":
        if not may_decide:
            raise Forbidden(_("Une autre personne que le demandeur doit approuver."))
        if form.is_valid():
            approve = form.cleaned_data["decision"] == "approve"
            with domain_errors_on(form):
                payout = services.payout_approve(payout=payout, actor=request.user, approve=approve)
                if approve:
                    payout = services.payout_send(payout=payout, actor=request.user)
            if not form.errors:
                messages.success(
                    request, _("Décision enregistrée : %(s)s.") % {"s": payout.get_status_display()}
                )
                return redirect("payments:payout_detail", pk=payout.pk)
    status = 400 if request.method == "POST" else 200
    context = {
        "payout": payout,
        "form": form,
        "may_decide": may_decide,
        "threshold": settings.PAYMENTS_PAYOUT_APPROVAL_THRESHOLD,
        "history": payout.history.select_related("history_user").order_by("-history_date")[:20],
    }
    return render(request, "payments/payout_detail.html", context, status=status)
