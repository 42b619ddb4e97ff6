"""Share capital and governance part of the demo: statutes, shares, bodies and one held
general assembly for the Koumpentoum weavers (whose officer is the demo user ``officer``),
statutes and shares for a few other cooperatives (some left without an approval of their
accounts, so that the late list has something to show).

Through the capital and governance services, so every rule holds. Idempotent: a
cooperative that already has share operations, mandates or assemblies is left alone.
Dates are relative to the day the demo is loaded (effective dates are never in the future).
"""

from __future__ import annotations

import datetime

from capital import services as capital
from capital.models import ShareOperation
from core import dates
from governance import services as governance
from governance.limits import BodyKind, body_rule
from governance.models import Assembly, Mandate
from registry.models import Cooperative, MembershipStatus, Stage

TISSERANDS = "Coopérative des tisserands de Koumpentoum"
OTHER_COOPERATIVES = 4


def _members(coop):
    return [
        m
        for m in coop.memberships.filter(status=MembershipStatus.ACTIVE)
        .select_related("person")
        .order_by("joined_on", "id")
    ]


def _shares(actor, coop, on: datetime.date) -> int:
    """Subscriptions for every active member, partly paid, some paid up later."""
    if ShareOperation.objects.filter(cooperative=coop).exists():
        return 0
    today = dates.today()
    share_value = 5000 if coop.legal_form == "SCOOPS" else 10000
    capital.statutes_update(cooperative=coop, share_value=share_value, actor=actor)
    count = 0
    for i, membership in enumerate(_members(coop)):
        shares = 2 + i % 3
        nominal = shares * share_value
        paid_now = nominal // 2 if i % 2 else nominal  # half paid up at once, or all
        day = min(max(on, membership.joined_on), today)
        for kind, kwargs in [
            ("subscription", {"shares": shares, "amount": paid_now}),
            ("payment", {"amount": nominal - paid_now}),
        ]:
            if kind == "payment" and (not kwargs["amount"] or i % 4 == 1):
                continue  # some members still owe part of their shares
            op = capital.share_operation_request(
                cooperative=coop,
                kind=kind,
                person=membership.person,
                effective_on=(
                    day if kind == "subscription" else min(day + datetime.timedelta(days=60), today)
                ),
                actor=actor,
                **kwargs,
            )
            capital.share_operation_approve(operation=op, actor=actor)
            capital.share_operation_execute(operation=op, actor=actor)
            count += 1
    return count


def _mandates(actor, coop, on: datetime.date) -> int:
    if Mandate.objects.filter(cooperative=coop).exists():
        return 0
    members = _members(coop)
    body = BodyKind.MANAGEMENT_COMMITTEE if coop.legal_form == "SCOOPS" else BodyKind.BOARD
    limit = body_rule(coop.legal_form, body).max_size(len(members))
    officers = [m for m in members if m.role in ("president", "secretaire", "tresorier")]
    others = [m for m in members if m not in officers]
    seats = (officers + others)[: max(3, min(limit, len(officers)))]
    start = max(on, max(m.joined_on for m in seats))
    end = start.replace(year=start.year + 3)
    for m in seats:
        governance.mandate_assign(
            cooperative=coop,
            body=body,
            person=m.person,
            office=m.role if m.role in ("president", "secretaire", "tresorier") else "membre",
            starts_on=start,
            ends_on=end,
            actor=actor,
        )
    supervisor = next((m for m in others if m not in seats), None)
    if supervisor:
        governance.mandate_assign(
            cooperative=coop,
            body=BodyKind.SUPERVISION,
            person=supervisor.person,
            office="president",
            starts_on=start,
            ends_on=end,
            actor=actor,
        )
    return len(seats) + (1 if supervisor else 0)


def _held_assembly(actor, coop, today: datetime.date) -> bool:
    """The annual ordinary assembly that approved last year's accounts in time (by 30 June),
    or a month ago when the demo is loaded before June."""
    if Assembly.objects.filter(cooperative=coop).exists():
        return False
    held_on = datetime.date(today.year, 5, 30)
    if held_on >= today:
        held_on = today - datetime.timedelta(days=30)
    year = held_on.year - 1
    assembly = governance.assembly_convene(
        cooperative=coop,
        kind="ordinaire",
        held_on=held_on,
        notice_sent_on=held_on - datetime.timedelta(days=21),
        place="Maison des jeunes de Koumpentoum",
        agenda=(
            "1. Rapport moral du comité de gestion\n"
            f"2. Approbation des comptes de l'exercice {year}\n"
            "3. Affectation de l'excédent (réserves et ristournes)\n"
            "4. Questions diverses"
        ),
        actor=actor,
    )
    members = _members(coop)
    present, represented = members[:-1], members[-1:]
    for m in present:
        governance.attendance_record(assembly=assembly, person=m.person, actor=actor)
    for m in represented:
        governance.attendance_record(
            assembly=assembly, person=m.person, proxy_holder=present[0].person, actor=actor
        )
    voters = len(members)
    for title, kwargs, votes in [
        (
            f"Approbation des comptes de l'exercice {year}",
            {"approves_accounts_year": year},
            (voters - 1, 0, 1),
        ),
        (
            "Affectation de l'excédent : 20 % à la réserve générale, 20 % à la réserve "
            "de formation, le solde en ristournes",
            {},
            (voters - 2, 1, 1),
        ),
    ]:
        resolution = governance.resolution_add(
            assembly=assembly, title=title, actor=actor, **kwargs
        )
        governance.resolution_vote(
            resolution=resolution,
            votes_for=votes[0],
            votes_against=votes[1],
            abstentions=votes[2],
            actor=actor,
        )
    president = next((m for m in members if m.role == "president"), members[0])
    secretary = next((m for m in members if m.role == "secretaire"), members[-1])
    governance.assembly_close(
        assembly=assembly,
        chaired_by=str(president.person),
        secretary=str(secretary.person),
        actor=actor,
    )
    return True


def load_governance(*, actor) -> list[str]:
    today = dates.today()
    tisserands = Cooperative.objects.get(name=TISSERANDS)
    operations = _shares(actor, tisserands, tisserands.founded_on or today)
    mandates = _mandates(actor, tisserands, tisserands.founded_on or today)
    assemblies = int(_held_assembly(actor, tisserands, today))
    others = (
        Cooperative.objects.filter(stage__in=[Stage.EN_ACTIVITE, Stage.CONSOLIDEE])
        .exclude(pk=tisserands.pk)
        .order_by("id")[:OTHER_COOPERATIVES]
    )
    for coop in others:
        start = coop.founded_on or today
        operations += _shares(actor, coop, start)
        mandates += _mandates(actor, coop, start)
    return [
        f"opérations sur parts sociales : {operations} ajoutées",
        f"mandats : {mandates} ajoutés",
        f"assemblées générales tenues : {assemblies} ajoutée(s)",
    ]
