"""Health test data, built through the services where a rule applies."""

from __future__ import annotations

import datetime

from accounts.services import role_assign
from accounts.tests.factories import UserFactory
from health import services
from health.models import StaffRole
from registry.tests.factories import MembershipFactory, PersonFactory

JAN_1 = datetime.date(2026, 1, 1)


def national_user():
    user = UserFactory()
    role_assign(user=user, role="national")
    return user


def scheme_of_example(actor, **overrides):
    """The issue's worked example: 550 F a month a person, 2,500 F joining fee, 30 days."""
    values = {
        "name": "Mutuelle de santé de Koumpentoum",
        "country": "SN",
        "joining_fee": 2_500,
        "monthly_contribution": 550,
        "waiting_days": 30,
        "child_age_limit": 18,
    }
    values.update(overrides)
    scheme = services.scheme_create(actor=actor, **values)
    for kind, copay in [("consultation", 20), ("hospitalisation", 10), ("medicines", 30)]:
        services.benefit_set(actor=actor, scheme=scheme, kind=kind, copayment_percent=copay)
    return scheme


def mutual_agent(actor, scheme):
    user = UserFactory()
    services.staff_assign(actor=actor, user=user, role=StaffRole.MUTUAL_AGENT, scheme=scheme)
    return user


def provider_with_convention(actor, scheme, *, name="Centre de santé de Koumpentoum"):
    provider = services.provider_create(actor=actor, name=name, kind="centre de santé")
    convention = services.convention_sign(
        actor=actor, scheme=scheme, provider=provider, signed_on=datetime.date(2025, 12, 1)
    )
    services.tariff_set(
        actor=actor,
        convention=convention,
        code="CONS",
        label="Consultation générale",
        benefit="consultation",
        amount=2_000,
    )
    services.tariff_set(
        actor=actor,
        convention=convention,
        code="HOSP",
        label="Journée d'hospitalisation",
        benefit="hospitalisation",
        amount=10_000,
    )
    staff = UserFactory()
    services.staff_assign(actor=actor, user=staff, role=StaffRole.PROVIDER, provider=provider)
    return provider, staff


def family(cooperative, n: int = 4, *, commune=None, created_by=None):
    """A head (member of ``cooperative``), a spouse and children: ``n`` persons (the
    dependants entered by ``created_by``, so an officer sees them in the registry)."""
    commune = commune or cooperative.commune
    head = PersonFactory(commune=commune, birth_date=datetime.date(1985, 3, 1))
    MembershipFactory(cooperative=cooperative, person=head)
    spouse = PersonFactory(
        commune=commune, birth_date=datetime.date(1988, 6, 1), created_by=created_by
    )
    children = [
        PersonFactory(
            commune=commune, birth_date=datetime.date(2012 + i, 2, 1), created_by=created_by
        )
        for i in range(max(n - 2, 0))
    ]
    dependants = [(spouse, "spouse")] + [(c, "child") for c in children]
    return head, dependants[: n - 1]


def enrolled(actor, scheme, cooperative, n: int = 4, *, on=JAN_1):
    head, dependants = family(cooperative, n)
    return services.household_enrol(
        actor=actor,
        scheme=scheme,
        head=head,
        dependants=dependants,
        cooperative=cooperative,
        enrolled_on=on,
    )
