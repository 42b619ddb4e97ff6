"""Who may do what in the network's governance (docs/networkgov.md).

- anyone: the list of member organisations in good standing (names only);
- an organisation's accounts (``network.OrganisationMember``): its membership, paying its
  dues, the network's assemblies and consultations (reading); answering a consultation
  for its organisation;
- the organisation's owner (or the user it delegates for an assembly): its vote;
- the network's administrators: the tariff, the arrears, convening and closing
  assemblies, resolutions, consultations.
"""

from __future__ import annotations

from network.rules import network_scope


def is_admin(actor) -> bool:
    return network_scope(actor).admin


def acts_for(actor, organisation_id: int) -> bool:
    """One of the organisation's accounts."""
    return organisation_id in network_scope(actor).organisation_ids


def owns(actor, organisation_id: int) -> bool:
    return organisation_id in network_scope(actor).owned_ids


def follows_network(actor) -> bool:
    """Reads the assemblies and consultations: an organisation's account or an admin."""
    scope = network_scope(actor)
    return scope.admin or bool(scope.organisation_ids)


def can_pay_dues(actor, membership) -> bool:
    return acts_for(actor, membership.organisation_id) or is_admin(actor)
