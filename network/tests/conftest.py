"""Fixtures of the network portal's tests: staff, an approved and verified organisation
in Senegal, a project and a live all-or-nothing campaign; paying a pledge through the
Wave sandbox (a signed webhook, as Wave sends it)."""

import datetime

import pytest
from django.utils import timezone

from accounts.tests.factories import UserFactory
from core import files
from messaging.tests.conftest import sms_gateway  # noqa: F401 - fixture
from network import services
from network.models import StaffRole
from payments.models import PaymentIntent
from payments.tests.conftest import completed, wave, wave_post  # noqa: F401 - fixtures


def pdf(name="statuts.pdf", body=b"%PDF-1.4 statuts"):
    return files.clean_bytes(name, body, kinds=files.DOCUMENTS, max_bytes=1024 * 1024)


def today():
    return timezone.localdate()


def make_org(owner, *, name="Coopérative des femmes de Thiès", country="SN", city="Thiès"):
    org, code = services.organisation_register(
        owner=owner,
        name=name,
        kind="cooperative",
        country=country,
        city=city,
        sectors=["agriculture", "transformation"],
        description="Transformation de **céréales locales**.",
        email="contact@example.org",
    )
    services.organisation_verify_contact(organisation=org, code=code)
    return org


@pytest.fixture
def net(db):
    """The network's cast: an administrator (and a second one), a moderator of Senegal, a
    moderator of Mali, an owner whose Senegalese organisation is approved and verified."""
    root = UserFactory(username="net-root", is_superuser=True)
    admin, admin2 = UserFactory(username="net-admin"), UserFactory(username="net-admin2")
    mod_sn, mod_ml = UserFactory(username="mod-sn"), UserFactory(username="mod-ml")
    owner = UserFactory(username="owner-thies")
    for user in (admin, admin2):
        services.staff_assign(actor=root, user=user, role=StaffRole.ADMIN)
    services.staff_assign(actor=root, user=mod_sn, role=StaffRole.MODERATOR, country="SN")
    services.staff_assign(actor=root, user=mod_ml, role=StaffRole.MODERATOR, country="ML")
    org = make_org(owner)
    services.organisation_moderate(actor=mod_sn, organisation=org, decision="approve")
    services.organisation_file_add(
        actor=owner, organisation=org, kind="statuts", file=pdf("statuts.pdf")
    )
    services.organisation_verify_documents(actor=mod_sn, organisation=org)
    org.refresh_from_db()
    services.organisation_update(
        actor=owner, organisation=org, payout_phone="77 900 12 34", payout_provider="wave"
    )
    project = services.project_create(
        actor=owner,
        organisation=org,
        title="Unité de transformation du mil",
        summary="Une décortiqueuse et un séchoir solaire pour 40 femmes.",
        sector="transformation",
        stage="demarrage",
        budget=3_000_000,
        needs_money=1_000_000,
    )
    return type(
        "Net",
        (),
        {
            "root": root,
            "admin": admin,
            "admin2": admin2,
            "mod_sn": mod_sn,
            "mod_ml": mod_ml,
            "owner": owner,
            "org": org,
            "project": project,
        },
    )


def open_campaign(net, *, goal=100_000, mode="all_or_nothing", days=30):
    return services.campaign_create(
        actor=net.owner,
        project=net.project,
        goal=goal,
        starts_on=today(),
        ends_on=today() + datetime.timedelta(days=days),
        mode=mode,
    )


def pay(client, pledge, *, event_id=None):
    """The donor pays at Wave: the signed ``checkout.session.completed`` webhook."""
    intent = PaymentIntent.objects.get(pk=pledge.intent_id)
    event = completed(intent, event_id=event_id or f"EV{pledge.pk}")
    response = wave_post(client, event)
    assert response.status_code == 200, response.content
    pledge.refresh_from_db()
    return response.json()["outcome"]


def give(client, campaign, amount, phone, name="Donateur", *, paid=True):
    pledge = services.pledge_create(
        campaign=campaign, amount=amount, donor_name=name, donor_phone=phone, provider="wave"
    )
    if paid:
        pay(client, pledge)
    return pledge


def assert_match_counters_exact():
    """Each fund's counters (services._match keeps them under the fund's lock) equal the
    sums of its committed matches: the fund's total and its tally on every campaign."""
    from django.db.models import Sum

    from network.models import Match, MatchFund, MatchTally

    for fund in MatchFund.objects.all():
        sums = dict(
            Match.objects.filter(fund=fund, status="committed")
            .values_list("campaign")
            .annotate(total=Sum("amount"))
            .values_list("campaign", "total")
        )
        assert fund.committed == sum(sums.values()), fund.sponsor
        tallies = dict(MatchTally.objects.filter(fund=fund).values_list("campaign", "committed"))
        assert {c: n for c, n in tallies.items() if n} == sums, fund.sponsor
        assert set(fund.campaigns.values_list("pk", flat=True)) <= set(tallies)
