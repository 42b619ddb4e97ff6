"""The minutes (procès-verbal) of a general assembly, in French, as PDF."""

from __future__ import annotations

from django.template.loader import render_to_string
from django.utils import translation

from governance.selectors import assembly_results


def minutes_pdf(assembly, *, base_url: str) -> bytes:
    from weasyprint import HTML

    with translation.override("fr"):
        html = render_to_string(
            "governance/minutes_pdf.html",
            {"results": assembly_results(assembly), "a": assembly, "coop": assembly.cooperative},
        )
    return HTML(string=html, base_url=base_url).write_pdf()
