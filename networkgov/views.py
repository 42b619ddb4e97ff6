"""The network's governance pages: the members in good standing (public, names only);
membership and dues for the organisations' accounts; arrears and the tariff, assemblies
and consultations convened and opened by the network's administrators."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from core import dates
from core.forms import domain_errors_on
from ledger.exports import pdf_response
from network.selectors import my_organisations, project_list
from networkgov import forms, rules, selectors, services
from networkgov.services.assemblies import standing_label


def _orgs(user, *, owned=False) -> list:
    scope = rules.network_scope(user)
    orgs = my_organisations(actor=user).filter(status="approved")
    return [o for o in orgs if not owned or o.pk in scope.owned_ids]


def _pick(orgs, value):
    found = next((o for o in orgs if str(o.pk) == str(value)), None)
    if found is None:
        raise PermissionDenied
    return found


def _admin_only(user) -> None:
    if not rules.is_admin(user):
        raise PermissionDenied


@require_GET
def index(request):
    today = dates.today()
    return render(
        request,
        "networkgov/index.html",
        {
            "members": selectors.members_in_good_standing(as_of=today),
            "today": today,
            "follows": rules.follows_network(request.user),
            "is_admin": rules.is_admin(request.user),
        },
    )


def _membership_page(request, status=200, **given):
    user, today = request.user, dates.today()
    orgs = _orgs(user)
    rows = [
        (
            m,
            given["pay_form"]
            if given.get("pay_for") == m.pk
            else forms.DuesPayForm(initial={"amount": m.remaining}, auto_id=f"id_{m.pk}_%s"),
        )
        for m in selectors.membership_list(actor=user).filter(organisation__in=orgs)
    ]
    lines = [
        (o, standing_label(standing.status if standing else "none"), standing)
        for o, standing in selectors.my_standings(actor=user, as_of=today)
    ]
    owned = _orgs(user, owned=True)
    return render(
        request,
        "networkgov/membership.html",
        {
            "lines": lines,
            "memberships": rows,
            "today": today,
            "join_form": given.get("join_form")
            or (
                forms.JoinForm(organisations=owned, initial={"year": today.year}) if owned else None
            ),
            "tariffs": selectors.tariff_list(),
        },
        status=status,
    )


@login_required
@require_GET
def membership(request):
    if not rules.network_scope(request.user).organisation_ids:
        raise PermissionDenied
    return _membership_page(request)


@login_required
@require_POST
def join(request):
    owned = _orgs(request.user, owned=True)
    if not owned:
        raise PermissionDenied
    form = forms.JoinForm(request.POST, organisations=owned)
    if form.is_valid():
        with domain_errors_on(form):
            services.membership_join(
                actor=request.user,
                organisation=_pick(owned, form.cleaned_data["organisation"]),
                size=form.cleaned_data["size"],
                year=form.cleaned_data["year"],
            )
    if form.errors:
        return _membership_page(request, status=400, join_form=form)
    return redirect("networkgov:membership")


@login_required
@require_POST
def pay(request, pk: int):
    membership = selectors.membership_get(actor=request.user, pk=pk)
    form = forms.DuesPayForm(request.POST)
    if form.is_valid():
        with domain_errors_on(form):
            intent = services.dues_payment_start(
                actor=request.user, membership=membership, **form.cleaned_data
            )
        if not form.errors:
            return render(
                request, "networkgov/pay_checkout.html", {"m": membership, "intent": intent}
            )
    return _membership_page(request, status=400, pay_form=form, pay_for=membership.pk)


@login_required
@require_GET
def arrears(request):
    today = dates.today()
    rows = selectors.arrears(actor=request.user, as_of=today)
    return render(request, "networkgov/arrears.html", {"rows": rows, "today": today})


@login_required
@require_http_methods(["GET", "POST"])
def tariffs(request):
    _admin_only(request.user)
    form = forms.TariffForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        with domain_errors_on(form):
            services.tariff_set(actor=request.user, **form.cleaned_data)
        if not form.errors:
            return redirect("networkgov:tariffs")
    return render(
        request,
        "networkgov/tariffs.html",
        {"form": form, "tariffs": selectors.tariff_list()},
        status=400 if form.errors else 200,
    )


@login_required
@require_GET
def assembly_list(request):
    return render(
        request,
        "networkgov/assembly_list.html",
        {
            "assemblies": selectors.assembly_list(actor=request.user)[:100],
            "is_admin": rules.is_admin(request.user),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def assembly_new(request):
    _admin_only(request.user)
    form = forms.AssemblyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        with domain_errors_on(form):
            assembly = services.assembly_convene(actor=request.user, **form.cleaned_data)
        if not form.errors:
            return redirect("networkgov:assembly_detail", pk=assembly.pk)
    return render(
        request, "networkgov/assembly_form.html", {"form": form}, status=400 if form.errors else 200
    )


def _assembly_page(request, assembly, status=200, **given):
    user = request.user
    orgs = _orgs(user)
    voters = [(o, selectors.delegate_of(assembly, o.pk)) for o in orgs]
    results = selectors.assembly_results(assembly)
    votes = selectors.my_votes(actor=user, assembly=assembly)
    lines = [
        (line, [(o, votes[o.pk].get(line.resolution.pk)) for o in orgs])
        for line in results.resolutions
    ]
    return render(
        request,
        "networkgov/assembly_detail.html",
        {
            "a": assembly,
            "results": results,
            "lines": lines,
            "voters": voters,
            "owned_ids": rules.network_scope(user).owned_ids,
            "is_admin": rules.is_admin(user),
            "resolution_form": given.get("resolution_form") or forms.ResolutionForm(),
            "close_form": given.get("close_form") or forms.CloseForm(),
            "delegate_form": given.get("delegate_form"),
            "vote_error": given.get("vote_error"),
            "voting_open": selectors.assembly_voting_open(assembly, on=dates.today()),
        },
        status=status,
    )


@login_required
@require_GET
def assembly_detail(request, pk: int):
    return _assembly_page(request, selectors.assembly_get(actor=request.user, pk=pk))


@login_required
@require_POST
def resolution_add(request, pk: int):
    assembly = selectors.assembly_get(actor=request.user, pk=pk)
    _admin_only(request.user)
    form = forms.ResolutionForm(request.POST)
    if form.is_valid():
        with domain_errors_on(form):
            services.resolution_add(actor=request.user, assembly=assembly, **form.cleaned_data)
    if form.errors:
        return _assembly_page(request, assembly, status=400, resolution_form=form)
    return redirect("networkgov:assembly_detail", pk=pk)


@login_required
@require_POST
def delegate(request, pk: int):
    assembly = selectors.assembly_get(actor=request.user, pk=pk)
    owned = _orgs(request.user, owned=True)
    form = forms.DelegateForm(request.POST)
    if not owned:
        raise PermissionDenied
    if form.is_valid():
        user = get_user_model().objects.filter(username=form.cleaned_data["username"]).first()
        with domain_errors_on(form, fields={"user": "username"}):
            services.delegate_name(
                actor=request.user,
                assembly=assembly,
                organisation=_pick(owned, form.cleaned_data["organisation"]),
                user=user,
            )
    if form.errors:
        return _assembly_page(request, assembly, status=400, delegate_form=form)
    return redirect("networkgov:assembly_detail", pk=pk)


@login_required
@require_POST
def assembly_close(request, pk: int):
    assembly = selectors.assembly_get(actor=request.user, pk=pk)
    _admin_only(request.user)
    form = forms.CloseForm(request.POST)
    if form.is_valid():
        with domain_errors_on(form):
            services.assembly_close(actor=request.user, assembly=assembly, **form.cleaned_data)
    if form.errors:
        return _assembly_page(request, assembly, status=400, close_form=form)
    return redirect("networkgov:assembly_detail", pk=pk)


@login_required
@require_POST
def vote(request, pk: int):
    resolution = selectors.resolution_get(actor=request.user, pk=pk)
    orgs = _orgs(request.user)
    if not orgs:
        raise PermissionDenied
    form = forms.VoteForm(request.POST)
    if form.is_valid():
        with domain_errors_on(form):
            services.vote_cast(
                actor=request.user,
                resolution=resolution,
                organisation=_pick(orgs, form.cleaned_data["organisation"]),
                choice=form.cleaned_data["choice"],
            )
    if form.errors:
        return _assembly_page(
            request, resolution.assembly, status=400, vote_error=(resolution.pk, form)
        )
    return redirect("networkgov:assembly_detail", pk=resolution.assembly_id)


@login_required
@require_GET
def minutes(request, pk: int):
    assembly = selectors.assembly_get(actor=request.user, pk=pk)
    context = {"a": assembly, "results": selectors.assembly_results(assembly)}
    return pdf_response(request, "networkgov/minutes_pdf.html", context, f"pv-reseau-{pk}")


@login_required
@require_GET
def consultation_list(request):
    return render(
        request,
        "networkgov/consultation_list.html",
        {
            "consultations": selectors.consultation_list(actor=request.user)[:100],
            "is_admin": rules.is_admin(request.user),
            "today": dates.today(),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def consultation_new(request):
    _admin_only(request.user)
    projects = list(project_list(actor=request.user)[:200])
    form = forms.ConsultationForm(request.POST or None, projects=projects)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        data["project"] = next((p for p in projects if str(p.pk) == data["project"]), None)
        data["options"] = data["options"].splitlines()
        with domain_errors_on(form):
            consultation = services.consultation_open(actor=request.user, **data)
        if not form.errors:
            return redirect("networkgov:consultation_detail", pk=consultation.pk)
    return render(
        request,
        "networkgov/consultation_form.html",
        {"form": form},
        status=400 if form.errors else 200,
    )


def _consultation_page(request, consultation, status=200, answer_form=None):
    user, today = request.user, dates.today()
    orgs = _orgs(user)
    mine = selectors.my_answers(actor=user, consultation=consultation)
    pending = [o for o in orgs if o.pk not in mine]
    return render(
        request,
        "networkgov/consultation_detail.html",
        {
            "c": consultation,
            "today": today,
            "mine": [(o, mine[o.pk]) for o in orgs if o.pk in mine],
            "is_open": selectors.consultation_is_open(consultation, today),
            "forms": [
                (
                    o,
                    answer_form
                    if answer_form and str(answer_form.data.get("organisation")) == str(o.pk)
                    else forms.AnswerForm(
                        consultation=consultation, initial={"organisation": o.pk}
                    ),
                )
                for o in pending
            ],
            "results": selectors.consultation_results(consultation, on=today),
        },
        status=status,
    )


@login_required
@require_GET
def consultation_detail(request, pk: int):
    return _consultation_page(request, selectors.consultation_get(actor=request.user, pk=pk))


@login_required
@require_POST
def answer(request, pk: int):
    consultation = selectors.consultation_get(actor=request.user, pk=pk)
    orgs = _orgs(request.user)
    if not orgs:
        raise PermissionDenied
    form = forms.AnswerForm(request.POST, consultation=consultation)
    if form.is_valid():
        with domain_errors_on(form):
            services.consultation_answer(
                actor=request.user,
                consultation=consultation,
                organisation=_pick(orgs, form.cleaned_data["organisation"]),
                option=form.cleaned_data.get("option", ""),
                comment=form.cleaned_data.get("comment", ""),
            )
    if form.errors:
        return _consultation_page(request, consultation, status=400, answer_form=form)
    return redirect("networkgov:consultation_detail", pk=pk)
