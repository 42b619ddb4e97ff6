"""Mediation pages. The file of a case is read through ``selectors.case_get`` (parties and
mediator only: 404 for anyone else); the administrators' queue and statistics show no
file."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from core.forms import domain_errors_on
from mediation import forms, rules, selectors, services
from network.selectors import my_organisations, organisation_list


@login_required
@require_GET
def case_list(request):
    return render(
        request,
        "mediation/case_list.html",
        {
            "cases": selectors.case_list(actor=request.user)[:200],
            "can_file": my_organisations(actor=request.user).filter(status="approved").exists(),
            "is_admin": rules.is_mediation_admin(request.user),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def case_new(request):
    orgs = list(my_organisations(actor=request.user).filter(status="approved"))
    if not orgs:
        raise PermissionDenied
    form = forms.CaseForm(request.POST or None, organisations=orgs)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        complainant = next(o for o in orgs if str(o.pk) == data.pop("complainant"))
        respondent = None
        if not data.pop("against_platform"):
            respondent = organisation_list(actor=None).filter(slug=data["respondent"]).first()
            if respondent is None:
                form.add_error("respondent", _("Organisation introuvable dans l'annuaire."))
        data.pop("respondent")
        if not form.errors:
            with domain_errors_on(form):
                case = services.case_file(
                    actor=request.user, complainant=complainant, respondent=respondent, **data
                )
            if not form.errors:
                return redirect("mediation:detail", pk=case.pk)
    status = 400 if form.errors else 200
    return render(request, "mediation/case_form.html", {"form": form}, status=status)


def _detail(request, case, status=200, **given):
    user = request.user
    return render(
        request,
        "mediation/case_detail.html",
        {
            "case": case,
            "entries": selectors.timeline(actor=user, case=case),
            "is_mediator": rules.is_case_mediator(user, case),
            "entry_form": given.get("entry_form") or forms.EntryForm(),
            "meeting_form": given.get("meeting_form") or forms.MeetingForm(),
            "close_form": given.get("close_form") or forms.CloseForm(),
            "is_admin": rules.is_mediation_admin(user),
        },
        status=status,
    )


@login_required
@require_GET
def case_detail(request, pk: int):
    return _detail(request, selectors.case_get(actor=request.user, pk=pk))


@login_required
@require_POST
def entry_add(request, pk: int):
    case = selectors.case_get(actor=request.user, pk=pk)
    meeting = "meeting_at" in request.POST
    form = (forms.MeetingForm if meeting else forms.EntryForm)(request.POST)
    if form.is_valid():
        with domain_errors_on(form):
            services.entry_add(actor=request.user, case=case, **form.cleaned_data)
    if form.errors:
        key = "meeting_form" if meeting else "entry_form"
        return _detail(request, case, status=400, **{key: form})
    return redirect("mediation:detail", pk=pk)


@login_required
@require_POST
def case_close(request, pk: int):
    case = selectors.case_get(actor=request.user, pk=pk)
    form = forms.CloseForm(request.POST)
    if form.is_valid():
        with domain_errors_on(form):
            services.case_close(actor=request.user, case=case, **form.cleaned_data)
    if form.errors:
        return _detail(request, case, status=400, close_form=form)
    return redirect("mediation:detail", pk=pk)


# --------------------------------------------------------------------------- administrators


def _admin_only(user):
    if not rules.is_mediation_admin(user):
        raise PermissionDenied


@login_required
@require_http_methods(["GET", "POST"])
def admin_queue(request):
    """Filed disputes waiting for a mediator; the list of mediators (no file shown)."""
    _admin_only(request.user)
    mediator_form = forms.MediatorForm(request.POST or None)
    if request.method == "POST" and mediator_form.is_valid():
        with domain_errors_on(mediator_form):
            services.mediator_add(actor=request.user, **mediator_form.cleaned_data)
        if not mediator_form.errors:
            return redirect("mediation:queue")
    mediators = list(selectors.mediator_list(actor=request.user))
    cases = list(selectors.queue(actor=request.user)[:200])
    for case in cases:
        case.form = forms.AppointForm(mediators=mediators, prefix=f"c{case.pk}")
    return render(
        request,
        "mediation/queue.html",
        {"cases": cases, "mediators": mediators, "mediator_form": mediator_form, "is_admin": True},
        status=400 if mediator_form.errors else 200,
    )


@login_required
@require_POST
def appoint(request, pk: int):
    _admin_only(request.user)
    case = selectors.queue_case_get(actor=request.user, pk=pk)
    mediators = list(selectors.mediator_list(actor=request.user))
    form = forms.AppointForm(request.POST, mediators=mediators, prefix=f"c{pk}")
    if form.is_valid():
        mediator = next(m for m in mediators if str(m.pk) == form.cleaned_data["mediator"])
        with domain_errors_on(form):
            services.mediator_appoint(actor=request.user, case=case, mediator=mediator)
    if form.errors:
        case.form = form
        return render(
            request,
            "mediation/queue.html",
            {
                "cases": [case],
                "mediators": mediators,
                "mediator_form": forms.MediatorForm(),
                "is_admin": True,
            },  # fmt: skip
            status=400,
        )
    return redirect("mediation:queue")


@login_required
@require_GET
def statistics(request):
    _admin_only(request.user)
    return render(
        request,
        "mediation/statistics.html",
        {"stats": selectors.statistics(actor=request.user), "is_admin": True},
    )
