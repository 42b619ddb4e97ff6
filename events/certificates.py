"""The participation certificate (PDF, WeasyPrint as health's cards and valuechain's
labels): participant, organisation, event, dates, place, the ILO module if any, and a
number."""

from __future__ import annotations

from django.template.loader import render_to_string


def certificate_html(*, registration) -> str:
    return render_to_string(
        "events/certificate.html", {"reg": registration, "event": registration.event}
    )


def certificate_pdf(*, registration) -> bytes:
    from weasyprint import HTML

    return HTML(string=certificate_html(registration=registration)).write_pdf()
