"""The admin page "Importer des communes": upload, dry run, report as a table; national
level or superuser only."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from accounts.tests.factories import UserFactory
from geo.models import Area

pytestmark = pytest.mark.django_db

URL = reverse("admin:geo_area_import")
GOOD = b"code;name;department\nSN-TC-TAM-01;Tambacounda;SN-TC-TAM\n"


def upload(content=GOOD, name="communes.csv"):
    return SimpleUploadedFile(name, content, content_type="text/csv")


@pytest.fixture
def superuser():
    return UserFactory(username="root", is_staff=True, is_superuser=True)


def test_changelist_links_to_the_import_page(client, superuser):
    client.force_login(superuser)
    response = client.get(reverse("admin:geo_area_changelist"))
    assert response.status_code == 200
    assert f'href="{URL}"' in response.content.decode()
    assert "Importer des communes" in response.content.decode()


def test_dry_run_then_real_import(client, superuser):
    client.force_login(superuser)
    page = client.get(URL)
    assert page.status_code == 200
    assert 'enctype="multipart/form-data"' in page.content.decode()
    response = client.post(URL, {"file": upload(), "kind": "communes", "dry_run": "on"})
    assert response.status_code == 200
    assert "Simulation : 1 à créer" in response.content.decode()
    assert not Area.objects.filter(code="SN-TC-TAM-01").exists()
    response = client.post(URL, {"file": upload(), "kind": "communes"})
    assert "1 créé(s), 0 mis à jour." in response.content.decode()
    record = Area.objects.get(code="SN-TC-TAM-01").history.get()
    assert record.history_user == superuser


def test_errors_shown_as_a_table_by_row(client, superuser):
    client.force_login(superuser)
    bad = "code;name;department\nSN-TC-KPT-01;;SN-TC-KPT\nSN-X;X;SN-NOPE\n".encode("cp1252")
    response = client.post(URL, {"file": upload(bad), "kind": "communes"})
    html = response.content.decode()
    assert 'id="import-report"' in html
    assert "<td>2</td>" in html and "Le nom est obligatoire." in html
    assert "<td>3</td>" in html and "Département inconnu : SN-NOPE." in html
    assert "2 erreur(s) : rien n&#x27;a été enregistré." in html
    assert not Area.objects.filter(level="commune").exists()


def test_missing_file_is_a_form_error(client, superuser):
    client.force_login(superuser)
    response = client.post(URL, {"kind": "communes"})
    assert response.status_code == 200
    assert "errorlist" in response.content.decode()


def test_national_staff_may_import(client, world):
    world.national.is_staff = True
    world.national.save()
    client.force_login(world.national)
    assert client.get(URL).status_code == 200


def test_other_staff_are_refused(client, world):
    from django.contrib.auth.models import Permission

    view_area = Permission.objects.get(codename="view_area", content_type__app_label="geo")
    for user in [world.agent_tc, world.officer]:
        user.is_staff = True
        user.save()
        user.user_permissions.add(view_area)
        client.force_login(user)
        assert client.get(URL).status_code == 403
        response = client.post(URL, {"file": upload(), "kind": "communes"})
        assert response.status_code == 403
        changelist = client.get(reverse("admin:geo_area_changelist"))
        assert changelist.status_code == 200
        assert URL not in changelist.content.decode()
    assert not Area.objects.filter(code="SN-TC-TAM-01").exists()


def test_non_staff_are_sent_to_the_admin_login(client, world):
    client.force_login(world.national)  # national but not staff
    response = client.get(URL)
    assert response.status_code == 302 and "/login/" in response["Location"]
