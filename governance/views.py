"""HTML pages of governance: thin; reads via selectors, writes via services."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from core import dates
from core.forms import domain_errors_on
from governance import selectors, services
from governance.documents import minutes_pdf
from governance.forms import (
    AsOfForm,
    AssemblyForm,
    AttendanceForm,
    CloseForm,
    MandateForm,
    ResolutionForm,
    VoteForm,
)
from governance.limits import BODY_RULES
from governance.models import AssemblyStatus
from governance.rules import can_follow_approvals, can_manage, require_manage
from registry.models import MembershipStatus
from registry.selectors import cooperative_get, cooperative_list, membership_list, person_get

PAGE_SIZE = 25


def _members(actor, coop) -> list[tuple[int, str]]:
    rows = (
        membership_list(actor=actor)
        .filter(cooperative=coop, status=MembershipStatus.ACTIVE)
        .order_by("person__last_name", "person__first_name")
    )
    return [(m.person_id, str(m.person)) for m in rows]


@login_required
@require_GET
def index(request):
    q = request.GET.get("q", "")
    page = Paginator(cooperative_list(actor=request.user, filters={"q": q}), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "governance/index.html",
        {
            "page": page,
            "q": q,
            "query": urlencode({"q": q}) if q else "",
            "is_staff": can_follow_approvals(request.user),
        },
    )


@login_required
@require_GET
def late_accounts(request):
    """Cooperatives late in approving their accounts (agents and national)."""
    if not can_follow_approvals(request.user):
        raise PermissionDenied
    form = AsOfForm(request.GET or None)
    # An invalid date is shown on the field (the form's error) and the list is today's.
    as_of = (form.is_valid() and form.cleaned_data.get("as_of")) or dates.today()
    rows = selectors.accounts_approval_late_list(actor=request.user, as_of=as_of)
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "governance/late_accounts.html",
        {
            "page": page,
            "form": form,
            "as_of": as_of,
            "query": urlencode({"as_of": as_of.isoformat()}),
        },
    )


@login_required
@require_GET
def cooperative(request, pk: int):
    coop = cooperative_get(actor=request.user, pk=pk)
    assemblies = selectors.assembly_list(actor=request.user, cooperative=coop)
    page = Paginator(assemblies, PAGE_SIZE).get_page(request.GET.get("page"))
    today = dates.today()
    mandates = selectors.mandate_list(actor=request.user, cooperative=coop).order_by(
        "body", "-starts_on"
    )
    current = [m for m in mandates if m.ends_on > today and not m.ended_on]
    past = [m for m in mandates if m not in current]
    return render(
        request,
        "governance/cooperative.html",
        {
            "coop": coop,
            "page": page,
            "current": current,
            "past": past,
            "can_manage": can_manage(request.user, coop),
            "rules": BODY_RULES.get(coop.legal_form, {}),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def assembly_create(request, pk: int):
    coop = cooperative_get(actor=request.user, pk=pk)
    require_manage(request.user, coop)
    form = AssemblyForm(request.POST or None, initial={"notice_sent_on": dates.today()})
    if request.method == "POST" and form.is_valid():
        with domain_errors_on(form):
            assembly = services.assembly_convene(
                cooperative=coop, actor=request.user, **form.cleaned_data
            )
        if not form.errors:
            messages.success(request, _("Assemblée convoquée."))
            return redirect("governance:assembly", pk=assembly.pk)
    return render(request, "governance/assembly_form.html", {"coop": coop, "form": form})


def _detail(request, assembly, *, status=200, **forms):
    coop = assembly.cooperative
    results = selectors.assembly_results(assembly)
    recorded = {a.person_id for a in results.attendances}
    members = _members(request.user, coop)
    present = [(a.person_id, str(a.person)) for a in results.attendances if not a.proxy_holder_id]
    context = {
        "a": assembly,
        "coop": coop,
        "results": results,
        "can_manage": can_manage(request.user, coop) and assembly.status == AssemblyStatus.CONVENED,
        "held": assembly.held_on <= dates.today(),
        "attendance_form": forms.get("attendance_form")
        or AttendanceForm(absent=[m for m in members if m[0] not in recorded], present=present),
        "resolution_form": forms.get("resolution_form") or ResolutionForm(),
        "vote_errors": forms.get("vote_errors", {}),
        "vote_form": VoteForm(),
    }
    return render(request, "governance/assembly_detail.html", context, status=status)


@login_required
@require_GET
def assembly_detail(request, pk: int):
    return _detail(request, selectors.assembly_get(actor=request.user, pk=pk))


@login_required
@require_POST
def attendance_add(request, pk: int):
    assembly = selectors.assembly_get(actor=request.user, pk=pk)
    require_manage(request.user, assembly.cooperative)
    results = selectors.assembly_results(assembly)
    recorded = {a.person_id for a in results.attendances}
    members = _members(request.user, assembly.cooperative)
    present = [(a.person_id, str(a.person)) for a in results.attendances if not a.proxy_holder_id]
    form = AttendanceForm(
        request.POST, absent=[m for m in members if m[0] not in recorded], present=present
    )
    if form.is_valid():
        d = form.cleaned_data
        with domain_errors_on(form):
            services.attendance_record(
                assembly=assembly,
                person=person_get(actor=request.user, pk=d["person"]),
                proxy_holder=(
                    person_get(actor=request.user, pk=d["proxy_holder"])
                    if d["proxy_holder"]
                    else None
                ),
                actor=request.user,
            )
        if not form.errors:
            messages.success(request, _("Présence enregistrée."))
            return redirect(f"{assembly_url(assembly)}#presences")
    return _detail(request, assembly, attendance_form=form)


def assembly_url(assembly) -> str:
    return reverse("governance:assembly", args=[assembly.pk])


@login_required
@require_POST
def attendance_remove(request, pk: int):
    line = selectors.attendance_get(actor=request.user, pk=pk)
    with domain_errors_on(request) as done:
        services.attendance_remove(attendance=line, actor=request.user)
    if done:
        messages.success(request, _("Ligne retirée de la feuille de présence."))
    return redirect(f"{assembly_url(line.assembly)}#presences")


@login_required
@require_POST
def resolution_add(request, pk: int):
    assembly = selectors.assembly_get(actor=request.user, pk=pk)
    form = ResolutionForm(request.POST)
    if form.is_valid():
        with domain_errors_on(form):
            services.resolution_add(assembly=assembly, actor=request.user, **form.cleaned_data)
        if not form.errors:
            messages.success(request, _("Résolution ajoutée."))
            return redirect(f"{assembly_url(assembly)}#resolutions")
    return _detail(request, assembly, resolution_form=form)


@login_required
@require_POST
def resolution_vote(request, pk: int):
    resolution = selectors.resolution_get(actor=request.user, pk=pk)
    form = VoteForm(request.POST)
    if form.is_valid():
        with domain_errors_on(form):
            services.resolution_vote(resolution=resolution, actor=request.user, **form.cleaned_data)
        if not form.errors:
            messages.success(request, _("Vote enregistré."))
            return redirect(f"{assembly_url(resolution.assembly)}#resolutions")
    errors = [str(e) for errs in form.errors.values() for e in errs]
    return _detail(request, resolution.assembly, vote_errors={resolution.pk: errors})


@login_required
@require_http_methods(["GET", "POST"])
def assembly_close(request, pk: int):
    """Confirmation page, then closing: the results are frozen."""
    assembly = selectors.assembly_get(actor=request.user, pk=pk)
    require_manage(request.user, assembly.cooperative)
    form = CloseForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        with domain_errors_on(form):
            services.assembly_close(assembly=assembly, actor=request.user, **form.cleaned_data)
        if not form.errors:
            messages.success(request, _("Assemblée close : le procès-verbal est disponible."))
            return redirect("governance:assembly", pk=assembly.pk)
    return render(
        request,
        "governance/assembly_close.html",
        {"a": assembly, "form": form, "results": selectors.assembly_results(assembly)},
    )


@login_required
@require_GET
def minutes(request, pk: int):
    assembly = selectors.assembly_get(actor=request.user, pk=pk)
    pdf = minutes_pdf(assembly, base_url=request.build_absolute_uri("/"))
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = (
        f'attachment; filename="proces-verbal-ag-{assembly.pk}-{assembly.held_on:%Y-%m-%d}.pdf"'
    )
    return response


@login_required
@require_http_methods(["GET", "POST"])
def mandate_create(request, pk: int):
    coop = cooperative_get(actor=request.user, pk=pk)
    require_manage(request.user, coop)
    form = MandateForm(
        request.POST or None,
        members=_members(request.user, coop),
        bodies=list(BODY_RULES.get(coop.legal_form, {})),
        initial={"starts_on": dates.today()},
    )
    if request.method == "POST" and form.is_valid():
        d = dict(form.cleaned_data)
        with domain_errors_on(form):
            services.mandate_assign(
                cooperative=coop,
                person=person_get(actor=request.user, pk=d.pop("person")),
                actor=request.user,
                **d,
            )
        if not form.errors:
            messages.success(request, _("Mandat enregistré."))
            return redirect("governance:cooperative", pk=coop.pk)
    return render(request, "governance/mandate_form.html", {"coop": coop, "form": form})
