"""Mutual health insurance part of the demo: a Senegal scheme and a Mali scheme, their
benefits, a provider under convention with both, households enrolled through two
cooperatives (the Koumpentoum weavers, whose officer is ``officer``, and another), their
contributions, and claims in every state (entered, checked, valuated, paid, rejected; one
paid by phone through a payments payout), and each mutual's books (contributions, months
earned, claims).

Users: ``mutuelle-sn`` and ``mutuelle-ml`` (agents of each scheme), ``prestataire`` (staff
of the health centre). Through the health services, so every rule holds. Idempotent: the
schemes existing, nothing is added. Dates are relative to the load day (never future).
"""

from __future__ import annotations

import datetime

from core import dates
from demo.paid_by_phone import with_wave_sandbox
from health import services
from health.coverage import add_months
from health.models import Scheme, StaffRole
from registry.models import Cooperative, MembershipStatus
from registry.services import person_create

SN_SCHEME = "Mutuelle de santé des tisserands de Koumpentoum"
ML_SCHEME = "Mutuelle de santé Benkadi de Ségou"
TISSERANDS = "Coopérative des tisserands de Koumpentoum"


def _schemes(actor):
    sn = services.scheme_create(
        actor=actor,
        name=SN_SCHEME,
        country="SN",
        joining_fee=2_500,
        monthly_contribution=550,
        waiting_days=30,
        child_age_limit=18,
        annual_ceiling=300_000,
    )
    ml = services.scheme_create(
        actor=actor,
        name=ML_SCHEME,
        country="ML",
        joining_fee=1_000,
        monthly_contribution=500,
        waiting_days=60,
        child_age_limit=18,
        sector="artisanat",
    )
    services.age_band_add(actor=actor, scheme=ml, min_age=0, max_age=14, monthly_contribution=250)
    for scheme in (sn, ml):
        for kind, copay, person_ceiling in [
            ("consultation", 20, 50_000),
            ("hospitalisation", 10, 200_000),
            ("maternity", 0, 150_000),
            ("medicines", 30, 60_000),
        ]:
            services.benefit_set(
                actor=actor,
                scheme=scheme,
                kind=kind,
                copayment_percent=copay,
                ceiling_person=person_ceiling,
            )
    return sn, ml


def _provider(actor, schemes, ensure_user):
    provider = services.provider_create(
        actor=actor,
        name="Centre de santé de Koumpentoum",
        kind="centre de santé",
        phone="+221339812345",
    )
    for scheme in schemes:
        convention = services.convention_sign(
            actor=actor,
            scheme=scheme,
            provider=provider,
            signed_on=dates.today() - datetime.timedelta(days=400),
        )
        for code, label, benefit, amount in [
            ("CONS", "Consultation générale", "consultation", 2_000),
            ("HOSP", "Journée d'hospitalisation", "hospitalisation", 10_000),
            ("ACC", "Accouchement simple", "maternity", 25_000),
            ("MED", "Ordonnance de médicaments essentiels", "medicines", 3_500),
        ]:
            services.tariff_set(
                actor=actor,
                convention=convention,
                code=code,
                label=label,
                benefit=benefit,
                amount=amount,
            )
    staff = ensure_user("prestataire", "Khady", "Ndour")
    services.staff_assign(actor=actor, user=staff, role=StaffRole.PROVIDER, provider=provider)
    return provider, staff


def _children(actor, head, n):
    return [
        (
            person_create(
                actor=actor,
                first_name=first,
                last_name=head.last_name,
                sex="F" if i % 2 else "M",
                birth_date=datetime.date(2012 + 2 * i, 3, 15),
                commune=head.commune,
            ),
            "child",
        )
        for i, first in enumerate(["Moussa", "Awa", "Idrissa"][:n])
    ]


def _households(actor, agent, scheme, coop, count, enrolled_on):
    heads = [
        m.person
        for m in coop.memberships.filter(status=MembershipStatus.ACTIVE)
        .select_related("person__commune")
        .order_by("joined_on", "id")[:count]
    ]
    households = []
    for i, head in enumerate(heads):
        household = services.household_enrol(
            actor=agent,
            scheme=scheme,
            head=head,
            dependants=_children(actor, head, 1 + i % 3),
            cooperative=coop,
            enrolled_on=enrolled_on,
        )
        if i < count - 1:  # the last one has paid nothing: lapsed
            services.contribution_pay(
                actor=agent,
                household=household,
                amount=30_000 + 5_000 * i,
                paid_on=enrolled_on,
                channel="cash" if i % 2 else "ristourne",
            )
        households.append(household)
    return households


def portrait_png(seed: int) -> bytes:
    """A drawn portrait (no one's face): a head and shoulders on a coloured ground, made
    here with Pillow, never downloaded."""
    import io

    from PIL import Image, ImageDraw

    grounds = [(176, 214, 196), (232, 205, 160), (190, 200, 230), (230, 190, 190)]
    skins = [(120, 78, 50), (92, 58, 38), (141, 94, 62), (70, 45, 30)]
    image = Image.new("RGB", (240, 300), grounds[seed % len(grounds)])
    draw = ImageDraw.Draw(image)
    skin = skins[seed % len(skins)]
    draw.ellipse((70, 50, 170, 160), fill=skin)
    draw.rounded_rectangle((30, 170, 210, 320), radius=60, fill=(40 + 50 * (seed % 3), 90, 120))
    draw.ellipse((98, 95, 110, 107), fill=(20, 20, 20))
    draw.ellipse((130, 95, 142, 107), fill=(20, 20, 20))
    draw.arc((100, 110, 140, 140), start=20, end=160, fill=(40, 20, 20), width=3)
    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()


def _photos(agent, households):
    """A photo for the head of each of these households (printed on their cards)."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    for i, household in enumerate(households):
        upload = SimpleUploadedFile(f"photo-{i}.png", portrait_png(i), content_type="image/png")
        services.person_photo_set(
            actor=agent, household=household, person=household.head, upload=upload
        )


def _claims(agent, staff, provider, households, start):
    """One claim in each state, for the households that paid."""
    plan = ["entered", "checked", "valuated", "paid", "rejected", "paid_by_phone"]
    paid_households = [h for h in households if h.payments.exists()]
    made = 0
    for i, state in enumerate(plan):
        household = paid_households[i % len(paid_households)]
        claim = services.claim_enter(
            actor=staff,
            household=household,
            beneficiary=household.head,
            provider=provider,
            service_on=start + datetime.timedelta(days=3 * i),
            lines=[{"code": "CONS"}, {"code": "MED"}]
            if i % 2
            else [{"code": "HOSP", "quantity": 2}],
            diagnosis="Paludisme simple" if i % 2 else "Fièvre typhoïde",
        )
        if state == "rejected":
            services.claim_reject(actor=agent, claim=claim, reason="Acte non prescrit")
        elif state != "entered":
            claim = services.claim_check(actor=agent, claim=claim)
            if state in ("valuated", "paid", "paid_by_phone"):
                claim = services.claim_valuate(actor=agent, claim=claim)
            if state == "paid_by_phone":  # a payout through payments (the Wave sandbox)
                services.claim_payout_request(actor=agent, claim=claim, provider="wave")
            if state == "paid":
                services.claim_pay(
                    actor=agent, claim=claim, paid_on=claim.service_on + datetime.timedelta(days=5)
                )
        made += 1
    return made


def load_health(*, actor, ensure_user) -> list[str]:
    if Scheme.objects.filter(name=SN_SCHEME).exists():
        return ["santé : déjà chargée"]
    today = dates.today()
    enrolled_on = add_months(today.replace(day=1), -5)
    sn, ml = _schemes(actor)
    agents = {}
    for scheme, username, first, last in [
        (sn, "mutuelle-sn", "Seynabou", "Mbaye"),
        (ml, "mutuelle-ml", "Fatoumata", "Traoré"),
    ]:
        agents[scheme.pk] = ensure_user(username, first, last)
        services.staff_assign(
            actor=actor, user=agents[scheme.pk], role=StaffRole.MUTUAL_AGENT, scheme=scheme
        )
    provider, staff = _provider(actor, [sn, ml], ensure_user)
    tisserands = Cooperative.objects.get(name=TISSERANDS)
    other = (
        Cooperative.objects.exclude(pk=tisserands.pk)
        .filter(memberships__status=MembershipStatus.ACTIVE)
        .distinct()
        .order_by("id")
        .first()
    )
    sn_households = _households(actor, agents[sn.pk], sn, tisserands, 4, enrolled_on)
    _photos(agents[sn.pk], sn_households[:3])
    ml_households = _households(actor, agents[ml.pk], ml, other, 3, enrolled_on)
    start = enrolled_on + datetime.timedelta(days=65)

    def claims_all() -> int:
        made = _claims(agents[sn.pk], staff, provider, sn_households, start)
        return made + _claims(agents[ml.pk], staff, provider, ml_households, start)

    claims = with_wave_sandbox(claims_all)
    for scheme in (sn, ml):  # the months paid ahead that have begun, in the books
        services.contributions_earn(actor=actor, scheme=scheme, as_of=today)
    return [
        f"santé : 2 mutuelles, {len(sn_households) + len(ml_households)} ménages "
        f"({tisserands.name}, {other.name}), {claims} demandes"
    ]
