"""HTML pages of the books: thin. Reads through ledger.selectors (scoped), writes through
ledger.services; domain errors become form errors, 404 or 403 pages."""

from __future__ import annotations

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from core import dates
from core.forms import domain_errors_on
from ledger import exports, rules, selectors, services
from ledger.forms import (
    AllocationForm,
    EntryFilterForm,
    MemberTransactionForm,
    PeriodForm,
    ReverseForm,
    SimpleMovementForm,
    TransferForm,
)
from registry.selectors import membership_list

PAGE_SIZE = 25


def _coop(request, coop_id):
    coop = selectors.books_cooperative_get(actor=request.user, pk=coop_id)
    return coop, rules.can_post(request.user, coop)


def _base(request, coop, can_post, **extra):
    return {"coop": coop, "can_post": can_post, **extra}


@login_required
def home(request):
    coops = selectors.books_cooperative_list(actor=request.user).order_by("name")
    if len(coops[:2]) == 1:
        return redirect("ledger:dashboard", coop_id=coops[0].pk)
    page = Paginator(coops, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "ledger/home.html", {"page": page})


@login_required
def dashboard(request, coop_id):
    coop, can_post = _coop(request, coop_id)
    on = dates.today()
    context = _base(
        request,
        coop,
        can_post,
        treasury=selectors.treasury_balances(actor=request.user, cooperative=coop, on=on),
        recent=selectors.journal_entry_list(actor=request.user, cooperative=coop)[:8],
        year=on.year,
        on=on,
    )
    return render(request, "ledger/dashboard.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def movement(request, coop_id, kind):
    coop, can_post = _coop(request, coop_id)
    if not can_post:
        rules.require_poster(request.user, coop)
    record = services.receipt_record if kind == "receipt" else services.payment_record
    form = SimpleMovementForm(request.POST or None, kind=kind, initial={"on": dates.today()})
    if request.method == "POST" and form.is_valid():
        with domain_errors_on(form):
            entry = record(actor=request.user, cooperative=coop, **form.cleaned_data)
        if not form.errors:
            messages.success(
                request,
                _("Enregistré : %(ref)s · %(label)s")
                % {"ref": entry.reference, "label": entry.label},
            )
            return redirect("ledger:dashboard", coop_id=coop.pk)
    title = _("Nouvelle recette") if kind == "receipt" else _("Nouvelle dépense")
    return render(
        request,
        "ledger/movement_form.html",
        _base(request, coop, can_post, form=form, title=title, kind=kind),
    )


@login_required
@require_http_methods(["GET", "POST"])
def transfer(request, coop_id):
    coop, can_post = _coop(request, coop_id)
    if not can_post:
        rules.require_poster(request.user, coop)
    form = TransferForm(request.POST or None, initial={"on": dates.today()})
    if request.method == "POST" and form.is_valid():
        with domain_errors_on(form):
            entry = services.transfer_record(
                actor=request.user, cooperative=coop, **form.cleaned_data
            )
        if not form.errors:
            messages.success(request, _("Enregistré : %(ref)s") % {"ref": entry.reference})
            return redirect("ledger:dashboard", coop_id=coop.pk)
    return render(
        request,
        "ledger/movement_form.html",
        _base(
            request,
            coop,
            can_post,
            form=form,
            title=_("Virement entre caisse, banque et mobile money"),
            kind="transfer",
        ),
    )


@login_required
def entry_list(request, coop_id):
    coop, can_post = _coop(request, coop_id)
    journals = selectors.journal_list(actor=request.user, cooperative=coop)
    form = EntryFilterForm(request.GET or None, journals=journals)
    filters = form.cleaned_data if form.is_valid() else {}
    entries = selectors.journal_entry_list(
        actor=request.user,
        cooperative=coop,
        journal=filters.get("journal") or None,
        date_from=filters.get("date_from"),
        date_to=filters.get("date_to"),
        q=filters.get("q"),
    )
    page = Paginator(entries, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "ledger/entry_list.html",
        _base(request, coop, can_post, form=form, page=page, query=query.urlencode()),
    )


@login_required
@require_http_methods(["GET", "POST"])
def entry_detail(request, coop_id, pk):
    coop, can_post = _coop(request, coop_id)
    entry = selectors.journal_entry_get(actor=request.user, pk=pk)
    if entry.cooperative_id != coop.pk:
        return redirect("ledger:entry", coop_id=entry.cooperative_id, pk=entry.pk)
    reversed_by = (
        selectors.journal_entry_list(actor=request.user, cooperative=coop)
        .filter(reverses=entry)
        .first()
    )
    form = ReverseForm(request.POST or None, initial={"on": dates.today()}) if can_post else None
    if request.method == "POST":
        rules.require_poster(request.user, coop)
        if form.is_valid():
            with domain_errors_on(form):
                reversal = services.entry_reverse(
                    actor=request.user, entry=entry, on=form.cleaned_data["on"]
                )
            if not form.errors:
                messages.success(
                    request, _("Contre-passée par %(ref)s") % {"ref": reversal.reference}
                )
                return redirect("ledger:entry", coop_id=coop.pk, pk=reversal.pk)
    return render(
        request,
        "ledger/entry_detail.html",
        _base(request, coop, can_post, entry=entry, reversed_by=reversed_by, form=form),
    )


def _period(request, default_year=None):
    bound = PeriodForm(request.GET or None)
    date_from, date_to = bound.period(default_year or dates.today().year)
    if bound.is_bound:
        return bound, date_from, date_to
    return PeriodForm(initial={"date_from": date_from, "date_to": date_to}), date_from, date_to


@login_required
def trial_balance(request, coop_id):
    coop, can_post = _coop(request, coop_id)
    form, date_from, date_to = _period(request)
    rows = selectors.trial_balance(
        actor=request.user, cooperative=coop, date_from=date_from, date_to=date_to
    )
    totals = {k: sum(r[k] for r in rows) for k in ("debit", "credit", "balance")}
    shown = [
        {**r, "amount": abs(r["balance"]), "side": "D" if r["balance"] > 0 else "C"} for r in rows
    ]
    context = _base(
        request,
        coop,
        can_post,
        form=form,
        rows=shown,
        totals=totals,
        date_from=date_from,
        date_to=date_to,
    )
    fmt = request.GET.get("format")
    if fmt == "xlsx":
        return exports.trial_balance_xlsx(coop, rows, date_from, date_to)
    if fmt == "pdf":
        return exports.pdf_response(
            request,
            "ledger/pdf/trial_balance.html",
            context,
            f"balance-{coop.pk}-{date_from}-{date_to}",
        )
    return render(request, "ledger/trial_balance.html", context)


@login_required
def general_ledger(request, coop_id):
    coop, can_post = _coop(request, coop_id)
    form, date_from, date_to = _period(request)
    account = (request.GET.get("account") or "").strip()[:10] or None
    accounts = selectors.general_ledger(
        actor=request.user, cooperative=coop, date_from=date_from, date_to=date_to, account=account
    )
    context = _base(
        request,
        coop,
        can_post,
        form=form,
        accounts=accounts,
        account=account or "",
        date_from=date_from,
        date_to=date_to,
        chart=selectors.account_list(),
    )
    fmt = request.GET.get("format")
    if fmt == "xlsx":
        return exports.general_ledger_xlsx(coop, accounts, date_from, date_to)
    if fmt == "pdf":
        return exports.pdf_response(
            request,
            "ledger/pdf/general_ledger.html",
            context,
            f"grand-livre-{coop.pk}-{date_from}-{date_to}",
        )
    return render(request, "ledger/general_ledger.html", context)


@login_required
def statements(request, coop_id):
    coop, can_post = _coop(request, coop_id)
    form, date_from, date_to = _period(request)
    income = selectors.income_statement(
        actor=request.user, cooperative=coop, date_from=date_from, date_to=date_to
    )
    sheet = selectors.balance_sheet(actor=request.user, cooperative=coop, on=date_to)
    context = _base(
        request,
        coop,
        can_post,
        form=form,
        income=income,
        sheet=sheet,
        date_from=date_from,
        date_to=date_to,
    )
    fmt = request.GET.get("format")
    if fmt == "xlsx":
        return exports.statements_xlsx(coop, income, sheet, date_from, date_to)
    if fmt == "pdf":
        return exports.pdf_response(
            request, "ledger/pdf/statements.html", context, f"etats-financiers-{coop.pk}-{date_to}"
        )
    return render(request, "ledger/statements.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def year(request, coop_id, year):
    coop, can_post = _coop(request, coop_id)
    status = selectors.period_status(actor=request.user, cooperative=coop, year=year)
    allocation_form = None
    if can_post and status["closed"] and not status["allocation"]:
        allocation_form = AllocationForm(
            request.POST if request.POST.get("action") == "allocate" else None,
            initial={"on": datetime.date(year + 1, 6, 30)},
        )
    if request.method == "POST":
        rules.require_poster(request.user, coop)
        action = request.POST.get("action")
        on_allocation = action == "allocate" and allocation_form is not None
        try:
            with domain_errors_on(allocation_form if on_allocation else request) as outcome:
                if action in ("lock", "unlock"):
                    month = int(request.POST.get("month", "0"))
                    service = services.period_lock if action == "lock" else services.period_unlock
                    service(actor=request.user, cooperative=coop, year=year, month=month)
                    messages.success(request, _("Période mise à jour."))
                    return redirect("ledger:year", coop_id=coop.pk, year=year)
                if action == "close":
                    if request.POST.get("confirm") != "1":
                        messages.error(
                            request, _("Cochez la confirmation pour clôturer l'exercice.")
                        )
                        return redirect("ledger:year", coop_id=coop.pk, year=year)
                    services.year_close(actor=request.user, cooperative=coop, year=year)
                    messages.success(request, _("Exercice %(year)d clôturé.") % {"year": year})
                    return redirect("ledger:year", coop_id=coop.pk, year=year)
                if (
                    action == "allocate"
                    and allocation_form is not None
                    and allocation_form.is_valid()
                ):
                    services.surplus_allocate(
                        actor=request.user,
                        cooperative=coop,
                        year=year,
                        on=allocation_form.cleaned_data["on"],
                        **allocation_form.rates(),
                    )
                    messages.success(request, _("Résultat affecté et comptabilisé."))
                    return redirect("ledger:year", coop_id=coop.pk, year=year)
        except ValueError:
            messages.error(request, _("Période invalide."))
        if not outcome and not on_allocation:
            return redirect("ledger:year", coop_id=coop.pk, year=year)
    members = []
    if status["allocation"]:
        members = selectors.member_allocation_list(
            actor=request.user, allocation=status["allocation"]
        )
    context = _base(
        request,
        coop,
        can_post,
        status=status,
        allocation_form=allocation_form,
        members=members,
        year=year,
        years=range(dates.today().year - 3, dates.today().year + 1),
        cap=services.share_interest_cap() * 100,
    )
    return render(request, "ledger/year.html", context)


@login_required
def refund_statement(request, coop_id, year, person_id):
    coop, can_post = _coop(request, coop_id)
    allocation = selectors.allocation_get(actor=request.user, cooperative=coop, year=year)
    member = selectors.member_allocation_get(
        actor=request.user, allocation=allocation, person_id=person_id
    )
    context = _base(request, coop, can_post, allocation=allocation, member=member)
    if request.GET.get("format") == "pdf":
        return exports.pdf_response(
            request, "ledger/pdf/refund_statement.html", context, f"ristourne-{year}-{person_id}"
        )
    return render(request, "ledger/refund_statement.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def member_transactions(request, coop_id):
    coop, can_post = _coop(request, coop_id)
    members = (
        membership_list(actor=request.user).filter(cooperative=coop).order_by("person__last_name")
    )
    form = (
        MemberTransactionForm(request.POST or None, members=members, initial={"on": dates.today()})
        if can_post
        else None
    )
    if request.method == "POST":
        rules.require_poster(request.user, coop)
        if form.is_valid():
            data = form.cleaned_data
            with domain_errors_on(form):
                services.member_transaction_record(
                    actor=request.user,
                    cooperative=coop,
                    person_id=int(data["person"]),
                    on=data["on"],
                    amount=data["amount"],
                    label=data["label"],
                )
            if not form.errors:
                messages.success(request, _("Opération enregistrée."))
                return redirect(reverse("ledger:member_transactions", args=[coop.pk]))
    rows = selectors.member_transaction_list(actor=request.user, cooperative=coop)
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "ledger/member_transactions.html",
        _base(request, coop, can_post, form=form, page=page),
    )
