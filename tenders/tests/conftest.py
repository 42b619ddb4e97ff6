"""The calls for tenders' cast: the network's administrator and Senegal's moderator, a
buyer (an approved organisation) with its account, two submitting organisations (Thiès,
Bamako) with theirs, a named evaluator, an outsider; a call open for a week."""

import datetime

import pytest
from django.utils import timezone

from accounts.tests.factories import UserFactory
from network import services as net
from network.models import StaffRole
from tenders import services
from tenders.models import Tender


def approved_org(owner, moderator, *, name, country="SN", city="Dakar"):
    org, code = net.organisation_register(
        owner=owner, name=name, kind="association", country=country, city=city,
        sectors=["sante"], email=f"{owner.username}@example.org",
    )  # fmt: skip
    net.organisation_verify_contact(organisation=org, code=code)
    net.organisation_moderate(actor=moderator, organisation=org, decision="approve")
    org.refresh_from_db()
    return org


def publish(cast, *, days=7, criteria=(("Méthodologie", 60), ("Expérience", 40))):
    return services.tender_publish(
        actor=cast.buyer_user,
        buyer=cast.buyer,
        buyer_kind="network",
        title="Étude sur l'assurance maladie des travailleurs du cacao",
        description="Termes de référence : **étude** de faisabilité.",
        country="CI",
        sector="sante",
        deadline=timezone.now() + datetime.timedelta(days=days),
        criteria=list(criteria),
        budget=15_000_000,
    )


def close(tender) -> Tender:
    """The deadline passes (one minute ago)."""
    Tender.objects.filter(pk=tender.pk).update(
        deadline=timezone.now() - datetime.timedelta(minutes=1)
    )
    tender.refresh_from_db()
    return tender


def submit(cast, tender, who="a", price=12_000_000):
    user, org = (cast.user_a, cast.org_a) if who == "a" else (cast.user_b, cast.org_b)
    return services.submission_submit(
        actor=user, tender=tender, organisation=org, price=price,
        summary=f"Offre scellée de {org.name}",
    )  # fmt: skip


@pytest.fixture
def cast(db):
    root = UserFactory(username="tn-root", is_superuser=True)
    admin, mod = UserFactory(username="tn-admin"), UserFactory(username="tn-mod-sn")
    net.staff_assign(actor=root, user=admin, role=StaffRole.ADMIN)
    net.staff_assign(actor=root, user=mod, role=StaffRole.MODERATOR, country="SN")
    buyer_user = UserFactory(username="tn-buyer")
    user_a, user_b = UserFactory(username="tn-sub-a"), UserFactory(username="tn-sub-b")
    evaluator = UserFactory(username="tn-eval", first_name="Awa", last_name="Ndiaye")
    outsider = UserFactory(username="tn-outsider")
    buyer = approved_org(buyer_user, admin, name="Réseau africain de l'ESS")
    org_a = approved_org(user_a, mod, name="Cabinet Sahel Études", city="Thiès")
    org_b = approved_org(user_b, admin, name="Bureau Niger Conseil", country="ML", city="Bamako")
    return type("Cast", (), {
        "root": root, "admin": admin, "mod": mod, "buyer_user": buyer_user, "buyer": buyer,
        "user_a": user_a, "user_b": user_b, "org_a": org_a, "org_b": org_b,
        "evaluator": evaluator, "outsider": outsider,
    })  # fmt: skip
