from core.text import fold
from geo.models import Area


def commune(code: str, name: str, department_code: str) -> Area:
    """A commune under an existing (shipped) department."""
    dept = Area.objects.get(code=department_code)
    area, _ = Area.objects.get_or_create(
        code=code,
        defaults={
            "name": name,
            "level": "commune",
            "parent": dept,
            "path": f"{dept.path}{code}/",
            "search_text": fold(name, code),
        },
    )
    return area
