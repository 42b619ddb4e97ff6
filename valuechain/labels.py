"""A lot's label: its code printed with a QR code (segno, ADR 0012) that carries the
address of the lot's page (its trace), as a PDF (WeasyPrint, as health's member cards)."""

from __future__ import annotations


def qr_svg_data_uri(content: str) -> str:
    """The QR code of ``content`` as an SVG data URI (error correction M)."""
    import segno

    return segno.make_qr(content, error="m").svg_data_uri(scale=4, border=2)


def label_html(*, lot, url: str, copies: int = 1) -> str:
    from django.template.loader import render_to_string

    return render_to_string(
        "valuechain/lot_label_pdf.html",
        {"lot": lot, "url": url, "qr": qr_svg_data_uri(url), "copies": range(copies)},
    )


def label_pdf(*, lot, url: str, copies: int = 1) -> bytes:
    """``copies`` labels of ``lot`` on A4 pages, to cut out."""
    from weasyprint import HTML

    return HTML(string=label_html(lot=lot, url=url, copies=copies)).write_pdf()
