"""Who may do what on the network portal (docs/network.md, "Rôles").

The network's roles are its own, separate from the programme's (accounts' roles):

- anyone, without an account: read the approved organisations, the projects of approved
  organisations and the campaigns; register an organisation; pledge;
- an organisation's users (``OrganisationMember``; one owner): edit their organisation,
  present projects, open campaigns once a moderator has checked their documents;
- a moderator (``NetworkStaff`` moderator of a country): moderate and verify that
  country's organisations;
- the network's administrators: everything, moderators' assignments, match funds,
  closing and suspending campaigns (and the payouts these cause);
- a match fund's managers (the sponsor's users): see what their fund did.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from network.models import NetworkStaff, OrganisationMember, StaffRole


@dataclass(frozen=True)
class NetworkScope:
    admin: bool = False
    countries: frozenset[str] = field(default_factory=frozenset)  # moderator of
    organisation_ids: frozenset[int] = field(default_factory=frozenset)  # member of
    owned_ids: frozenset[int] = field(default_factory=frozenset)  # owner of

    @property
    def is_staff(self) -> bool:
        return self.admin or bool(self.countries)


EMPTY = NetworkScope()


def network_scope(user) -> NetworkScope:
    """The user's network roles, read once per request (cached on the user object)."""
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return EMPTY
    cached = getattr(user, "_sunucoop_network_scope", None)
    if cached is not None:
        return cached
    admin, countries = False, set()
    for role, country in NetworkStaff.objects.filter(user=user).values_list("role", "country"):
        if role == StaffRole.ADMIN:
            admin = True
        elif role == StaffRole.MODERATOR:
            countries.add(country)
    orgs, owned = set(), set()
    for org_id, is_owner in OrganisationMember.objects.filter(user=user).values_list(
        "organisation_id", "is_owner"
    ):
        orgs.add(org_id)
        if is_owner:
            owned.add(org_id)
    scope = NetworkScope(admin, frozenset(countries), frozenset(orgs), frozenset(owned))
    user._sunucoop_network_scope = scope
    return scope


def is_network_admin(actor) -> bool:
    return network_scope(actor).admin


def can_moderate(actor, organisation) -> bool:
    scope = network_scope(actor)
    return scope.admin or organisation.country in scope.countries


def can_edit_organisation(actor, organisation) -> bool:
    return organisation.pk in network_scope(actor).organisation_ids or is_network_admin(actor)


def can_manage_members(actor, organisation) -> bool:
    return organisation.pk in network_scope(actor).owned_ids or is_network_admin(actor)


def can_suspend(actor, campaign) -> bool:
    """A moderator of the project's country, or an administrator, suspends a campaign."""
    scope = network_scope(actor)
    return scope.admin or campaign.project.country in scope.countries


def pledge_movable(pledge) -> bool:
    """The donor may still choose where the pledge goes if its campaign fails: an open
    all-or-nothing campaign, a pledge pending or paid (services.pledge_move_choose)."""
    campaign = pledge.campaign
    return (
        campaign.mode == "all_or_nothing"
        and campaign.state == "open"
        and pledge.status in ("pending", "paid")
    )


def can_request_network_payout(actor, kind: str) -> bool:
    """The payments app asks this (payments.rules.register_payout_requester): the network's
    administrators request the refunds and settlements of the campaigns they close; a
    moderator, the refunds of a campaign it suspends (services.campaign_suspend checks
    the country)."""
    scope = network_scope(actor)
    if kind == "refund":
        return scope.is_staff
    return kind == "settlement" and scope.admin
