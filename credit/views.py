"""HTML pages of credit: thin, like credit/api.py. Reads through credit.selectors
(scoped), writes through credit.services; domain errors become form errors, 404 pages
(NotFound) or 403 pages (Forbidden)."""

from __future__ import annotations

import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from core import dates
from core.errors import NotFound
from core.forms import domain_errors_on
from core.pagination import DeferredJoinPaginator
from core.views import query_date
from credit import rules, selectors, services
from credit.forms import (
    DecisionForm,
    DisburseForm,
    LoanApplicationForm,
    LoanFilterForm,
    LoanProductForm,
    ReasonForm,
    RecoveryActionForm,
    RepaymentForm,
    RescheduleForm,
    WalletDisburseForm,
    allocation_choices,
)
from credit.models import ChangeKind, ChangeStatus, LoanStatus

PAGE_SIZE = 25


@login_required
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
    context = {
        "form": form,
        "page": page,
        "query": query.urlencode(),
        "target": "#results",
        "can_apply": rules.can_lend(request.user),
    }
    template = "credit/_loan_results.html" if request.htmx else "credit/loan_list.html"
    return render(request, template, context)


def _detail_context(request, loan, repayment_form=None, action_form=None) -> dict:
    actor = request.user
    can_collect = rules.can_collect(actor, loan)
    can_manage = rules.can_manage_lender(actor, loan.lender_id)
    requests = list(selectors.change_request_list(actor=actor, loan=loan).order_by("-id"))
    return {
        "loan": loan,
        "instalments": list(selectors.instalment_list(actor=actor, loan=loan)),
        "repayments": list(selectors.repayment_list(actor=actor, loan=loan)),
        "actions": list(selectors.recovery_action_list(actor=actor, loan=loan)),
        "events": list(selectors.loan_event_list(actor=actor, loan=loan)),
        "change_requests": requests,
        "pending_request": next((r for r in requests if r.status == ChangeStatus.PENDING), None),
        "can_manage": can_manage,
        "disbursement_payout": selectors.disbursement_payout(loan)
        if loan.status == "approved"
        else None,
        "entered_by_me": loan.created_by_id == actor.pk,
        "can_collect": can_collect and loan.status == "active",
        "repayment_form": repayment_form
        or RepaymentForm(
            initial={
                "paid_on": dates.today(),
                "channel": "cash",
                "idempotency_key": uuid.uuid4().hex,
            }
        ),
        "action_form": action_form or RecoveryActionForm(initial={"on": dates.today()}),
    }


@login_required
def loan_detail(request, pk: int):
    loan = selectors.loan_get(actor=request.user, pk=pk)
    return render(request, "credit/loan_detail.html", _detail_context(request, loan))


@login_required
@require_POST
def repayment_create(request, pk: int):
    """Post a repayment. The form carries an idempotency key: a double submit posts once."""
    loan = selectors.loan_get(actor=request.user, pk=pk)
    form = RepaymentForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        with domain_errors_on(form):
            services.repayment_post(
                actor=request.user,
                loan=loan,
                amount=data["amount"],
                paid_on=data["paid_on"],
                channel=data["channel"],
                reference=data["reference"],
                idempotency_key=data["idempotency_key"] or None,
            )
        if not form.errors:
            messages.success(request, _("Remboursement enregistré."))
            return redirect("credit:loan_detail", pk=loan.pk)
    context = _detail_context(request, loan, repayment_form=form)
    return render(request, "credit/loan_detail.html", context, status=400)


@login_required
@require_POST
def recovery_action_create(request, pk: int):
    loan = selectors.loan_get(actor=request.user, pk=pk)
    form = RecoveryActionForm(request.POST)
    if form.is_valid():
        with domain_errors_on(form):
            services.recovery_action_record(actor=request.user, loan=loan, **form.cleaned_data)
        if not form.errors:
            messages.success(request, _("Action de recouvrement enregistrée."))
            return redirect("credit:loan_detail", pk=loan.pk)
    context = _detail_context(request, loan, action_form=form)
    return render(request, "credit/loan_detail.html", context, status=400)


@login_required
@require_http_methods(["GET"])
def arrears_list(request):
    """The agent's daily list: loans in arrears in scope, riskiest first."""
    loans = selectors.arrears_list(actor=request.user)
    # the page's ids, then their joins: a department's late loans are sorted, not joined
    page = DeferredJoinPaginator(loans, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "credit/arrears_list.html",
        {"page": page, "query": "", "target": "#results", "today": dates.today()},
    )


@login_required
def portfolio(request):
    as_of = query_date(request, "as_of", default=dates.today())
    data = selectors.portfolio(actor=request.user, as_of=as_of)
    return render(request, "credit/portfolio.html", {"p": data, "as_of": as_of})


@login_required
def loan_pdf(request, pk: int, kind: str):
    """The loan summary with its schedule (``resume``) or the borrower's statement
    (``releve``), as PDF (WeasyPrint)."""
    from weasyprint import HTML

    loan = selectors.loan_get(actor=request.user, pk=pk)
    context = _detail_context(request, loan)
    context["printed_on"] = dates.today()
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


# --- loan products ------------------------------------------------------------------------


@login_required
@require_http_methods(["GET"])
def product_list(request):
    products = selectors.loan_product_list(actor=request.user).order_by(
        "lender__name", "-active", "name"
    )
    page = Paginator(products, PAGE_SIZE).get_page(request.GET.get("page"))
    labels = dict(allocation_choices())
    for p in page.object_list:
        p.order_label = labels.get(p.allocation_order, p.allocation_order)
    context = {
        "page": page,
        "query": "",
        "target": "#results",
        "can_create": rules.can_lend(request.user),
    }
    return render(request, "credit/product_list.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def product_create(request):
    actor = request.user
    if not rules.can_lend(actor):
        raise PermissionDenied
    lenders = selectors.lender_list(actor=actor).order_by("name")
    form = LoanProductForm(request.POST or None, lenders=lenders)
    if request.method == "POST" and form.is_valid():
        with domain_errors_on(form):
            product = services.loan_product_create(
                actor=actor, on=dates.today(), **form.service_kwargs()
            )
        if not form.errors:
            messages.success(
                request,
                _("Produit « %(name)s » créé (TEG %(teg)s %%).")
                % {"name": product.name, "teg": str(product.effective_rate).replace(".", ",")},
            )
            return redirect("credit:product_list")
    status = 400 if request.method == "POST" else 200
    return render(request, "credit/product_form.html", {"form": form}, status=status)


# --- applications -------------------------------------------------------------------------


def _borrowers(actor, data: dict, form) -> dict | None:
    """The borrower named by number on the form, or None with the error on the field."""
    found = {}
    for field, kwarg in [
        ("borrower_cooperative", "cooperative"),
        ("borrower_person", "person"),
        ("cooperative", "cooperative"),
    ]:
        if data.get(field) is None:
            continue
        try:
            found[field] = selectors.borrower_get(actor=actor, **{kwarg: data[field]})
        except NotFound as exc:
            form.add_error(field, str(exc.message))
    return None if form.errors else found


@login_required
@require_http_methods(["GET", "POST"])
def loan_apply(request):
    """Enter an application. « Vérifier » (name ``check``) shows the borrower and the
    product's conditions without saving; « Enregistrer » saves the application."""
    actor = request.user
    if not rules.can_lend(actor):
        raise PermissionDenied
    products = selectors.loan_product_list(actor=actor).filter(active=True).order_by("name")
    initial = {"applied_on": dates.today()}
    form = LoanApplicationForm(request.POST or None, products=products, initial=initial)
    found = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        found = _borrowers(actor, data, form)
        if found is not None and "check" not in request.POST:
            with domain_errors_on(form):
                loan = services.loan_apply(
                    actor=actor,
                    product=data["product"],
                    principal=data["principal"],
                    applied_on=data["applied_on"],
                    purpose=data["purpose"],
                    **found,
                )
            if not form.errors:
                messages.success(
                    request,
                    _("Demande enregistrée. Un autre utilisateur doit maintenant l'approuver."),
                )
                return redirect("credit:loan_detail", pk=loan.pk)
    status = 400 if request.method == "POST" and form.errors else 200
    return render(request, "credit/loan_apply.html", {"form": form, "found": found}, status=status)


# --- decisions on a loan ------------------------------------------------------------------


def _managed_loan(request, pk: int):
    """The loan (404 out of scope) that the user's role may decide on (403 otherwise)."""
    loan = selectors.loan_get(actor=request.user, pk=pk)
    if not rules.can_manage_lender(request.user, loan.lender_id):
        raise PermissionDenied
    return loan


STEPS = {
    # step: (service, statuses, title, button, done, form class)
    "approuver": (
        services.loan_approve,
        (LoanStatus.APPLICATION,),
        gettext_lazy("Approuver la demande"),
        gettext_lazy("Confirmer l'approbation"),
        gettext_lazy("Demande approuvée."),
        DecisionForm,
    ),
    "rejeter": (
        services.loan_reject,
        (LoanStatus.APPLICATION, LoanStatus.APPROVED),
        gettext_lazy("Rejeter la demande"),
        gettext_lazy("Confirmer le rejet"),
        gettext_lazy("Demande rejetée."),
        ReasonForm,
    ),
    "decaisser": (
        services.loan_disburse,
        (LoanStatus.APPROVED,),
        gettext_lazy("Décaisser le prêt"),
        gettext_lazy("Confirmer le décaissement"),
        gettext_lazy("Prêt décaissé : l'échéancier est créé."),
        DisburseForm,
    ),
    "decaisser-portefeuille": (
        services.loan_disburse_by_wallet,
        (LoanStatus.APPROVED,),
        gettext_lazy("Décaisser sur un portefeuille mobile money"),
        gettext_lazy("Envoyer le versement"),
        gettext_lazy(
            "Versement demandé : le prêt sera décaissé quand l'opérateur l'aura confirmé "
            "(au-dessus du seuil, un autre utilisateur doit d'abord l'approuver)."
        ),
        WalletDisburseForm,
    ),
}


@login_required
@require_http_methods(["GET", "POST"])
def loan_step(request, pk: int, step: str):
    """Approve, reject or disburse: a confirmation page (GET), then the step (POST)."""
    if step not in STEPS:
        raise Http404
    loan = _managed_loan(request, pk)
    service, statuses, title, button, done, form_class = STEPS[step]
    on = dates.today()
    if request.method == "GET":  # « Recalculer » of the preview
        on = query_date(request, "on", default=on, event=True)
    form = form_class(request.POST or None, initial={"on": on})
    blocked = rules.loan_step_refusal(
        request.user, loan, statuses=statuses, approving=step == "approuver"
    )
    if request.method == "POST" and form.is_valid():
        with domain_errors_on(form):
            service(actor=request.user, loan=loan, **form.cleaned_data)
        if not form.errors:
            messages.success(request, done)
            anchor = "#echeancier" if step == "decaisser" else "#historique"
            return redirect(reverse("credit:loan_detail", args=[loan.pk]) + anchor)
    preview = None
    if step == "decaisser" and not blocked:
        if form.is_bound and form.is_valid():
            on = form.cleaned_data["on"]
        preview = services.disbursement_preview(loan, on=on)
    status = 400 if request.method == "POST" else 200
    context = {
        "loan": loan,
        "form": form,
        "step": step,
        "title": title,
        "button": button,
        "blocked": blocked,
        "preview": preview,
        "preview_on": on,
    }
    return render(request, "credit/loan_step.html", context, status=status)


CHANGE_KINDS = {"reechelonnement": ChangeKind.RESCHEDULE, "passage-en-perte": ChangeKind.WRITE_OFF}


@login_required
@require_http_methods(["GET", "POST"])
def change_request_create(request, pk: int, kind: str):
    """Ask for a reschedule or a write-off; another user decides (maker-checker)."""
    if kind not in CHANGE_KINDS:
        raise Http404
    loan = _managed_loan(request, pk)
    kind = CHANGE_KINDS[kind]
    form_class = RescheduleForm if kind == ChangeKind.RESCHEDULE else ReasonForm
    form = form_class(request.POST or None, initial={"on": dates.today()})
    if request.method == "POST" and form.is_valid():
        params = form.params() if kind == ChangeKind.RESCHEDULE else None
        with domain_errors_on(form):
            services.loan_change_request(
                actor=request.user,
                loan=loan,
                kind=kind,
                on=form.cleaned_data["on"],
                reason=form.cleaned_data["reason"],
                params=params,
            )
        if not form.errors:
            messages.success(
                request, _("Demande enregistrée : un autre utilisateur doit la trancher.")
            )
            return redirect(reverse("credit:loan_detail", args=[loan.pk]) + "#decisions")
    context = {
        "loan": loan,
        "form": form,
        "kind": kind,
        "blocked": rules.loan_step_refusal(
            request.user, loan, statuses=(LoanStatus.ACTIVE,), approving=False
        ),
    }
    status = 400 if request.method == "POST" else 200
    return render(request, "credit/change_request_form.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def change_request_decide(request, pk: int):
    """The pending request and its two answers (GET); the decision (POST ``decision``)."""
    change = selectors.change_request_get(actor=request.user, pk=pk)
    loan = _managed_loan(request, change.loan_id)
    error = None
    blocked = rules.change_decision_refusal(request.user, change)
    if request.method == "POST":
        decision = request.POST.get("decision")
        if decision not in ("approve", "refuse"):
            error = _("Choisissez d'approuver ou de refuser.")
        else:
            with domain_errors_on(None) as outcome:
                services.loan_change_decide(
                    actor=request.user, request=change, approve=decision == "approve"
                )
            if not outcome:
                error = outcome.error.message
            else:
                done = {
                    ("approve", ChangeKind.RESCHEDULE): _("Prêt rééchelonné."),
                    ("approve", ChangeKind.WRITE_OFF): _("Prêt passé en perte."),
                }.get((decision, change.kind), _("Demande refusée."))
                messages.success(request, done)
                return redirect(reverse("credit:loan_detail", args=[loan.pk]) + "#historique")
    context = {"loan": loan, "change": change, "blocked": blocked, "error": error}
    status = 400 if error else 200
    return render(request, "credit/change_request_decide.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def repayment_reverse(request, pk: int, repayment_pk: int):
    """Cancel a repayment by a reversal, with its reason (confirmation page first)."""
    loan = _managed_loan(request, pk)
    repayment = selectors.repayment_get(actor=request.user, pk=repayment_pk)
    if repayment.loan_id != loan.pk:
        raise Http404
    form = ReasonForm(request.POST or None, initial={"on": dates.today()})
    if request.method == "POST" and form.is_valid():
        with domain_errors_on(form):
            services.repayment_reverse(actor=request.user, repayment=repayment, **form.cleaned_data)
        if not form.errors:
            messages.success(request, _("Remboursement annulé."))
            return redirect(reverse("credit:loan_detail", args=[loan.pk]) + "#remboursements")
    status = 400 if request.method == "POST" else 200
    context = {"loan": loan, "repayment": repayment, "form": form}
    return render(request, "credit/repayment_reverse.html", context, status=status)
