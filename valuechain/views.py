"""HTML pages of the value chain: thin; reads via selectors, writes via services.

The till (``till``) is a page made for a phone (360 px) that keeps working without a
network: its script (static/valuechain/till.js) makes each sale's ``client_uuid`` on the
device, queues the sale in the browser's storage and sends it to ``till_sync`` as soon as
the network allows; the server answers a replay with the first sale."""

from __future__ import annotations

import datetime
import json

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import BadRequest
from django.core.paginator import Paginator
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from core import dates
from core.errors import ValidationFailed
from core.forms import domain_errors_on
from core.views import domain_errors_as_json, query_year
from valuechain import selectors, services, trace
from valuechain.errors import Code
from valuechain.forms import (
    BookingForm,
    ConcludeForm,
    CountForm,
    LossForm,
    ScanForm,
    SettlementForm,
    TrialForm,
    UseForm,
)
from valuechain.rules import can_operate, can_run_workshop, require

PAGE_SIZE = 25


@login_required
@require_GET
def index(request):
    q = request.GET.get("q", "")[:100]
    chains = selectors.value_chain_list(actor=request.user, q=q).order_by("name", "id")
    page = Paginator(chains, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "valuechain/index.html", {"page": page, "q": q})


@login_required
@require_GET
def chain_detail(request, pk: int):
    chain = selectors.value_chain_get(actor=request.user, pk=pk)
    sites = selectors.site_list(actor=request.user, value_chain=chain.pk)
    year = query_year(request, default=dates.today().year)
    baseline = query_year(request, default=year - 1, name="baseline")
    production = selectors.production_report(chain=chain, year=year, baseline_year=baseline)
    return render(
        request,
        "valuechain/chain_detail.html",
        {
            "chain": chain,
            "sites": sites,
            "production": production,
            "year": year,
            "baseline": baseline,
        },
    )


def _stock_forms(request, site, stock, consignors) -> dict:
    """The operator's forms of a site's page, bound to the POST of their ``action``."""
    action = request.POST.get("action") if request.method == "POST" else None
    lots = [lv for lv in stock if lv.quantity > 0]
    day = {"on": dates.today()}
    return {
        "loss": LossForm(request.POST if action == "loss" else None, lots=lots, initial=day),
        "count": CountForm(request.POST if action == "count" else None, lots=stock, initial=day),
        "settle": SettlementForm(
            request.POST if action == "settle" else None,
            cooperatives=consignors,
            initial={"paid_on": dates.today(), "period_to": dates.today()},
        )
        if consignors
        else None,
    }


def _stock_action(request, site, forms: dict, consignors):
    """Record the POSTed loss, count or settlement; the settlement made, or None."""
    action = request.POST.get("action")
    form = forms.get(action) if action in ("loss", "count", "settle") else None
    if form is None:
        raise BadRequest(_("Action inconnue."))
    if not form.is_valid():
        return None
    data = form.cleaned_data
    with domain_errors_on(form):
        if action == "settle":
            cooperative = next(c for c in consignors if c.pk == data["cooperative"])
            return services.settlement_make(
                actor=request.user, site=site, cooperative=cooperative, **_settle_args(data)
            )
        lot = selectors.lot_get(actor=request.user, pk=data["lot"])
        if action == "loss":
            services.stock_loss(
                actor=request.user,
                site=site,
                lot=lot,
                quantity=data["quantity"],
                on=data["on"],
                note=data["note"],
            )
        else:
            services.stock_count(
                actor=request.user, site=site, lot=lot, counted=data["counted"], on=data["on"]
            )
    return None


def _settle_args(data: dict) -> dict:
    keys = ("period_from", "period_to", "paid_on", "channel")
    return {k: data[k] for k in keys}


@login_required
def site_detail(request, pk: int):
    """A site: its stock, sales, settlements; its operator records a loss (its cause
    required), a physical count and, at a shop, a consignment settlement (POST
    ``action=loss|count|settle``)."""
    site = selectors.site_get(actor=request.user, pk=pk)
    operator = can_operate(request.user, site)
    stock = list(selectors.stock_list(actor=request.user, site=site))
    shop = site.kind == "temoin"
    consignors = list(selectors.consignors(site=site)) if shop and operator else []
    forms = _stock_forms(request, site, stock, consignors) if operator else {}
    if request.method == "POST" and request.POST.get("action") == "delivery":
        require(operator)
        delivery = selectors.delivery_get(site=site, pk=request.POST.get("delivery"))
        with domain_errors_on(request) as done:
            lots = services.lots_from_delivery(actor=request.user, site=site, delivery=delivery)
        if done:
            messages.success(request, _("%(n)s lot(s) ouvert(s).") % {"n": len(lots)})
        return redirect("valuechain:site_detail", pk=site.pk)
    if request.method == "POST":
        require(operator)
        made = _stock_action(request, site, forms, consignors)
        if made is not None:
            return redirect("valuechain:settlement_detail", pk=made.pk)
        if not any(f is not None and f.errors for f in forms.values()):
            return redirect("valuechain:site_detail", pk=site.pk)
    workshop = site.kind == "technologique"
    return render(
        request,
        "valuechain/site_detail.html",
        {
            "site": site,
            "stock": stock,
            "sales": selectors.sale_list(actor=request.user, site=site.pk)[:20] if shop else (),
            "settlements": selectors.settlement_list(actor=request.user, site=site)[:20]
            if shop
            else (),
            "invoices": selectors.purchase_invoice_list(actor=request.user, site=site.pk)[:20],
            "can_operate": operator,
            "forms": forms,
            "deliveries": selectors.deliveries_to_enter(site=site) if operator else (),
            "projects": selectors.project_list(actor=request.user, site=site.pk)
            if workshop
            else (),
            "equipment": selectors.equipment_list(actor=request.user, site=site.pk)
            if workshop
            else (),
        },
        status=400 if request.method == "POST" else 200,
    )


@login_required
@require_GET
def settlement_detail(request, pk: int):
    """A consignment settlement's statement: the sales it paid, the commission, the net."""
    settlement = selectors.settlement_get(actor=request.user, pk=pk)
    return render(
        request,
        "valuechain/settlement_detail.html",
        {
            "settlement": settlement,
            "lines": selectors.settlement_lines(settlement),
            "payout": selectors.settlement_payout(settlement),
        },
    )


@login_required
@require_GET
def lot_detail(request, pk: int):
    lot = selectors.lot_get(actor=request.user, pk=pk)
    t = trace.trace(lot)
    recall = trace.recall(lot)
    visible = selectors.lot_list(actor=request.user).filter(pk__in=t.upstream + t.downstream)
    return render(
        request,
        "valuechain/lot_detail.html",
        {
            "lot": lot,
            "upstream": [x for x in visible if x.pk in t.upstream],
            "downstream": [x for x in visible if x.pk in t.downstream],
            "hidden": len(t.upstream) + len(t.downstream) - len(visible),
            "recall": recall,
        },
    )


@login_required
@require_GET
def sale_detail(request, pk: int):
    sale = selectors.sale_get(actor=request.user, pk=pk)
    return render(
        request,
        "valuechain/sale_detail.html",
        {"sale": sale, "can_operate": can_operate(request.user, sale.site)},
    )


@login_required
@require_GET
def till(request, pk: int):
    """The till of a shop: scan (type the lot's code) or pick a lot, quantity, price,
    cash and mobile money; works offline (the sales wait on the device)."""
    site = selectors.site_get(actor=request.user, pk=pk)
    require(can_operate(request.user, site))
    stock = selectors.stock_list(actor=request.user, site=site)
    return render(request, "valuechain/till.html", {"site": site, "stock": stock})


def _sale_from_json(request, site, data: dict) -> dict:
    sold_at = parse_datetime(str(data.get("sold_at", ""))[:40])
    if sold_at is None:
        raise ValidationFailed(_("Date et heure de vente invalides."), field="sold_at")
    lines = []
    for line in list(data.get("lines") or [])[:200]:
        lot = selectors.lot_get(actor=request.user, pk=line.get("lot"), field="lines")
        lines.append((lot, line.get("quantity"), line.get("unit_price")))
    payments = [
        (str(p.get("channel", ""))[:20], p.get("amount"), str(p.get("reference", ""))[:80])
        for p in list(data.get("payments") or [])[:10]
    ]
    return {
        "client_uuid": str(data.get("client_uuid", ""))[:40],
        "sold_at": sold_at,
        "lines": lines,
        "payments": payments,
        "buyer_phone": str(data.get("buyer_phone", ""))[:20],
    }


def _payload(request) -> dict:
    """The till's JSON; or, without script, one line paid in cash from form fields."""
    if request.content_type != "application/json":
        post = request.POST
        try:
            quantity, price = (
                int(post.get("quantity", "")[:12]),
                int(post.get("unit_price", "")[:12]),
            )
        except ValueError:
            raise ValidationFailed(_("Quantité ou prix invalide."), field="quantity") from None
        return {
            "client_uuid": post.get("client_uuid", ""),
            "sold_at": post.get("sold_at", ""),
            "lines": [{"lot": post.get("lot"), "quantity": quantity, "unit_price": price}],
            "payments": [{"channel": "cash", "amount": quantity * price}],
        }
    try:
        data = json.loads(request.body or b"{}")
    except ValueError:
        raise ValidationFailed(_("Corps JSON invalide."), code=Code.INVALID_JSON) from None
    if not isinstance(data, dict):
        raise ValidationFailed(_("Corps JSON invalide."), code=Code.INVALID_JSON)
    return data


@login_required
@require_POST
@domain_errors_as_json
def till_sync(request, pk: int):
    """One queued sale from the till (JSON); the same ``client_uuid`` again answers the
    first sale. Answers JSON like the API (``{"code", "message", "field"}`` on error)."""
    site = selectors.site_get(actor=request.user, pk=pk)
    require(can_operate(request.user, site))
    data = _payload(request)
    sale, created = services.sale_record(
        actor=request.user, site=site, **_sale_from_json(request, site, data)
    )
    return JsonResponse(
        {
            "id": sale.pk,
            "client_uuid": str(sale.client_uuid),
            "receipt_number": sale.receipt_number,
            "total": sale.total,
            "below_zero": sale.below_zero,
            "created": created,
        },
        status=201 if created else 200,
    )


@login_required
@require_POST
def till_close(request, pk: int):
    """The Z report of a till for a day (POST ``on``, ``counted_cash``)."""
    till_obj = selectors.till_get(actor=request.user, pk=pk)
    try:
        on = datetime.date.fromisoformat(request.POST.get("on", "")[:10])
        counted = int(request.POST.get("counted_cash", "")[:15])
    except ValueError:
        return render(
            request,
            "valuechain/z_report.html",
            {"till": till_obj, "error": _("Date ou montant invalide.")},
            status=400,
        )
    with domain_errors_on(None) as closed:
        closing = services.till_close(
            actor=request.user, till=till_obj, on=on, counted_cash=counted
        )
    if not closed:
        return render(
            request,
            "valuechain/z_report.html",
            {"till": till_obj, "error": closed.error.message},
            status=closed.error.status,
        )
    return render(request, "valuechain/z_report.html", {"till": till_obj, "closing": closing})


def _week_start(request) -> datetime.date:
    try:
        day = datetime.date.fromisoformat(request.GET.get("start", "")[:10])
    except ValueError:
        day = dates.today()
    return day - datetime.timedelta(days=day.weekday())


def _calendar(bookings, start: datetime.date) -> list[dict]:
    days = [start + datetime.timedelta(days=i) for i in range(7)]
    return [
        {
            "day": day,
            "bookings": [
                b
                for b in bookings
                if timezone.localtime(b.starts_at).date()
                <= day
                <= timezone.localtime(b.ends_at).date()
            ],
        }
        for day in days
    ]


def _book(request, equipment, form) -> None:
    cooperative = (
        selectors.bookable_cooperatives(actor=request.user, equipment=equipment)
        .filter(pk=form.cleaned_data["cooperative"])
        .first()
    )
    day = form.cleaned_data["day"]
    with domain_errors_on(form):
        if cooperative is None:
            raise ValidationFailed(_("Choisissez une coopérative."), field="cooperative")
        services.equipment_book(
            actor=request.user,
            equipment=equipment,
            cooperative=cooperative,
            starts_at=datetime.datetime.combine(day, form.cleaned_data["start"]),
            ends_at=datetime.datetime.combine(day, form.cleaned_data["end"]),
        )


def _use(request, equipment, form) -> None:
    booking = selectors.booking_get(actor=request.user, pk=form.cleaned_data["booking"])
    if booking.equipment_id != equipment.pk:
        raise ValidationFailed(_("Réservation d'un autre équipement."), field="booking")
    with domain_errors_on(form):
        services.equipment_use_record(
            actor=request.user,
            booking=booking,
            hours=form.cleaned_data["hours"],
            on=form.cleaned_data["on"],
        )


@login_required
def equipment_detail(request, pk: int):
    """Shared equipment: the week's booking calendar, a slot booked for a cooperative of
    the chain (POST ``action=book``), the hours of a booking used (``action=use``)."""
    equipment = selectors.equipment_get(actor=request.user, pk=pk)
    cooperatives = selectors.bookable_cooperatives(actor=request.user, equipment=equipment)
    start = _week_start(request)
    book_form = BookingForm(cooperatives=cooperatives, initial={"day": start})
    use_form = UseForm(initial={"on": dates.today()})
    if request.method == "POST":
        action = request.POST.get("action")
        if action == "book":
            book_form = BookingForm(request.POST, cooperatives=cooperatives)
            if book_form.is_valid():
                _book(request, equipment, book_form)
            form = book_form
        elif action == "use":
            use_form = UseForm(request.POST)
            if use_form.is_valid():
                _use(request, equipment, use_form)
            form = use_form
        else:
            raise ValidationFailed(_("Action inconnue."), field="action")
        if not form.errors:
            return redirect(f"{request.path}?start={start.isoformat()}")
    bookings = list(selectors.booking_list(actor=request.user, equipment=equipment, start=start))
    return render(
        request,
        "valuechain/equipment_detail.html",
        {
            "equipment": equipment,
            "calendar": _calendar(bookings, start),
            "start": start,
            "previous": start - datetime.timedelta(days=7),
            "next": start + datetime.timedelta(days=7),
            "book_form": book_form if cooperatives else None,
            "use_form": use_form,
            "can_record_use": can_run_workshop(request.user, equipment.site),
        },
        status=400 if request.method == "POST" else 200,
    )


@login_required
@require_GET
def lot_label(request, pk: int):
    """The lot's label as a PDF: its code and a QR code of its page (``?copies=`` 1..24)."""
    from django.http import HttpResponse
    from django.urls import reverse

    from valuechain.labels import label_pdf

    lot = selectors.lot_get(actor=request.user, pk=pk)
    try:
        copies = min(max(int(request.GET.get("copies", "1")[:3]), 1), 24)
    except ValueError:
        copies = 1
    url = request.build_absolute_uri(reverse("valuechain:lot_detail", args=[lot.pk]))
    response = HttpResponse(
        label_pdf(lot=lot, url=url, copies=copies), content_type="application/pdf"
    )
    response["Content-Disposition"] = f'inline; filename="etiquette-{lot.code}.pdf"'
    return response


@login_required
@require_GET
def purchase_invoice(request, pk: int):
    """The invoice of goods bought outright, as a PDF (seen by whoever sees the site the
    goods left or the shop they entered)."""
    from django.http import HttpResponse

    from valuechain.invoices import invoice_pdf

    invoice = selectors.purchase_invoice_get(actor=request.user, pk=pk)
    response = HttpResponse(invoice_pdf(invoice=invoice), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="facture-{invoice}.pdf"'
    return response


@login_required
def project_detail(request, pk: int):
    """An innovation project of the boutique technologique: its prototypes and tests; the
    workshop records a trial with its result (POST ``action=trial``) and concludes the
    project, adopted or dropped (``action=conclude``)."""
    project = selectors.project_get(actor=request.user, pk=pk)
    runs = can_run_workshop(request.user, project.site)
    action = request.POST.get("action") if request.method == "POST" else None
    trial_form = TrialForm(
        request.POST if action == "trial" else None, initial={"on": dates.today()}
    )
    conclude_form = ConcludeForm(request.POST if action == "conclude" else None)
    if request.method == "POST":
        require(runs)
        form = {"trial": trial_form, "conclude": conclude_form}.get(action)
        if form is None:
            raise BadRequest(_("Action inconnue."))
        if form.is_valid():
            with domain_errors_on(form):
                if action == "trial":
                    services.project_trial_record(
                        actor=request.user, project=project, **form.cleaned_data
                    )
                else:
                    services.innovation_project_conclude(
                        actor=request.user, project=project, status=form.cleaned_data["status"]
                    )
        if not form.errors:
            return redirect("valuechain:project_detail", pk=project.pk)
    return render(
        request,
        "valuechain/project_detail.html",
        {
            "project": project,
            "trials": project.trials.order_by("on", "id"),
            "trial_form": trial_form if runs else None,
            "conclude_form": conclude_form
            if runs and (project.status == "ongoing" or conclude_form.errors)
            else None,
        },
        status=400 if request.method == "POST" else 200,
    )


@login_required
@require_POST
def sale_sms(request, pk: int):
    """The receipt sent by SMS to the number typed (POST ``phone``)."""
    from valuechain.receipts import receipt_resend

    sale = selectors.sale_get(actor=request.user, pk=pk)
    with domain_errors_on(request) as done:
        sent = receipt_resend(actor=request.user, sale=sale, phone=request.POST.get("phone", ""))
    if done:
        if sent is not None and sent.status == "sent":
            messages.success(request, _("Ticket envoyé par SMS."))
        else:
            messages.error(request, _("Le SMS n'a pas pu partir ; réessayez plus tard."))
    return redirect("valuechain:sale_detail", pk=sale.pk)


@login_required
@require_GET
def scan(request):
    """Scan a lot's label: the camera reads its QR code where the browser has a
    BarcodeDetector (static/valuechain/scan.js); elsewhere the code is typed
    (``?code=``). A lot the user may see opens its page (its trace)."""
    form = ScanForm(request.GET if "code" in request.GET else None)
    if form.is_bound and form.is_valid():
        with domain_errors_on(form, missing_is_input=True):
            lot = selectors.lot_by_code(actor=request.user, code=form.cleaned_data["code"])
        if not form.errors:
            return redirect("valuechain:lot_detail", pk=lot.pk)
    return render(request, "valuechain/scan.html", {"form": form})
