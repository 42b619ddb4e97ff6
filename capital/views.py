"""HTML pages of share capital: thin; reads via selectors, writes via services."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods

from capital import selectors, services
from capital.forms import OperationFilterForm, OperationForm, RefuseForm, StatutesForm
from capital.models import PaymentChannel
from capital.rules import can_manage, require_manage
from core import dates
from core.forms import domain_errors_on
from registry.models import MembershipStatus
from registry.selectors import cooperative_get, cooperative_list, membership_list, person_get

PAGE_SIZE = 25


def _members(actor, coop):
    return (
        membership_list(actor=actor)
        .filter(cooperative=coop, status=MembershipStatus.ACTIVE)
        .order_by("person__last_name", "person__first_name")
    )


@login_required
@require_GET
def index(request):
    """The cooperatives in scope, each linking to its share register."""
    q = request.GET.get("q", "")
    page = Paginator(cooperative_list(actor=request.user, filters={"q": q}), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    query = urlencode({"q": q}) if q else ""
    return render(request, "capital/index.html", {"page": page, "q": q, "query": query})


@login_required
@require_GET
def register(request, pk: int):
    coop = cooperative_get(actor=request.user, pk=pk)
    holdings = selectors.share_register(actor=request.user, cooperative=coop)
    totals = {
        "shares": sum(h.shares for h in holdings),
        "subscribed": sum(h.subscribed for h in holdings),
        "paid": sum(h.paid for h in holdings),
    }
    totals["unpaid"] = totals["subscribed"] - totals["paid"]
    return render(
        request,
        "capital/register.html",
        {
            "coop": coop,
            "holdings": holdings,
            "totals": totals,
            "statutes": selectors.statutes_get(actor=request.user, cooperative=coop),
            "can_manage": can_manage(request.user, coop),
        },
    )


@login_required
@require_GET
def operation_list(request, pk: int):
    coop = cooperative_get(actor=request.user, pk=pk)
    form = OperationFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    qs = selectors.share_operation_list(
        actor=request.user,
        cooperative=coop,
        status=filters.get("status"),
        kind=filters.get("kind"),
    )
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    query = urlencode({k: v for k, v in filters.items() if v})
    return render(
        request,
        "capital/operation_list.html",
        {
            "coop": coop,
            "page": page,
            "form": form,
            "query": query,
            "can_manage": can_manage(request.user, coop),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def operation_create(request, pk: int):
    coop = cooperative_get(actor=request.user, pk=pk)
    require_manage(request.user, coop)
    members = list(_members(request.user, coop))
    # A refund concerns a member who has left: offer every holder of record too.
    holders = {h.person.pk: h.person for h in selectors.holdings(coop)}
    members = [(m.person_id, str(m.person)) for m in members]
    persons = members + [(pid, str(p)) for pid, p in holders.items() if pid not in dict(members)]
    form = OperationForm(
        request.POST or None,
        members=members,
        persons=persons,
        initial={"effective_on": dates.today(), "shares": 1},
    )
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        with domain_errors_on(form):
            op = services.share_operation_request(
                cooperative=coop,
                kind=d["kind"],
                person=person_get(actor=request.user, pk=d["person"]),
                to_person=(
                    person_get(actor=request.user, pk=d["to_person"]) if d["to_person"] else None
                ),
                shares=d["shares"] or 0,
                amount=d["amount"],
                channel=d["channel"] or PaymentChannel.CASH,
                effective_on=d["effective_on"],
                note=d["note"],
                actor=request.user,
            )
        if not form.errors:
            messages.success(request, _("Demande enregistrée : elle attend l'approbation."))
            return redirect("capital:operation_detail", pk=op.pk)
    return render(
        request,
        "capital/operation_form.html",
        {"coop": coop, "form": form, "statutes": selectors.statutes_for(coop)},
    )


@login_required
@require_GET
def operation_detail(request, pk: int):
    op = selectors.share_operation_get(actor=request.user, pk=pk)
    return render(
        request,
        "capital/operation_detail.html",
        {"op": op, "coop": op.cooperative, "can_manage": can_manage(request.user, op.cooperative)},
    )


ACTIONS = {
    "approuver": (
        services.share_operation_approve,
        gettext_lazy("Approuver cette demande ?"),
        gettext_lazy("Demande approuvée."),
    ),
    "realiser": (
        services.share_operation_execute,
        gettext_lazy(
            "Enregistrer cette opération comme réalisée ? Elle ne pourra plus être modifiée."
        ),
        gettext_lazy("Opération réalisée : le registre est à jour."),
    ),
    "refuser": (
        services.share_operation_refuse,
        gettext_lazy("Refuser cette demande ?"),
        gettext_lazy("Demande refusée."),
    ),
}


@login_required
@require_http_methods(["GET", "POST"])
def operation_decide(request, pk: int, action: str):
    """A confirmation page (GET), then the decision (POST)."""
    op = selectors.share_operation_get(actor=request.user, pk=pk)
    if action not in ACTIONS:
        return redirect("capital:operation_detail", pk=op.pk)
    require_manage(request.user, op.cooperative)
    fn, question, done = ACTIONS[action]
    form = RefuseForm(request.POST or None) if action == "refuser" else None
    error = None
    if request.method == "POST" and (form is None or form.is_valid()):
        kwargs = {"reason": form.cleaned_data["reason"]} if form else {}
        with domain_errors_on(form) as outcome:  # no form: the page shows the error
            fn(operation=op, actor=request.user, **kwargs)
        if outcome:
            messages.success(request, done)
            return redirect("capital:operation_detail", pk=op.pk)
        if form is None:
            error = outcome.error.message
    return render(
        request,
        "capital/operation_confirm.html",
        {
            "op": op,
            "coop": op.cooperative,
            "question": question,
            "form": form,
            "error": error,
            "action": action,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def statutes_edit(request, pk: int):
    coop = cooperative_get(actor=request.user, pk=pk)
    require_manage(request.user, coop)
    statutes = selectors.statutes_for(coop)
    form = StatutesForm(request.POST or None, instance=statutes)
    if request.method == "POST" and form.is_valid():
        with domain_errors_on(form):
            services.statutes_update(cooperative=coop, actor=request.user, **form.cleaned_data)
        if not form.errors:
            messages.success(request, _("Statuts enregistrés."))
            return redirect("capital:register", pk=coop.pk)
    return render(request, "capital/statutes_form.html", {"coop": coop, "form": form})


def _statement(request, pk, person_pk):
    coop = cooperative_get(actor=request.user, pk=pk)
    return selectors.capital_statement(
        actor=request.user, cooperative=coop, person_id=person_pk, as_of=dates.today()
    )


@login_required
@require_GET
def statement(request, pk: int, person_pk: int):
    st = _statement(request, pk, person_pk)
    return render(
        request,
        "capital/statement.html",
        {"st": st, "coop": st.cooperative, "statutes": selectors.statutes_for(st.cooperative)},
    )


@login_required
@require_GET
def certificate(request, pk: int, person_pk: int):
    """The share certificate (attestation de parts sociales), A4 PDF."""
    from weasyprint import HTML

    st = _statement(request, pk, person_pk)
    html = render_to_string(
        "capital/certificate_pdf.html",
        {
            "st": st,
            "coop": st.cooperative,
            "statutes": selectors.statutes_for(st.cooperative),
            "today": dates.today(),
        },
        request=request,
    )
    pdf = HTML(string=html, base_url=request.build_absolute_uri("/")).write_pdf()
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = (
        f'inline; filename="attestation-parts-{st.cooperative.pk}-{st.person.pk}.pdf"'
    )
    return response
