"""Registry part of the demo: about 60 cooperatives, 1,500 persons, memberships and jobs.

Everything goes through the registry services (so it obeys the OHADA rules and leaves a
history). Deterministic: one ``random.Random(SEED)`` draws the whole plan before anything
is written, so the same plan comes out whatever the database holds. Idempotent: a
cooperative that already exists (by name) is left alone, with its members.
"""

from __future__ import annotations

import datetime
import random
from dataclasses import dataclass, field

from core.text import fold
from geo.models import Area
from registry import services
from registry.models import Cooperative, Partner, Person

SEED = 20250321  # the programme's launch in Koumpentoum
TISSERANDS = "Coopérative des tisserands de Koumpentoum"

FOUNDERS = [
    ("Mariama", "Ba", "F"),
    ("Khady", "Diallo", "F"),
    ("Aliou", "Sow", "M"),
    ("Coumba", "Ndiaye", "F"),
    ("Binta", "Kane", "F"),
    ("Saliou", "Diouf", "M"),
]

FEMALE = [
    "Awa",
    "Fatou",
    "Aminata",
    "Mariama",
    "Khady",
    "Ndèye",
    "Coumba",
    "Binta",
    "Aïssatou",
    "Astou",
    "Dieynaba",
    "Fatoumata",
    "Rokhaya",
    "Sokhna",
    "Yacine",
    "Adama",
    "Seynabou",
    "Maïmouna",
    "Oumou",
    "Penda",
    "Ramatoulaye",
    "Marème",
    "Nafissatou",
    "Khadija",
    "Bineta",
    "Djeneba",
    "Kadiatou",
    "Hawa",
    "Anta",
    "Safiétou",
    "Arame",
    "Ngoné",
    "Fama",
    "Dior",
    "Soda",
    "Daba",
    "Mame Diarra",
    "Ndeye Fatou",
    "Aby",
    "Salimata",
    "Assiétou",
    "Mbayang",
    "Thioro",
    "Codou",
    "Nogaye",
    "Absa",
    "Faty",
]
MALE = [
    "Mamadou",
    "Moussa",
    "Ibrahima",
    "Cheikh",
    "Abdoulaye",
    "Ousmane",
    "Modou",
    "Aliou",
    "Babacar",
    "Saliou",
    "Lamine",
    "Pape",
    "Omar",
    "Amadou",
    "Alioune",
    "Serigne",
    "Malick",
    "Idrissa",
    "Souleymane",
    "Boubacar",
    "Demba",
    "Samba",
    "Mbaye",
    "Issa",
    "Elhadji",
    "Assane",
    "Ablaye",
    "Birane",
    "Khadim",
    "Moustapha",
    "Seydou",
    "Youssou",
    "Insa",
    "Mansour",
    "Daouda",
    "Bakary",
    "Fallou",
    "Matar",
    "Ndiaga",
    "Sidy",
    "Baye",
    "Gorgui",
    "Djibril",
    "Tidiane",
    "Oumar",
    "Mouhamed",
]
LAST = [
    "Diop",
    "Ndiaye",
    "Fall",
    "Sow",
    "Ba",
    "Sarr",
    "Diallo",
    "Faye",
    "Gueye",
    "Mbaye",
    "Cissé",
    "Diouf",
    "Ndour",
    "Seck",
    "Sy",
    "Kane",
    "Thiam",
    "Camara",
    "Dieng",
    "Niang",
    "Sall",
    "Touré",
    "Badji",
    "Diatta",
    "Sagna",
    "Mendy",
    "Coly",
    "Goudiaby",
    "Sène",
    "Dione",
    "Ka",
    "Ly",
    "Wade",
    "Tall",
    "Samb",
    "Ndao",
    "Mboup",
    "Diagne",
    "Kébé",
    "Barry",
    "Baldé",
    "Sidibé",
    "Konaté",
    "Keita",
    "Tamba",
    "Manga",
    "Sané",
    "Dramé",
    "Cissokho",
    "Dembélé",
    "Sylla",
    "Diémé",
    "Tine",
    "Loum",
    "Mbengue",
]

NAMES_BY_SECTOR = {
    "transformation-agroalimentaire": [
        "Coopérative des transformatrices de céréales locales de {c}",
        "Coopérative de transformation de fruits et légumes de {c}",
        "Coopérative des productrices de jus locaux de {c}",
    ],
    "artisanat": [
        "Coopérative des artisans sculpteurs de {c}",
        "Coopérative des vanniers de {c}",
        "Coopérative des potières de {c}",
    ],
    "couture-habillement": [
        "Coopérative des couturières de {c}",
        "Coopérative des tailleurs et brodeurs de {c}",
    ],
    "elevage": [
        "Coopérative des aviculteurs de {c}",
        "Coopérative des éleveurs de petits ruminants de {c}",
    ],
    "peche-transformation": [
        "Coopérative des transformatrices de produits halieutiques de {c}",
        "Coopérative des mareyeuses de {c}",
    ],
    "btp": [
        "Coopérative des maçons et briquetiers de {c}",
        "Coopérative des menuisiers métalliques de {c}",
    ],
    "services": [
        "Coopérative des réparateurs de motos de {c}",
        "Coopérative de services de propreté de {c}",
    ],
    "commerce": ["Coopérative des commerçantes de {c}"],
    "savonnerie-cosmetique": [
        "Coopérative des savonnières de {c}",
        "Coopérative du beurre de karité de {c}",
    ],
    "recyclage": ["Coopérative de recyclage des plastiques de {c}"],
    "numerique": ["Coopérative des jeunes du numérique de {c}"],
    "teinture": ["Coopérative des teinturières de {c}"],
}

# Communes (demo/loader.py DEMO_COMMUNES) with a weight: the programme started in
# Tambacounda, the central purchasing is in Thiès.
COMMUNE_WEIGHTS = {
    "SN-TC-KPT-01": 5,
    "SN-TC-KPT-02": 3,
    "SN-TC-TAM-01": 4,
    "SN-TC-BAK-01": 2,
    "SN-TC-GOD-01": 2,
    "SN-TH-MBO-01": 5,
    "SN-TH-MBO-02": 2,
    "SN-TH-MBO-03": 2,
    "SN-TH-THI-01": 5,
    "SN-TH-TIV-01": 2,
    "SN-DK-RUF-01": 2,
    "SN-DK-DAK-01": 1,
    "SN-KD-KOL-01": 3,
    "SN-SL-STL-01": 2,
    "SN-ZG-ZIG-01": 3,
    "SN-LG-LOU-01": 2,
    "SN-KL-KAO-01": 2,
    "SN-KE-KED-01": 2,
    "SN-MT-MAT-01": 2,
    "SN-SE-SED-01": 2,
    "SN-FK-FAT-01": 1,
}

STAGES = ["sensibilisee", "en_constitution", "immatriculee", "en_activite", "consolidee"]
# target stage -> weight (every stage appears; dissolution is rare)
STAGE_WEIGHTS = {
    "sensibilisee": 8,
    "en_constitution": 10,
    "immatriculee": 14,
    "en_activite": 18,
    "consolidee": 6,
    "dissoute": 2,
}
PARTNERS = [("CARE Sénégal", "ONG"), ("Fondation Sonatel", "fondation d'entreprise")]
JOB_TITLES = ["Comptable", "Gérant(e)", "Vendeur(se)", "Ouvrier(ère)", "Chauffeur", "Caissier(ère)"]
OFFICES_SCOOPS = ["president", "secretaire", "tresorier"]
OFFICES_COOP_CA = ["president", "vice_president", "secretaire", "tresorier", "surveillance"]
N_COOPERATIVES = 60
N_DUPLICATES = 18


@dataclass
class PersonPlan:
    first_name: str
    last_name: str
    sex: str
    birth_date: datetime.date
    phone: str
    national_id: str | None
    education_level: str
    disability: bool


@dataclass
class CoopPlan:
    name: str
    commune: str
    sector: str
    legal_form: str
    value_chain_stage: str
    target: str
    founded_on: datetime.date
    members: list[PersonPlan] = field(default_factory=list)
    shared: list[int] = field(default_factory=list)  # indexes of members of earlier coops
    jobs: list[tuple] = field(default_factory=list)
    sponsor: str | None = None


def _person(rng: random.Random, *, women_share: float) -> PersonPlan:
    sex = "F" if rng.random() < women_share else "M"
    first = rng.choice(FEMALE if sex == "F" else MALE)
    age_days = rng.randint(18 * 365, 64 * 365)
    birth = datetime.date(2025, 3, 21) - datetime.timedelta(days=age_days)
    phone = ""
    if rng.random() < 0.75:
        phone = f"+221{rng.choice(['70', '76', '77', '78'])}{rng.randint(0, 9999999):07d}"
    national_id = None
    if rng.random() < 0.6:
        national_id = f"{1 if sex == 'M' else 2}{rng.randint(0, 10**12 - 1):012d}"
    education = rng.choice(
        [
            "",
            "aucun",
            "coranique",
            "primaire",
            "primaire",
            "secondaire",
            "superieur",
            "alphabetisation",
        ]
    )
    return PersonPlan(
        first, rng.choice(LAST), sex, birth, phone, national_id, education, rng.random() < 0.04
    )


def build_plan(seed: int = SEED) -> tuple[list[CoopPlan], list[tuple[int, int, str]]]:
    """The whole demo as data: cooperatives with their members, and duplicate pairs."""
    rng = random.Random(seed)
    communes = list(COMMUNE_WEIGHTS)
    weights = [COMMUNE_WEIGHTS[c] for c in communes]
    stages = list(STAGE_WEIGHTS)
    stage_weights = [STAGE_WEIGHTS[s] for s in stages]
    plans: list[CoopPlan] = []
    names = {TISSERANDS}
    # every stage at least once, then by weight
    targets = stages + rng.choices(stages, stage_weights, k=N_COOPERATIVES - 1 - len(stages))
    rng.shuffle(targets)
    for target in targets:
        while True:
            sector = rng.choice(list(NAMES_BY_SECTOR))
            commune = rng.choices(communes, weights)[0]
            name = rng.choice(NAMES_BY_SECTOR[sector]).format(c="{c}")
            key = (name, commune)
            if key not in names:
                names.add(key)
                break
        legal_form = "COOP-CA" if rng.random() < 0.25 else "SCOOPS"
        size = rng.randint(20, 60) if legal_form == "COOP-CA" else rng.randint(8, 45)
        if target == "sensibilisee":
            size = rng.randint(0, 6)
        elif target == "en_constitution":
            size = rng.randint(3, size)
        women = {
            "couture-habillement": 0.9,
            "transformation-agroalimentaire": 0.85,
            "savonnerie-cosmetique": 0.9,
            "teinture": 0.9,
            "btp": 0.1,
            "services": 0.3,
        }.get(sector, 0.55)
        plan = CoopPlan(
            name=name,
            commune=commune,
            sector=sector,
            legal_form=legal_form,
            value_chain_stage=rng.choice(
                ["source", "technologique", "production", "production", "temoin"]
            ),
            target=target,
            founded_on=datetime.date(2025, 3, 21) + datetime.timedelta(days=rng.randint(0, 200)),
            members=[_person(rng, women_share=women) for _ in range(size)],
            sponsor=rng.choice([None, None, None, *[p for p, _ in PARTNERS]]),
        )
        if target in ("en_activite", "consolidee") and rng.random() < 0.6:
            for _ in range(rng.randint(1, 6)):
                plan.jobs.append(
                    (
                        rng.choice(JOB_TITLES),
                        rng.choice(["cdi", "cdd", "cdd", "saisonnier", "verbal", "aucun"]),
                        rng.choice([35_000, 50_000, 64_223, 75_000, 90_000, 120_000, 150_000]),
                        rng.random() < 0.55,
                    )
                )
        plans.append(plan)
    # some persons in two cooperatives: members of an earlier cooperative of the same region
    for i, plan in enumerate(plans):
        if i and plan.target != "sensibilisee" and rng.random() < 0.3:
            plan.shared = [rng.randrange(i) for _ in range(rng.randint(1, 2))]
    # likely duplicates: (cooperative index, member index, "identity" | "national_id")
    duplicates = []
    while len(duplicates) < N_DUPLICATES:
        ci = rng.randrange(len(plans))
        if not plans[ci].members:
            continue
        mi = rng.randrange(len(plans[ci].members))
        member = plans[ci].members[mi]
        kind = "national_id" if member.national_id and rng.random() < 0.5 else "identity"
        if kind == "identity" and not member.phone:
            continue
        duplicates.append((ci, mi, kind))
    return plans, duplicates


def _stage_dates(founded_on: datetime.date, target: str) -> list[tuple[str, datetime.date]]:
    path = STAGES[1 : STAGES.index(target) + 1] if target in STAGES else [STAGES[1]]
    steps, day = [], founded_on
    for stage in path:
        day += datetime.timedelta(days=30)
        steps.append((stage, day))
    if target == "dissoute":
        steps.append(("dissoute", day + datetime.timedelta(days=60)))
    return steps


def _create_person(actor, p: PersonPlan, commune: Area) -> Person:
    return services.person_create(
        actor=actor,
        first_name=p.first_name,
        last_name=p.last_name,
        sex=p.sex,
        birth_date=p.birth_date,
        phone=p.phone,
        national_id=p.national_id,
        commune=commune,
        disability=p.disability,
        education_level=p.education_level,
    )


def _load_cooperative(actor, plan: CoopPlan, number: int, areas, partners, created_persons):
    commune = areas[plan.commune]
    coop = services.cooperative_register(
        actor=actor,
        name=plan.name.format(c=commune.name),
        legal_form=plan.legal_form,
        commune=commune,
        sector=plan.sector,
        value_chain_stage=plan.value_chain_stage,
        founded_on=plan.founded_on,
        sponsor=partners.get(plan.sponsor),
        on=plan.founded_on,
    )
    offices = OFFICES_COOP_CA if plan.legal_form == "COOP-CA" else OFFICES_SCOOPS
    persons = []
    for i, p in enumerate(plan.members):
        person = _create_person(actor, p, commune)
        persons.append(person)
        # women-led cooperatives: a woman president when there is one among the founders
        services.member_admit(
            actor=actor,
            cooperative=coop,
            person=person,
            joined_on=plan.founded_on,
            role=offices[i] if i < len(offices) else "membre",
        )
    created_persons.append(persons)
    for index in plan.shared:
        earlier = created_persons[index] if index < len(created_persons) else []
        if earlier:
            other = earlier[-1]
            if not coop.memberships.filter(person=other, status="active").exists():
                services.member_admit(
                    actor=actor, cooperative=coop, person=other, joined_on=plan.founded_on
                )
    registration = None
    for stage, day in _stage_dates(plan.founded_on, plan.target):
        if stage == "immatriculee":
            registration = f"SN-{plan.commune[3:5]}-2025-C-{number:04d}"
        coop = services.cooperative_stage_change(
            actor=actor,
            cooperative=coop,
            stage=stage,
            on=day,
            registration_number=registration if stage == "immatriculee" else None,
        )
    for j, (title, contract, pay, social) in enumerate(plan.jobs):
        if j < len(persons):
            services.employment_record(
                actor=actor,
                cooperative=coop,
                person=persons[-1 - j],
                job_title=title,
                contract_type=contract,
                started_on=plan.founded_on + datetime.timedelta(days=120),
                monthly_pay=pay,
                social_security=social,
            )
    return coop


def _load_tisserands(actor) -> None:
    if Cooperative.objects.filter(name=TISSERANDS).exists():
        return
    commune = Area.objects.get(code="SN-TC-KPT-01")
    founded = datetime.date(2025, 3, 21)
    coop = services.cooperative_register(
        actor=actor,
        name=TISSERANDS,
        legal_form="SCOOPS",
        commune=commune,
        sector="artisanat",
        value_chain_stage="production",
        founded_on=founded,
        registration_number="SN-TC-2025-C-0001",
        phone="+221775550101",
        on=founded,
    )
    roles = ["president", "secretaire", "tresorier"]
    members = []
    for i, (first, last, sex) in enumerate(FOUNDERS):
        person = services.person_create(
            actor=actor,
            first_name=first,
            last_name=last,
            sex=sex,
            birth_date=datetime.date(1985 + i * 2, 1 + i, 10 + i),
            phone=f"+22177555{i:04d}",
            commune=commune,
        )
        members.append(person)
        services.member_admit(
            actor=actor,
            cooperative=coop,
            person=person,
            joined_on=founded,
            role=roles[i] if i < len(roles) else "membre",
        )
    day = founded
    for stage in ["en_constitution", "immatriculee", "en_activite"]:
        day += datetime.timedelta(days=20)
        coop = services.cooperative_stage_change(actor=actor, cooperative=coop, stage=stage, on=day)
    services.employment_record(
        actor=actor,
        cooperative=coop,
        person=members[5],
        job_title="Tisserand salarié",
        contract_type="cdi",
        started_on=datetime.date(2025, 6, 1),
        monthly_pay=75_000,
        social_security=True,
    )


def load_registry(*, actor) -> list[str]:
    _load_tisserands(actor)
    partners = {}
    for name, kind in PARTNERS:
        partners[name] = Partner.objects.filter(name=name).first() or services.partner_create(
            actor=actor, name=name, kind=kind
        )
    plans, duplicates = build_plan()
    areas = {a.code: a for a in Area.objects.filter(code__in=COMMUNE_WEIGHTS)}
    existing = set(Cooperative.objects.values_list("name", flat=True))
    created_persons: list[list[Person]] = []
    new = 0
    for number, plan in enumerate(plans, start=2):
        name = plan.name.format(c=areas[plan.commune].name)
        if name in existing:
            coop = Cooperative.objects.get(name=name)
            created_persons.append(
                [m.person for m in coop.memberships.select_related("person").order_by("id")]
            )
            continue
        _load_cooperative(actor, plan, number, areas, partners, created_persons)
        new += 1
    if new:
        _load_duplicates(actor, plans, duplicates, created_persons, areas)
    return [
        f"coopératives : {Cooperative.objects.count()} ({new} ajoutées)",
        f"personnes : {Person.objects.filter(merged_into__isnull=True).count()}",
    ]


def _load_duplicates(actor, plans, duplicates, created_persons, areas) -> None:
    """Second records of some persons, as an agent typing them again would make them."""
    for ci, mi, kind in duplicates:
        if mi >= len(created_persons[ci]):
            continue
        original = created_persons[ci][mi]
        first = original.first_name
        folded = fold(first)
        # the same name typed without accents or in capitals
        first = folded.title() if folded != first.lower() else first.upper()
        services.person_create(
            actor=actor,
            first_name=first,
            last_name=original.last_name.upper(),
            sex=original.sex,
            birth_date=original.birth_date,
            phone=original.phone if kind == "identity" else "",
            national_id=original.national_id if kind == "national_id" else None,
            commune=original.commune,
        )
