"""Sponsored announcements' pages: the tariffs and the click redirect are public; booking,
paying and the figures need an approved organisation's account; moderators decide."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from core import dates
from core.forms import domain_errors_on
from network import selectors as network_selectors
from network.rich_text import render_markdown
from sponsoring import counting, forms, rules, selectors, services
from sponsoring.models import Placement
from sponsoring.pricing import day_prices


def _orgs(user) -> list:
    return list(network_selectors.my_organisations(actor=user).filter(status="approved"))


def _targets(user, orgs) -> list[tuple[str, str]]:
    """What a listing may put first: one of the user's projects or campaigns (empty: the
    organisation itself)."""
    ids = {o.pk for o in orgs}
    projects = [p for p in network_selectors.project_list(actor=user) if p.organisation_id in ids]
    campaigns = network_selectors.campaign_list(actor=user).filter(project__organisation_id__in=ids)
    return [
        *((f"project:{p.pk}", _("Projet : %(t)s") % {"t": p.title}) for p in projects),
        *((f"campaign:{c.pk}", _("Campagne : %(t)s") % {"t": c.project.title}) for c in campaigns),
    ]


@login_required
@require_GET
def booking_list(request):
    return render(
        request,
        "sponsoring/booking_list.html",
        {
            "bookings": selectors.booking_list(actor=request.user)[:100],
            "can_book": bool(_orgs(request.user)),
            "is_staff": rules.is_network_staff(request.user),
        },
    )


def _booking_args(form, orgs, user) -> dict:
    data = dict(form.cleaned_data)
    data["advertiser"] = next(o for o in orgs if str(o.pk) == data["advertiser"])
    kind, _sep, pk = (data.pop("target") or "").partition(":")
    data["project"] = data["campaign"] = None
    if kind == "project":
        data["project"] = next(
            p for p in network_selectors.project_list(actor=user) if str(p.pk) == pk
        )
    elif kind == "campaign":
        data["campaign"] = network_selectors.campaign_get(actor=user, pk=int(pk))
    return data


@login_required
@require_http_methods(["GET", "POST"])
def booking_new(request):
    orgs = _orgs(request.user)
    if not orgs:
        raise PermissionDenied
    form = forms.BookingForm(
        request.POST or None, request.FILES or None, organisations=orgs,
        targets=_targets(request.user, orgs),
    )  # fmt: skip
    if request.method == "POST" and form.is_valid():
        with domain_errors_on(form):
            booking = services.booking_create(
                actor=request.user, **_booking_args(form, orgs, request.user)
            )
        if not form.errors:
            return redirect("sponsoring:detail", pk=booking.pk)
    status = 400 if form.errors else 200
    context = {"form": form, "prices": day_prices()}
    return render(request, "sponsoring/booking_form.html", context, status=status)


def _detail(request, booking, status=200, **given):
    user = request.user
    return render(
        request,
        "sponsoring/booking_detail.html",
        {
            "booking": booking,
            "html": render_markdown(booking.text) if booking.text else "",
            "slots": selectors.booking_slots(booking=booking),
            "due": services.amount_due(booking),
            "is_advertiser": rules.is_advertiser(user, booking),
            "can_moderate": rules.can_moderate_booking(user, booking),
            "pay_form": given.get("pay_form") or forms.PayForm(),
            "moderation_form": given.get("moderation_form") or forms.ModerationForm(),
            "figures": selectors.booking_figures(booking=booking),
        },
        status=status,
    )


@login_required
@require_GET
def booking_detail(request, pk: int):
    return _detail(request, selectors.booking_get(actor=request.user, pk=pk))


@login_required
@require_POST
def pay(request, pk: int):
    booking = selectors.booking_get(actor=request.user, pk=pk)
    form = forms.PayForm(request.POST)
    if form.is_valid():
        with domain_errors_on(form):
            intent = services.booking_payment_start(
                actor=request.user, booking=booking, **form.cleaned_data
            )
        if not form.errors:
            context = {"booking": booking, "intent": intent}
            return render(request, "sponsoring/pay_checkout.html", context)
    return _detail(request, booking, status=400, pay_form=form)


@login_required
@require_GET
def moderation(request):
    if not rules.is_network_staff(request.user):
        raise PermissionDenied
    queue = selectors.moderation_queue(actor=request.user)
    return render(request, "sponsoring/moderation.html", {"bookings": queue[:100]})


@login_required
@require_POST
def moderate(request, pk: int):
    booking = selectors.booking_get(actor=request.user, pk=pk)
    form = forms.ModerationForm(request.POST)
    if form.is_valid():
        with domain_errors_on(form):
            services.booking_moderate(actor=request.user, booking=booking, **form.cleaned_data)
    if form.errors:
        return _detail(request, booking, status=400, moderation_form=form)
    messages.success(request, _("Décision enregistrée."))
    return redirect("sponsoring:moderation")


@require_GET
def tariffs(request):
    prices = day_prices()
    return render(
        request,
        "sponsoring/tariffs.html",
        {
            "prices": [(label, prices[code]) for code, label in Placement.choices],
            "can_edit": rules.can_edit_tariffs(request.user),
            "can_book": request.user.is_authenticated and bool(_orgs(request.user)),
            "form": forms.TariffForm(),
        },
    )


@login_required
@require_POST
def tariff_edit(request):
    if not rules.can_edit_tariffs(request.user):
        raise PermissionDenied
    form = forms.TariffForm(request.POST)
    if form.is_valid():
        with domain_errors_on(form):
            services.tariff_set(actor=request.user, **form.cleaned_data)
    if form.errors:
        prices = day_prices()
        context = {
            "prices": [(label, prices[code]) for code, label in Placement.choices],
            "can_edit": True,
            "form": form,
        }
        return render(request, "sponsoring/tariffs.html", context, status=400)
    messages.success(request, _("Tarif enregistré."))
    return redirect("sponsoring:tariffs")


@never_cache
@require_http_methods(["GET", "HEAD"])
def click(request, pk: int):
    """Count the click (not a robot's: sponsoring.counting) and go to the booked link:
    the only target this answers with (no parameter is ever followed)."""
    today = dates.today()
    booking = selectors.booking_live_get(pk=pk, on=today)
    if counting.is_counted(request):
        services.click_record(booking=booking, day=today)
    response = HttpResponseRedirect(booking.link)
    response["Referrer-Policy"] = "no-referrer"
    return response


@require_GET
def image(request, pk: int):
    booking = selectors.booking_image(actor=request.user, pk=pk, on=dates.today())
    response = HttpResponse(bytes(booking.image), content_type=booking.image_type)
    response["X-Content-Type-Options"] = "nosniff"
    # a live announcement's image is public; a booking's not yet (or no longer) live only
    # its advertiser and the moderators see: no shared cache may keep it
    response["Cache-Control"] = "public, max-age=3600" if booking.is_live else "private, no-cache"
    return response
