import datetime

import factory

from core.text import fold
from registry import scope_text
from registry.models import Cooperative, Employment, Membership, Person, Sector


class CooperativeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Cooperative

    name = factory.Sequence(lambda n: f"Coopérative {n}")
    legal_form = "SCOOPS"
    sector = factory.LazyFunction(lambda: Sector.objects.order_by("id").first())
    value_chain_stage = "production"
    stage = "sensibilisee"
    search_text = factory.LazyAttribute(lambda c: fold(c.name))


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Person

    first_name = factory.Iterator(["Awa", "Moussa", "Fatou", "Ibrahima", "Aminata", "Cheikh"])
    last_name = factory.Iterator(["Diop", "Ndiaye", "Fall", "Sow", "Ba", "Sarr"])
    sex = factory.Iterator(["F", "M"])
    birth_date = datetime.date(1990, 5, 1)
    search_text = factory.LazyAttribute(lambda p: fold(p.first_name, p.last_name))

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        person = super()._create(model_class, *args, **kwargs)
        scope_text.rebuild([person.pk])  # as the services write it
        return person


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    cooperative = factory.SubFactory(CooperativeFactory)
    person = factory.SubFactory(PersonFactory)
    joined_on = datetime.date(2025, 4, 1)

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        membership = super()._create(model_class, *args, **kwargs)
        scope_text.rebuild([membership.person_id])  # as the services write it
        return membership


class EmploymentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Employment

    cooperative = factory.SubFactory(CooperativeFactory)
    person = factory.SubFactory(PersonFactory)
    job_title = "Tisserand"
    contract_type = "cdi"
    started_on = datetime.date(2025, 5, 1)
    monthly_pay = 80_000
    social_security = True


def founders(actor, coop, n: int, *, joined_on=datetime.date(2025, 4, 1), roles=()):
    """``n`` new persons admitted through the services; ``roles`` for the first ones."""
    from registry.services import member_admit, person_create

    members = []
    for i in range(n):
        person = person_create(
            actor=actor,
            first_name=f"Prénom{i}",
            last_name=f"Nom{coop.pk}x{i}",
            sex="F" if i % 2 == 0 else "M",
            birth_date=datetime.date(1990, 1, 1),
            commune=coop.commune,
        )
        role = roles[i] if i < len(roles) else "membre"
        members.append(
            member_admit(
                actor=actor, cooperative=coop, person=person, joined_on=joined_on, role=role
            )
        )
    return members


def registered(actor, commune, *, legal_form="SCOOPS", name="Coopérative test", **kwargs):
    """A cooperative registered through the service (stage sensibilisee)."""
    from registry.services import cooperative_register

    defaults = {
        "sector": "artisanat",
        "value_chain_stage": "production",
        "founded_on": datetime.date(2025, 3, 1),
    }
    defaults.update(kwargs)
    return cooperative_register(
        actor=actor, name=name, legal_form=legal_form, commune=commune, **defaults
    )
