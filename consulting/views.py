"""Consulting's pages: public ones (consultants, open requests, the ESS fund) and the
parties' own (profile, proposals, engagements). Thin: reads via selectors, writes via
services; errors a user can correct go on the form (core.forms.domain_errors_on)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from consulting import forms, selectors, services
from consulting.rules import (
    can_act_for_client,
    can_verify_consultant,
    is_client_member,
    is_engagement_consultant,
)
from core.forms import domain_errors_on
from network import selectors as network_selectors
from network.rules import is_network_admin, network_scope

PAGE_SIZE = 20


@require_GET
def consultant_list(request):
    q, country = request.GET.get("q", "")[:100], request.GET.get("country", "")[:2]
    qs = selectors.consultant_list(actor=None, q=q, country=country)
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "consulting/consultant_list.html",
        {
            "page": page,
            "q": q,
            "country": country,
            "mine": selectors.my_profile(actor=request.user),
        },
    )


@require_GET
def consultant_detail(request, pk: int):
    profile = selectors.consultant_get(actor=request.user, pk=pk)
    return render(
        request,
        "consulting/consultant_detail.html",
        {
            "profile": profile,
            "record": selectors.consultant_record(profile),
            "can_verify": can_verify_consultant(request.user, profile),
            "verify_form": forms.VerifyForm(),
        },
    )


def _profile_initial(profile) -> dict:
    if profile is None:
        return {}
    return {
        "name": profile.name,
        "headline": profile.headline,
        "bio": profile.bio,
        "skills": ", ".join(profile.skills),
        "countries": profile.country_list,
        "languages": profile.language_list,
        "day_rate": profile.day_rate,
        "references": profile.references,
        "payout_phone": profile.payout_phone,
        "payout_provider": profile.payout_provider,
    }


@login_required
@require_http_methods(["GET", "POST"])
def my_profile(request):
    profile = selectors.my_profile(actor=request.user)
    form = forms.ProfileForm(request.POST or None, initial=_profile_initial(profile))
    if request.method == "POST" and form.is_valid():
        with domain_errors_on(form):
            profile = services.consultant_profile_save(actor=request.user, **form.cleaned_data)
        if not form.errors:
            return redirect("consulting:consultant_detail", pk=profile.pk)
    status = 400 if request.method == "POST" else 200
    return render(
        request, "consulting/profile_form.html", {"form": form, "profile": profile}, status=status
    )


@login_required
@require_POST
def consultant_verify(request, pk: int):
    profile = selectors.consultant_get(actor=request.user, pk=pk)
    if not can_verify_consultant(request.user, profile):
        raise PermissionDenied
    form = forms.VerifyForm(request.POST)
    if form.is_valid():
        with domain_errors_on(form):
            services.consultant_verify(actor=request.user, profile=profile, **form.cleaned_data)
        if not form.errors:
            return redirect("consulting:consultant_moderation")
    return render(
        request,
        "consulting/consultant_detail.html",
        {"profile": profile, "record": selectors.consultant_record(profile), "can_verify": True,
         "verify_form": form},
        status=400,
    )  # fmt: skip


@login_required
@require_GET
def consultant_moderation(request):
    if not network_scope(request.user).is_staff:
        raise PermissionDenied
    queue = selectors.consultant_moderation_queue(actor=request.user)
    return render(request, "consulting/moderation.html", {"queue": queue})


# --------------------------------------------------------------------------- requests


@require_GET
def request_list(request):
    q = request.GET.get("q", "")[:100]
    qs = selectors.support_request_list(actor=request.user, q=q)
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    organisations = network_selectors.my_organisations(actor=request.user)
    return render(
        request,
        "consulting/request_list.html",
        {"page": page, "q": q, "can_publish": organisations.exists()},
    )


@login_required
@require_http_methods(["GET", "POST"])
def request_new(request):
    organisations = list(network_selectors.my_organisations(actor=request.user))
    if not organisations:
        raise PermissionDenied
    form = forms.RequestForm(request.POST or None, organisations=organisations)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        org = network_selectors.organisation_get(actor=request.user, pk=data.pop("organisation"))
        with domain_errors_on(form):
            made = services.support_request_create(actor=request.user, organisation=org, **data)
        if not form.errors:
            return redirect("consulting:request_detail", pk=made.pk)
    status = 400 if request.method == "POST" else 200
    return render(request, "consulting/request_form.html", {"form": form}, status=status)


def _request_page(request, support, *, proposal_form=None, accept_form=None, status=200):
    consultant = selectors.my_profile(actor=request.user)
    proposals = selectors.proposal_list(actor=request.user, request=support)
    return render(
        request,
        "consulting/request_detail.html",
        {
            "support": support,
            "proposals": proposals,
            "is_client": selectors.can_see_all_proposals(request.user, support),
            "consultant": consultant,
            "can_propose": consultant is not None
            and consultant.status == "verified"
            and support.status == "open"
            and not is_client_member(request.user, support.organisation_id)
            and not proposals.filter(consultant=consultant).exists(),
            "proposal_form": proposal_form or forms.ProposalForm(),
            "accept_form": accept_form or forms.AcceptForm(),
        },
        status=status,
    )


@require_GET
def request_detail(request, pk: int):
    support = selectors.support_request_get(actor=request.user, pk=pk)
    return _request_page(request, support)


@login_required
@require_POST
def proposal_submit(request, pk: int):
    support = selectors.support_request_get(actor=request.user, pk=pk)
    form = forms.ProposalForm(request.POST)
    if form.is_valid():
        with domain_errors_on(form):
            services.proposal_submit(actor=request.user, request=support, **form.cleaned_data)
        if not form.errors:
            return redirect("consulting:request_detail", pk=support.pk)
    return _request_page(request, support, proposal_form=form, status=400)


@login_required
@require_POST
def proposal_accept(request, pk: int):
    proposal = selectors.proposal_get(actor=request.user, pk=pk)
    form = forms.AcceptForm(request.POST)
    if form.is_valid():
        with domain_errors_on(form):
            engagement = services.proposal_accept(
                actor=request.user, proposal=proposal, milestones=form.cleaned_data["milestones"]
            )
        if not form.errors:
            return redirect("consulting:engagement_detail", pk=engagement.pk)
    return _request_page(request, proposal.request, accept_form=form, status=400)


# --------------------------------------------------------------------------- engagements


@login_required
@require_GET
def engagement_list(request):
    qs = selectors.engagement_list(actor=request.user)
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "consulting/engagement_list.html", {"page": page})


def _engagement_page(request, engagement, status=200, **form_overrides):
    user = request.user
    open_dispute = engagement.disputes.filter(resolved_at__isnull=True).first()
    figures = selectors.engagement_figures(engagement)
    context = {
        "engagement": engagement,
        "figures": figures,
        "milestones": engagement.milestones.all(),
        "payments": selectors.engagement_payments(engagement),
        "open_dispute": open_dispute,
        "disputes": engagement.disputes.all(),
        "is_client": is_client_member(user, engagement.client_id),
        "is_consultant": is_engagement_consultant(user, engagement),
        "is_admin": is_network_admin(user),
        "can_pay": can_act_for_client(user, engagement) and figures["due"] > 0,
        "pay_form": forms.PayForm(initial={"amount": figures["due"]}),
        "record_form": forms.RecordPaymentForm(),
        "dispute_form": forms.DisputeForm(),
        "resolve_form": forms.ResolveForm(),
        "rating_form": forms.RatingForm(),
        "actions": selectors.engagement_actions(actor=user, engagement=engagement),
        "amendments": selectors.amendment_list(actor=user, engagement=engagement),
        "my_side": "consultant" if is_engagement_consultant(user, engagement) else "client",
        "refunds": selectors.engagement_refunds(engagement),
        "amend_form": forms.AmendmentForm(initial={"amount": engagement.amount}),
        "cancel_form": forms.CancelForm(),
        "refund_form": forms.RefundForm(),
    }
    context.update(form_overrides)
    return render(request, "consulting/engagement_detail.html", context, status=status)


@login_required
@cache_control(no_cache=True)
@require_GET
def engagement_detail(request, pk: int):
    engagement = selectors.engagement_get(actor=request.user, pk=pk)
    return _engagement_page(request, engagement)


@login_required
@require_POST
def engagement_pay(request, pk: int):
    """The client pays by phone: the payment is started, the payer gets the link to the
    provider's page (a link: the CSP's form-action allows only our origin)."""
    engagement = selectors.engagement_get(actor=request.user, pk=pk)
    form = forms.PayForm(request.POST)
    if form.is_valid():
        with domain_errors_on(form):  # a provider that does not answer: 503 on the form
            intent = services.engagement_payment_start(
                actor=request.user, engagement=engagement, **form.cleaned_data
            )
        if not form.errors:
            return render(
                request,
                "consulting/pay_checkout.html",
                {"engagement": engagement, "intent": intent},
            )
    return _engagement_page(request, engagement, status=400, pay_form=form)


def _engagement_action(request, pk: int, form_class, service, form_key: str):
    """One form posted on the engagement's page: the service on success (back to the
    page), else the page again with the form's errors (400)."""
    engagement = selectors.engagement_get(actor=request.user, pk=pk)
    form = form_class(request.POST)
    if form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k != "confirm"}  # asked, given
        with domain_errors_on(form):
            service(actor=request.user, engagement=engagement, **data)
        if not form.errors:
            return redirect("consulting:engagement_detail", pk=engagement.pk)
    return _engagement_page(request, engagement, status=400, **{form_key: form})


@login_required
@require_POST
def engagement_record_payment(request, pk: int):
    return _engagement_action(
        request, pk, forms.RecordPaymentForm, services.engagement_payment_record, "record_form"
    )


@login_required
@require_POST
def dispute_open(request, pk: int):
    return _engagement_action(request, pk, forms.DisputeForm, services.dispute_open, "dispute_form")


@login_required
@require_POST
def dispute_resolve(request, pk: int):
    return _engagement_action(
        request, pk, forms.ResolveForm, services.dispute_resolve, "resolve_form"
    )


@login_required
@require_POST
def engagement_rate(request, pk: int):
    return _engagement_action(
        request, pk, forms.RatingForm, services.engagement_rate, "rating_form"
    )


@login_required
@require_POST
def engagement_amend(request, pk: int):
    """A party proposes a new amount and milestones (before any payment)."""
    return _engagement_action(
        request, pk, forms.AmendmentForm, services.amendment_propose, "amend_form"
    )


@login_required
@require_POST
def amendment_decide(request, pk: int, amendment_pk: int):
    """The other party accepts or declines; the proposing one withdraws."""
    engagement = selectors.engagement_get(actor=request.user, pk=pk)
    amendment = selectors.amendment_get(actor=request.user, engagement=engagement, pk=amendment_pk)
    form = forms.AmendmentDecisionForm(request.POST)
    if not form.is_valid():
        return _engagement_page(request, engagement, status=400)
    with domain_errors_on(request) as done:
        services.amendment_decide(
            actor=request.user, engagement=engagement, amendment=amendment,
            decision=form.cleaned_data["decision"],
        )  # fmt: skip
    if done:
        messages.success(request, _("Réponse enregistrée."))
    return redirect("consulting:engagement_detail", pk=engagement.pk)


@login_required
@require_POST
def engagement_cancel(request, pk: int):
    """A party (or an administrator) cancels, after confirming."""
    return _engagement_action(
        request, pk, forms.CancelForm, services.engagement_cancel, "cancel_form"
    )


@login_required
@require_POST
def dispute_refund(request, pk: int):
    """An administrator resolves the dispute by refunding the client, after confirming."""
    return _engagement_action(request, pk, forms.RefundForm, services.dispute_refund, "refund_form")


# --------------------------------------------------------------------------- ESS fund


def _fund_page(request, form=None, status=200):
    return render(
        request,
        "consulting/ess_fund.html",
        {
            "totals": selectors.ess_fund_totals(),
            "supports": selectors.ess_support_list()[:50],
            "is_admin": is_network_admin(request.user),
            "form": form or forms.SupportForm(),
        },
        status=status,
    )


@require_GET
def ess_fund(request):
    return _fund_page(request)


@login_required
@require_POST
def ess_support_grant(request):
    if not is_network_admin(request.user):
        raise PermissionDenied
    form = forms.SupportForm(request.POST)
    if form.is_valid():
        data = dict(form.cleaned_data)
        org = network_selectors.organisation_get(actor=request.user, pk=data.pop("organisation"))
        project_id = data.pop("project")
        project = None
        if project_id:
            project = network_selectors.project_get(actor=request.user, pk=project_id)
        with domain_errors_on(form):
            services.ess_support_grant(
                actor=request.user, organisation=org, project=project, **data
            )
        if not form.errors:
            return redirect("consulting:ess_fund")
    return _fund_page(request, form, status=400)
