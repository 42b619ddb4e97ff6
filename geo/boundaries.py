"""The maps' geometry: Africa's countries and Senegal's regions, simplified from Natural
Earth (public domain) and shipped as ``geo/data/boundaries.json`` (ADR 0013; rebuilt by
``manage.py geo_boundaries``). Drawn as inline SVG by the server (``geo/_area_map.html``):
no tile server, no outside request, no script."""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path

from core.text import fold

BOUNDARIES_FILE = Path(__file__).resolve().parent / "data" / "boundaries.json"

# The African Union's 55 member states (ISO 3166-1 alpha-2): the 54 countries of the UN
# and Western Sahara (EH), a member as the SADR.
AFRICA_CODES = frozenset(
    {
        *("DZ", "AO", "BJ", "BW", "BF", "BI", "CV", "CM", "CF", "TD", "KM", "CG", "CD", "CI"),
        *("DJ", "EG", "GQ", "ER", "SZ", "ET", "GA", "GM", "GH", "GN", "GW", "KE", "LS", "LR"),
        *("LY", "MG", "MW", "ML", "MR", "MU", "MA", "MZ", "NA", "NE", "NG", "RW", "ST", "SN"),
        *("SC", "SL", "SO", "ZA", "SS", "SD", "TZ", "TG", "TN", "UG", "EH", "ZM", "ZW"),
    }
)
LAYERS = ("africa", "senegal")
STEPS = 4
LABEL_LINE = 26  # the value is written under the name, in SVG units


@lru_cache(maxsize=1)
def boundaries() -> dict:
    return json.loads(BOUNDARIES_FILE.read_text(encoding="utf-8"))


def layer(name: str) -> dict:
    """One layer: ``view_box``, ``shapes`` (code -> ``d``, ``label``, ``small``) and
    ``context`` (code -> ``d``: neighbours drawn grey, not part of the map's figures)."""
    if name not in LAYERS:
        raise ValueError(name)
    return boundaries()["layers"][name]


def colour_steps(values: dict[str, int | None]) -> dict[str, int | None]:
    """A colour step 0-4 per code, in proportion to the largest value; None stays None."""
    top = max((v or 0 for v in values.values()), default=0)
    return {
        code: None if v is None else (0 if not top else min(STEPS, int(STEPS * v / top + 0.5)))
        for code, v in values.items()
    }


def area_map(
    name: str,
    *,
    names: dict[str, str],
    values: dict[str, int | None],
    links: dict[str, str | None] | None = None,
    title: str = "",
    current: str = "",
    rows: str = "all",
) -> dict:
    """What ``geo/_area_map.html`` draws: each shape of the layer with its name, value,
    colour step and link (None: not a link); ``rows`` the table's rows, by name (``all``,
    or ``valued``: those with a value above 0)."""
    data = layer(name)
    links = links or {}
    steps = colour_steps({code: values.get(code) for code in data["shapes"]})
    shapes = []
    for code, geometry in data["shapes"].items():
        x, y = geometry["label"]
        shapes.append(
            {
                "code": code,
                "name": names.get(code, code),
                "value": values.get(code),
                "step": steps[code],
                "href": links.get(code),
                "d": geometry["d"],
                "x": x,
                "y": y,
                "y_value": round(y + LABEL_LINE, 1),
                "small": geometry["small"],
                "anchor": geometry["anchor"],  # "end": the label beside a narrow shape
                "current": code == current,
            }
        )
    shapes.sort(key=lambda s: fold(s["name"]))

    table = [s for s in shapes if rows == "all" or (s["value"] or 0) > 0]
    box = " ".join(f"{n:g}" for n in data["view_box"])
    return {
        "layer": name,
        "view_box": box,
        "title": title,
        "current": current,
        "shapes": shapes,
        "rows": table,
        "context": list(data["context"].values()),
    }
