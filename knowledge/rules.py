"""Who may do what with the network's shared knowledge (docs/knowledge.md).

- anyone, without an account: read the published items, the visible questions and
  answers;
- an approved organisation's accounts (network.rules.network_scope): propose items for
  their organisation, add or edit its language versions, ask and answer questions;
- a moderator of a country: publish or hide the items about that country or written by
  that country's organisations, hide or show the questions and answers of that country's
  organisations; the network's administrators: every country.
"""

from __future__ import annotations

from network.rules import network_scope


def is_author(actor, item) -> bool:
    return item.organisation_id in network_scope(actor).organisation_ids


def can_moderate_country(actor, *countries: str) -> bool:
    scope = network_scope(actor)
    return scope.admin or bool(set(countries) & scope.countries)


def can_moderate_item(actor, item) -> bool:
    return can_moderate_country(actor, item.country, item.organisation.country)


def can_moderate_post(actor, post) -> bool:
    """A question or an answer: the moderators of its organisation's country."""
    return can_moderate_country(actor, post.country)


def is_moderator(actor) -> bool:
    return network_scope(actor).is_staff
