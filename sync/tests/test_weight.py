"""Issue 19 point 7's byte budget: the agent's home and the field app, first loaded, weigh
under 150 KB as sent (pages as rendered, static files gzip-compressed as whitenoise sends
them, the manifest and the service worker). Bytes are deterministic; the time to open a
page offline is measured in Chromium by the bench (bench/field_browser.py)."""

import gzip
import re

from django.contrib.staticfiles import finders

BUDGET = 150 * 1024
ASSET = re.compile(r'(?:src|href)="(/static/[^"?#]+|/manifest\.webmanifest)"')


def first_load_bytes(client, path: str) -> tuple[int, dict[str, int]]:
    """What a browser with an empty cache fetches for ``path``: the page, each static file
    it names (compressed), the manifest and the service worker it registers."""
    page = client.get(path)
    assert page.status_code == 200
    weights = {path: len(page.content)}
    for url in sorted(set(ASSET.findall(page.content.decode()))) + ["/sw.js"]:
        if url.startswith("/static/"):
            found = finders.find(url.removeprefix("/static/"))
            assert found, url
            with open(found, "rb") as f:
                weights[url] = len(gzip.compress(f.read(), 9))
        else:
            weights[url] = len(gzip.compress(client.get(url).content, 9))
    return sum(weights.values()), weights


def test_the_agents_home_and_field_app_weigh_under_150_kb(world, client):
    client.force_login(world.agent_tc)
    home, home_parts = first_load_bytes(client, "/")
    field, field_parts = first_load_bytes(client, "/terrain/")
    assert "/static/js/offline.js" in home_parts and "/static/js/field.js" in field_parts
    assert home < BUDGET, home_parts
    # the field app after the home: its own page and what the home did not bring
    assert home + field - sum(v for k, v in field_parts.items() if k in home_parts) < BUDGET
