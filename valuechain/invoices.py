"""The printable invoice of goods bought outright (PDF, WeasyPrint, as the lots' labels)."""

from __future__ import annotations


def invoice_html(*, invoice) -> str:
    from django.template.loader import render_to_string

    return render_to_string("valuechain/purchase_invoice_pdf.html", {"invoice": invoice})


def invoice_pdf(*, invoice) -> bytes:
    from weasyprint import HTML

    return HTML(string=invoice_html(invoice=invoice)).write_pdf()
