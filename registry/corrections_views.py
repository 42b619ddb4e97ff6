"""Pages of correction requests (law 2008-12): the list, recording one from the person's
page, and deciding it with a confirmation step. Thin: forms parse, services write."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from core.errors import Forbidden
from core.forms import domain_errors_on
from registry import rules
from registry.corrections import (
    correction_request_create,
    correction_request_decide,
    field_label,
    person_value,
)
from registry.corrections_forms import (
    CorrectionDecisionForm,
    CorrectionFilterForm,
    CorrectionRequestForm,
)
from registry.corrections_selectors import correction_request_get, correction_request_list
from registry.forms import PersonForm
from registry.models import CorrectionStatus
from registry.selectors import person_get

PAGE_SIZE = 25


def _require(allowed: bool) -> None:
    if not allowed:
        raise Forbidden(_("Action non autorisée pour votre rôle."))


@login_required
def correction_list(request):
    form = CorrectionFilterForm(request.GET or None)
    filters = form.filters()
    person = None
    if request.GET.get("person", "").isdigit():
        person = person_get(actor=request.user, pk=int(request.GET["person"]))
        filters["person"] = person.pk
    queryset = correction_request_list(actor=request.user, filters=filters)
    page = Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))
    params = request.GET.copy()
    params.pop("page", None)
    context = {
        "form": form,
        "page": page,
        "query": params.urlencode(),
        "filtered": bool(filters),
        "person": person,
    }
    return render(request, "registry/correction_list.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def correction_create(request, pk: int):
    person = person_get(actor=request.user, pk=pk)
    _require(rules.can_handle_corrections.test(request.user, person))
    form = CorrectionRequestForm(request.POST or None, initial=PersonForm.initial_for(person))
    if request.method == "POST" and form.is_valid():
        with domain_errors_on(form):
            correction = correction_request_create(
                actor=request.user, person=person, **form.service_kwargs()
            )
        if not form.errors:
            messages.success(request, _("Demande de rectification enregistrée."))
            return redirect("registry:correction_detail", pk=correction.pk)
    return render(request, "registry/correction_form.html", {"form": form, "person": person})


def _shown(value) -> str:
    if isinstance(value, bool):
        return _("oui") if value else _("non")
    return "—" if value in (None, "") else str(value)


def _diff(correction) -> list[dict]:
    """Each asked field: its label, the person's value now, the value asked, and (once
    accepted) what was applied."""
    rows = []
    for name, asked in correction.changes.items():
        applied = correction.applied.get(name)
        rows.append(
            {
                "label": field_label(name),
                "current": _shown(person_value(correction.person, name)),
                "asked": _shown(asked),
                "old": _shown(applied["old"]) if applied else "—",
            }
        )
    return rows


@login_required
@require_http_methods(["GET", "POST"])
def correction_detail(request, pk: int):
    """The request; whoever may edit the person decides it here. A decision is shown once
    more for confirmation (what will change on the person) before it is applied."""
    user = request.user
    correction = correction_request_get(actor=user, pk=pk)
    can_decide = correction.status == CorrectionStatus.OPEN and rules.can_handle_corrections.test(
        user, correction.person
    )
    form = CorrectionDecisionForm(request.POST or None)
    confirming = False
    if request.method == "POST":
        _require(can_decide)
        if form.is_valid():
            if request.POST.get("confirm") != "1":
                confirming = True
            else:
                with domain_errors_on(form):
                    correction_request_decide(
                        actor=user,
                        correction=correction,
                        outcome=form.cleaned_data["outcome"],
                        reason=form.cleaned_data["reason"],
                    )
                if not form.errors:
                    messages.success(request, _("Décision enregistrée."))
                    return redirect("registry:correction_detail", pk=correction.pk)
    context = {
        "correction": correction,
        "rows": _diff(correction),
        "form": form,
        "can_decide": can_decide,
        "confirming": confirming,
    }
    return render(request, "registry/correction_detail.html", context)
