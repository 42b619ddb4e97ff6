"""Mediation's cast: the network's administrator, two member organisations in dispute
(Thiès, Bamako) with their accounts, a third organisation's account, a mediator on the
list, a moderator, an outsider."""

import pytest

from accounts.tests.factories import UserFactory
from mediation import services
from network import services as net
from network.models import StaffRole
from tenders.tests.conftest import approved_org


@pytest.fixture
def cast(db):
    root = UserFactory(username="md-root", is_superuser=True)
    admin, mod = UserFactory(username="md-admin"), UserFactory(username="md-mod-sn")
    net.staff_assign(actor=root, user=admin, role=StaffRole.ADMIN)
    net.staff_assign(actor=root, user=mod, role=StaffRole.MODERATOR, country="SN")
    user_a, user_b, user_c = (UserFactory(username=f"md-{x}") for x in "abc")
    org_a = approved_org(user_a, admin, name="Union des productrices de Thiès", city="Thiès")
    org_b = approved_org(
        user_b, admin, name="Coopérative Kafo Jiginew", country="ML", city="Bamako"
    )
    org_c = approved_org(user_c, admin, name="Association tierce", city="Kaolack")
    mediator_user = UserFactory(username="md-mediator", first_name="Mariam", last_name="Koné")
    mediator = services.mediator_add(actor=admin, username="md-mediator", languages="fr, bm")
    outsider = UserFactory(username="md-outsider")
    return type("Cast", (), {
        "admin": admin, "mod": mod, "user_a": user_a, "user_b": user_b, "user_c": user_c,
        "org_a": org_a, "org_b": org_b, "org_c": org_c, "mediator_user": mediator_user,
        "mediator": mediator, "outsider": outsider,
    })  # fmt: skip


def file_case(cast, **kw):
    return services.case_file(
        actor=cast.user_a, complainant=cast.org_a, respondent=kw.get("respondent", cast.org_b),
        category=kw.get("category", "contract"), subject="Livraison de semences impayée",
        description="Le lot de mars n'a pas été payé : 450 000 F CFA.",
    )  # fmt: skip
