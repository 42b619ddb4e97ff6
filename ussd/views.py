"""The agent's pages: find a member, set (or reset) the USSD PIN."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from core.forms import domain_errors_on
from ussd import rules, selectors, services
from ussd.forms import PinForm, PinSearchForm

PAGE_SIZE = 25


@login_required
@require_GET
def pin_list(request):
    if not rules.may_set_pins(request.user):
        raise PermissionDenied
    search = PinSearchForm(request.GET or None)
    q = search.cleaned_data.get("q") if search.is_valid() else None
    page = Paginator(selectors.pin_person_list(actor=request.user, q=q), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    params = request.GET.copy()
    params.pop("page", None)
    return render(
        request,
        "ussd/pin_list.html",
        {"page": page, "search": search, "query": params.urlencode()},
    )


@login_required
@require_http_methods(["GET", "POST"])
def pin_set(request, pk: int):
    if not rules.may_set_pins(request.user):
        raise PermissionDenied
    person = selectors.pin_person_get(actor=request.user, pk=pk)
    form = PinForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        with domain_errors_on(form):
            services.ussd_pin_set(person=person, pin=form.cleaned_data["pin"], actor=request.user)
        if not form.errors:
            messages.success(request, _("Code PIN USSD défini pour %(name)s.") % {"name": person})
            return redirect("ussd:pin_list")
    pin = getattr(person, "ussd_pin", None)  # None when no PIN yet
    return render(request, "ussd/pin_set.html", {"form": form, "person": person, "pin": pin})
