"""Fees paid before fees were booked (docs/events.md, "Fees paid before the books"): the
payout's commit (8c2a057) began booking each fee when paid (552 → 4197); the fees paid
earlier have no entry, and an event settled since took 4197 below zero. Booked here
exactly once: each entry is posted once per (source, reference), as the payment would
have posted it, so running it twice (or twice at once) books nothing more."""

from __future__ import annotations

from core.services import service
from events import books
from events.selectors import fees_missing_from_books


@service
def fees_book_missing(*, actor) -> dict:
    """Book every fee applied to a registration that has no entry yet, on the day it was
    paid (a network administrator). Answers ``{"booked": n, "amount": francs}``: what
    this run posted."""
    booked = amount = 0
    for registration, intent in fees_missing_from_books(actor=actor):
        if books.fee_received(registration, intent) is not None:
            booked, amount = booked + 1, amount + intent.amount
    return {"booked": booked, "amount": amount}
