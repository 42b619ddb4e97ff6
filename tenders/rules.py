"""Who may do what on the calls for tenders (docs/tenders.md, "Rôles").

- anyone: read the calls, their documents and the answered questions;
- a signed-in user: ask a question before the deadline;
- an organisation's accounts (network.rules.network_scope): submit their organisation's
  offer before the deadline and read it (never another's);
- the buyer's accounts and the network's administrators: publish, add documents, answer
  questions, name the evaluators, award; they see NO offer before the deadline;
- a named evaluator: once the deadline passed and they declared no conflict of interest,
  read and score every offer.
"""

from __future__ import annotations

from network.rules import network_scope


def can_act_for(actor, organisation) -> bool:
    return organisation.pk in network_scope(actor).organisation_ids


def is_buyer(actor, tender) -> bool:
    """The buyer's accounts, or the network's administrators (who run the network's calls)."""
    scope = network_scope(actor)
    return scope.admin or tender.buyer_id in scope.organisation_ids


def can_publish_for(actor, organisation) -> bool:
    return network_scope(actor).admin or can_act_for(actor, organisation)
