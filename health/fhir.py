"""Enrolments and claims as FHIR R4 JSON (Patient, Coverage, Claim) for a national UHC
(CSU) system: one Bundle of type ``collection`` per scheme.

Built from plain rows; no diagnosis leaves the mutual (Claim.diagnosis is left out), only
what coverage and payment need. Identifiers use the platform's ids under
``urn:sunucoop:...`` systems; the national ID, when known, is a second identifier.
"""

from __future__ import annotations

import datetime

from health.models import Claim, ClaimStatus, HouseholdMember, Relation, Scheme

SYSTEM = "urn:sunucoop"
RELATIONSHIP = {  # http://terminology.hl7.org/CodeSystem/subscriber-relationship
    Relation.HEAD: "self",
    Relation.SPOUSE: "spouse",
    Relation.CHILD: "child",
    Relation.OTHER: "other",
}
CLAIM_STATUS = {ClaimStatus.REJECTED: "cancelled"}  # the others are "active"
OUTCOME = {
    ClaimStatus.ENTERED: "queued",
    ClaimStatus.CHECKED: "queued",
    ClaimStatus.VALUATED: "complete",
    ClaimStatus.PAID: "complete",
    ClaimStatus.REJECTED: "error",
}


def _patient(person) -> dict:
    identifiers = [{"system": f"{SYSTEM}:person", "value": str(person.pk)}]
    if person.national_id:
        identifiers.append({"system": f"{SYSTEM}:national-id", "value": person.national_id})
    resource = {
        "resourceType": "Patient",
        "id": f"person-{person.pk}",
        "identifier": identifiers,
        "name": [{"family": person.last_name, "given": [person.first_name]}],
        "gender": {"F": "female", "M": "male"}.get(person.sex, "unknown"),
    }
    if person.birth_date:
        resource["birthDate"] = person.birth_date.isoformat()
    if person.phone:
        resource["telecom"] = [{"system": "phone", "value": person.phone}]
    return resource


def _coverage(member: HouseholdMember, scheme: Scheme, on: datetime.date) -> dict:
    household = member.household
    period = {"start": max(household.enrolled_on, member.joined_on).isoformat()}
    end = member.left_on or household.covered_until
    if end:
        period["end"] = end.isoformat()
    active = (
        member.left_on is None and bool(household.covered_until) and (household.covered_until >= on)
    )
    payor = (
        {
            "display": household.cooperative.name,
            "identifier": {
                "system": f"{SYSTEM}:cooperative",
                "value": str(household.cooperative_id),
            },
        }
        if household.cooperative_id
        else {"reference": f"Patient/person-{household.head_id}"}
    )
    return {
        "resourceType": "Coverage",
        "id": f"coverage-{member.pk}",
        "identifier": [{"system": f"{SYSTEM}:household", "value": str(household.pk)}],
        "status": "active" if active else "cancelled",
        "subscriber": {"reference": f"Patient/person-{household.head_id}"},
        "beneficiary": {"reference": f"Patient/person-{member.person_id}"},
        "relationship": {
            "coding": [
                {
                    "system": "http://terminology.hl7.org/CodeSystem/subscriber-relationship",
                    "code": RELATIONSHIP.get(member.relation, "other"),
                }
            ]
        },
        "period": period,
        "payor": [payor],
        "class": [
            {
                "type": {"coding": [{"code": "plan"}]},
                "value": str(scheme.pk),
                "name": scheme.name,
            }
        ],
    }


def _claim(claim: Claim, coverage_ids: dict) -> dict:
    items = [
        {
            "sequence": i,
            "productOrService": {
                "coding": [{"system": f"{SYSTEM}:tariff", "code": line.code or line.benefit}],
                "text": line.get_benefit_display(),
            },
            "servicedDate": claim.service_on.isoformat(),
            "quantity": {"value": line.quantity},
            "net": {"value": line.amount, "currency": "XOF"},
        }
        for i, line in enumerate(claim.lines.all(), start=1)
    ]
    coverage_id = coverage_ids.get((claim.household_id, claim.beneficiary_id))
    return {
        "resourceType": "Claim",
        "id": f"claim-{claim.pk}",
        "status": CLAIM_STATUS.get(claim.status, "active"),
        "type": {
            "coding": [
                {
                    "system": "http://terminology.hl7.org/CodeSystem/claim-type",
                    "code": "professional",
                }
            ]
        },
        "use": "claim",
        "patient": {"reference": f"Patient/person-{claim.beneficiary_id}"},
        "created": claim.created_at.date().isoformat(),
        "provider": {"display": claim.provider.name},
        "priority": {"coding": [{"code": "normal"}]},
        "insurance": [
            {
                "sequence": 1,
                "focal": True,
                "coverage": {"reference": f"Coverage/coverage-{coverage_id}"}
                if coverage_id
                else {"display": claim.scheme.name},
            }
        ],
        "item": items,
        "total": {"value": claim.amount, "currency": "XOF"},
        "extension": [
            {"url": f"{SYSTEM}:claim-outcome", "valueCode": OUTCOME[claim.status]},
            {"url": f"{SYSTEM}:benefit-paid", "valueInteger": claim.covered_amount},
        ],
    }


def bundle(*, scheme: Scheme, members, claims, on: datetime.date) -> dict:
    """A FHIR R4 Bundle (collection) of the scheme's enrolments and claims."""
    members = list(members)
    persons = {m.person_id: m.person for m in members}
    coverage_ids = {(m.household_id, m.person_id): m.pk for m in members}
    resources = [_patient(p) for _pid, p in sorted(persons.items())]
    resources += [_coverage(m, scheme, on) for m in members]
    resources += [_claim(c, coverage_ids) for c in claims]
    return {
        "resourceType": "Bundle",
        "type": "collection",
        "timestamp": datetime.datetime.combine(on, datetime.time()).isoformat() + "Z",
        "total": len(resources),
        "entry": [
            {"fullUrl": f"{SYSTEM}:{r['resourceType']}/{r['id']}", "resource": r} for r in resources
        ],
    }
