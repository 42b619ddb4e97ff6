"""Registry part of the demo. Minimal for now; the registry capability grows it (issue 3)."""

from __future__ import annotations

import datetime

from core.text import fold
from geo.models import Area
from registry.models import Cooperative, Membership, Person, Sector

FOUNDERS = [
    ("Mariama", "Ba", "F"),
    ("Khady", "Diallo", "F"),
    ("Aliou", "Sow", "M"),
    ("Coumba", "Ndiaye", "F"),
    ("Binta", "Kane", "F"),
    ("Saliou", "Diouf", "M"),
]


def load_registry(*, actor) -> list[str]:
    commune = Area.objects.get(code="SN-TC-KPT-01")
    coop, created = Cooperative.objects.get_or_create(
        name="Coopérative des tisserands de Koumpentoum",
        defaults={
            "legal_form": "SCOOPS",
            "commune": commune,
            "sector": Sector.objects.get(code="artisanat"),
            "value_chain_stage": "production",
            "stage": "en_activite",
            "founded_on": datetime.date(2025, 3, 21),
            "search_text": fold("Coopérative des tisserands de Koumpentoum"),
        },
    )
    for first, last, sex in FOUNDERS:
        person, _ = Person.objects.get_or_create(
            first_name=first,
            last_name=last,
            commune=commune,
            defaults={
                "sex": sex,
                "birth_date": datetime.date(1988, 1, 1),
                "search_text": fold(first, last),
            },
        )
        Membership.objects.get_or_create(
            cooperative=coop,
            person=person,
            defaults={"joined_on": datetime.date(2025, 3, 21)},
        )
    return [
        f"coopératives : {Cooperative.objects.count()}",
        f"personnes : {Person.objects.count()}",
    ]
