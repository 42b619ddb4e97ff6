"""Downloads of the statements: XLSX (openpyxl, via core.export) and PDF (WeasyPrint)."""

from __future__ import annotations

from django.http import HttpResponse
from django.template.loader import render_to_string
from django.utils.http import content_disposition_header

from core.export import xlsx_response


def trial_balance_xlsx(coop, rows, date_from, date_to):
    headers = ["Compte", "Intitulé", "Débit", "Crédit", "Solde"]
    body = [[r["account"], r["label"], r["debit"], r["credit"], r["balance"]] for r in rows]
    body.append(
        [
            "",
            "Total",
            sum(r["debit"] for r in rows),
            sum(r["credit"] for r in rows),
            sum(r["balance"] for r in rows),
        ]
    )
    return xlsx_response(f"balance-{coop.pk}-{date_from}-{date_to}", headers, body, title="Balance")


def general_ledger_xlsx(coop, accounts, date_from, date_to):
    headers = ["Compte", "Date", "Pièce", "Libellé", "Débit", "Crédit", "Solde"]
    body = []
    for acc in accounts:
        body.append(
            [
                acc["account"],
                date_from,
                "",
                f"{acc['label']} : solde à nouveau",
                "",
                "",
                acc["opening"],
            ]
        )
        for row in acc["rows"]:
            line = row["line"]
            body.append(
                [
                    acc["account"],
                    line.date,
                    row["entry"].reference,
                    row["entry"].label,
                    line.debit,
                    line.credit,
                    row["balance"],
                ]
            )
        body.append(
            [
                acc["account"],
                date_to,
                "",
                "Total et solde",
                acc["debit"],
                acc["credit"],
                acc["closing"],
            ]
        )
    return xlsx_response(
        f"grand-livre-{coop.pk}-{date_from}-{date_to}", headers, body, title="Grand livre"
    )


def statements_xlsx(coop, income, sheet, date_from, date_to):
    headers = ["Réf.", "Poste", "Montant"]
    body = [["", f"COMPTE DE RÉSULTAT du {date_from:%d/%m/%Y} au {date_to:%d/%m/%Y}", ""]]
    body += [[r["key"], str(r["label"]), r["amount"]] for r in income]
    body.append(["", "", ""])
    body.append(["", f"BILAN au {date_to:%d/%m/%Y} : ACTIF", ""])
    body += [[r["key"], str(r["label"]), r["amount"]] for r in sheet["assets"]]
    body.append(["BZ", "TOTAL ACTIF", sheet["total_assets"]])
    body.append(["", "PASSIF", ""])
    body += [[r["key"], str(r["label"]), r["amount"]] for r in sheet["liabilities"]]
    body.append(["DZ", "TOTAL PASSIF", sheet["total_liabilities"]])
    return xlsx_response(
        f"etats-financiers-{coop.pk}-{date_to}", headers, body, title="États financiers"
    )


def pdf_bytes(request, template: str, context: dict) -> bytes:
    from weasyprint import HTML

    html = render_to_string(template, context, request=request)
    return HTML(string=html, base_url=request.build_absolute_uri("/")).write_pdf()


def pdf_response(request, template: str, context: dict, name: str) -> HttpResponse:
    response = HttpResponse(pdf_bytes(request, template, context), content_type="application/pdf")
    response["Content-Disposition"] = content_disposition_header(True, f"{name}.pdf")
    return response
