"""The quarterly programme report of an area: its figures, as PDF and XLSX.

The figures are the dashboard's (the rollups, through the requesting user's scope):
indicators at the end of each quarter of the year up to the chosen one, against the
year's targets; the child areas; members and cooperatives by category; the monthly trend.
Charts: an inline SVG bar chart in the PDF (WeasyPrint draws SVG), native bar charts in
the workbook (openpyxl).
"""

from __future__ import annotations

import datetime
import io
from decimal import Decimal

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import translation

from core.money import format_percent, format_xof
from geo.models import Area
from monitoring.selectors import (
    area_breakdown,
    breakdowns,
    indicator_values,
    monthly_trend,
)

BREAKDOWN_TITLES = {
    "sex": "Membres par sexe",
    "age": "Membres par tranche d'âge",
    "sector": "Coopératives par secteur",
    "legal_form": "Coopératives par forme juridique",
    "value_chain_stage": "Coopératives par maillon de la chaîne de valeur",
    "stage": "Coopératives par étape",
}


def quarter_end(year: int, quarter: int) -> datetime.date:
    month = 3 * quarter
    return datetime.date(year + (month == 12), month % 12 + 1, 1) - datetime.timedelta(days=1)


def report_as_of(year: int, quarter: int, today: datetime.date) -> datetime.date:
    """The end of the quarter, or ``today`` for the quarter in progress."""
    return min(quarter_end(year, quarter), today)


def is_large(area: Area) -> bool:
    """Built by the worker rather than at once: the area holds many communes."""
    limit = int(settings.SUNUCOOP.get("REPORT_INLINE_MAX_COMMUNES", 30))
    return Area.objects.filter(path__startswith=area.path, level="commune").count() > limit


def display(value, unit: str) -> str:
    if value is None:
        return "—"
    if unit == "XOF":
        return format_xof(value)
    if unit == "ratio":
        return format_percent(value, 1)
    if unit == "percent":
        return format_percent(Decimal(value) / 100, 1)
    return format_xof(value, currency=False)


def report_data(*, actor, area: Area, year: int, quarter: int, today: datetime.date) -> dict:
    as_of = report_as_of(year, quarter, today)
    ends = [report_as_of(year, q, today) for q in range(1, quarter + 1)]
    per_quarter = [indicator_values(actor=actor, area=area, year=year, as_of=d) for d in ends]
    rows = []
    for i, row in enumerate(per_quarter[-1]):
        rows.append(
            {
                **row,
                "shown": display(row["value"], row["unit"]),
                "target_shown": display(
                    row["target"], row["unit"] if row["unit"] != "ratio" else ""
                ),
                "quarters": [display(q[i]["value"], row["unit"]) for q in per_quarter],
                "quarter_values": [q[i]["value"] for q in per_quarter],
                "target_basis": row.get("target_basis", ""),
            }
        )
    children = area_breakdown(actor=actor, area=area, year=year, as_of=as_of)
    return {
        "area": area,
        "year": year,
        "quarter": quarter,
        "as_of": as_of,
        "quarters": [f"T{q} ({d:%d/%m})" for q, d in enumerate(ends, start=1)],
        "indicators": rows,
        "children": children,
        "breakdowns": [
            (BREAKDOWN_TITLES[k], v)
            for k, v in breakdowns(actor=actor, area=area, year=year, as_of=as_of).items()
        ],
        "trend": monthly_trend(actor=actor, area=area, year=year, as_of=as_of),
    }


def svg_bars(rows: list[tuple[str, int]], width: int = 480, bar: int = 16) -> str:
    """A horizontal bar chart as inline SVG (labels left, values right)."""
    top = max((n for _, n in rows), default=0) or 1
    label_w, value_w = 170, 70
    span = width - label_w - value_w
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" '
        f'height="{len(rows) * (bar + 6) + 4}" role="img">'
    ]
    for i, (label, n) in enumerate(rows):
        y = i * (bar + 6) + 2
        w = round(span * n / top)
        text = str(label).replace("&", "&amp;").replace("<", "&lt;")[:28]
        parts.append(
            f'<text x="{label_w - 6}" y="{y + bar - 4}" text-anchor="end" font-size="10">'
            f"{text}</text>"
            f'<rect x="{label_w}" y="{y}" width="{w}" height="{bar}" fill="#1f6f5c"/>'
            f'<text x="{label_w + w + 4}" y="{y + bar - 4}" font-size="10">'
            f"{format_xof(n, currency=False)}</text>"
        )
    parts.append("</svg>")
    return "".join(parts)


def render_pdf(data: dict) -> bytes:
    from weasyprint import HTML

    charts = {
        "children": svg_bars([(r["area"].name, r["members_total"]) for r in data["children"]]),
        "trend": svg_bars(
            [(r["month"].strftime("%m/%Y"), r["members_total"]) for r in data["trend"]]
        ),
        "breakdowns": [
            (title, svg_bars([(lab, n) for lab, n, _s in rows]))
            for title, rows in data["breakdowns"]
        ],
    }
    with translation.override("fr"):
        html = render_to_string("monitoring/report_pdf.html", {**data, "charts": charts})
    return HTML(string=html).write_pdf()


def render_xlsx(data: dict) -> bytes:
    from openpyxl import Workbook
    from openpyxl.chart import BarChart, Reference
    from openpyxl.styles import Font

    wb = Workbook()
    ws = wb.active
    ws.title = "Indicateurs"
    title = f"Rapport trimestriel T{data['quarter']} {data['year']} · {data['area'].name}"
    ws.append([title])
    ws["A1"].font = Font(bold=True, size=13)
    ws.append([f"Chiffres au {data['as_of']:%d/%m/%Y}"])
    ws.append([])
    ws.append(["Indicateur", "Unité", *data["quarters"], "Cible", "Atteinte (%)"])
    for cell in ws[4]:
        cell.font = Font(bold=True)
    for row in data["indicators"]:
        scale = 100 if row["unit"] == "ratio" else 1  # a ratio shown as a percentage
        ws.append(
            [
                row["label"],
                "%" if row["unit"] in ("ratio", "percent") else row["unit"],
                *[_number(v, scale) for v in row["quarter_values"]],
                _number(row["target"]),
                _number(row["progress"]),
            ]
        )
    ws.column_dimensions["A"].width = 48

    zones = wb.create_sheet("Zones")
    zones.append(["Zone", "Coopératives", "Membres", "Femmes", "Emplois décents"])
    for r in data["children"]:
        zones.append(
            [
                r["area"].name,
                r["cooperatives_total"],
                r["members_total"],
                r["members_women"],
                r["decent_jobs"],
            ]
        )
    zones.column_dimensions["A"].width = 28
    if data["children"]:
        chart = BarChart()
        chart.title = "Membres par zone"
        chart.add_data(
            Reference(zones, min_col=3, min_row=1, max_row=len(data["children"]) + 1),
            titles_from_data=True,
        )
        chart.set_categories(
            Reference(zones, min_col=1, min_row=2, max_row=len(data["children"]) + 1)
        )
        zones.add_chart(chart, "G2")

    trend = wb.create_sheet("Évolution")
    trend.append(["Fin de mois", "Coopératives", "Membres"])
    for r in data["trend"]:
        trend.append([r["as_of"], r["cooperatives_total"], r["members_total"]])
        trend.cell(row=trend.max_row, column=1).number_format = "DD/MM/YYYY"
    if data["trend"]:
        chart = BarChart()
        chart.title = "Membres en fin de mois"
        chart.add_data(
            Reference(trend, min_col=3, min_row=1, max_row=len(data["trend"]) + 1),
            titles_from_data=True,
        )
        trend.add_chart(chart, "E2")

    parts = wb.create_sheet("Répartitions")
    for title, rows in data["breakdowns"]:
        parts.append([title])
        parts.cell(row=parts.max_row, column=1).font = Font(bold=True)
        for label, n, _share in rows:
            parts.append([label, n])
        parts.append([])
    parts.column_dimensions["A"].width = 40
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _number(value, scale: int = 1):
    """Numbers as numbers in the workbook (Decimal as float)."""
    if value is None:
        return None
    return value * scale if isinstance(value, int) else float(value) * scale
