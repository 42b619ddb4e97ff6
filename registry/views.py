"""HTML pages of the registry: thin, like registry/api.py. Reads through
registry.selectors (scoped), writes through registry.services; domain errors become
form errors (core.forms.domain_errors_on), 404 pages (NotFound) or 403 pages (Forbidden).
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db import transaction
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from core import dates
from core.errors import NotFound
from core.export import csv_response, xlsx_response
from core.forms import domain_errors_on
from core.pagination import CappedPaginator, CountedPaginator, FirstFoundPaginator
from registry import exports, rules, selectors, services
from registry.corrections_selectors import person_correction_requests
from registry.forms import (
    CooperativeFilterForm,
    CooperativeForm,
    DuplicateDismissForm,
    EmploymentEndForm,
    EmploymentForm,
    MemberAdmitForm,
    MemberLeaveForm,
    MemberRoleForm,
    PersonFilterForm,
    PersonForm,
    StageChangeForm,
)
from registry.models import Cooperative, MemberRole, MembershipStatus

PAGE_SIZE = 25
MEMBERS_PAGE_SIZE = 50
HISTORY_SIZE = 30

# (column label, ordering key of selectors.COOPERATIVE_ORDERINGS or None: not sortable)
COOPERATIVE_COLUMNS = [
    ("Nom", "name"),
    ("Commune", None),
    ("Secteur", None),
    ("Forme", None),
    ("Étape", "stage"),
    ("Membres", "member_count"),
    ("Création", None),
]


def _require(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied


def _sort_columns(request, current: str) -> list[dict]:
    """Header links: a click sorts by the column, a second click reverses it."""
    columns = []
    for label, key in COOPERATIVE_COLUMNS:
        column = {"label": _(label), "key": key, "num": key == "member_count"}
        if key:
            if current == key:
                next_key, arrow, sort = f"-{key}", "▲", "ascending"
            elif current == f"-{key}":
                next_key, arrow, sort = key, "▼", "descending"
            else:
                next_key, arrow, sort = key, "", "none"
            if not current and key == "name":
                next_key, arrow, sort = "-name", "▲", "ascending"
            params = request.GET.copy()
            params["ordering"] = next_key
            params.pop("page", None)
            column.update(query=params.urlencode(), arrow=arrow, aria_sort=sort)
        columns.append(column)
    return columns


def _history_lines(records) -> list[dict]:
    """simple_history records (newest first) as "who, when, what changed" lines."""
    lines = []
    for i, record in enumerate(records):
        previous = records[i + 1] if i + 1 < len(records) else record.prev_record
        if record.history_type == "+":
            what = _("création de la fiche")
        elif record.history_type == "-":
            what = _("suppression")
        elif previous is None:
            what = _("modification")
        else:
            labels = []
            for change in record.diff_against(previous).changes:
                if change.field == "search_text":
                    continue
                field = Cooperative._meta.get_field(change.field)
                labels.append(str(field.verbose_name))
            what = (
                _("modifié : %(fields)s") % {"fields": ", ".join(labels)}
                if labels
                else _("modification")
            )
        lines.append({"when": record.history_date, "who": record.history_user, "what": what})
    return lines


def _page(request, queryset, paginator=Paginator):
    page = paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))
    params = request.GET.copy()
    params.pop("page", None)
    return page, params.urlencode()


# ---------------------------------------------------------------- cooperatives


@login_required
def cooperative_list(request):
    form = CooperativeFilterForm(request.GET or None)
    filters = form.filters()
    queryset = selectors.cooperative_list(actor=request.user, filters=filters)
    page, query = _page(request, queryset)
    export_params = request.GET.copy()
    export_params.pop("page", None)
    context = {
        "form": form,
        "page": page,
        "query": query,
        "export_query": export_params.urlencode(),
        "columns": _sort_columns(request, filters.get("ordering", "")),
        "filtered": any(k != "ordering" for k in filters),
        "can_register": rules.can_register_cooperative.test(request.user),
    }
    if request.htmx and not request.htmx.history_restore_request:
        return render(request, "registry/_cooperative_results.html", context)
    return render(request, "registry/cooperative_list.html", context)


@login_required
def cooperative_export(request, fmt: str):
    """The filtered list (same filters as the page, every page) as XLSX or CSV."""
    form = CooperativeFilterForm(request.GET or None)
    return _export(
        fmt, "cooperatives", *exports.cooperative_export(actor=request.user, filters=form.filters())
    )


@login_required
def person_export(request, fmt: str):
    form = PersonFilterForm(request.GET or None)
    return _export(
        fmt, "personnes", *exports.person_export(actor=request.user, filters=form.filters())
    )


def _export(fmt: str, name: str, headers, rows):
    filename = f"{name}-{dates.today():%Y-%m-%d}.{fmt}"
    if fmt == "xlsx":
        return xlsx_response(filename, headers, rows, title=name.capitalize())
    if fmt == "csv":
        return csv_response(filename, headers, rows)
    raise Http404


@login_required
def cooperative_detail(request, pk: int):
    """A cooperative's page; its members by pages of ``MEMBERS_PAGE_SIZE`` (``?membres=2``),
    counted in the one aggregate that also gives the active ones."""
    user = request.user
    coop = selectors.cooperative_get(actor=user, pk=pk)
    on = dates.today()
    counts = selectors.cooperative_member_counts(actor=user, cooperative=coop)
    members = CountedPaginator(
        selectors.cooperative_members(actor=user, cooperative=coop),
        MEMBERS_PAGE_SIZE,
        count=counts["total"],
    ).get_page(request.GET.get("membres"))
    can_manage_members = rules.can_manage_members.test(user, coop)
    _member_rows(members, coop, on, can_manage_members)
    can_edit = rules.can_edit_cooperative.test(user, coop)
    history = list(selectors.cooperative_history(actor=user, cooperative=coop)[: HISTORY_SIZE + 1])
    context = {
        "coop": coop,
        "members": members,
        "members_count": counts["total"],
        "active_count": counts["active"],
        "jobs": selectors.cooperative_jobs(actor=user, cooperative=coop),
        "timeline": selectors.cooperative_timeline(actor=user, cooperative=coop),
        "history": _history_lines(history[:HISTORY_SIZE]),
        "history_more": len(history) > HISTORY_SIZE,
        "can_edit": can_edit,
        "can_manage_members": can_manage_members,
        "can_manage_jobs": rules.can_manage_jobs.test(user, coop),
        "stage_form": _stage_form(coop, initial={"on": on}) if can_edit else None,
        "youth_band": selectors.youth_band(),
    }
    return render(request, "registry/cooperative_detail.html", context)


def _member_rows(page, coop, on, can_manage: bool) -> None:
    """What each member row of a cooperative's page shows, computed here once per page
    rather than per row in the template: age and youth, role and status labels, and the
    links (each URL reversed once, the ids put in)."""
    roles, statuses = dict(MemberRole.choices), dict(MembershipStatus.choices)
    person_url = _url_pattern("registry:person_detail")
    role_url = _url_pattern("registry:member_role", coop.pk)
    leave_url = _url_pattern("registry:member_leave", coop.pk)
    for m in page:
        m.age = selectors.age_on(m.person, on)
        m.is_youth = selectors.is_youth(m.person, on)
        m.role_label = roles.get(m.role, m.role)
        m.status_label = statuses.get(m.status, m.status)
        m.person_url = person_url(m.person_id)
        if can_manage:
            m.role_url = role_url(m.pk)
            m.leave_url = leave_url(m.pk)


# An id no row has: reversed once, then replaced by each row's id.
_URL_ID = 987_654_321_987


def _url_pattern(name: str, *args):
    """The URL of ``name`` for ``args`` and one more id, as a function of that id."""
    head, _sep, tail = reverse(name, args=[*args, _URL_ID]).rpartition(str(_URL_ID))
    return lambda pk: f"{head}{pk}{tail}"


@login_required
@require_http_methods(["GET", "POST"])
def cooperative_create(request):
    _require(rules.can_register_cooperative.test(request.user))
    form = CooperativeForm(request.POST or None, actor=request.user)
    if request.method == "POST" and form.is_valid():
        with domain_errors_on(form):
            coop = services.cooperative_register(actor=request.user, **form.service_kwargs())
        if not form.errors:
            messages.success(request, _("Coopérative enregistrée."))
            return redirect("registry:cooperative_detail", pk=coop.pk)
    return render(request, "registry/cooperative_form.html", {"form": form, "coop": None})


@login_required
@require_http_methods(["GET", "POST"])
def cooperative_edit(request, pk: int):
    coop = selectors.cooperative_get(actor=request.user, pk=pk)
    _require(rules.can_edit_cooperative.test(request.user, coop))
    form = CooperativeForm(
        request.POST or None, actor=request.user, initial=CooperativeForm.initial_for(coop)
    )
    if request.method == "POST" and form.is_valid():
        changed = {k: v for k, v in form.service_kwargs().items() if k in form.changed_data}
        with domain_errors_on(form):
            if changed:
                services.cooperative_update(actor=request.user, cooperative=coop, **changed)
        if not form.errors:
            messages.success(request, _("Modifications enregistrées."))
            return redirect("registry:cooperative_detail", pk=coop.pk)
    return render(request, "registry/cooperative_form.html", {"form": form, "coop": coop})


def _stage_form(coop, data=None, initial=None) -> StageChangeForm:
    form = StageChangeForm(data, initial=initial)
    allowed = set(selectors.cooperative_next_stages(coop))
    form.fields["stage"].choices = [
        (code, label) for code, label in form.fields["stage"].choices if code in allowed
    ]
    return form


@login_required
@require_http_methods(["GET", "POST"])
def cooperative_stage(request, pk: int):
    coop = selectors.cooperative_get(actor=request.user, pk=pk)
    _require(rules.can_change_stage.test(request.user, coop))
    form = _stage_form(coop, request.POST or None, initial={"on": dates.today()})
    if request.method == "POST" and form.is_valid():
        with domain_errors_on(form):
            services.cooperative_stage_change(
                actor=request.user, cooperative=coop, **form.cleaned_data
            )
        if not form.errors:
            messages.success(request, _("Étape enregistrée."))
            return redirect("registry:cooperative_detail", pk=coop.pk)
    return render(request, "registry/cooperative_stage.html", {"form": form, "coop": coop})


# ---------------------------------------------------------------- members and jobs


def _membership(user, coop, membership_pk: int):
    membership = selectors.membership_get(actor=user, pk=membership_pk)
    if membership.cooperative_id != coop.pk:
        raise Http404
    return membership


@login_required
@require_http_methods(["GET", "POST"])
def member_admit(request, pk: int):
    user = request.user
    coop = selectors.cooperative_get(actor=user, pk=pk)
    _require(rules.can_manage_members.test(user, coop))
    form = MemberAdmitForm(
        request.POST or None, initial={"joined_on": dates.today(), "role": "membre"}
    )
    q = (request.POST.get("q") or request.GET.get("q") or "").strip()
    candidates = list(selectors.person_list(actor=user, filters={"q": q})[:10]) if q else []
    chosen = None
    person_pk = request.POST.get("person") or request.GET.get("person")
    if person_pk:
        try:
            chosen = selectors.person_get(actor=user, pk=int(person_pk))
        except (NotFound, ValueError):
            chosen = None
    if request.method == "POST" and form.is_valid():
        # the person created inline and the admission: both or neither
        with domain_errors_on(form, fields=form.PERSON_FIELDS), transaction.atomic():
            person = chosen
            if person is None:
                person = services.person_create(actor=user, **form.new_person_kwargs())
            services.member_admit(
                actor=user,
                cooperative=coop,
                person=person,
                joined_on=form.cleaned_data["joined_on"],
                role=form.cleaned_data["role"],
            )
        if not form.errors:
            messages.success(request, _("%(person)s est maintenant membre.") % {"person": person})
            return redirect(reverse("registry:cooperative_detail", args=[coop.pk]) + "#membres")
    if request.htmx and request.method == "GET":
        return render(
            request,
            "registry/_person_candidates.html",
            {"candidates": candidates, "q": q, "coop": coop},
        )
    context = {"form": form, "coop": coop, "q": q, "candidates": candidates, "chosen": chosen}
    return render(request, "registry/member_admit.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def member_leave(request, pk: int, membership_pk: int):
    user = request.user
    coop = selectors.cooperative_get(actor=user, pk=pk)
    _require(rules.can_manage_members.test(user, coop))
    membership = _membership(user, coop, membership_pk)
    form = MemberLeaveForm(request.POST or None, initial={"left_on": dates.today()})
    if request.method == "POST" and form.is_valid():
        with domain_errors_on(form):
            services.member_leave(
                actor=user, membership=membership, left_on=form.cleaned_data["left_on"]
            )
        if not form.errors:
            messages.success(request, _("Sortie enregistrée."))
            return redirect(reverse("registry:cooperative_detail", args=[coop.pk]) + "#membres")
    context = {"form": form, "coop": coop, "membership": membership}
    return render(request, "registry/member_leave.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def member_role(request, pk: int, membership_pk: int):
    user = request.user
    coop = selectors.cooperative_get(actor=user, pk=pk)
    _require(rules.can_manage_members.test(user, coop))
    membership = _membership(user, coop, membership_pk)
    form = MemberRoleForm(request.POST or None, initial={"role": membership.role})
    if request.method == "POST" and form.is_valid():
        with domain_errors_on(form):
            services.member_role_change(
                actor=user, membership=membership, role=form.cleaned_data["role"]
            )
        if not form.errors:
            messages.success(request, _("Rôle modifié."))
            return redirect(reverse("registry:cooperative_detail", args=[coop.pk]) + "#membres")
    context = {"form": form, "coop": coop, "membership": membership}
    return render(request, "registry/member_role.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def employment_record(request, pk: int):
    user = request.user
    coop = selectors.cooperative_get(actor=user, pk=pk)
    _require(rules.can_manage_jobs.test(user, coop))
    members = [
        m
        for m in selectors.cooperative_members(actor=user, cooperative=coop)
        if m.status == "active"
    ]
    persons = {m.person.pk: m.person for m in members}
    form = EmploymentForm(
        request.POST or None,
        persons=persons.values(),
        initial={"started_on": dates.today(), "monthly_pay": 0},
    )
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        data["person"] = persons[data["person"]]
        with domain_errors_on(form):
            services.employment_record(actor=user, cooperative=coop, **data)
        if not form.errors:
            messages.success(request, _("Emploi enregistré."))
            return redirect(reverse("registry:cooperative_detail", args=[coop.pk]) + "#emplois")
    return render(request, "registry/employment_form.html", {"form": form, "coop": coop})


@login_required
@require_http_methods(["GET", "POST"])
def employment_end(request, pk: int, employment_pk: int):
    user = request.user
    coop = selectors.cooperative_get(actor=user, pk=pk)
    _require(rules.can_manage_jobs.test(user, coop))
    employment = selectors.employment_get(actor=user, pk=employment_pk)
    if employment.cooperative_id != coop.pk:
        raise Http404
    form = EmploymentEndForm(request.POST or None, initial={"ended_on": dates.today()})
    if request.method == "POST" and form.is_valid():
        with domain_errors_on(form):
            services.employment_end(
                actor=user, employment=employment, ended_on=form.cleaned_data["ended_on"]
            )
        if not form.errors:
            messages.success(request, _("Fin d'emploi enregistrée."))
            return redirect(reverse("registry:cooperative_detail", args=[coop.pk]) + "#emplois")
    context = {"form": form, "coop": coop, "employment": employment}
    return render(request, "registry/employment_end.html", context)


# ---------------------------------------------------------------- persons


@login_required
def person_list(request):
    form = PersonFilterForm(request.GET or None)
    filters = form.filters()
    queryset = selectors.person_list(actor=request.user, filters=filters)
    # "plus de 1 000"; a search lists the first 1,000 found, by name (core.pagination)
    paginator = FirstFoundPaginator if filters.get("q") else CappedPaginator
    page, query = _page(request, queryset, paginator)
    context = {
        "form": form,
        "page": page,
        "query": query,
        "filtered": bool(filters),
        "first_found": paginator is FirstFoundPaginator,
        "can_create": rules.can_create_person.test(request.user),
        "can_merge": rules.is_national.test(request.user) or rules.is_agent.test(request.user),
    }
    if request.htmx and not request.htmx.history_restore_request:
        return render(request, "registry/_person_results.html", context)
    return render(request, "registry/person_list.html", context)


@login_required
def person_detail(request, pk: int):
    user = request.user
    person = selectors.person_get(actor=user, pk=pk)
    on = dates.today()
    context = {
        "person": person,
        "age": selectors.age_on(person, on),
        "is_youth": selectors.is_youth(person, on),
        "memberships": selectors.person_memberships(actor=user, person=person),
        "duplicates": selectors.person_duplicates(actor=user, person=person),
        "can_edit": rules.can_edit_person.test(user, person),
        "can_merge": rules.can_merge_persons.test(user, person),
        "corrections": person_correction_requests(actor=user, person=person)[:5],
    }
    return render(request, "registry/person_detail.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def person_create(request):
    _require(rules.can_create_person.test(request.user))
    form = PersonForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        with domain_errors_on(form):
            person = services.person_create(actor=request.user, **form.service_kwargs())
        if not form.errors:
            messages.success(request, _("Personne enregistrée."))
            return redirect("registry:person_detail", pk=person.pk)
    return render(request, "registry/person_form.html", {"form": form, "person": None})


@login_required
@require_http_methods(["GET", "POST"])
def person_edit(request, pk: int):
    person = selectors.person_get(actor=request.user, pk=pk)
    _require(rules.can_edit_person.test(request.user, person))
    form = PersonForm(request.POST or None, initial=PersonForm.initial_for(person))
    if request.method == "POST" and form.is_valid():
        changed = {k: v for k, v in form.service_kwargs().items() if k in form.changed_data}
        with domain_errors_on(form):
            if changed:
                services.person_update(actor=request.user, person=person, **changed)
        if not form.errors:
            messages.success(request, _("Modifications enregistrées."))
            return redirect("registry:person_detail", pk=person.pk)
    return render(request, "registry/person_form.html", {"form": form, "person": person})


@login_required
def duplicate_list(request):
    _require(rules.is_national.test(request.user) or rules.is_agent.test(request.user))
    candidates = selectors.duplicate_candidates_list(actor=request.user)
    return render(request, "registry/duplicate_list.html", {"candidates": candidates})


@login_required
@require_http_methods(["GET", "POST"])
def person_merge(request, pk: int, duplicate_pk: int):
    user = request.user
    keep = selectors.person_get(actor=user, pk=pk)
    duplicate = selectors.person_get(actor=user, pk=duplicate_pk)
    _require(
        rules.can_merge_persons.test(user, keep) and rules.can_merge_persons.test(user, duplicate)
    )
    error = None
    if request.method == "POST":
        with domain_errors_on(None) as merged:
            services.person_merge(actor=user, keep=keep, duplicate=duplicate)
        if not merged:
            error = merged.error.message
        else:
            messages.success(
                request,
                _("%(dup)s a été fusionnée dans %(keep)s.") % {"dup": duplicate, "keep": keep},
            )
            return redirect("registry:person_detail", pk=keep.pk)
    context = {"keep": keep, "duplicate": duplicate, "error": error}
    return render(request, "registry/person_merge.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def duplicate_dismiss(request, pk: int, other_pk: int):
    """« Pas un doublon » : the pair is recorded as two people and no longer proposed."""
    user = request.user
    person = selectors.person_get(actor=user, pk=pk)
    other = selectors.person_get(actor=user, pk=other_pk)
    _require(
        rules.can_merge_persons.test(user, person) and rules.can_merge_persons.test(user, other)
    )
    form = DuplicateDismissForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        with domain_errors_on(form):
            services.duplicate_dismiss(
                actor=user, person=person, other=other, reason=form.cleaned_data["reason"]
            )
        if not form.errors:
            messages.success(
                request,
                _("%(a)s et %(b)s sont enregistrées comme deux personnes différentes.")
                % {"a": person, "b": other},
            )
            return redirect("registry:duplicate_list")
    context = {"person": person, "other": other, "form": form}
    return render(request, "registry/duplicate_dismiss.html", context)


@login_required
@require_http_methods(["GET"])
def person_personal_data(request, pk: int, fmt: str):
    """The person's own data as JSON or PDF (law 2008-12), for whoever may see them."""
    import json

    from django.http import HttpResponse

    from registry.personal_data import person_personal_data as export

    if fmt not in ("json", "pdf"):
        raise Http404
    data = export(actor=request.user, pk=pk)
    filename = f"donnees-personnelles-{pk}.{fmt}"
    if fmt == "json":
        body = json.dumps(data, ensure_ascii=False, indent=2)
        response = HttpResponse(body, content_type="application/json; charset=utf-8")
    else:
        from django.template.loader import render_to_string
        from weasyprint import HTML

        corrections_url = request.build_absolute_uri(
            reverse("registry:correction_list") + f"?person={pk}"
        )
        context = {"data": data, "corrections_url": corrections_url}
        html = render_to_string("registry/personal_data.html", context, request=request)
        pdf = HTML(string=html, base_url=request.build_absolute_uri("/")).write_pdf()
        response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
