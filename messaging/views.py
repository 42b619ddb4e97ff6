"""HTML pages of the messaging app: the template editor and the refusals of SMS. Thin:
reads through messaging.selectors, writes through messaging.services."""

from __future__ import annotations

import json

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from core.forms import domain_errors_on
from messaging import rules, selectors, services
from messaging.forms import OptOutForm, OptOutSearchForm, TemplateForm

PAGE_SIZE = 25


@login_required
def template_list(request):
    rows = selectors.template_rows(actor=request.user)
    kinds = {}
    for row in rows:
        kinds.setdefault(row.kind.code, {"kind": row.kind, "rows": []})["rows"].append(row)
    return render(
        request,
        "messaging/template_list.html",
        {"kinds": list(kinds.values()), "can_edit": rules.may_edit_templates(request.user)},
    )


@login_required
@require_http_methods(["GET", "POST"])
def template_edit(request, kind: str):
    rows = selectors.template_rows(actor=request.user, kind=kind)
    message_kind = rows[0].kind
    can_edit = rules.may_edit_templates(request.user)
    initial = {row.language: row.text for row in rows}
    form = TemplateForm(request.POST or None, initial=initial)
    if request.method == "POST" and can_edit and form.is_valid():
        with domain_errors_on(form):
            services.template_save(
                kind=kind,
                texts={"fr": form.cleaned_data["fr"], "wo": form.cleaned_data["wo"]},
                actor=request.user,
            )
        if not form.errors:
            messages.success(request, _("Modèles enregistrés."))
            return redirect("messaging:template_list")
    if not can_edit:
        for field in form.fields.values():
            field.disabled = True
    return render(
        request,
        "messaging/template_edit.html",
        {
            "form": form,
            "kind": message_kind,
            "rows": rows,
            "can_edit": can_edit,
            "example_json": json.dumps(message_kind.example, ensure_ascii=False, default=str),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def opt_out_list(request):
    search = OptOutSearchForm(request.GET or None)
    q = search.cleaned_data.get("q") if search.is_valid() else None
    qs = selectors.opt_out_list(actor=request.user, q=q)
    form = OptOutForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        with domain_errors_on(form):
            services.recipient_opt_out(
                phone=form.cleaned_data["phone"],
                reason=form.cleaned_data["reason"],
                actor=request.user,
            )
        if not form.errors:
            messages.success(request, _("Refus de SMS enregistré."))
            return redirect("messaging:opt_out_list")
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    params = request.GET.copy()
    params.pop("page", None)
    return render(
        request,
        "messaging/opt_out_list.html",
        {"page": page, "form": form, "search": search, "query": params.urlencode()},
    )


@login_required
@require_POST
def opt_out_lift(request):
    form = OptOutForm(request.POST)
    if form.is_valid():
        with domain_errors_on(form):
            services.recipient_opt_in(phone=form.cleaned_data["phone"], actor=request.user)
        if not form.errors:
            messages.success(request, _("Le numéro reçoit de nouveau les SMS."))
            return redirect("messaging:opt_out_list")
    messages.error(request, _("Numéro invalide."))
    return redirect("messaging:opt_out_list")
