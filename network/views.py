"""The portal's pages: public ones (no login) and the organisations', moderators' and
administrators' own. Thin: reads via selectors, writes via services."""

from __future__ import annotations

import functools
import hashlib

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db import transaction
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.functional import SimpleLazyObject
from django.utils.http import content_disposition_header, urlencode
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from core import dates, files
from core.forms import domain_errors_on
from core.languages import alternates
from geo.boundaries import area_map
from network import forms, selectors, services
from network.countries import AFRICA, country_name
from network.ratelimit import check_rate
from network.rules import (
    can_edit_organisation,
    can_manage_members,
    can_moderate,
    can_suspend,
    network_scope,
    pledge_movable,
)

PAGE_SIZE = 20


def _filters(request) -> tuple[forms.FilterForm, dict]:
    form = forms.FilterForm(request.GET or None)
    data = form.cleaned_data if form.is_valid() else {}
    values = {k: data.get(k) or "" for k in ("q", "country", "kind", "sector")}
    return form, values


def _paginate(request, qs, values):
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    return page, urlencode({k: v for k, v in values.items() if v})


@require_GET
def home(request):
    live = selectors.with_figures(selectors.campaign_list(actor=request.user, status="live"))
    return render(
        request,
        "network/home.html",
        {
            "campaigns": live[:6],
            "organisations": selectors.organisation_list(actor=None).count(),
            "projects": selectors.project_list(actor=None).count(),
        },
    )


@require_GET
def organisation_list(request):
    form, values = _filters(request)
    others = {k: v for k, v in values.items() if v and k != "country"}
    counts = selectors.organisation_counts_by_country(actor=None, **others)
    # the map's counts already give the list's: no second COUNT over the search
    total = counts.get(values["country"], 0) if values["country"] else sum(counts.values())
    qs = selectors.organisation_list(actor=None, matches=total, **values)
    paginator = Paginator(qs, PAGE_SIZE)
    paginator.count = total
    page = paginator.get_page(request.GET.get("page"))
    query = urlencode({k: v for k, v in values.items() if v})
    context = {
        "form": form,
        "page": page,
        "query": query,
        # the map and the filters are most of the page's rendering (the 55 countries'
        # shapes, the country list): their HTML is cached, keyed by all they are drawn
        # from (the language is added by the template), so the map is only built when drawn
        "map": SimpleLazyObject(functools.partial(_country_map, values, counts)),
        "map_key": _digest(sorted(values.items()), sorted(counts.items())),
        "filters_key": _digest(sorted((k, request.GET.get(k, "")) for k in FILTER_FIELDS)),
    }
    return render(request, "network/organisation_list.html", context)


FILTER_FIELDS = ("q", "country", "kind", "sector")


def _digest(*parts) -> str:
    return hashlib.sha256(repr(parts).encode()).hexdigest()


def _country_map(values: dict, counts: dict[str, int]) -> dict:
    """Africa's countries coloured by their number of organisations (``counts``, under the
    other filters); a click filters the directory on that country (the other filters kept)."""
    others = {k: v for k, v in values.items() if v and k != "country"}
    drawn = area_map(
        "africa",
        names={code: country_name(code) for code in AFRICA},
        values={code: counts.get(code, 0) for code in AFRICA},
        links={code: "?" + urlencode({**others, "country": code}) for code in AFRICA},
        title=_("Organisations par pays"),
        current=values.get("country", ""),
        rows="valued",
    )
    drawn["clear"] = "?" + urlencode(others)
    return drawn


@require_GET
def organisation_detail(request, slug: str):
    org = selectors.organisation_get(actor=request.user, slug=slug)
    return render(
        request,
        "network/organisation_detail.html",
        {
            "org": org,
            "projects": selectors.project_list(actor=request.user, organisation=org)[:20],
            "can_moderate": can_moderate(request.user, org),
            "moderation_form": forms.ModerationForm(),
            "is_member": org.pk in network_scope(request.user).organisation_ids,
            "logo": selectors.organisation_has_logo(organisation=org),
        },
    )


@require_http_methods(["GET", "POST"])
def register(request):
    form = forms.RegistrationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        with domain_errors_on(form):
            check_rate(request, "register")
            data = dict(form.cleaned_data)
            org = services.organisation_signup(**data)
        if not form.errors:
            return redirect("network:verify", slug=org.slug)
    status = 400 if request.method == "POST" else 200
    return render(request, "network/register.html", {"form": form}, status=status)


@require_http_methods(["GET", "POST"])
def verify(request, slug: str):
    """The code sent by e-mail at registration (no login needed: the code is the proof)."""
    org = selectors.organisation_pending_get(slug=slug)
    form = forms.CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        with domain_errors_on(form):
            check_rate(request, "verify")
            services.organisation_verify_contact(organisation=org, code=form.cleaned_data["code"])
        if not form.errors:
            return render(request, "network/verified.html", {"org": org})
    return render(request, "network/verify.html", {"org": org, "form": form})


@require_POST
def verify_resend(request, slug: str):
    """A new code (limited per registration and hour, and per address)."""
    org = selectors.organisation_pending_get(slug=slug)
    with domain_errors_on(request) as done:
        check_rate(request, "verify")
        services.organisation_code_resend(organisation=org)
    if done:
        messages.success(request, _("Un nouveau code est envoyé."))
    return redirect("network:verify", slug=slug)


@require_GET
def project_list(request):
    form, values = _filters(request)
    qs = selectors.project_list(
        actor=None, q=values["q"], country=values["country"], sector=values["sector"]
    )
    page, query = _paginate(request, qs, values)
    return render(
        request, "network/project_list.html", {"form": form, "page": page, "query": query}
    )


@require_GET
def project_detail(request, slug: str):
    project = selectors.project_get(actor=request.user, slug=slug)
    campaigns = selectors.with_figures(project.campaigns.order_by("-ends_on"))
    return render(
        request,
        "network/project_detail.html",
        {"project": project, "campaigns": campaigns, "message_form": forms.MessageForm()},
    )


@login_required
@require_POST
def project_contact(request, slug: str):
    """A partner follows the project and writes to its organisation (stored, notified)."""
    project = selectors.project_get(actor=request.user, slug=slug)
    form = forms.MessageForm(request.POST)
    if form.is_valid():
        services.project_follow(actor=request.user, project=project)
        with domain_errors_on(form):
            services.project_message_send(
                actor=request.user, project=project, body=form.cleaned_data["body"]
            )
    if form.errors:
        return render(
            request,
            "network/project_detail.html",
            {"project": project, "campaigns": [], "message_form": form},
            status=400,
        )
    return redirect(reverse("network:project_detail", args=[slug]) + "?message=ok")


@require_GET
def campaign_list(request):
    form, values = _filters(request)
    qs = selectors.with_figures(
        selectors.campaign_list(actor=None, q=values["q"], country=values["country"])
    )
    page, query = _paginate(request, qs, values)
    return render(
        request, "network/campaign_list.html", {"form": form, "page": page, "query": query}
    )


@cache_control(no_cache=True)
@require_GET
def campaign_detail(request, pk: int):
    campaign = selectors.campaign_get(actor=request.user, pk=pk)
    return _campaign_page(request, campaign, forms.PledgeForm(initial={"provider": "wave"}))


def _campaign_page(request, campaign, pledge_form, status=200, suspend=None, news=None):
    scope = network_scope(request.user)
    return render(
        request,
        "network/campaign_detail.html",
        {
            "campaign": campaign,
            "project": campaign.project,
            "figures": selectors.campaign_figures(campaign),
            "form": pledge_form,
            "updates": campaign.updates.all()[:10],
            "funds": campaign.match_funds.all(),
            "is_admin": scope.admin,
            "close_form": forms.CloseForm(initial={"on": dates.today()}),
            "can_suspend": can_suspend(request.user, campaign),
            "suspend_form": suspend or forms.SuspendForm(),
            "news_form": news or forms.NewsForm(),
            "is_member": campaign.project.organisation_id in scope.organisation_ids,
        },
        status=status,
    )


@require_POST
def pledge(request, pk: int):
    """The pledge form: the pledge is recorded, the payment started; the donor gets the
    link to the provider's page (a link: the CSP's form-action allows only our origin)."""
    campaign = selectors.campaign_get(actor=request.user, pk=pk)
    form = forms.PledgeForm(request.POST)
    if form.is_valid():
        actor = request.user if request.user.is_authenticated else None
        with domain_errors_on(form):
            check_rate(request, "pledge")
            made = services.pledge_create(campaign=campaign, actor=actor, **form.cleaned_data)
        if not form.errors:
            return render(request, "network/pledge_checkout.html", {"pledge": made})
    return _campaign_page(request, campaign, form, status=400)


@cache_control(no_cache=True)
@require_GET
def pledge_return(request, token: str):
    """Where the provider sends the donor back: the pledge's state, fresh, and (an
    all-or-nothing campaign) the donor's choice if it fails: a refund or another campaign."""
    made = selectors.pledge_by_token(token=token)
    return _pledge_page(request, made, None)


def _pledge_page(request, made, form, status=200):
    movable = pledge_movable(made)
    destinations = selectors.move_destinations(pledge=made) if movable else []
    if form is None:
        form = forms.MoveForm(destinations=destinations, initial={"campaign": made.move_to_id})
    return render(
        request,
        "network/pledge_return.html",
        {
            "pledge": made,
            "figures": selectors.campaign_figures(made.campaign),
            "move_form": form
            if movable and (destinations or made.move_to_id or form.is_bound)
            else None,
        },
        status=status,
    )


@require_POST
def pledge_move(request, token: str):
    """The donor's choice for a failed campaign (the secret link is the proof)."""
    made = selectors.pledge_by_token(token=token)
    form = forms.MoveForm(request.POST, destinations=selectors.move_destinations(pledge=made))
    if form.is_valid():
        chosen = form.cleaned_data["campaign"]
        with domain_errors_on(form):
            destination = selectors.campaign_get(pk=chosen) if chosen else None
            services.pledge_move_choose(pledge=made, destination=destination)
        if not form.errors:
            return redirect(reverse("network:pledge_return", args=[token]) + "?choix=ok")
    return _pledge_page(request, made, form, status=400)


@login_required
@require_POST
def campaign_close(request, pk: int):
    campaign = selectors.campaign_get(actor=request.user, pk=pk)
    form = forms.CloseForm(request.POST)
    if form.is_valid():
        with domain_errors_on(form), transaction.atomic():
            services.campaign_close(
                actor=request.user, campaign=campaign, on=form.cleaned_data["on"]
            )
    if form.errors:
        page = _campaign_page(request, campaign, forms.PledgeForm(), status=400)
        return page
    return redirect("network:campaign_detail", pk=pk)


# --------------------------------------------------------------------------- moderators


@login_required
@require_GET
def moderation(request):
    if not network_scope(request.user).is_staff:
        raise PermissionDenied
    page = Paginator(selectors.moderation_queue(actor=request.user), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    reports = selectors.report_queue(actor=request.user)
    return render(
        request,
        "network/moderation.html",
        {"page": page, "reports": reports[:50], "reports_count": reports.count()},
    )


@login_required
@require_http_methods(["GET", "POST"])
def report_decide(request, pk: int):
    report = selectors.report_get(actor=request.user, pk=pk)
    form = forms.ReportDecisionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        with domain_errors_on(form):
            services.abuse_report_decide(actor=request.user, report=report, **form.cleaned_data)
        if not form.errors:
            return redirect("network:moderation")
    status = 400 if form.errors else 200
    return render(
        request, "network/report_decide.html", {"report": report, "form": form}, status=status
    )


@login_required
@require_POST
def campaign_suspend(request, pk: int):
    campaign = selectors.campaign_get(actor=request.user, pk=pk)
    form = forms.SuspendForm(request.POST)
    if form.is_valid():
        with domain_errors_on(form), transaction.atomic():
            services.campaign_suspend(
                actor=request.user, campaign=campaign, reason=form.cleaned_data["reason"]
            )
    if form.errors:
        return _campaign_page(request, campaign, forms.PledgeForm(), status=400, suspend=form)
    return redirect("network:campaign_detail", pk=pk)


@login_required
@require_POST
def moderate(request, slug: str):
    org = selectors.organisation_get(actor=request.user, slug=slug)
    form = forms.ModerationForm(request.POST)
    if form.is_valid():
        with domain_errors_on(form):
            services.organisation_moderate(
                actor=request.user, organisation=org, **form.cleaned_data
            )
    if form.errors:
        return render(
            request,
            "network/organisation_detail.html",
            {"org": org, "projects": [], "can_moderate": True, "moderation_form": form},
            status=400,
        )
    return redirect("network:moderation")


@login_required
@require_http_methods(["GET", "POST"])
def organisation_files(request, slug: str):
    """The organisation's logo and documents: its users upload them, the moderators of its
    country read them before they check them (``verify_documents``)."""
    org = selectors.organisation_files_get(actor=request.user, slug=slug)
    form = forms.FileForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        with domain_errors_on(form):
            # read within the largest limit; the service applies the kind's own
            clean = files.clean_upload(
                data["file"],
                kinds=tuple(files.KINDS),
                max_bytes=settings.NETWORK_DOCUMENT_MAX_BYTES,
            )
            services.organisation_file_add(
                actor=request.user, organisation=org, kind=data["kind"], file=clean
            )
        if not form.errors:
            return redirect("network:organisation_files", slug=slug)
    context = {
        "org": org,
        "files": selectors.organisation_files(organisation=org),
        "form": form,
        "can_upload": can_edit_organisation(request.user, org),
        "can_moderate": can_moderate(request.user, org),
    }
    return render(
        request, "network/organisation_files.html", context, status=400 if form.errors else 200
    )


@login_required
@require_GET
def organisation_file(request, pk: int):
    document = selectors.organisation_file_get(actor=request.user, pk=pk)
    return _file_response(document, attachment=True)


@require_GET
def organisation_logo(request, slug: str):
    response = _file_response(selectors.organisation_logo(slug=slug), attachment=False)
    response["Cache-Control"] = "public, max-age=3600"
    return response


def _file_response(document, *, attachment: bool) -> HttpResponse:
    response = HttpResponse(bytes(document.data), content_type=document.content_type)
    response["Content-Disposition"] = content_disposition_header(attachment, document.filename)
    response["X-Content-Type-Options"] = "nosniff"
    return response


@login_required
@require_POST
def verify_documents(request, slug: str):
    org = selectors.organisation_get(actor=request.user, slug=slug)
    services.organisation_verify_documents(actor=request.user, organisation=org)
    return redirect("network:organisation_detail", slug=slug)


# --------------------------------------------------------------------------- organisations' space


@require_http_methods(["GET", "POST"])
def report(request, slug: str = "", pk: int | None = None):
    """Anyone reports an organisation (``slug``) or a campaign (``pk``) to the moderators;
    limited per address and hour."""
    campaign = None
    if pk is not None:
        campaign = selectors.campaign_get(actor=request.user, pk=pk)
        org = campaign.project.organisation
    else:
        org = selectors.organisation_get(actor=request.user, slug=slug)
    form = forms.ReportForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        actor = request.user if request.user.is_authenticated else None
        with domain_errors_on(form):
            check_rate(request, "report")
            services.abuse_report_create(
                actor=actor, organisation=org, campaign=campaign, **form.cleaned_data
            )
        if not form.errors:
            return render(request, "network/report_done.html", {"org": org, "campaign": campaign})
    status = 200
    if form.errors:
        codes = {e.code for e in form.errors.as_data().get("__all__", [])}
        status = 429 if "rate_limited" in codes else 400
    return render(
        request,
        "network/report.html",
        {"org": org, "campaign": campaign, "form": form},
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
def organisation_members(request, slug: str):
    """The organisation's accounts; its owner (or an administrator) adds another user."""
    org = selectors.organisation_members_get(actor=request.user, slug=slug)
    form = forms.MemberForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        with domain_errors_on(form, missing_is_input=True):
            user = selectors.user_by_username(username=form.cleaned_data["username"])
            services.organisation_member_add(actor=request.user, organisation=org, user=user)
        if not form.errors:
            messages.success(request, _("Compte ajouté."))
            return redirect("network:organisation_members", slug=slug)
    context = {
        "org": org,
        "members": selectors.organisation_members(organisation=org),
        "form": form,
        "can_add": can_manage_members(request.user, org),
    }
    status = 400 if form.errors else 200
    return render(request, "network/organisation_members.html", context, status=status)


@login_required
@require_POST
def campaign_news(request, pk: int):
    """The organisation's users post news of their campaign for its backers."""
    campaign = selectors.campaign_get(actor=request.user, pk=pk)
    form = forms.NewsForm(request.POST)
    if form.is_valid():
        with domain_errors_on(form):
            services.campaign_update_post(
                actor=request.user, campaign=campaign, **form.cleaned_data
            )
    if form.errors:
        return _campaign_page(request, campaign, forms.PledgeForm(), status=400, news=form)
    return redirect("network:campaign_detail", pk=pk)


@login_required
@require_GET
def my_space(request):
    orgs = selectors.my_organisations(actor=request.user)
    return render(request, "network/my_space.html", {"orgs": orgs})


@login_required
@require_http_methods(["GET", "POST"])
def project_new(request, slug: str):
    org = selectors.my_organisation_get(actor=request.user, slug=slug)
    form = forms.ProjectForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        with domain_errors_on(form):
            project = services.project_create(
                actor=request.user, organisation=org, **form.cleaned_data
            )
        if not form.errors:
            return redirect("network:project_detail", slug=project.slug)
    return render(request, "network/project_form.html", {"form": form, "org": org})


@login_required
@require_http_methods(["GET", "POST"])
def campaign_new(request, slug: str):
    project = selectors.my_project_get(actor=request.user, slug=slug)
    form = forms.CampaignForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        with domain_errors_on(form):
            campaign = services.campaign_create(
                actor=request.user, project=project, **form.cleaned_data
            )
        if not form.errors:
            return redirect("network:campaign_detail", pk=campaign.pk)
    return render(request, "network/campaign_form.html", {"form": form, "project": project})


@login_required
@require_GET
def fund_detail(request, pk: int):
    fund = selectors.match_fund_get(actor=request.user, pk=pk)
    committed = selectors.fund_committed(fund)
    return render(
        request,
        "network/fund_detail.html",
        {
            "fund": fund,
            "committed": committed,
            "remaining": fund.budget - committed,
            "rows": selectors.fund_report(fund),
        },
    )


# --------------------------------------------------------------------------- search engines


@require_GET
def sitemap(request):
    """Every public page: the portal's lists, approved organisations, their projects and
    campaigns (a sitemap holds at most 50 000 addresses: the newest are listed), each with
    its address in every language of the site (hreflang alternates)."""
    base = request.build_absolute_uri("/")[:-1]
    urls = [reverse(n) for n in ("network:home", "network:organisation_list")]
    urls += [reverse(n) for n in ("network:project_list", "network:campaign_list")]
    urls += [
        reverse("network:organisation_detail", args=[slug])
        for slug in selectors.organisation_list(actor=None)
        .order_by("-updated_at")
        .values_list("slug", flat=True)[:30000]
    ]
    urls += [
        reverse("network:project_detail", args=[slug])
        for slug in selectors.project_list(actor=None).values_list("slug", flat=True)[:15000]
    ]
    urls += [
        reverse("network:campaign_detail", args=[pk])
        for pk in selectors.campaign_list(actor=None).values_list("pk", flat=True)[:4900]
    ]
    rows = []
    for url in urls:  # the French address first (x-default), whatever the visitor's language
        paths = [(code, base + path) for code, path in alternates(url)]
        rows.append((paths[0][1], paths))
    xml = render_to_string("network/sitemap.xml", {"urls": rows})
    return HttpResponse(xml, content_type="application/xml")


@require_GET
def robots(request):
    sitemap_url = request.build_absolute_uri(reverse("sitemap"))
    body = f"User-agent: *\nDisallow: /api/\nDisallow: /admin/\nSitemap: {sitemap_url}\n"
    return HttpResponse(body, content_type="text/plain")
