from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from core.errors import DomainError
from core.forms import apply_domain_error
from core.views import domain_errors_as_pages
from geo.selectors import area_get
from monitoring.forms import TargetForm
from monitoring.indicators import BY_CODE
from monitoring.selectors import (
    MAP_CODES,
    area_ancestors,
    area_breakdown,
    breakdowns,
    default_as_of,
    indicator_values,
    monitoring_area_get,
    monthly_trend,
    region_map,
    target_list,
)
from monitoring.services import target_cascade, target_set


def _int(value, default):
    try:
        return int(value)
    except (TypeError, ValueError):
        return default


@login_required
@domain_errors_as_pages
def dashboard(request):
    today = timezone.localdate()
    year = _int(request.GET.get("year"), today.year)
    area = monitoring_area_get(actor=request.user, code=request.GET.get("area"))
    as_of = default_as_of(year, today)
    context = {
        "area": area,
        "year": year,
        "as_of": as_of,
        "years": range(2025, today.year + 2),
        "ancestors": area_ancestors(area),
        "indicators": indicator_values(actor=request.user, area=area, year=year, as_of=as_of),
        "children": area_breakdown(actor=request.user, area=area, year=year, as_of=as_of),
        "breakdowns": breakdowns(actor=request.user, area=area, year=year, as_of=as_of),
        "trend": monthly_trend(actor=request.user, area=area, year=year, as_of=as_of),
    }
    map_code = request.GET.get("map") if request.GET.get("map") in MAP_CODES else MAP_CODES[0]
    context["map_code"] = map_code
    context["map_choices"] = [(c, BY_CODE[c].label) for c in MAP_CODES]
    context["tiles"] = region_map(actor=request.user, indicator=map_code, year=year, as_of=as_of)
    return render(request, "monitoring/dashboard.html", context)


@login_required
@domain_errors_as_pages
def targets(request):
    rows = target_list(actor=request.user)
    form = TargetForm(request.POST or None, initial={"year": timezone.localdate().year})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            area = area_get(code=data["area"].strip())
            target_set(
                actor=request.user,
                indicator=data["indicator"],
                area=area,
                year=data["year"],
                value=data["value"],
                note=data["note"],
            )
            if data["cascade"]:
                target_cascade(
                    actor=request.user, indicator=data["indicator"], area=area, year=data["year"]
                )
        except DomainError as exc:
            if exc.field == "code":
                exc.field = "area"
            apply_domain_error(form, exc)
        else:
            messages.success(request, _("Cible enregistrée."))
            return redirect("monitoring:targets")
    return render(request, "monitoring/targets.html", {"form": form, "targets": rows})
