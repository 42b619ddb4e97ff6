"""Reads of the area tree. Areas are reference data: every signed-in user may read them."""

from __future__ import annotations

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from core.errors import NotFound
from core.text import search_q
from geo.models import Area


def area_list(
    *, level: str | None = None, parent: str | None = None, q: str | None = None
) -> QuerySet[Area]:
    qs = Area.objects.select_related("parent")
    if level:
        qs = qs.filter(level=level)
    if parent:
        qs = qs.filter(parent__code=parent)
    if q:
        qs = qs.filter(search_q(q))
    return qs.order_by("path")


def area_get(*, code: str) -> Area:
    try:
        return Area.objects.select_related("parent").get(code=code)
    except Area.DoesNotExist:
        raise NotFound(_("Zone inconnue : %(code)s") % {"code": code}, field="code") from None


def area_subtree(area: Area) -> QuerySet[Area]:
    return Area.objects.filter(path__startswith=area.path)
