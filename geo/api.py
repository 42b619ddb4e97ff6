from ninja import Router, Schema
from ninja.pagination import LimitOffsetPagination, paginate

from geo.models import AreaLevel
from geo.selectors import area_list

router = Router(tags=["areas"])


class AreaOut(Schema):
    code: str
    name: str
    level: str
    parent: str | None

    @staticmethod
    def resolve_parent(obj):
        return obj.parent.code if obj.parent_id else None


@router.get("", response=list[AreaOut])
@paginate(LimitOffsetPagination)
def areas(request, level: AreaLevel | None = None, parent: str | None = None, q: str | None = None):
    return area_list(level=level, parent=parent, q=q)
