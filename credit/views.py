"""HTML pages of credit: thin, like credit/api.py. Reads through credit.selectors
(scoped), writes through credit.services; domain errors become form errors, 404 pages
(NotFound) or 403 pages (Forbidden)."""

from __future__ import annotations

import datetime
import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from core.errors import Conflict, ValidationFailed
from core.forms import apply_domain_error
from core.views import domain_errors_as_pages
from credit import rules, selectors, services
from credit.forms import LoanFilterForm, RecoveryActionForm, RepaymentForm

PAGE_SIZE = 25


def today() -> datetime.date:
    return timezone.localdate()


@login_required
@domain_errors_as_pages
def loan_list(request):
    form = LoanFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    loans = selectors.loan_list(
        actor=request.user,
        q=filters.get("q"),
        status=filters.get("status") or None,
        in_arrears=filters.get("in_arrears"),
    ).order_by("-applied_on", "-id")
    page = Paginator(loans, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {"form": form, "page": page, "query": query.urlencode(), "target": "#results"}
    template = "credit/_loan_results.html" if request.htmx else "credit/loan_list.html"
    return render(request, template, context)


def _detail_context(request, loan, repayment_form=None, action_form=None) -> dict:
    actor = request.user
    can_collect = rules.can_collect(actor, loan)
    return {
        "loan": loan,
        "instalments": list(selectors.instalment_list(actor=actor, loan=loan)),
        "repayments": list(selectors.repayment_list(actor=actor, loan=loan)),
        "actions": list(selectors.recovery_action_list(actor=actor, loan=loan)),
        "events": list(selectors.loan_event_list(actor=actor, loan=loan)),
        "can_collect": can_collect and loan.status == "active",
        "repayment_form": repayment_form
        or RepaymentForm(
            initial={"paid_on": today(), "channel": "cash", "idempotency_key": uuid.uuid4().hex}
        ),
        "action_form": action_form or RecoveryActionForm(initial={"on": today()}),
    }


@login_required
@domain_errors_as_pages
def loan_detail(request, pk: int):
    loan = selectors.loan_get(actor=request.user, pk=pk)
    return render(request, "credit/loan_detail.html", _detail_context(request, loan))


@login_required
@require_POST
@domain_errors_as_pages
def repayment_create(request, pk: int):
    """Post a repayment. The form carries an idempotency key: a double submit posts once."""
    loan = selectors.loan_get(actor=request.user, pk=pk)
    form = RepaymentForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.repayment_post(
                actor=request.user,
                loan=loan,
                amount=data["amount"],
                paid_on=data["paid_on"],
                channel=data["channel"],
                reference=data["reference"],
                idempotency_key=data["idempotency_key"] or None,
            )
        except (ValidationFailed, Conflict) as exc:
            apply_domain_error(form, exc)
        else:
            messages.success(request, _("Remboursement enregistré."))
            return redirect("credit:loan_detail", pk=loan.pk)
    context = _detail_context(request, loan, repayment_form=form)
    return render(request, "credit/loan_detail.html", context, status=400)


@login_required
@require_POST
@domain_errors_as_pages
def recovery_action_create(request, pk: int):
    loan = selectors.loan_get(actor=request.user, pk=pk)
    form = RecoveryActionForm(request.POST)
    if form.is_valid():
        try:
            services.recovery_action_record(actor=request.user, loan=loan, **form.cleaned_data)
        except (ValidationFailed, Conflict) as exc:
            apply_domain_error(form, exc)
        else:
            messages.success(request, _("Action de recouvrement enregistrée."))
            return redirect("credit:loan_detail", pk=loan.pk)
    context = _detail_context(request, loan, action_form=form)
    return render(request, "credit/loan_detail.html", context, status=400)


@login_required
@require_http_methods(["GET"])
@domain_errors_as_pages
def arrears_list(request):
    """The agent's daily list: loans in arrears in scope, riskiest first."""
    loans = selectors.arrears_list(actor=request.user)
    page = Paginator(loans, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "credit/arrears_list.html",
        {"page": page, "query": "", "target": "#results", "today": today()},
    )


@login_required
@domain_errors_as_pages
def portfolio(request):
    as_of = today()
    if request.GET.get("as_of"):
        try:
            as_of = datetime.date.fromisoformat(request.GET["as_of"])
        except ValueError:
            messages.error(request, _("Date invalide : AAAA-MM-JJ."))
    data = selectors.portfolio(actor=request.user, as_of=as_of)
    return render(request, "credit/portfolio.html", {"p": data, "as_of": as_of})


@login_required
@domain_errors_as_pages
def loan_pdf(request, pk: int, kind: str):
    """The loan summary with its schedule (``resume``) or the borrower's statement
    (``releve``), as PDF (WeasyPrint)."""
    from weasyprint import HTML

    loan = selectors.loan_get(actor=request.user, pk=pk)
    context = _detail_context(request, loan)
    context["printed_on"] = today()
    template = {"resume": "credit/pdf/summary.html", "releve": "credit/pdf/statement.html"}.get(
        kind
    )
    if template is None:
        raise Http404
    html = render_to_string(template, context, request=request)
    pdf = HTML(string=html, base_url=request.build_absolute_uri("/")).write_pdf()
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="pret-{loan.pk}-{kind}.pdf"'
    return response
