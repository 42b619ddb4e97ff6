"""The installable app: manifest, service worker, the field page."""

import json


def test_manifest_makes_the_app_installable(client):
    response = client.get("/manifest.webmanifest")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/manifest+json"
    manifest = json.loads(response.content)
    assert manifest["start_url"] == "/terrain/"
    assert manifest["display"] == "standalone"
    sizes = {i["sizes"] for i in manifest["icons"]}
    assert {"192x192", "512x512"} <= sizes
    for icon in manifest["icons"]:
        assert client.get(icon["src"]).status_code == 200


def test_service_worker_at_the_root_lists_the_shell(client):
    response = client.get("/sw.js")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/javascript")
    assert response["Cache-Control"] == "no-cache"
    body = response.content.decode()
    assert "/static/js/field.js" in body and "/static/js/offline.js" in body
    assert 'const FIELD_URL = "/terrain/"' in body


def test_field_page_and_every_page_link_the_manifest_and_banner(world, client):
    client.force_login(world.agent_tc)
    page = client.get("/terrain/")
    assert page.status_code == 200
    html = page.content.decode()
    assert 'id="field-messages"' in html and "/static/js/field.js" in html
    assert 'rel="manifest"' in html and 'id="offline-banner"' in html
    assert 'data-user="agent-tc"' in html
    home = client.get("/").content.decode()
    assert "/static/js/offline.js" in home and 'rel="manifest"' in home


def test_field_page_needs_a_login(client):
    assert client.get("/terrain/").status_code == 302
