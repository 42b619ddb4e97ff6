"""The governance pages: what each role sees, bad input shown in French on its form with
nothing written, and the query counts of the pages (no N+1)."""

import datetime

from core import dates
from networkgov import services
from networkgov.models import Membership, NetworkAssembly, NetworkVote
from networkgov.tests.conftest import DAY, convene

BASE = "/reseau/vie-du-reseau/"


def test_pages_for_a_member_and_for_the_administrator(client, cast, today_is):
    today_is(DAY)
    client.force_login(cast.owners[0])
    page = client.get(BASE + "adhesion/")
    assert page.status_code == 200 and "à jour" in page.content.decode()
    assert client.get(BASE + "adhesion/arrieres/").status_code == 403
    assert client.get(BASE + "assemblees/convoquer/").status_code == 403
    client.force_login(cast.admin)
    arrears = client.get(BASE + "adhesion/arrieres/").content.decode()
    assert "Coopérative de Ouagadougou" in arrears and "Union des GIE de Dakar" not in arrears
    assert client.get(BASE + "adhesion/bareme/").status_code == 200


def test_bad_dues_on_the_page_keep_the_input_and_write_nothing(client, cast, wave):
    m = Membership.objects.get(organisation=cast.late)
    client.force_login(cast.late_owner)
    for amount in (0, 25_001):
        page = client.post(
            BASE + f"adhesion/{m.pk}/payer/",
            {"amount": amount, "phone": "77 900 12 34", "provider": "wave"},
        )
        assert page.status_code == 400
        text = page.content.decode()
        assert "reste dû" in text and 'value="77 900 12 34"' in text
    m.refresh_from_db()
    assert m.paid == 0


def test_a_short_notice_is_refused_on_the_form(client, cast):
    client.force_login(cast.admin)
    notice = dates.today()
    held = notice + datetime.timedelta(days=29)
    page = client.post(
        BASE + "assemblees/convoquer/",
        {
            "title": "AG", "kind": "ordinaire", "held_on": held.isoformat(),
            "notice_sent_on": notice.isoformat(), "place": "Dakar", "agenda": "Budget",
        },
    )  # fmt: skip
    assert page.status_code == 400
    assert "30 jours" in page.content.decode()
    assert not NetworkAssembly.objects.exists()


def test_voting_twice_on_the_page_is_refused(client, cast, today_is):
    today_is(DAY)
    a = convene(cast)
    r = services.resolution_add(actor=cast.admin, assembly=a, title="Budget 2027")
    client.force_login(cast.owners[0])
    data = {"organisation": cast.orgs[0].pk, "choice": "for"}
    assert client.post(BASE + f"resolutions/{r.pk}/vote/", data).status_code == 302
    again = client.post(BASE + f"resolutions/{r.pk}/vote/", {**data, "choice": "against"})
    assert again.status_code == 400 and "a déjà voté" in again.content.decode()
    assert NetworkVote.objects.get().choice == "for"
    client.force_login(cast.lapsed_owner)
    refused = client.post(
        BASE + f"resolutions/{r.pk}/vote/", {"organisation": cast.lapsed.pk, "choice": "for"}
    )
    assert refused.status_code == 400 and "radiée" in refused.content.decode()
    assert NetworkVote.objects.count() == 1


def test_query_counts(client, cast, today_is, django_assert_max_num_queries):
    today_is(DAY)
    a = convene(cast)
    for title in ("Rapport moral", "Budget", "Siège"):
        services.resolution_add(actor=cast.admin, assembly=a, title=title)
    client.force_login(cast.owners[0])
    with django_assert_max_num_queries(25):
        assert client.get(BASE + f"assemblees/{a.pk}/").status_code == 200
    with django_assert_max_num_queries(15):
        assert client.get(BASE + "adhesion/").status_code == 200
    with django_assert_max_num_queries(10):
        assert client.get(BASE).status_code == 200


def test_the_menu_shows_only_the_links_a_user_may_follow(client, cast):
    from accounts.tests.factories import UserFactory

    client.force_login(UserFactory(username="ng-nobody"))
    text = client.get(BASE).content.decode()
    assert BASE + "adhesion/" not in text and BASE + "assemblees/" not in text
    client.force_login(cast.owners[0])
    text = client.get(BASE).content.decode()
    assert BASE + "adhesion/" in text and BASE + "assemblees/" in text
