"""The network governance's cast: the network's administrator, a tariff, and member
organisations with their owners: six paid for this year (Dakar, Thiès, Bamako, Abidjan,
Lomé, Cotonou), one late (Ouagadougou: joined and unpaid past its due date), one lapsed
(Niamey: last paid two years ago), and an approved organisation that never joined.
Dues paid through the Wave sandbox (a signed webhook, as Wave sends it)."""

import datetime

import pytest

from accounts.tests.factories import UserFactory
from network import services as net
from network.models import StaffRole
from networkgov import services
from networkgov.models import Membership
from payments.models import PaymentIntent
from payments.tests.conftest import completed, wave, wave_post  # noqa: F401 - fixtures
from tenders.tests.conftest import approved_org

DAY = datetime.date(2026, 6, 15)  # the cast's "today": past the 31/03 due date

PLACES = [
    ("Union des GIE de Dakar", "SN"),
    ("Coopérative des femmes de Thiès", "SN"),
    ("Caisse solidaire de Bamako", "ML"),
    ("Mutuelle des planteurs d'Abidjan", "CI"),
    ("Réseau ESS de Lomé", "TG"),
    ("Association des artisans de Cotonou", "BJ"),
]


def join(org, owner, *, year=2026, today=DAY, paid=False):
    m = services.membership_join(
        actor=owner, organisation=org, size="small", year=year, today=today
    )
    if paid:
        Membership.objects.filter(pk=m.pk).update(paid=m.dues, paid_on=today)
        m.refresh_from_db()
    return m


@pytest.fixture
def cast(db):
    root = UserFactory(username="ng-root", is_superuser=True)
    admin = UserFactory(username="ng-admin")
    net.staff_assign(actor=root, user=admin, role=StaffRole.ADMIN)
    services.tariff_set(actor=admin, kind="association", size="small", amount=25_000)
    services.tariff_set(actor=admin, kind="association", size="medium", amount=100_000)
    owners, orgs = [], []
    for i, (name, country) in enumerate(PLACES):
        owner = UserFactory(username=f"ng-owner{i}")
        org = approved_org(owner, admin, name=name, country=country)
        join(org, owner, today=datetime.date(2026, 1, 10), paid=True)
        owners.append(owner)
        orgs.append(org)
    late_owner = UserFactory(username="ng-late")
    late = approved_org(late_owner, admin, name="Coopérative de Ouagadougou", country="BF")
    join(late, late_owner, today=datetime.date(2026, 1, 10))
    lapsed_owner = UserFactory(username="ng-lapsed")
    lapsed = approved_org(lapsed_owner, admin, name="Union de Niamey", country="NE")
    join(lapsed, lapsed_owner, year=2024, today=datetime.date(2024, 2, 1), paid=True)
    outsider_owner = UserFactory(username="ng-outsider")
    outsider = approved_org(outsider_owner, admin, name="GIE de Kaolack", country="SN")
    return type(
        "Cast",
        (),
        {
            "root": root,
            "admin": admin,
            "owners": owners,
            "orgs": orgs,
            "late": late,
            "late_owner": late_owner,
            "lapsed": lapsed,
            "lapsed_owner": lapsed_owner,
            "outsider": outsider,
            "outsider_owner": outsider_owner,
        },
    )


def convene(cast, *, kind="ordinaire", held_on=DAY, notice_days=30, today=None):
    return services.assembly_convene(
        actor=cast.admin,
        title="Assemblée générale 2026",
        kind=kind,
        held_on=held_on,
        notice_sent_on=held_on - datetime.timedelta(days=notice_days),
        place="Dakar",
        agenda="1. Rapport moral\n2. Budget 2027",
        today=today or held_on,
    )


def pay_by_phone(client, actor, membership, amount, *, event_id=None):
    intent = services.dues_payment_start(
        actor=actor, membership=membership, amount=amount, phone="77 900 12 34", provider="wave"
    )
    intent = PaymentIntent.objects.get(pk=intent.pk)
    response = wave_post(client, completed(intent, event_id=event_id or f"EV{intent.pk}"))
    assert response.status_code == 200, response.content
    return response.json()["outcome"]
