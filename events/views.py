"""Training and events pages: the list, an event and the ILO catalogue are public;
registering and paying need an approved organisation's account; the organiser marks
attendance and adds replays and documents."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from core.export import csv_response
from core.forms import domain_errors_on
from events import forms, rules, selectors, services
from events.certificates import certificate_pdf
from network.rich_text import render_markdown
from network.selectors import my_organisations


def _orgs(user) -> list:
    return list(my_organisations(actor=user).filter(status="approved"))


def _pick(orgs, value):
    return next(o for o in orgs if str(o.pk) == value)


@require_GET
def event_list(request):
    return render(
        request,
        "events/event_list.html",
        {
            "events": selectors.event_list(actor=request.user)[:100],
            "catalogue": selectors.ilo_catalogue(),
            "can_publish": bool(_orgs(request.user)),
        },
    )


def _detail(request, event, status=200, **given):
    user = request.user
    orgs = _orgs(user)
    mine = selectors.my_registration(actor=user, event=event)
    return render(
        request,
        "events/event_detail.html",
        {
            "event": event,
            "description": render_markdown(event.description),
            "mine": mine,
            "due": services.amount_due(mine) if mine else 0,
            "can_cancel": bool(mine) and event.starts_at > timezone.now(),
            "register_form": given.get("register_form")
            or (forms.RegisterForm(organisations=orgs) if orgs and not mine else None),
            "pay_form": given.get("pay_form") or forms.PayForm(),
            "resources": selectors.resources(actor=user, event=event, registration=mine),
            "is_organiser": rules.is_organiser(user, event),
            "registrations": selectors.registration_list(actor=user, event=event),
            "resource_form": given.get("resource_form") or forms.ResourceForm(),
            "can_see_payout": rules.may_request_payout(user, event) and event.fee > 0,
        },
        status=status,
    )


@require_GET
def event_detail(request, pk: int):
    return _detail(request, selectors.event_get(actor=request.user, pk=pk))


@login_required
@require_http_methods(["GET", "POST"])
def event_new(request):
    orgs = _orgs(request.user)
    if not orgs:
        raise PermissionDenied
    modules = list(selectors.ilo_catalogue())
    form = forms.EventForm(request.POST or None, organisations=orgs, modules=modules)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        data["organiser"] = _pick(orgs, data["organiser"])
        data["module"] = next((m for m in modules if str(m.pk) == data["module"]), None)
        with domain_errors_on(form):
            event = services.event_publish(actor=request.user, **data)
        if not form.errors:
            return redirect("events:detail", pk=event.pk)
    status = 400 if form.errors else 200
    return render(request, "events/event_form.html", {"form": form}, status=status)


@login_required
@require_POST
def register(request, pk: int):
    event = selectors.event_get(actor=request.user, pk=pk)
    orgs = _orgs(request.user)
    if not orgs:
        raise PermissionDenied
    form = forms.RegisterForm(request.POST, organisations=orgs)
    if form.is_valid():
        organisation = _pick(orgs, form.cleaned_data["organisation"])
        with domain_errors_on(form):
            services.registration_create(
                actor=request.user, event=event, organisation=organisation,
                participant_name=form.cleaned_data["participant_name"],
            )  # fmt: skip
    if form.errors:
        return _detail(request, event, status=400, register_form=form)
    return redirect("events:detail", pk=pk)


@login_required
@require_POST
def pay(request, pk: int):
    registration = selectors.registration_get(actor=request.user, pk=pk)
    form = forms.PayForm(request.POST)
    if form.is_valid():
        with domain_errors_on(form):
            intent = services.fee_payment_start(
                actor=request.user, registration=registration, **form.cleaned_data
            )
        if not form.errors:
            return render(
                request, "events/pay_checkout.html", {"reg": registration, "intent": intent}
            )
    return _detail(request, registration.event, status=400, pay_form=form)


@login_required
@require_POST
def attendance(request, pk: int):
    registration = selectors.registration_get(actor=request.user, pk=pk)
    if not rules.is_organiser(request.user, registration.event):
        raise PermissionDenied
    form = forms.AttendanceForm(request.POST)
    form.is_valid()
    with domain_errors_on(request):
        services.attendance_mark(
            actor=request.user, registration=registration,
            attended=form.cleaned_data.get("attended", False),
        )  # fmt: skip
    return redirect("events:detail", pk=registration.event_id)


@login_required
@require_POST
def resource_add(request, pk: int):
    event = selectors.event_get(actor=request.user, pk=pk)
    form = forms.ResourceForm(request.POST)
    if form.is_valid():
        with domain_errors_on(form):
            services.resource_add(actor=request.user, event=event, **form.cleaned_data)
    if form.errors:
        return _detail(request, event, status=400, resource_form=form)
    return redirect("events:detail", pk=pk)


@login_required
@require_GET
def certificate(request, pk: int):
    registration = selectors.certificate_registration(actor=request.user, pk=pk)
    response = HttpResponse(
        certificate_pdf(registration=registration), content_type="application/pdf"
    )
    name = registration.certificate_number
    response["Content-Disposition"] = f'attachment; filename="attestation-{name}.pdf"'
    return response


# --------------------------------------------------------------------------- payout


@login_required
@require_GET
def payout_statement(request, pk: int):
    """The fee statement of an event and its payout to the organiser (the organiser's
    accounts and the network's administrators)."""
    event = selectors.event_get(actor=request.user, pk=pk)
    statement = selectors.payout_statement(actor=request.user, event=event)
    return render(
        request,
        "events/payout_statement.html",
        {
            "s": statement,
            "event": event,
            "when": statement_when(statement),
            "paid_count": fees_paid_count(statement.figures["registrations_paid"]),
            "can_approve": rules.may_approve_this_payout(request.user, statement),
        },
    )


def _at(moment) -> str:
    return date_format(timezone.localtime(moment), "d/m/Y H:i")


def statement_when(statement) -> str:
    """The event's dates as its real state says them: "Terminé le ..." only once it has
    ended (the page and the CSV)."""
    event = statement.event
    dates = {"start": _at(event.starts_at), "end": _at(event.ends_at)}
    return {
        "cancelled": lambda: _("Annulé (prévu du %(start)s au %(end)s)") % dates,
        "upcoming": lambda: _("À venir : du %(start)s au %(end)s") % dates,
        "ongoing": lambda: _("En cours : se termine le %(end)s") % dates,
        "ended": lambda: _("Terminé le %(end)s") % dates,
    }[statement.phase]()


def fees_paid_count(n: int) -> str:
    """'aucune inscription', '1 inscription', '2 inscriptions': 0 said in words (the French
    catalogue, locale/fr, would give '0 inscription'; English says 'no registrations')."""
    if not n:
        return _("aucune inscription")
    return ngettext("%(n)s inscription", "%(n)s inscriptions", n) % {"n": n}


@login_required
@require_GET
def payout_statement_csv(request, pk: int):
    event = selectors.event_get(actor=request.user, pk=pk)
    statement = selectors.payout_statement(actor=request.user, event=event)
    return csv_response(f"releve-evenement-{event.pk}", *statement_rows(statement))


def statement_rows(statement) -> tuple[list, list]:
    """The statement as a sheet (French Excel's CSV): the fees paid, one line each, then
    the commission, the net and the payout."""
    headers = [_("Ligne"), _("Participant"), _("Organisation"), _("Montant (F CFA)")]
    event = statement.event
    rows = [[statement_when(statement), event.title, event.organiser.name, ""]]
    rows += [
        [_("Frais payés"), r.participant_name, r.organisation.name, r.paid]
        for r in statement.registrations
    ]
    rows += [
        [_("Frais remboursés (inscription annulée)"), r.participant_name, r.organisation.name,
         -r.paid]
        for r in statement.cancelled
    ]  # fmt: skip
    f = statement.figures
    rows += [
        [_("Total encaissé"), "", "", f["collected"]],
        [_("Commission de la plateforme (%(p)s %%)") % {"p": f["commission_percent"]}, "", "",
         -f["commission"]],
        [_("Net à verser à l'organisateur"), "", statement.event.organiser.name, f["net"]],
    ]  # fmt: skip
    if statement.payout is not None:
        payout = statement.payout
        rows.append([_("Versement"), payout.reference, payout.get_status_display(), payout.amount])
    return headers, rows


@login_required
@require_POST
def payout_request(request, pk: int):
    event = selectors.event_get(actor=request.user, pk=pk)
    with domain_errors_on(request) as done:
        services.event_payout_request(actor=request.user, event=event)
    if done:
        messages.success(request, _("Versement demandé."))
    return redirect("events:payout", pk=pk)


@login_required
@require_POST
def payout_approve(request, pk: int):
    event = selectors.event_get(actor=request.user, pk=pk)
    form = forms.PayoutDecisionForm(request.POST)
    if not form.is_valid():
        selectors.payout_statement(actor=request.user, event=event)  # 403 for others first
        messages.error(request, form.errors["decision"][0])
        return redirect("events:payout", pk=pk)
    approve = form.cleaned_data["decision"] == "approve"
    with domain_errors_on(request) as done:
        services.event_payout_approve(actor=request.user, event=event, approve=approve)
    if done:
        messages.success(request, _("Versement approuvé.") if approve else _("Versement refusé."))
    return redirect("events:payout", pk=pk)


@login_required
@require_POST
def cancel(request, pk: int):
    """The registering account (or the organiser) cancels before the event: a fee paid is
    refunded to the phone that paid it."""
    registration = selectors.registration_get(actor=request.user, pk=pk)
    form = forms.CancelForm(request.POST)
    if not form.is_valid():
        messages.error(request, form.errors["confirm"][0])
        return redirect("events:detail", pk=registration.event_id)
    with domain_errors_on(request) as done:
        services.registration_cancel(actor=request.user, registration=registration)
    if done:
        messages.success(
            request,
            _("Inscription annulée.")
            + (" " + _("Les frais payés vous sont remboursés.") if registration.paid else ""),
        )
    return redirect("events:detail", pk=registration.event_id)


@login_required
@require_POST
def refund_retry(request, pk: int):
    registration = selectors.registration_get(actor=request.user, pk=pk)
    with domain_errors_on(request) as done:
        services.registration_refund_retry(actor=request.user, registration=registration)
    if done:
        messages.success(request, _("Remboursement demandé à nouveau."))
    return redirect("events:payout", pk=registration.event_id)
