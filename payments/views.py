"""HTML pages of payments: thin; reads via selectors, writes via services."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import render
from django.utils.http import urlencode
from django.views.decorators.http import require_GET, require_http_methods

from core.errors import Conflict, ValidationFailed
from core.forms import apply_domain_error
from core.views import domain_errors_as_pages
from payments import selectors, services
from payments.forms import PayForm
from payments.models import IntentStatus
from payments.providers.base import ProviderUnavailable
from payments.rules import can_manage_payments

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
@domain_errors_as_pages
@require_GET
def payment_detail(request, pk: int):
    intent = selectors.payment_get(actor=request.user, pk=pk)
    return render(
        request,
        "payments/payment_detail.html",
        {"intent": intent, "history": intent.history.order_by("-history_date")[:20]},
    )


@login_required
@domain_errors_as_pages
@require_GET
def payment_return(request, reference: str):
    """Where the provider sends the payer back (success_url / error_url)."""
    intent = selectors.payment_by_reference(actor=request.user, reference=reference)
    return render(
        request,
        "payments/payment_return.html",
        {"intent": intent, "issue": request.GET.get("issue", "")},
    )


@login_required
@domain_errors_as_pages
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
        try:
            intent = services.payment_start(
                purpose=purpose,
                target_id=target_id,
                amount=data["amount"],
                phone=data["phone"],
                provider=data["provider"],
                actor=request.user,
            )
        except (ValidationFailed, Conflict, ProviderUnavailable) as exc:
            apply_domain_error(form, exc)
        else:
            # A link, not a redirect: the Content-Security-Policy's form-action 'self'
            # forbids a form's answer to send the browser to the provider's origin.
            return render(request, "payments/checkout.html", {"intent": intent})
    status = 400 if request.method == "POST" else 200
    return render(request, "payments/pay.html", {"form": form, "target": target}, status=status)
