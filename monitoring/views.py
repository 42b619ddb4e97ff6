import datetime

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from core import dates
from core.forms import domain_errors_on
from core.views import query_year
from geo.boundaries import area_map
from geo.selectors import area_get
from monitoring.forms import ReportForm, TargetForm
from monitoring.horizons import PROGRAMME_START
from monitoring.indicators import BY_CODE
from monitoring.selectors import (
    MAP_CODES,
    area_ancestors,
    area_breakdown,
    breakdowns,
    default_as_of,
    figures_computed_at,
    indicator_records,
    indicator_values,
    loan_figures_on,
    monitoring_area_get,
    monthly_trend,
    region_map,
    report_file,
    report_get,
    report_list,
    target_list,
)
from monitoring.services import report_request, target_cascade, target_set
from purchasing.pricewatch import price_alerts


@login_required
def dashboard(request):
    today = dates.today()
    year = query_year(request, default=today.year)
    area = monitoring_area_get(actor=request.user, code=request.GET.get("area"))
    as_of = default_as_of(year, today)
    context = {
        "area": area,
        "year": year,
        "as_of": as_of,
        "years": range(2025, today.year + 2),
        "ancestors": area_ancestors(area, actor=request.user),
        "indicators": indicator_values(actor=request.user, area=area, year=year, as_of=as_of),
        "computed_at": figures_computed_at(actor=request.user, area=area, year=year, as_of=as_of),
        "figures_lag": round(settings.MONITORING_FIGURES_LAG),
        "children": area_breakdown(actor=request.user, area=area, year=year, as_of=as_of),
        "breakdowns": breakdowns(actor=request.user, area=area, year=year, as_of=as_of),
        "trend": monthly_trend(actor=request.user, area=area, year=year, as_of=as_of),
        "programme_start": PROGRAMME_START,
        "price_alerts": price_alerts(actor=request.user, area=area),
    }
    map_code = request.GET.get("map") if request.GET.get("map") in MAP_CODES else MAP_CODES[0]
    context["map_code"] = map_code
    context["map_choices"] = [(c, BY_CODE[c].label) for c in MAP_CODES]
    context["region_map"] = _region_map(request.user, map_code, year, as_of)
    context["region_map_label"] = BY_CODE[map_code].label
    return render(request, "monitoring/dashboard.html", context)


def _region_map(actor, map_code: str, year: int, as_of: datetime.date) -> dict:
    """Senegal's 14 regions (Natural Earth's boundaries) coloured by the indicator; a region
    the actor may open is a link to its dashboard."""
    tiles = region_map(actor=actor, indicator=map_code, year=year, as_of=as_of)
    query = f"&year={year}&map={map_code}"
    return area_map(
        "senegal",
        names={t["area"].code: t["area"].name for t in tiles},
        values={t["area"].code: t["value"] for t in tiles},
        links={t["area"].code: f"?area={t['link']}{query}" if t["link"] else None for t in tiles},
        title=_("Carte des 14 régions du Sénégal : %(indicator)s")
        % {"indicator": BY_CODE[map_code].label},
    )


@login_required
def targets(request):
    rows = target_list(actor=request.user)
    form = TargetForm(request.POST or None, initial={"year": dates.today().year})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        with domain_errors_on(form, fields={"code": "area"}, missing_is_input=True):
            area = area_get(code=data["area"].strip())
            target_set(
                actor=request.user,
                indicator=data["indicator"],
                area=area,
                year=data["year"],
                value=data["value"],
                note=data["note"],
                baseline_year=data["baseline_year"],
                multiplier=data["multiplier"],
            )
            if data["cascade"]:
                target_cascade(
                    actor=request.user, indicator=data["indicator"], area=area, year=data["year"]
                )
        if not form.errors:
            messages.success(request, _("Cible enregistrée."))
            return redirect("monitoring:targets")
    return render(request, "monitoring/targets.html", {"form": form, "targets": rows})


@login_required
def reports(request):
    today = dates.today()
    rows = report_list(actor=request.user)[:50]
    area = monitoring_area_get(actor=request.user, code=request.GET.get("area"))
    form = ReportForm(
        request.POST or None,
        initial={"area": area.code, "year": today.year, "quarter": (today.month - 1) // 3 + 1},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        with domain_errors_on(form):  # out of the actor's area: the 404 page
            zone = monitoring_area_get(actor=request.user, code=data["area"].strip())
            report = report_request(
                actor=request.user, area=zone, year=data["year"], quarter=data["quarter"]
            )
        if not form.errors:
            return redirect("monitoring:report", pk=report.pk)
    return render(request, "monitoring/reports.html", {"form": form, "reports": rows})


@login_required
def report(request, pk):
    return render(
        request, "monitoring/report.html", {"report": report_get(actor=request.user, pk=pk)}
    )


@login_required
def report_download(request, pk, kind):
    report, data = report_file(actor=request.user, pk=pk, kind=kind)
    content_type = {
        "pdf": "application/pdf",
        "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    }[kind]
    response = HttpResponse(data, content_type=content_type)
    name = f"rapport-{report.area.code}-{report.year}-T{report.quarter}.{kind}"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@login_required
def records(request, code):
    """The records behind one figure of the dashboard."""
    today = dates.today()
    year = query_year(request, default=today.year)
    as_of = default_as_of(year, today)
    area = monitoring_area_get(actor=request.user, code=request.GET.get("area"))
    found = indicator_records(actor=request.user, code=code, area=area, year=year, as_of=as_of)
    rows = found["rows"]
    if found["kind"] == "cooperatives":
        rows = rows.select_related("commune").order_by("name", "id")
    elif found["kind"] == "persons":
        rows = rows.select_related("commune").order_by("last_name", "first_name", "id")
    elif found["kind"] == "jobs":
        rows = rows.order_by("cooperative__name", "id")
    page = Paginator(rows, 50).get_page(request.GET.get("page"))
    if found["kind"] == "loans":
        figures = loan_figures_on(list(page.object_list), as_of, datetime.date(year, 1, 1))
        for loan in page.object_list:
            loan.figures = figures.get(loan.pk)
    return render(
        request,
        "monitoring/records.html",
        {
            "indicator": BY_CODE[code],
            "area": area,
            "year": year,
            "as_of": as_of,
            "kind": found["kind"],
            "page": page,
            "work": found.get("work"),
            "query": f"area={area.code}&year={year}",
            "ancestors": area_ancestors(area, actor=request.user),
        },
    )
