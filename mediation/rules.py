"""Who may do what in mediation (docs/mediation.md).

- an organisation's accounts (network.rules.network_scope): file a dispute for their
  organisation; as a party, read the file and write in it;
- the other party's accounts (the respondent organisation; for a dispute with the
  platform, the network's administrators): the same;
- the appointed mediator: read, write, set meetings, close with an outcome;
- the network's administrators: keep the list of mediators, appoint one to a filed
  dispute (they see the queue: reference, nature, parties' names, never the file), read
  the statistics without names. Not being a party, they do NOT read the file.
"""

from __future__ import annotations

from network.rules import network_scope


def party_organisation_ids(case) -> set[int]:
    return {pk for pk in (case.complainant_id, case.respondent_id) if pk}


def is_party(user, case) -> bool:
    scope = network_scope(user)
    if party_organisation_ids(case) & set(scope.organisation_ids):
        return True
    if getattr(user, "pk", None) == case.filed_by_id:
        return True
    return bool(case.against_platform and scope.admin)


def is_case_mediator(user, case) -> bool:
    return (
        case.mediator_id is not None
        and getattr(user, "is_authenticated", False)
        and case.mediator.user_id == user.pk
    )


def may_read_file(user, case) -> bool:
    return is_party(user, case) or is_case_mediator(user, case)


def is_mediation_admin(user) -> bool:
    return network_scope(user).admin
