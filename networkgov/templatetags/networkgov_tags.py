"""The governance menu's links, shown only to who may follow them (networkgov.rules)."""

from django import template

from networkgov import rules

register = template.Library()


@register.simple_tag
def governance_links(user) -> dict:
    return {
        "membership": bool(rules.network_scope(user).organisation_ids),
        "network_life": rules.follows_network(user),
    }
