import datetime

import factory

from core.text import fold
from registry.models import Cooperative, Membership, Person, Sector


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


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    cooperative = factory.SubFactory(CooperativeFactory)
    person = factory.SubFactory(PersonFactory)
    joined_on = datetime.date(2025, 4, 1)
