"""The roles as ``rules`` predicates, shared by every app's ``rules.py``, and who may
revoke an API token.

A role is read from the user's :class:`accounts.scoping.Scope` (one query per request);
an app combines these with its own object predicates (``is_national | is_agent_of_...``).
Where an agent's area matters, ``scope.covers(area)`` is the one test.
"""

from __future__ import annotations

import rules

from accounts.scoping import scope_for


@rules.predicate
def is_national(user) -> bool:
    return scope_for(user).national


@rules.predicate
def is_agent(user) -> bool:
    """A field agent (of any area)."""
    return bool(scope_for(user).area_paths)


@rules.predicate
def is_officer(user) -> bool:
    """An officer of some cooperative."""
    return bool(scope_for(user).cooperative_ids)


@rules.predicate
def is_lender(user) -> bool:
    return bool(scope_for(user).lender_ids)


@rules.predicate
def is_member(user) -> bool:
    return bool(scope_for(user).person_ids)


# The programme's staff: the ministry and its field agents (organise, follow, set up).
is_field_staff = is_national | is_agent


@rules.predicate
def is_token_holder(user, token) -> bool:
    return token is not None and token.user_id == getattr(user, "pk", None)


can_revoke_token = is_token_holder

rules.add_rule("accounts.revoke_token", can_revoke_token)
