import datetime

from django.utils import timezone

from governance.services import assembly_convene


def held_assembly(*, cooperative, actor, kind="ordinaire", held_on=None, **kwargs):
    """An assembly held yesterday (or on ``held_on``), convened with 20 days' notice."""
    held_on = held_on or timezone.localdate() - datetime.timedelta(days=1)
    return assembly_convene(
        cooperative=cooperative,
        actor=actor,
        kind=kind,
        held_on=held_on,
        notice_sent_on=held_on - datetime.timedelta(days=20),
        agenda=kwargs.pop("agenda", "1. Rapport moral\n2. Comptes de l'exercice"),
        **kwargs,
    )
