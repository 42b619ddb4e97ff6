"""The quarterly programme report: its figures, the background path, who may ask for it."""

import datetime
import io

from django.core.management import call_command
from openpyxl import load_workbook

from geo.models import Area
from monitoring.models import Report
from monitoring.reports import quarter_end, render_pdf, report_data, svg_bars
from monitoring.selectors import indicator_values_from_scratch

Q3_END = datetime.date(2026, 9, 30)


def test_quarter_ends():
    assert [quarter_end(2026, q) for q in (1, 2, 3, 4)] == [
        datetime.date(2026, 3, 31),
        datetime.date(2026, 6, 30),
        datetime.date(2026, 9, 30),
        datetime.date(2026, 12, 31),
    ]


def test_the_report_figures_are_the_indicators(data):
    sn = Area.objects.get(code="SN")
    d = report_data(actor=data.national, area=sn, year=2026, quarter=3, today=AS_LATE)
    assert d["as_of"] == Q3_END
    expected = {
        r["code"]: r["value"]
        for r in indicator_values_from_scratch(
            actor=data.national, area=sn, year=2026, as_of=Q3_END
        )
    }
    assert {r["code"]: r["quarter_values"][-1] for r in d["indicators"]} == expected
    assert len(d["quarters"]) == 3
    june = {
        r["code"]: r["value"]
        for r in indicator_values_from_scratch(
            actor=data.national, area=sn, year=2026, as_of=datetime.date(2026, 6, 30)
        )
    }
    assert {r["code"]: r["quarter_values"][1] for r in d["indicators"]} == june
    assert [r["area"].code for r in d["children"]][:2] == ["SN-TC", "SN-TH"]
    assert render_pdf(d).startswith(b"%PDF")


AS_LATE = datetime.date(2026, 11, 23)


def test_the_pdf_chart_draws_one_bar_per_row_scaled_to_the_largest():
    svg = svg_bars([("Thiès", 4), ("Tambacounda", 2), ("Dakar", 0)])
    assert svg.count("<rect") == 3
    assert 'width="240"' in svg and 'width="120"' in svg and 'width="0"' in svg


def _request(client, user, area, quarter=3):
    client.force_login(user)
    return client.post("/suivi/rapports/", {"area": area, "year": 2026, "quarter": quarter})


def test_a_small_area_is_built_at_once(data, client):
    r = _request(client, data.agent_th, "SN-TH")
    report = Report.objects.get()
    assert r.status_code == 302 and r["Location"] == f"/suivi/rapports/{report.pk}/"
    assert report.status == "done"
    page = client.get(r["Location"]).content.decode()
    assert "Télécharger le PDF" in page
    xlsx = client.get(f"/suivi/rapports/{report.pk}/rapport.xlsx")
    assert xlsx.status_code == 200
    wb = load_workbook(io.BytesIO(xlsx.content))
    sheet = wb["Indicateurs"]
    by_label = {row[0]: row for row in sheet.iter_rows(min_row=5, values_only=True)}
    th = Area.objects.get(code="SN-TH")
    expected = {
        r["code"]: r["value"]
        for r in indicator_values_from_scratch(
            actor=data.national, area=th, year=2026, as_of=Q3_END
        )
    }
    assert by_label["Coopératives"][4] == expected["cooperatives_total"]
    assert by_label["Membres"][4] == expected["members_total"]
    assert wb["Zones"]._charts and wb["Évolution"]._charts  # native bar charts
    pdf = client.get(f"/suivi/rapports/{report.pk}/rapport.pdf")
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    assert client.get(f"/suivi/rapports/{report.pk}/rapport.exe").status_code == 404


def test_a_large_area_goes_through_the_worker(data, client, settings):
    settings.SUNUCOOP = {**settings.SUNUCOOP, "REPORT_INLINE_MAX_COMMUNES": 2}
    r = _request(client, data.national, "SN")  # 3 communes > 2
    report = Report.objects.get()
    assert report.status == "pending"
    page = client.get(r["Location"]).content.decode()
    assert "en préparation" in page and "Télécharger" not in page
    assert client.get(f"/suivi/rapports/{report.pk}/rapport.pdf").status_code == 404
    call_command("monitoring_worker", "--once")
    report.refresh_from_db()
    assert report.status == "done" and report.finished_at is not None
    assert "Télécharger le PDF" in client.get(r["Location"]).content.decode()
    assert client.get(f"/suivi/rapports/{report.pk}/rapport.pdf").status_code == 200
    call_command("monitoring_worker", "--once")  # nothing left: built once only
    assert Report.objects.get().finished_at == report.finished_at


def test_an_agent_cannot_ask_for_or_read_another_regions_report(data, client):
    assert _request(client, data.agent_th, "SN-TC").status_code == 404
    assert _request(client, data.agent_th, "SN").status_code == 404
    assert not Report.objects.exists()
    _request(client, data.national, "SN-TC")
    other = Report.objects.get()
    client.force_login(data.agent_th)
    assert client.get(f"/suivi/rapports/{other.pk}/").status_code == 404
    assert client.get(f"/suivi/rapports/{other.pk}/rapport.pdf").status_code == 404
    assert f"/suivi/rapports/{other.pk}/" not in client.get("/suivi/rapports/").content.decode()
    client.force_login(data.agent_tc)
    assert client.get(f"/suivi/rapports/{other.pk}/").status_code == 200
    client.force_login(data.officer)
    assert client.get("/suivi/rapports/").status_code == 403


def test_a_future_quarter_or_a_bad_one_is_refused(data, client):
    client.force_login(data.national)
    r = client.post("/suivi/rapports/", {"area": "SN", "year": 2099, "quarter": 1})
    assert r.status_code == 200 and "pas encore commencé" in r.content.decode()
    r = client.post("/suivi/rapports/", {"area": "SN", "year": 2026, "quarter": 5})
    assert r.status_code == 200
    assert not Report.objects.exists()
