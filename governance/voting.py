"""Quorum and majority arithmetic, exact (fractions, no rounding)."""

from __future__ import annotations

from fractions import Fraction


def as_fraction(value: str) -> Fraction:
    return Fraction(value or "0")


def quorum_met(voters: int, members: int, quorum: str) -> bool:
    """``voters`` (present + represented) reach ``quorum`` of ``members``."""
    if members <= 0:
        return False
    return Fraction(voters) >= as_fraction(quorum) * members


def majority_met(votes_for: int, votes_against: int, majority: str) -> bool:
    """Majority of the votes cast (abstentions are not votes cast).

    ``1/2`` is the simple majority: strictly more than half. Other fractions: at least.
    """
    cast = votes_for + votes_against
    if cast <= 0:
        return False
    needed = as_fraction(majority)
    if needed == Fraction(1, 2):
        return votes_for * 2 > cast
    return Fraction(votes_for) >= needed * cast


def resolution_passes(
    *, quorum_reached: bool, votes_for: int, votes_against: int, majority: str
) -> bool:
    """A resolution is adopted when the quorum is reached and the majority of the votes
    cast is met: without the quorum, no resolution passes (the cooperatives' assemblies
    and the network's use this one rule)."""
    return quorum_reached and majority_met(votes_for, votes_against, majority)
