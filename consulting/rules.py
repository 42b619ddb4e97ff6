"""Who may do what in consulting (docs/consulting.md, "Rôles"). The network's own roles
(network.rules.network_scope) plus the consultant's profile:

- anyone: read verified consultants, open support requests, the ESS fund's totals;
- any signed-in user: write their own consultant profile (pending until verified);
- a moderator of one of the consultant's countries, or an administrator: verify it;
- an organisation's users: publish its support requests, accept a proposal, sign and
  pay its engagements, open a dispute, rate the work;
- a verified consultant: propose on an open request (not on its own organisation's),
  see its engagements, open a dispute;
- the network's administrators: everything above, a split other than the default,
  payments recorded by hand, disputes resolved, the ESS fund's support.
"""

from __future__ import annotations

from network.rules import is_network_admin, network_scope


def consultant_of(actor):
    if actor is None or not getattr(actor, "is_authenticated", False):
        return None
    from consulting.models import ConsultantProfile

    return ConsultantProfile.objects.filter(user=actor).first()


def can_verify_consultant(actor, profile) -> bool:
    scope = network_scope(actor)
    return scope.admin or bool(set(profile.country_list) & scope.countries)


def is_client_member(actor, organisation_id: int) -> bool:
    return organisation_id in network_scope(actor).organisation_ids


def can_act_for_client(actor, engagement) -> bool:
    return is_client_member(actor, engagement.client_id) or is_network_admin(actor)


def is_engagement_consultant(actor, engagement) -> bool:
    return getattr(actor, "pk", None) is not None and engagement.consultant.user_id == actor.pk


def is_party(actor, engagement) -> bool:
    return is_client_member(actor, engagement.client_id) or is_engagement_consultant(
        actor, engagement
    )


def can_see_engagement(actor, engagement) -> bool:
    return is_party(actor, engagement) or is_network_admin(actor)


def can_request_consultant_payout(actor, kind: str) -> bool:
    """The payments app asks this (payments.rules.register_payout_requester): a consultant's
    payout is requested by the service that splits a client's payment, acting as the one
    who paid (a client organisation's user) or the administrator who recorded it."""
    if kind != "consultant":
        return False
    if is_network_admin(actor):
        return True
    from consulting.models import Engagement

    ids = network_scope(actor).organisation_ids
    return bool(ids) and Engagement.objects.filter(client_id__in=ids).exists()
