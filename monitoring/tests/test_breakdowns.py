import datetime
import re

from geo.models import Area
from monitoring.selectors import breakdowns, monthly_trend, region_map
from monitoring.tests.conftest import AS_OF


def test_breakdowns_of_the_hand_built_data(data):
    b = breakdowns(actor=data.national, area=Area.objects.get(code="SN"), year=2026, as_of=AS_OF)
    assert b["sex"] == [("femme", 3, 100), ("homme", 3, 100)]
    # Ages on 1/11/2026: 25, 50, 30 (Koumpentoum); 20, 60, 40 (Mbour); bars scaled to 2.
    assert b["age"] == [("15-24", 1, 50), ("25-35", 2, 100), ("36-50", 2, 100), ("51+", 1, 50)]
    assert sum(n for _, n, _ in b["legal_form"]) == 2  # the dissolved cooperative is left out
    assert b["stage"] == [("sensibilisée", 2, 100)]


def test_monthly_trend_follows_foundations_and_dissolution(data):
    rows = monthly_trend(
        actor=data.national, area=Area.objects.get(code="SN"), year=2026, as_of=AS_OF
    )
    assert [r["month"].month for r in rows] == list(range(1, 12))  # up to November
    by_month = {r["month"].month: r["cooperatives_total"] for r in rows}
    assert by_month[1] == 2  # Koumpentoum, Thiès
    assert by_month[2] == 3  # Mbour founded 1 February
    assert by_month[6] == 2  # Thiès dissolved 1 June


def test_region_map_hides_what_an_agent_may_not_see(data):
    tiles = {
        t["area"].code: t
        for t in region_map(
            actor=data.agent_th,
            indicator="cooperatives_total",
            year=2026,
            as_of=datetime.date(2026, 11, 1),
        )
    }
    assert len(tiles) == 14
    assert tiles["SN-TH"]["value"] == 1 and tiles["SN-TH"]["step"] == 4
    assert tiles["SN-TC"]["value"] is None and tiles["SN-TC"]["step"] is None
    # Only the tiles the agent may open are links (issue 14: no link that answers 404).
    assert tiles["SN-TH"]["link"] == "SN-TH" and tiles["SN-TC"]["link"] is None
    national = {
        t["area"].code: t["value"]
        for t in region_map(actor=data.national, indicator="members_total", year=2026, as_of=AS_OF)
    }
    assert national["SN-TC"] == 3 and national["SN-TH"] == 4 and national["SN-DK"] == 0


def test_dashboard_shows_the_sections(data, client):
    client.force_login(data.national)
    html = client.get("/suivi/?year=2026&map=members_total").content.decode()
    for testid in [
        "region-map",
        "trend",
        "by-sex",
        "by-age",
        "by-sector",
        "by-legal-form",
        "by-value-chain",
        "by-stage",
        "breakdown",
        "indicators",
    ]:
        assert f'data-testid="{testid}"' in html, testid


def test_dashboard_draws_senegals_real_regions(data, client):
    """The regions' map (issue 20 point 2): Natural Earth's 14 regions as inline SVG, each
    with its figure; only the regions the agent may open are links; a table too."""
    client.force_login(data.agent_th)
    html = client.get("/suivi/?year=2026").content.decode()
    svg = re.search(r'<figure class="areamap areamap-senegal".*?</svg>', html, re.S).group(0)
    assert len(set(re.findall(r'data-code="(SN-\w\w)"', svg))) == 14
    assert re.search(r'<path d="M[\d.]+ [\d.]+l', svg)  # real outlines, not tiles
    link = '<a href="?area=SN-TH&amp;year=2026&amp;map=cooperatives_total" class="shape"'
    assert link in svg
    assert re.search(r'<g class="shape off" data-code="SN-TC">\s*<title>Tambacounda : —', svg)
    table = re.search(r'data-testid="region-map-table".*?</table>', html, re.S).group(0)
    assert table.count("<tr") == 15  # heading + 14 regions
