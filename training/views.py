"""HTML pages of training and follow-up: thin, like training/api.py. Reads through
training.selectors (scoped), writes through training.services; domain errors become form
errors, 404 pages (NotFound, out of scope) or 403 pages (Forbidden)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from core import dates
from core.errors import NotFound
from core.forms import domain_errors_on
from registry.selectors import person_get
from training import policy, selectors, services
from training.forms import (
    ActionDoneForm,
    CertifyForm,
    EnrolForm,
    ModuleForm,
    SessionFilterForm,
    SessionForm,
    SupportPlanForm,
    TrainerForm,
    VisitForm,
    WorklistForm,
)
from training.models import DIAGNOSTIC_AXES, Diagnostic
from training.rules import covers_area, is_national, is_staff

PAGE_SIZE = 25


def _require(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied


def _page(request, qs):
    return Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))


def _query_without_page(request) -> str:
    params = request.GET.copy()
    params.pop("page", None)
    return params.urlencode()


# --- sessions ----------------------------------------------------------------------------


@login_required
@require_GET
def session_list(request):
    form = SessionFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    qs = selectors.session_list(
        actor=request.user,
        programme=filters.get("programme") or None,
        starts_from=filters.get("starts_from"),
        starts_until=filters.get("starts_until"),
    )
    return render(
        request,
        "training/session_list.html",
        {
            "form": form,
            "page": _page(request, qs),
            "query": _query_without_page(request),
            "can_create": is_staff(request.user),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def session_create(request):
    _require(is_staff(request.user))
    form = SessionForm(request.POST or None, actor=request.user)
    if request.method == "POST" and form.is_valid():
        with domain_errors_on(form):
            session = services.session_create(actor=request.user, **form.cleaned_data)
        if not form.errors:
            messages.success(request, _("Session enregistrée."))
            return redirect("training:session_detail", pk=session.pk)
    return render(request, "training/session_form.html", {"form": form})


@login_required
@require_http_methods(["GET", "POST"])
def session_detail(request, pk: int):
    user = request.user
    session = selectors.session_get(actor=user, pk=pk)
    can_manage = is_staff(user) and covers_area(user, session.commune)
    enrol_form = EnrolForm(actor=user) if can_manage else None
    if request.method == "POST":
        _require(can_manage)
        if "person" in request.POST:
            person = person_get(actor=user, pk=request.POST["person"])
            with domain_errors_on(request) as enrolled:
                services.participant_enrol(actor=user, session=session, person=person)
            if enrolled:
                messages.success(request, _("%(p)s inscrit(e).") % {"p": person})
            return redirect("training:session_detail", pk=session.pk)
        enrol_form = EnrolForm(request.POST, actor=user)
        if enrol_form.is_valid():
            with domain_errors_on(enrol_form):
                n = services.cooperative_members_enrol(
                    actor=user, session=session, cooperative=enrol_form.cleaned_data["cooperative"]
                )
            if not enrol_form.errors:
                messages.success(request, _("%(n)s participant(e)s inscrit(e)s.") % {"n": n})
                return redirect("training:session_detail", pk=session.pk)
    q = (request.GET.get("q") or "").strip()
    candidates = (
        selectors.enrolment_candidates(actor=user, session=session, q=q)
        if can_manage and q
        else None
    )
    return render(
        request,
        "training/session_detail.html",
        {
            "session": session,
            "participants": selectors.participant_list(actor=user, session=session),
            "can_manage": can_manage,
            "enrol_form": enrol_form,
            "q": q,
            "candidates": candidates,
        },
    )


def _sheet_context(session, grid, errors=None, posted=None):
    return {"session": session, "grid": grid, "errors": errors or [], "posted": posted}


@login_required
@require_http_methods(["GET", "POST"])
def attendance_sheet(request, pk: int):
    """Enter the paper sheet back: one row per participant, one checkbox per day."""
    user = request.user
    session = selectors.session_get(actor=user, pk=pk)
    _require(is_staff(user) and covers_area(user, session.commune))
    grid = selectors.attendance_grid(actor=user, session=session)
    errors = []
    if request.method == "POST":
        presence, scores = {}, {}
        for row in grid:
            pid = row.participant.pk
            presence[pid] = {
                day for day in session.days if request.POST.get(f"p{pid}_{day:%Y%m%d}") == "1"
            }
            raw = (request.POST.get(f"score_{pid}") or "").strip()
            if raw:
                try:
                    scores[pid] = int(raw)
                except ValueError:
                    errors.append(
                        _("La note de %(p)s doit être un nombre.") % {"p": row.participant.person}
                    )
            else:
                scores[pid] = None
            # Keep what was typed if the sheet comes back with an error.
            row.cells = [(day, day in presence[pid]) for day, _old in row.cells]
            row.score_input = raw
        if not errors:
            with domain_errors_on(None) as recorded:
                services.attendance_sheet_record(
                    actor=user, session=session, presence=presence, scores=scores
                )
            if not recorded:
                errors.append(str(recorded.error.message))
            else:
                messages.success(request, _("Feuille de présence enregistrée."))
                return redirect("training:session_detail", pk=session.pk)
    return render(request, "training/attendance_sheet.html", _sheet_context(session, grid, errors))


@login_required
@require_GET
def attendance_pdf(request, pk: int):
    """The printable attendance sheet (A4 landscape): a box per participant and day."""
    from weasyprint import HTML

    session = selectors.session_get(actor=request.user, pk=pk)
    grid = selectors.attendance_grid(actor=request.user, session=session)
    html = render_to_string(
        "training/attendance_sheet_pdf.html",
        {"session": session, "grid": grid, "blank_rows": range(max(0, 8 - len(grid)))},
        request=request,
    )
    pdf = HTML(string=html, base_url=request.build_absolute_uri("/")).write_pdf()
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="feuille-presence-{session.pk}.pdf"'
    return response


# --- catalogue and trainers ----------------------------------------------------------------


@login_required
@require_GET
def module_list(request):
    return render(
        request,
        "training/module_list.html",
        {
            "modules": selectors.module_list(actor=request.user),
            "can_edit": is_national(request.user),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def module_edit(request, pk: int | None = None):
    _require(is_national(request.user))
    module = selectors.module_get(actor=request.user, pk=pk) if pk else None
    initial = (
        {f: getattr(module, f) for f in ModuleForm.base_fields if hasattr(module, f)}
        if module
        else None
    )
    form = ModuleForm(request.POST or None, initial=initial)
    if module:
        form.fields["code"].disabled = True
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        with domain_errors_on(form):
            if module:
                data.pop("code")
                services.module_update(actor=request.user, module=module, **data)
            else:
                services.module_create(actor=request.user, **data)
        if not form.errors:
            messages.success(request, _("Module enregistré."))
            return redirect("training:module_list")
    return render(request, "training/module_form.html", {"form": form, "module": module})


@login_required
@require_http_methods(["GET", "POST"])
def trainer_list(request):
    user = request.user
    _require(is_staff(user))
    national = is_national(user)
    trainer_form = TrainerForm(prefix="t") if national else None
    certify_form = (
        CertifyForm(prefix="c", actor=user, initial={"certified_on": dates.today()})
        if national
        else None
    )
    if request.method == "POST":
        _require(national)
        if "t-name" in request.POST:
            trainer_form = TrainerForm(request.POST, prefix="t")
            if trainer_form.is_valid():
                data = dict(trainer_form.cleaned_data)
                username = data.pop("username")
                with domain_errors_on(trainer_form, missing_is_input=True):
                    data["user"] = (
                        selectors.trainer_user_get(actor=user, username=username)
                        if username
                        else None
                    )
                    services.trainer_create(actor=user, **data)
                if not trainer_form.errors:
                    messages.success(request, _("Formateur enregistré."))
                    return redirect("training:trainer_list")
        else:
            certify_form = CertifyForm(request.POST, prefix="c", actor=user)
            if certify_form.is_valid():
                with domain_errors_on(certify_form, missing_is_input=True):
                    services.trainer_certify(actor=user, **certify_form.cleaned_data)
                if not certify_form.errors:
                    messages.success(request, _("Certification enregistrée."))
                    return redirect("training:trainer_list")
    return render(
        request,
        "training/trainer_list.html",
        {
            "page": _page(request, selectors.trainer_list(actor=user, q=request.GET.get("q"))),
            "query": _query_without_page(request),
            "q": request.GET.get("q", ""),
            "trainer_form": trainer_form,
            "certify_form": certify_form,
        },
    )


# --- follow-up ---------------------------------------------------------------------------


@login_required
@require_GET
def visit_list(request):
    qs = selectors.visit_list(actor=request.user, q=request.GET.get("q"))
    return render(
        request,
        "training/visit_list.html",
        {
            "page": _page(request, qs),
            "query": _query_without_page(request),
            "q": request.GET.get("q", ""),
            "can_create": is_staff(request.user),
            "today": dates.today(),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def visit_create(request):
    user = request.user
    _require(is_staff(user))
    initial = {"visited_on": dates.today()}
    if request.GET.get("cooperative"):
        initial["cooperative"] = selectors.followed_cooperative_get(
            actor=user, pk=request.GET["cooperative"]
        )
    form = VisitForm(request.POST or None, actor=user, initial=initial)
    if request.method == "POST":
        raw = request.POST.get("cooperative")
        if (
            raw
            and not form.fields["cooperative"]
            .queryset.filter(pk=raw if raw.isdigit() else 0)
            .exists()
        ):
            raise NotFound(_("Coopérative introuvable."))
        if form.is_valid():
            with domain_errors_on(form):  # the form's apply_error names its fields
                visit = services.visit_record(actor=user, **form.service_kwargs())
            if not form.errors:
                messages.success(request, _("Visite enregistrée."))
                return redirect("training:visit_detail", pk=visit.pk)
    return render(request, "training/visit_form.html", {"form": form})


@login_required
@require_GET
def visit_detail(request, pk: int):
    visit = selectors.visit_get(actor=request.user, pk=pk)
    diagnostic = getattr(visit, "diagnostic", None) if hasattr(visit, "diagnostic") else None
    photo = selectors.visit_photo_list(actor=request.user).filter(visit_id=visit.pk).first()
    return render(
        request,
        "training/visit_detail.html",
        {
            "visit": visit,
            "photo": photo,
            "diagnostic_rows": _diagnostic_rows(diagnostic) if diagnostic else [],
            "today": dates.today(),
            "done_form": ActionDoneForm(initial={"done_on": dates.today()}),
        },
    )


@login_required
@require_GET
def visit_photo(request, pk: int):
    """The visit's photo, to who may see the visit (never a public file)."""
    photo = selectors.visit_photo_get(actor=request.user, visit_pk=pk)
    response = HttpResponse(bytes(photo.data), content_type=photo.content_type)
    response["Cache-Control"] = "private, max-age=86400"
    response["X-Content-Type-Options"] = "nosniff"
    return response


def _diagnostic_rows(diagnostic):
    return [
        (Diagnostic._meta.get_field(a).verbose_name, getattr(diagnostic, a))
        for a in DIAGNOSTIC_AXES
    ]


@login_required
@require_POST
def action_complete(request, pk: int):
    action = selectors.visit_action_get(actor=request.user, pk=pk)
    form = ActionDoneForm(request.POST)
    if form.is_valid():
        with domain_errors_on(request) as done:
            services.visit_action_complete(
                actor=request.user, action=action, done_on=form.cleaned_data["done_on"]
            )
        if done:
            messages.success(request, _("Action marquée comme réalisée."))
    else:
        messages.error(request, _("Indiquez la date de réalisation."))
    nxt = request.POST.get("next", "")
    if nxt and url_has_allowed_host_and_scheme(nxt, allowed_hosts={request.get_host()}):
        return redirect(nxt)
    return redirect("training:visit_detail", pk=action.visit_id)


@login_required
@require_http_methods(["GET", "POST"])
def cooperative_follow_up(request, pk: int):
    """A cooperative's training path, diagnostics over time, visits and support plan."""
    user = request.user
    coop = selectors.followed_cooperative_get(actor=user, pk=pk)
    plan = selectors.support_plan_get(actor=user, cooperative=coop)
    can_edit = is_staff(user)
    initial = (
        {
            "objectives": plan.objectives,
            "planned_support": plan.planned_support,
            "target_stage": plan.target_stage,
            "review_on": plan.review_on,
        }
        if plan
        else None
    )
    plan_form = SupportPlanForm(request.POST or None, initial=initial) if can_edit else None
    if request.method == "POST":
        _require(can_edit)
        if plan_form.is_valid():
            with domain_errors_on(plan_form):
                services.support_plan_save(actor=user, cooperative=coop, **plan_form.cleaned_data)
            if not plan_form.errors:
                messages.success(request, _("Plan d'accompagnement enregistré."))
                return redirect("training:cooperative_follow_up", pk=coop.pk)
    diagnostics = selectors.diagnostic_history(actor=user, cooperative=coop)
    return render(
        request,
        "training/cooperative_follow_up.html",
        {
            "coop": coop,
            "progress": selectors.cooperative_progress(actor=user, cooperative=coop),
            "diagnostics": diagnostics,
            "axes": [Diagnostic._meta.get_field(a).verbose_name for a in DIAGNOSTIC_AXES],
            "diagnostic_table": [
                (d, [getattr(d, a) for a in DIAGNOSTIC_AXES]) for d in diagnostics
            ],
            "visits": selectors.visit_list(actor=user, cooperative=coop)[:10],
            "plan": plan,
            "plan_form": plan_form,
            "can_edit": can_edit,
            "today": dates.today(),
        },
    )


@login_required
@require_GET
def worklist(request):
    _require(is_staff(request.user))
    form = WorklistForm(
        request.GET or None, initial={"days": policy.setting("VISIT_DUE_AFTER_DAYS")}
    )
    days = form.cleaned_data["days"] if form.is_valid() else None
    data = selectors.worklist(actor=request.user, as_of=dates.today(), days=days)
    data["not_visited_page"] = _page(request, data["not_visited"])
    data["form"] = form
    data["overdue_actions"] = data["overdue_actions"][:50]
    data["query"] = _query_without_page(request)
    return render(request, "training/worklist.html", data)
