"""HTML pages of the centrale d'achat: thin; reads via selectors, writes via services."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from core import dates
from core.forms import domain_errors_on
from purchasing import forms, imports, pricewatch, selectors, services
from purchasing.models import CampaignStatus
from purchasing.rules import (
    can_edit_reference,
    can_manage_group,
    require_group_manager,
    require_orderer,
    require_reference_editor,
)
from registry.selectors import cooperative_get

PAGE_SIZE = 25


@login_required
@require_GET
def index(request):
    q = request.GET.get("q", "")[:100]
    status = request.GET.get("status", "")
    if status not in CampaignStatus.values:
        status = ""
    campaigns = selectors.campaign_list(actor=request.user, q=q, status=status or None)
    page = Paginator(campaigns, PAGE_SIZE).get_page(request.GET.get("page"))
    query = urlencode({k: v for k, v in {"q": q, "status": status}.items() if v})
    return render(
        request,
        "purchasing/index.html",
        {
            "page": page,
            "q": q,
            "status": status,
            "statuses": CampaignStatus.choices,
            "query": query,
            "groups": selectors.group_list(actor=request.user)[:20],
            "can_create": can_edit_reference(request.user),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def campaign_create(request):
    require_reference_editor(request.user)
    groups = [
        g for g in selectors.group_list(actor=request.user) if can_manage_group(request.user, g)
    ]
    kwargs = {
        "groups": groups,
        "products": selectors.product_list(actor=request.user),
        "suppliers": selectors.supplier_list(actor=request.user),
    }
    form = forms.CampaignForm(request.POST or None, **kwargs)
    if request.method == "POST" and form.is_valid():
        rows = form.offer_rows()
        if not form.errors:
            with domain_errors_on(form):
                offers = [
                    {
                        "product": selectors.product_get(actor=request.user, pk=p),
                        "supplier": selectors.supplier_get(actor=request.user, pk=s),
                        "pack_size": size,
                        "unit_price": price,
                        "min_packs": minimum,
                    }
                    for _i, p, s, size, price, minimum in rows
                ]
                campaign = services.campaign_create(
                    actor=request.user,
                    group=selectors.group_get(actor=request.user, pk=form.cleaned_data["group"]),
                    name=form.cleaned_data["name"],
                    season=form.cleaned_data["season"],
                    opens_on=form.cleaned_data["opens_on"],
                    closes_on=form.cleaned_data["closes_on"],
                    offers=offers,
                )
            if not form.errors:
                messages.success(request, _("Campagne ouverte."))
                return redirect("purchasing:campaign_detail", campaign.pk)
    return render(request, "purchasing/campaign_form.html", {"form": form})


@login_required
@require_GET
def campaign_detail(request, pk: int):
    campaign = selectors.campaign_get(actor=request.user, pk=pk)
    manages = can_manage_group(request.user, campaign.group)
    offers = list(campaign.offers.select_related("product", "supplier").order_by("id"))
    orders = list(selectors.order_list(actor=request.user, campaign=campaign))
    invoices = list(selectors.invoice_list(actor=request.user, campaign=campaign))
    suppliers = sorted({o.supplier for o in offers if o.packs}, key=lambda s: s.name)
    delivered = {
        d.cooperative_id for d in selectors.delivery_list(actor=request.user, campaign=campaign)
    }
    return render(
        request,
        "purchasing/campaign_detail.html",
        {
            "campaign": campaign,
            "offers": offers,
            "orders": orders,
            "invoices": invoices,
            "manages": manages,
            "my_coops": list(
                selectors.my_cooperatives_in(actor=request.user, group=campaign.group)
            ),
            "suppliers": suppliers,
            "supplier_invoices": selectors.supplier_invoice_list(
                actor=request.user, campaign=campaign
            ),
            "savings": pricewatch.campaign_savings(campaign),
            "delivered": delivered,
            "delivery_form": forms.DeliveryForm(initial={"on": dates.today()}),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def order_edit(request, pk: int, coop: int):
    campaign = selectors.campaign_get(actor=request.user, pk=pk)
    cooperative = cooperative_get(actor=request.user, pk=coop)
    offers = list(campaign.offers.select_related("product", "supplier").order_by("id"))
    current = campaign.orders.filter(cooperative=cooperative).prefetch_related("lines").first()
    lines = (
        {ln.offer_id: (ln.quantity, ln.tolerance) for ln in current.lines.all()} if current else {}
    )
    form = forms.OrderForm(request.POST or None, offers=offers, lines=lines)
    if request.method == "POST" and form.is_valid():
        with domain_errors_on(form):
            services.order_place(
                actor=request.user, campaign=campaign, cooperative=cooperative, lines=form.lines()
            )
        if not form.errors:
            messages.success(request, _("Commande enregistrée."))
            return redirect("purchasing:campaign_detail", campaign.pk)
    return render(
        request,
        "purchasing/order_form.html",
        {"campaign": campaign, "cooperative": cooperative, "form": form, "order": current},
    )


@login_required
@require_http_methods(["GET", "POST"])
def campaign_close(request, pk: int):
    """The preview (packs, minimum reached, each cooperative's share), then the confirmation."""
    campaign = selectors.campaign_get(actor=request.user, pk=pk)
    require_group_manager(request.user, campaign.group)
    form = forms.CloseForm(request.POST or None, initial={"on": dates.today()})
    if request.method == "POST" and form.is_valid():
        with domain_errors_on(form):
            services.campaign_close(
                actor=request.user, campaign=campaign, on=form.cleaned_data["on"]
            )
        if not form.errors:
            messages.success(request, _("Campagne clôturée : les commandes sont arrêtées."))
            return redirect("purchasing:campaign_detail", campaign.pk)
    results = selectors.closing_preview(actor=request.user, campaign=campaign)
    names = {
        c.pk: c.name for c in selectors.group_cooperatives(actor=request.user, group=campaign.group)
    }
    preview = [
        {
            "offer": o,
            "result": r,
            "min_reached": r.packs > 0 or o.min_packs == 0,
            "allocations": [(names.get(k, k), q) for k, q in r.allocations.items()],
            "value": r.units * o.unit_price,
        }
        for o, r in results
    ]
    return render(
        request,
        "purchasing/campaign_close.html",
        {"campaign": campaign, "form": form, "preview": preview},
    )


@login_required
@require_http_methods(["GET", "POST"])
def campaign_receive(request, pk: int):
    campaign = selectors.campaign_get(actor=request.user, pk=pk)
    require_group_manager(request.user, campaign.group)
    offers = list(campaign.offers.select_related("product").order_by("id"))
    form = forms.ReceiveForm(request.POST or None, offers=offers, initial={"on": dates.today()})
    if request.method == "POST" and form.is_valid():
        with domain_errors_on(form):
            services.campaign_receive(
                actor=request.user,
                campaign=campaign,
                on=form.cleaned_data["on"],
                lines=form.lines(),
            )
        if not form.errors:
            messages.success(request, _("Réception enregistrée : les factures sont émises."))
            return redirect("purchasing:campaign_detail", campaign.pk)
    return render(request, "purchasing/campaign_receive.html", {"campaign": campaign, "form": form})


@login_required
@require_POST
def delivery_create(request, pk: int, coop: int):
    campaign = selectors.campaign_get(actor=request.user, pk=pk)
    cooperative = cooperative_get(actor=request.user, pk=coop)
    form = forms.DeliveryForm(request.POST)
    if form.is_valid():
        with domain_errors_on(form):
            services.delivery_record(
                actor=request.user,
                campaign=campaign,
                cooperative=cooperative,
                on=form.cleaned_data["on"],
                received_by=form.cleaned_data["received_by"],
            )
    if form.errors:
        for errors in form.errors.values():
            for e in errors:
                messages.error(request, e)
    else:
        messages.success(request, _("Bon de livraison signé et enregistré."))
    return redirect("purchasing:campaign_detail", campaign.pk)


@login_required
@require_GET
def purchase_order_pdf(request, pk: int, supplier: int):
    """The purchase order to one supplier (PDF, French)."""
    from weasyprint import HTML

    campaign = selectors.campaign_get(actor=request.user, pk=pk)
    offers = selectors.purchase_order(actor=request.user, campaign=campaign, supplier_pk=supplier)
    lines = [{"offer": o, "units": o.units, "amount": o.units * o.unit_price} for o in offers]
    html = render_to_string(
        "purchasing/purchase_order_pdf.html",
        {
            "campaign": campaign,
            "supplier": offers[0].supplier,
            "lines": lines,
            "total": sum(ln["amount"] for ln in lines),
            "today": dates.today(),
        },
        request=request,
    )
    pdf = HTML(string=html, base_url=request.build_absolute_uri("/")).write_pdf()
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = (
        f'inline; filename="bon-de-commande-{campaign.pk}-{supplier}.pdf"'
    )
    return response


@login_required
@require_GET
def invoice_list(request):
    coop = request.GET.get("cooperative", "")
    coop = int(coop) if coop.isdigit() and len(coop) < 12 else None
    rows = selectors.invoice_list(actor=request.user, cooperative=coop)
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    query = f"cooperative={coop}" if coop else ""
    return render(request, "purchasing/invoice_list.html", {"page": page, "query": query})


@login_required
@require_http_methods(["GET", "POST"])
def invoice_detail(request, pk: int):
    invoice = selectors.invoice_get(actor=request.user, pk=pk)
    form = forms.PayForm(request.POST or None, initial={"on": dates.today()})
    if request.method == "POST" and form.is_valid():
        with domain_errors_on(form):
            services.invoice_pay(actor=request.user, invoice=invoice, **form.cleaned_data)
        if not form.errors:
            messages.success(request, _("Paiement enregistré."))
            return redirect("purchasing:invoice_detail", invoice.pk)
    lines = invoice.lines.select_related("offer__product", "offer__supplier")
    order = invoice.campaign.orders.filter(cooperative=invoice.cooperative).first()
    needs = selectors.member_shares(actor=request.user, order=order) if order else []
    return render(
        request,
        "purchasing/invoice_detail.html",
        {"invoice": invoice, "lines": lines, "form": form, "needs": needs},
    )


@login_required
@require_http_methods(["GET", "POST"])
def prices(request):
    """The price watch: speculation alerts, market prices, an agent's quick entry."""
    products = list(selectors.product_list(actor=request.user))
    areas = (
        list(selectors.price_areas(actor=request.user)) if can_edit_reference(request.user) else []
    )
    form = None
    if areas:
        form = forms.PriceForm(
            request.POST or None,
            products=products,
            areas=areas,
            initial={"observed_on": dates.today()},
        )
        if request.method == "POST" and form.is_valid():
            d = form.cleaned_data
            with domain_errors_on(form):
                services.market_price_record(
                    actor=request.user,
                    product=selectors.product_get(actor=request.user, pk=d["product"]),
                    area=next(a for a in areas if a.pk == d["area"]),
                    price=d["price"],
                    observed_on=d["observed_on"],
                    source=d["source"],
                )
            if not form.errors:
                messages.success(request, _("Prix enregistré."))
                return redirect("purchasing:prices")
    product = request.GET.get("product", "")
    chosen = next((p for p in products if str(p.pk) == product), None)
    qs = selectors.price_list(actor=request.user, product=chosen)
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "purchasing/prices.html",
        {
            "alerts": pricewatch.price_alerts(actor=request.user),
            "page": page,
            "form": form,
            "products": products,
            "product": product,
            "query": urlencode({"product": product}) if chosen else "",
            "threshold": pricewatch.alert_percent(),
        },
    )


def _sheet_page(request, *, make_import, context: dict, done):
    """The upload of a sheet: the import's report (errors by row and column) or, once
    written, ``done`` (a redirect)."""
    form = forms.SheetForm(request.POST or None, request.FILES or None)
    report = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        report = make_import().run(
            upload, dry_run=form.cleaned_data["dry_run"], filename=upload.name
        )
        if report.ok and not report.dry_run:
            messages.success(request, _("%(n)s ligne(s) importée(s).") % {"n": report.created})
            return done()
    return render(request, "purchasing/import.html", {"form": form, "report": report, **context})


@login_required
@require_http_methods(["GET", "POST"])
def price_import(request):
    """A bulletin of market prices (agents in their area, the national role)."""
    require_reference_editor(request.user)
    return _sheet_page(
        request,
        make_import=lambda: imports.PriceImport(actor=request.user),
        context={
            "title": _("Importer des prix du marché"),
            "back": redirect("purchasing:prices").url,
            "columns": _("produit ; zone (code) ; prix (F CFA par unité) ; date ; source"),
        },
        done=lambda: redirect("purchasing:prices"),
    )


@login_required
@require_http_methods(["GET", "POST"])
def needs_import(request, pk: int, coop: int):
    """The members' needs of a cooperative: its order becomes their sums."""
    campaign = selectors.campaign_get(actor=request.user, pk=pk)
    cooperative = cooperative_get(actor=request.user, pk=coop)
    require_orderer(request.user, campaign.group, cooperative)
    return _sheet_page(
        request,
        make_import=lambda: imports.NeedsImport(
            actor=request.user, campaign=campaign, cooperative=cooperative
        ),
        context={
            "title": _("Importer les besoins des membres de %(c)s") % {"c": cooperative.name},
            "back": redirect("purchasing:order_edit", campaign.pk, cooperative.pk).url,
            "columns": _("membre (identifiant ou n° de CNI) ; produit ; quantité"),
        },
        done=lambda: redirect("purchasing:campaign_detail", campaign.pk),
    )
