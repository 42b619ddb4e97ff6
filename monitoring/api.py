from decimal import Decimal

from ninja import Router, Schema

from core import dates
from core.dates import QueryDate, Year
from monitoring.selectors import default_as_of, indicator_values, monitoring_area_get

router = Router(tags=["monitoring"])


class IndicatorOut(Schema):
    code: str
    label: str
    value: int | Decimal
    target: Decimal | None
    unit: str
    progress: Decimal | None
    definition: str
    next_target: Decimal | None = None  # the first dated target in ``year`` or after
    next_target_year: int | None = None
    path: Decimal | None = None  # where the path to it stands on ``as_of``
    next_progress: Decimal | None = None  # value / next_target, percent
    on_track: bool | None = None  # value >= path


@router.get("/indicators", response=list[IndicatorOut])
def indicators(
    request, area: str | None = None, year: Year | None = None, as_of: QueryDate | None = None
):
    """The programme's indicators for an area (default: the caller's own) and a year."""
    today = dates.today()
    year = year or (as_of or today).year
    zone = monitoring_area_get(actor=request.user, code=area)
    return indicator_values(
        actor=request.user, area=zone, year=year, as_of=as_of or default_as_of(year, today)
    )
