"""Knowledge's cast: the network's administrator, moderators of Côte d'Ivoire and
Senegal, approved organisations of Côte d'Ivoire and Mali with their accounts, an
organisation still pending with its account, an outsider."""

import pytest

from accounts.tests.factories import UserFactory
from knowledge import services
from network import services as net
from network.models import StaffRole
from tenders.tests.conftest import approved_org

BODY = (
    "La **Côte d'Ivoire** a affilié les travailleurs du cacao à la Couverture maladie "
    "universelle par leurs coopératives, qui collectent les cotisations à la vente."
)


@pytest.fixture
def cast(db):
    root = UserFactory(username="kn-root", is_superuser=True)
    admin = UserFactory(username="kn-admin")
    mod_ci, mod_sn = UserFactory(username="kn-mod-ci"), UserFactory(username="kn-mod-sn")
    net.staff_assign(actor=root, user=admin, role=StaffRole.ADMIN)
    net.staff_assign(actor=root, user=mod_ci, role=StaffRole.MODERATOR, country="CI")
    net.staff_assign(actor=root, user=mod_sn, role=StaffRole.MODERATOR, country="SN")
    user_ci, user_ml = UserFactory(username="kn-ci"), UserFactory(username="kn-ml")
    org_ci = approved_org(user_ci, admin, name="Coopérative cacao de Soubré", country="CI")
    org_ml = approved_org(user_ml, admin, name="Mutuelle de Sikasso", country="ML")
    user_pending = UserFactory(username="kn-pending")
    org_pending, _code = net.organisation_register(
        owner=user_pending, name="Union en attente", kind="association", country="SN",
        city="Dakar", sectors=["sante"], email="kn-pending@example.org",
    )  # fmt: skip
    outsider = UserFactory(username="kn-outsider")
    return type("Cast", (), {
        "admin": admin, "mod_ci": mod_ci, "mod_sn": mod_sn, "user_ci": user_ci,
        "user_ml": user_ml, "org_ci": org_ci, "org_ml": org_ml, "user_pending": user_pending,
        "org_pending": org_pending, "outsider": outsider,
    })  # fmt: skip


def propose(cast, **kw):
    values = {
        "kind": "case_study", "country": "CI", "sector": "sante",
        "theme": "social_protection", "language": "fr",
        "title": "Côte d'Ivoire : les travailleurs du cacao dans l'assurance maladie",
        "summary": "Les coopératives affilient leurs membres à la CMU.", "body": BODY,
    }  # fmt: skip
    values.update(kw)
    return services.item_propose(actor=cast.user_ci, organisation=cast.org_ci, **values)
