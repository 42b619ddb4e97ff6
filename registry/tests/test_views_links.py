"""The cooperative page links to its follow-up, capital, assemblies and books, for the
roles that may open them (and the links lead to pages those roles can see)."""

import pytest

LINKS = [
    "/formation/cooperatives/{pk}/",
    "/capital/cooperatives/{pk}/",
    "/gouvernance/cooperatives/{pk}/",
    "/comptabilite/{pk}/",
]


@pytest.mark.parametrize("who", ["national", "agent_tc", "officer"])
def test_managers_get_working_links(world, client, who):
    client.force_login(getattr(world, who))
    pk = world.coop_tc.pk
    html = client.get(f"/registre/cooperatives/{pk}/").content.decode()
    assert 'data-testid="cooperative-links"' in html
    for link in LINKS:
        url = link.format(pk=pk)
        assert url in html
        assert client.get(url).status_code == 200, url


def test_a_member_sees_no_management_links(world, client):
    client.force_login(world.member)
    r = client.get(f"/registre/cooperatives/{world.coop_tc.pk}/")
    assert r.status_code == 200
    assert 'data-testid="cooperative-links"' not in r.content.decode()
