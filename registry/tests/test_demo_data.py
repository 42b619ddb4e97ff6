"""The registry demo data: size, variety, rules obeyed, deterministic and idempotent."""

import time

import pytest

from accounts.tests.factories import UserFactory
from demo.loader import load_communes
from demo.registry_data import TISSERANDS, build_plan, load_registry
from registry.models import Cooperative, Employment, Membership, Person
from registry.selectors import duplicate_candidates_list


@pytest.fixture
def national(db):
    from accounts.services import role_assign

    user = UserFactory(username="demo-national")
    role_assign(user=user, role="national")
    return user


def test_plan_is_deterministic():
    a, da = build_plan()
    b, db_ = build_plan()
    assert [(p.name, p.commune, len(p.members)) for p in a] == [
        (p.name, p.commune, len(p.members)) for p in b
    ]
    assert da == db_


def test_demo_registry(national):
    load_communes()
    started, cpu = time.perf_counter(), time.process_time()
    load_registry(actor=national)
    elapsed = time.perf_counter() - started
    print(f"registry demo loaded in {elapsed:.1f} s ({time.process_time() - cpu:.1f} s CPU)")

    coops = Cooperative.objects.select_related("commune")
    assert 55 <= coops.count() <= 65
    regions = {c.commune.path.split("/")[1] for c in coops}
    assert {"SN-TC", "SN-TH"} <= regions and len(regions) >= 6
    assert set(coops.values_list("legal_form", flat=True)) == {"SCOOPS", "COOP-CA"}
    assert set(coops.values_list("stage", flat=True)) == {
        "sensibilisee",
        "en_constitution",
        "immatriculee",
        "en_activite",
        "consolidee",
        "dissoute",
    }
    persons = Person.objects.filter(merged_into__isnull=True).count()
    assert 1400 <= persons <= 1600
    assert Employment.objects.count() > 20
    assert len(duplicate_candidates_list(actor=national)) >= 10
    # the officer's cooperative is there, registered and active
    tisserands = Cooperative.objects.get(name=TISSERANDS)
    assert tisserands.stage == "en_activite"
    # persons in several cooperatives are counted once
    assert Membership.objects.values("person").distinct().count() < Membership.objects.count()

    counts = (Cooperative.objects.count(), Person.objects.count(), Membership.objects.count())
    load_registry(actor=national)
    assert (
        Cooperative.objects.count(),
        Person.objects.count(),
        Membership.objects.count(),
    ) == counts
