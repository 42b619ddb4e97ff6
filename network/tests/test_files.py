"""Issue 20, points 8 and 9: the organisation's logo and documents, checked by their first
bytes and size (core.files, shared with tenders), before a moderator checks the documents
and lets it raise money."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from core import files
from core.errors import Conflict, Forbidden, ValidationFailed
from network import services
from network.models import OrganisationFile
from network.tests.conftest import make_org, pdf

pytestmark = pytest.mark.django_db

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def test_a_moderator_verifies_only_uploaded_documents(net, client):
    org = make_org(net.owner, name="GIE Jappo", city="Kaolack")
    services.organisation_moderate(actor=net.mod_sn, organisation=org, decision="approve")
    with pytest.raises(Conflict) as exc:
        services.organisation_verify_documents(actor=net.mod_sn, organisation=org)
    assert exc.value.code == "no_documents"
    client.force_login(net.owner)
    url = f"/reseau/organisations/{org.slug}/pieces/"
    upload = SimpleUploadedFile("Statuts GIE.pdf", b"%PDF-1.7 statuts", "application/pdf")
    assert client.post(url, {"kind": "statuts", "file": upload}).status_code == 302
    logo = SimpleUploadedFile("logo.png", PNG, "image/png")
    assert client.post(url, {"kind": "logo", "file": logo}).status_code == 302
    document = OrganisationFile.objects.get(organisation=org, kind="statuts")
    assert (document.filename, document.content_type) == ("Statuts-GIE.pdf", "application/pdf")
    # the logo is public; the documents are for its users and its country's moderators
    client.logout()
    logo_page = client.get(f"/reseau/organisations/{org.slug}/logo/")
    assert logo_page.status_code == 200 and logo_page["Content-Type"] == "image/png"
    assert logo_page["X-Content-Type-Options"] == "nosniff"
    assert (
        f"/reseau/organisations/{org.slug}/logo/"
        in client.get(f"/reseau/organisations/{org.slug}/").content.decode()
    )
    for who, status in ((None, 302), (net.mod_ml, 404), (net.mod_sn, 200), (net.owner, 200)):
        if who:
            client.force_login(who)
        assert client.get(f"/reseau/pieces/{document.pk}/").status_code == status
        assert client.get(url).status_code == status
    with pytest.raises(Forbidden):
        services.organisation_verify_documents(actor=net.mod_ml, organisation=org)
    with pytest.raises(Forbidden):
        services.organisation_file_add(
            actor=net.mod_sn, organisation=org, kind="statuts", file=pdf()
        )
    client.force_login(net.mod_sn)
    response = client.post(f"/reseau/organisations/{org.slug}/verifier-documents/")
    assert response.status_code == 302
    org.refresh_from_db()
    document.refresh_from_db()
    assert org.verified_at and (document.checked_by, document.checked_at) == (
        net.mod_sn, org.verified_at,
    )  # fmt: skip


@pytest.mark.parametrize(
    "name, data, kind, code",
    [
        ("statuts.pdf", b"MZ\x90\x00 an executable", "statuts", "invalid_file"),
        ("statuts.exe", b"%PDF-1.4", "statuts", "invalid_file"),
        ("logo.png", b"%PDF-1.4 not an image", "logo", "invalid_file"),
        ("logo.pdf", b"%PDF-1.4", "logo", "invalid_file"),  # a logo is an image
        ("logo.svg", b"<svg onload=alert(1)>", "logo", "invalid_file"),
        ("logo.png", b"\x89PNG\r\n\x1a\n" + b"0" * (512 * 1024), "logo", "too_large"),
        ("statuts.pdf", b"%PDF-" + b"0" * (2 * 1024 * 1024), "statuts", "too_large"),
        ("statuts.pdf", b"%PDF-1.4", "nope", "invalid_choice"),
    ],
)
def test_bad_files_are_refused(net, name, data, kind, code):
    given = files.CleanFile(name, "application/octet-stream", data)  # the service checks
    before = OrganisationFile.objects.count()
    with pytest.raises(ValidationFailed) as exc:
        services.organisation_file_add(actor=net.owner, organisation=net.org, kind=kind, file=given)
    assert exc.value.code == code
    assert OrganisationFile.objects.count() == before


def test_the_page_refuses_an_oversized_upload_before_reading_it(net, client, settings):
    settings.NETWORK_DOCUMENT_MAX_BYTES = 1024
    client.force_login(net.owner)
    upload = SimpleUploadedFile("rapport.pdf", b"%PDF-" + b"0" * 2048, "application/pdf")
    response = client.post(
        f"/reseau/organisations/{net.org.slug}/pieces/", {"kind": "rapport", "file": upload}
    )
    assert response.status_code == 400 and "file" in response.context["form"].errors
    assert not OrganisationFile.objects.filter(kind="rapport").exists()


def test_documents_are_limited_and_a_new_logo_replaces_the_old(net, settings):
    settings.NETWORK_DOCUMENTS_MAX = 2  # the fixture's statutes are the first
    services.organisation_file_add(actor=net.owner, organisation=net.org, kind="rapport",
                                   file=pdf("rapport.pdf"))  # fmt: skip
    with pytest.raises(Conflict) as exc:
        services.organisation_file_add(actor=net.owner, organisation=net.org, kind="autre",
                                       file=pdf("autre.pdf"))  # fmt: skip
    assert exc.value.code == "too_many"
    for name in ("a.png", "b.png"):
        logo = files.clean_bytes(name, PNG, kinds=files.IMAGES, max_bytes=10**6)
        services.organisation_file_add(actor=net.owner, organisation=net.org, kind="logo",
                                       file=logo)  # fmt: skip
    assert list(net.org.files.filter(kind="logo").values_list("filename", flat=True)) == ["b.png"]


def test_tenders_still_check_their_files_through_core():
    from tenders.documents import clean_bytes

    assert clean_bytes("TDR étude.pdf", b"%PDF-1.7").filename == "TDR-tude.pdf"
    with pytest.raises(ValidationFailed) as exc:
        clean_bytes("logo.png", PNG)  # tenders take documents only
    assert exc.value.code == "invalid_file"
