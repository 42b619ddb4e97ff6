import datetime

import factory

from core.text import fold
from training.models import Certification, Module, Participant, Session, Trainer, Visit


def module(code: str = "think-coop") -> Module:
    """A module of the seeded catalogue."""
    return Module.objects.get(code=code)


class TrainerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Trainer

    name = factory.Sequence(lambda n: f"Formateur {n}")
    kind = "agent"
    organisation = "MMESS"
    search_text = factory.LazyAttribute(lambda t: fold(t.name, t.organisation))


class CertificationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Certification

    trainer = factory.SubFactory(TrainerFactory)
    module = factory.LazyFunction(module)
    certified_on = datetime.date(2025, 1, 15)


def certified_trainer(*codes: str, **kwargs) -> Trainer:
    trainer = TrainerFactory(**kwargs)
    for code in codes or ("think-coop",):
        CertificationFactory(trainer=trainer, module=module(code))
    return trainer


class SessionFactory(factory.django.DjangoModelFactory):
    """A session written directly (tests of reads); services are tested on their own."""

    class Meta:
        model = Session
        skip_postgeneration_save = True

    module = factory.LazyFunction(module)
    starts_on = datetime.date(2025, 6, 2)
    ends_on = datetime.date(2025, 6, 2)

    @factory.post_generation
    def trainers(self, create, extracted, **kwargs):
        if create and extracted:
            self.trainers.set(extracted)


class ParticipantFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Participant

    session = factory.SubFactory(SessionFactory)


class VisitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Visit

    visited_on = datetime.date(2025, 6, 10)
    purpose = "Suivi"
