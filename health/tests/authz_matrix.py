"""Authorization-matrix entries of the mutual health insurance (accounts/tests/authz.py).

Side A: a household of the Koumpentoum cooperative headed by the world's member (with
Aminata Tokalpha as spouse) and its claim; side B: Binta Tokbeta's household through the
Mbour cooperative. Schemes are public terms (every role sees both). Claims are seen by the
mutual's agents, the provider and the beneficiary only: of the matrix's roles, the member
(side A's beneficiary); the others get counts, never claims (docs/health.md).
"""

import datetime
from dataclasses import dataclass

from accounts.tests.authz import E, Pair, api, page
from accounts.tests.factories import UserFactory
from health import services
from health.models import StaffRole
from registry.services import member_admit, person_create

JAN_1 = datetime.date(2026, 1, 1)
SEEN_BY_ALL = {r: 200 for r in ("region", "department", "officer", "lender", "member")}


def _scheme(national, name):
    scheme = services.scheme_create(
        actor=national,
        name=name,
        country="SN",
        joining_fee=2_500,
        monthly_contribution=550,
        waiting_days=30,
    )
    services.benefit_set(actor=national, scheme=scheme, kind="consultation", copayment_percent=20)
    return scheme


def _fresh_member(world, coop, commune, last):
    person = person_create(
        actor=world.national,
        first_name="Nouveau",
        last_name=last,
        sex="M",
        birth_date=datetime.date(1980, 1, 1),
        commune=commune,
    )
    member_admit(actor=world.national, cooperative=coop, person=person, joined_on=JAN_1)
    return person


def build(world, objs):
    national = world.national
    schemes = [_scheme(national, "Mutuelle santé A"), _scheme(national, "Mutuelle santé B")]
    agents = []
    for scheme in schemes:
        agents.append(UserFactory())
        services.staff_assign(
            actor=national, user=agents[-1], role=StaffRole.MUTUAL_AGENT, scheme=scheme
        )
    provider = services.provider_create(actor=national, name="Centre de santé")
    staff = UserFactory()
    for scheme in schemes:
        convention = services.convention_sign(
            actor=national, scheme=scheme, provider=provider, signed_on=JAN_1
        )
        services.tariff_set(
            actor=national,
            convention=convention,
            code="CONS",
            label="Consultation",
            benefit="consultation",
            amount=2_000,
        )
    services.staff_assign(actor=national, user=staff, role=StaffRole.PROVIDER, provider=provider)
    head_a = world.persons_tc[0]  # the world's member
    households = [
        services.household_enrol(
            actor=agents[0],
            scheme=schemes[0],
            head=head_a,
            dependants=[(objs["person"].a, "spouse")],
            cooperative=world.coop_tc,
            enrolled_on=JAN_1,
        ),
        services.household_enrol(
            actor=agents[1],
            scheme=schemes[1],
            head=objs["person"].b,
            cooperative=world.coop_mbour,
            enrolled_on=JAN_1,
        ),
    ]
    claims = []
    for household, agent in zip(households, agents, strict=True):
        services.contribution_pay(
            actor=agent, household=household, amount=40_000, paid_on=JAN_1, channel="cash"
        )
        claims.append(
            services.claim_enter(
                actor=staff,
                household=household,
                beneficiary=household.head,
                provider=provider,
                service_on=datetime.date(2026, 3, 2),
                lines=[{"code": "CONS"}],
                diagnosis="Paludisme",
            )
        )
    objs["health_scheme"] = Pair(*schemes)
    objs["health_household"] = Pair(*households)
    objs["health_head"] = Pair(head_a, objs["person"].b)
    objs["health_new_head"] = Pair(
        _fresh_member(world, world.coop_tc, world.koumpentoum, "Tokalpha"),
        _fresh_member(world, world.coop_mbour, world.mbour, "Tokbeta"),
    )
    objs["health_provider"] = Pair(provider, provider)
    objs["health_claim"] = Pair(*claims)
    objs["health_card"] = Pair(*(_card(h) for h in households))


@dataclass(frozen=True)
class _Card:
    pk: int
    code: str


def _card(household):
    from health.cards import card_token

    head = household.members.get(person=household.head)
    return _Card(pk=head.pk, code=card_token(head, issued_on=JAN_1))


SCHEME_IN = {
    "name": "Mutuelle nouvelle",
    "country": "ML",
    "joining_fee": 1_000,
    "monthly_contribution": 500,
}
HOUSEHOLD = E(200, lender=404, nobody=404)
CLAIM_STEP = E(404, member=403)

ENTRIES = [
    # pages
    page("health:index", expect=E(200)),
    page("health:household_enrol", expect=E(200)),
    page("health:household_detail", pk="@health_household", expect=HOUSEHOLD),
    page("health:claim_enter", household_pk="@health_household", expect=HOUSEHOLD),
    page("health:household_cards", pk="@health_household", expect=HOUSEHOLD),
    page("health:card_verify", expect=E(200)),
    # The offline check: providers' staff, schemes' agents (not matrix roles) and national.
    page("health:card_offline", expect=E(403, national=200)),
    # A card's photo: those who enrol the household (its cooperative's officer, the
    # scheme's agents); sent without a file, the allowed get the form's message (302).
    page(
        "health:household_photo",
        method="POST",
        pk="@health_household",
        person_pk="@health_head",
        expect=E(403, officer=302, lender=404, nobody=404),
    ),
    page("health:claim_list", expect=E(200)),
    page("health:report", expect=E(200)),
    page(
        "health:scheme_books",
        pk="@health_scheme",
        expect=E(403, national=200, nobody=404),
        out={r: 403 for r in SEEN_BY_ALL},
    ),
    page(
        "health:scheme_year",
        pk="@health_scheme",
        year=2026,
        expect=E(403, national=200, nobody=404),
        out={r: 403 for r in SEEN_BY_ALL},
    ),
    page(
        "health:scheme_year",
        pk="@health_scheme",
        year=2026,
        method="POST",
        data={"action": "lock", "month": "1"},
        expect=E(403, nobody=404),
        out={r: 403 for r in SEEN_BY_ALL},
    ),
    page("health:arrears", expect=E(200)),
    page(
        "health:arrears",
        query={"cooperative": "@cooperative"},
        expect=E(200),
        out={r: 200 for r in (*SEEN_BY_ALL, "nobody")},  # another's filter: an empty list
    ),
    page("health:claim_detail", pk="@health_claim", expect=E(404, member=200)),
    page(
        "health:claim_step",
        pk="@health_claim",
        action="check",
        method="POST",
        expect=CLAIM_STEP,
    ),
    # API
    api("GET /api/v1/health/schemes", expect=E(200)),
    api("POST /api/v1/health/schemes", body=SCHEME_IN, expect=E(403, national=201)),
    api(
        "GET /api/v1/health/schemes/{scheme_id}",
        scheme_id="@health_scheme",
        expect=E(200, nobody=404),
        out=SEEN_BY_ALL,
    ),
    api(
        "GET /api/v1/health/schemes/{scheme_id}/benefits",
        scheme_id="@health_scheme",
        expect=E(200, nobody=404),
        out=SEEN_BY_ALL,
    ),
    api(
        "POST /api/v1/health/schemes/{scheme_id}/benefits",
        scheme_id="@health_scheme",
        body={"kind": "maternity", "copayment_percent": 10},
        expect=E(403, national=200, nobody=404),
        out={r: 403 for r in SEEN_BY_ALL},
    ),
    api(
        "POST /api/v1/health/claims/{claim_id}/payout",
        claim_id="@health_claim",
        body={"provider": "wave", "to": "provider"},
        expect=CLAIM_STEP,
    ),
    api(
        "POST /api/v1/health/claims/{claim_id}/payout/approve",
        claim_id="@health_claim",
        body={"approve": True},
        expect=CLAIM_STEP,
    ),
    api(
        "GET /api/v1/health/schemes/{scheme_id}/fhir",
        scheme_id="@health_scheme",
        expect=E(403, national=200, nobody=404),
        out={r: 403 for r in SEEN_BY_ALL},
    ),
    api(
        "GET /api/v1/health/schemes/{scheme_id}/trial-balance",
        scheme_id="@health_scheme",
        expect=E(403, national=200, nobody=404),
        out={r: 403 for r in SEEN_BY_ALL},
    ),
    api(
        "GET /api/v1/health/schemes/{scheme_id}/journal-entries",
        scheme_id="@health_scheme",
        expect=E(403, national=200, nobody=404),
        out={r: 403 for r in SEEN_BY_ALL},
    ),
    api("GET /api/v1/health/households", expect=E(200)),
    api(
        "POST /api/v1/health/households",
        body={
            "scheme": "@health_scheme",
            "head": "@health_new_head",
            "cooperative": "@cooperative",
            "enrolled_on": "2026-01-01",
        },
        expect=E(403, officer=201, lender=404, member=404, nobody=404),
    ),
    api(
        "GET /api/v1/health/households/{household_id}",
        household_id="@health_household",
        expect=HOUSEHOLD,
    ),
    api(
        "GET /api/v1/health/households/{household_id}/contributions",
        household_id="@health_household",
        expect=HOUSEHOLD,
    ),
    api(
        "POST /api/v1/health/households/{household_id}/contributions",
        household_id="@health_household",
        body={"amount": 2_200, "paid_on": "2026-02-01", "channel": "cash"},
        expect=E(403, officer=201, member=201, lender=404, nobody=404),
    ),
    api(
        "GET /api/v1/health/cover",
        query={"person": "@health_head", "scheme": "@health_scheme", "on": "2026-03-02"},
        expect=HOUSEHOLD,
    ),
    api(
        "GET /api/v1/health/cards/verify",
        query={"code": "@health_card.code"},
        expect=HOUSEHOLD,
    ),
    # Public keys are public: everyone, signed in or not, the same JWK set.
    api("GET /api/v1/health/card-keys", expect=E(200), anonymous=200, leak_check=False),
    api("GET /api/v1/health/claims", expect=E(200)),
    api("GET /api/v1/health/reports", expect=E(200)),
    api(
        "POST /api/v1/health/claims",
        body={
            "beneficiary": "@health_head",
            "household": "@health_household",
            "provider": "@health_provider",
            "service_on": "2026-03-03",
            "lines": [{"code": "CONS"}],
        },
        expect=E(403, lender=404, member=404, nobody=404),
    ),
    api(
        "GET /api/v1/health/claims/{claim_id}", claim_id="@health_claim", expect=E(404, member=200)
    ),
    api("POST /api/v1/health/claims/{claim_id}/check", claim_id="@health_claim", expect=CLAIM_STEP),
    api(
        "POST /api/v1/health/claims/{claim_id}/valuate",
        claim_id="@health_claim",
        expect=CLAIM_STEP,
    ),
    api(
        "POST /api/v1/health/claims/{claim_id}/reject",
        claim_id="@health_claim",
        body={"reason": "Acte non justifié"},
        expect=CLAIM_STEP,
    ),
    api(
        "POST /api/v1/health/claims/{claim_id}/pay",
        claim_id="@health_claim",
        body={"paid_on": "2026-03-05"},
        expect=CLAIM_STEP,
    ),
]
