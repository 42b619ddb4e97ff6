"""TopoJSON to simplified SVG paths: what ``manage.py geo_boundaries`` uses to rebuild
``geo/data/boundaries.json`` from Natural Earth's data (docs/geo-and-files.md, "Maps").

Only the standard library: decode the quantized, delta-encoded arcs, project them
(equirectangular, the longitudes shrunk by the cosine of the frame's middle latitude,
so that shapes keep their proportions at these latitudes), simplify each arc once
(Douglas-Peucker, the ends kept, so two neighbours still share the same border) and
join the arcs into rings written as SVG path data."""

from __future__ import annotations

import math
from dataclasses import dataclass

Point = tuple[float, float]


@dataclass(frozen=True)
class Frame:
    """A map frame: what part of the globe is drawn, into how many SVG units wide."""

    west: float
    south: float
    east: float
    north: float
    width: float = 1000.0

    @property
    def _k(self) -> float:
        return self.width / ((self.east - self.west) * self._shrink)

    @property
    def _shrink(self) -> float:
        return math.cos(math.radians((self.south + self.north) / 2))

    @property
    def height(self) -> float:
        return round((self.north - self.south) * self._k, 1)

    def project(self, lon: float, lat: float) -> Point:
        return ((lon - self.west) * self._shrink * self._k, (self.north - lat) * self._k)

    def contains(self, lon: float, lat: float) -> bool:
        return self.west <= lon <= self.east and self.south <= lat <= self.north


def decode_arcs(topology: dict) -> list[list[Point]]:
    """The topology's arcs in longitude and latitude (quantized arcs are delta-encoded)."""
    transform = topology.get("transform")
    arcs = []
    for arc in topology["arcs"]:
        if not transform:
            arcs.append([(float(p[0]), float(p[1])) for p in arc])
            continue
        (sx, sy), (tx, ty) = transform["scale"], transform["translate"]
        x = y = 0
        points = []
        for p in arc:
            x, y = x + p[0], y + p[1]
            points.append((x * sx + tx, y * sy + ty))
        arcs.append(points)
    return arcs


def simplify(points: list[Point], tolerance: float) -> list[Point]:
    """Douglas-Peucker: the points farther than ``tolerance`` from the simplified line
    are kept; the first and the last always."""
    if len(points) < 3:
        return list(points)
    keep = [False] * len(points)
    keep[0] = keep[-1] = True
    stack = [(0, len(points) - 1)]
    while stack:
        first, last = stack.pop()
        index, distance = _farthest(points, first, last)
        if distance > tolerance:
            keep[index] = True
            stack += [(first, index), (index, last)]
    return [p for p, k in zip(points, keep, strict=True) if k]


def _farthest(points: list[Point], first: int, last: int) -> tuple[int, float]:
    (x1, y1), (x2, y2) = points[first], points[last]
    dx, dy = x2 - x1, y2 - y1
    norm = math.hypot(dx, dy)
    best, best_d = first, -1.0
    for i in range(first + 1, last):
        px, py = points[i]
        if norm == 0:
            d = math.hypot(px - x1, py - y1)
        else:
            d = abs(dy * px - dx * py + x2 * y1 - y2 * x1) / norm
        if d > best_d:
            best, best_d = i, d
    return best, best_d


def projected_arcs(topology: dict, frame: Frame, tolerance: float) -> list[list[Point]]:
    """Every arc projected into ``frame`` and simplified (in SVG units)."""
    return [
        simplify([frame.project(lon, lat) for lon, lat in arc], tolerance)
        for arc in decode_arcs(topology)
    ]


def rings_of(geometry: dict, arcs: list[list[Point]]) -> list[list[Point]]:
    """The rings of a Polygon or MultiPolygon, each the join of its arcs."""
    if geometry.get("type") == "Polygon":
        polygons = [geometry["arcs"]]
    elif geometry.get("type") == "MultiPolygon":
        polygons = geometry["arcs"]
    else:
        return []
    rings = []
    for polygon in polygons:
        for ring in polygon:
            points: list[Point] = []
            for index in ring:
                arc = arcs[index] if index >= 0 else arcs[~index][::-1]
                points.extend(arc[1:] if points else arc)
            rings.append(points)
    return rings


def ring_area(ring: list[Point]) -> float:
    """The ring's area (shoelace), whatever its direction."""
    return abs(_signed_area(ring))


def _signed_area(ring: list[Point]) -> float:
    total = 0.0
    for (x1, y1), (x2, y2) in zip(ring, ring[1:] + ring[:1], strict=True):
        total += x1 * y2 - x2 * y1
    return total / 2


def centroid(ring: list[Point]) -> Point:
    """The ring's centroid (the mean of its points when it has no area)."""
    a = _signed_area(ring)
    if abs(a) < 1e-9:
        return (sum(p[0] for p in ring) / len(ring), sum(p[1] for p in ring) / len(ring))
    cx = cy = 0.0
    for (x1, y1), (x2, y2) in zip(ring, ring[1:] + ring[:1], strict=True):
        cross = x1 * y2 - x2 * y1
        cx += (x1 + x2) * cross
        cy += (y1 + y2) * cross
    return (cx / (6 * a), cy / (6 * a))


def path_data(rings: list[list[Point]]) -> str:
    """SVG path data: each ring a move, then relative lines, coordinates to 0.1 unit."""
    parts = []
    for ring in rings:
        pts = [(round(x * 10), round(y * 10)) for x, y in ring]
        pts = [p for i, p in enumerate(pts) if i == 0 or p != pts[i - 1]]
        if len(pts) > 1 and pts[0] == pts[-1]:
            pts.pop()
        if len(pts) < 3:
            continue
        steps = [f"M{_num(pts[0][0])} {_num(pts[0][1])}"]
        steps += [
            f"{_num(x2 - x1)} {_num(y2 - y1)}"
            for (x1, y1), (x2, y2) in zip(pts, pts[1:], strict=False)
        ]
        parts.append(steps[0] + "l" + " ".join(steps[1:]) + "z")
    return "".join(parts)


def _num(tenths: int) -> str:
    """A coordinate given in tenths of a unit, written as short as possible."""
    text = f"{tenths / 10:.1f}".removesuffix(".0")
    return text.replace("0.", ".", 1) if text.startswith(("0.", "-0.")) else text
