"""The USSD menu (docs/ussd.md). Aggregators send, for each step of a session, everything
typed so far joined by ``*``; the menu replays it from the start and answers ``CON`` (more
to come) or ``END``. State kept between steps: the session's language at its start and
whether the PIN was verified (a PIN is checked once per session; a retried step gets the
stored answer again, so a wrong PIN is never counted twice)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from django.utils import translation

from core import dates
from core.errors import ValidationFailed
from messaging.selectors import recipient_language
from messaging.services import recipient_language_set
from registry.services import normalize_phone
from ussd import paying, screens, selectors, services
from ussd.screens import clip, fit, money, say

MAX_TEXT = 160


@dataclass
class Walk:
    """One replay of a session's inputs."""

    caller: selectors.Caller
    phone: str
    language: str
    verified: bool
    inputs: list[str]
    today: date
    position: int = 0
    changes: dict = field(default_factory=dict)

    def next_input(self) -> str | None:
        if self.position >= len(self.inputs):
            return None
        value = self.inputs[self.position]
        self.position += 1
        return value

    def con(self, key: str, **values) -> str:
        return fit("CON", say(self.language, key, **values))

    def end(self, key: str, **values) -> str:
        return fit("END", say(self.language, key, **values))

    @property
    def actor(self):
        return self.caller.pin.user


def answer(
    *, provider: str, session_id: str, phone: str, text: str, today: date | None = None
) -> str:
    """The answer to one step of a USSD session (``CON ...`` or ``END ...``)."""
    with translation.override("fr"):
        return _answer(provider, session_id, phone, text, today or dates.today())


def _answer(provider: str, session_id: str, raw_phone: str, text: str, today: date) -> str:
    if "\x00" in text or len(text) > MAX_TEXT:
        return fit("END", say("fr", "invalid_choice"))
    try:
        phone = normalize_phone(raw_phone[:40])
    except ValidationFailed:
        phone = ""
    caller = selectors.caller_get(phone) if phone else selectors.Caller(None, None)
    preferred = recipient_language(phone) if phone else ""
    language = preferred or "fr"
    if caller.ambiguous:
        return fit("END", say(language, "ambiguous"))
    if caller.person is None:
        return fit("END", say(language, "unknown_number"))
    if caller.pin is None:
        return fit("END", say(language, "no_pin"))
    session = services.session_open(
        provider=provider,
        session_id=session_id,
        phone=phone,
        person_id=caller.person.pk,
        language=preferred,
    )
    if session.last_response and session.last_text == text:
        return session.last_response  # the aggregator retried the same step
    walk = Walk(
        caller=caller,
        phone=phone,
        language=session.language,
        verified=session.verified,
        inputs=text.split("*") if text else [],
        today=today,
    )
    response = _walk(walk)
    services.session_record(
        session_id=session.pk, text=text, response=response, verified=walk.verified
    )
    return response


def _walk(walk: Walk) -> str:
    if not walk.language:
        choice = walk.next_input()
        if choice is None:
            return fit("CON", say("fr", "choose_language"))
        if choice not in ("1", "2"):
            return fit("END", say("fr", "invalid_choice"))
        walk.language = "fr" if choice == "1" else "wo"
        recipient_language_set(phone=walk.phone, language=walk.language)
    pin = walk.next_input()
    if pin is None:
        return walk.con("ask_pin", name=clip(walk.caller.person.first_name, 20))
    if not walk.verified:
        if walk.caller.pin.locked_at is not None:
            return walk.end("locked")
        correct, left = services.pin_attempt(pin_id=walk.caller.pin.pk, pin=pin)
        if not correct:
            return walk.end("wrong_pin", left=left) if left else walk.end("locked")
        walk.verified = True
    return _menu(walk)


def _menu(walk: Walk) -> str:
    while True:
        choice = walk.next_input()
        if choice is None:
            return walk.con("menu")
        if choice != "5":
            break
        walk.language = "wo" if walk.language == "fr" else "fr"
        recipient_language_set(phone=walk.phone, language=walk.language)
    screen = {"1": _next_due, "2": _shares, "3": _assembly, "4": paying.pay}.get(choice)
    return screen(walk) if screen else walk.end("invalid_choice")


def _next_due(walk: Walk) -> str:
    due = selectors.next_due(actor=walk.actor)
    if due is None:
        return walk.end("no_loan")
    text = say(
        walk.language,
        "next_due",
        loan=due.loan_id,
        number=due.number,
        amount=money(due.amount),
        due_on=due.due_on.strftime("%d/%m/%Y"),
    )
    if due.arrears > 0:
        text += say(walk.language, "arrears", amount=money(due.arrears), days=due.days_past_due)
    else:
        text += say(walk.language, "no_arrears")
    if due.other_loans:
        text += say(walk.language, "more_loans", n=due.other_loans)
    return fit("END", text)


def _shares(walk: Walk) -> str:
    lines = selectors.shares(actor=walk.actor, person=walk.caller.person)
    if not lines:
        return walk.end("no_shares")
    texts = [
        say(
            walk.language,
            "shares",
            coop=clip(line.cooperative, 60),
            shares=line.shares,
            subscribed=money(line.subscribed),
            paid=money(line.paid),
        )
        for line in lines[:2]
    ]
    body = "\n".join(texts)
    if len(screens.gsm(body)) > screens.MAX_CHARS - 4:
        body = texts[0]
    return fit("END", body)


def _assembly(walk: Walk) -> str:
    assembly = selectors.next_assembly(actor=walk.actor, person=walk.caller.person, on=walk.today)
    if assembly is None:
        return walk.end("no_assembly")
    place = f", {clip(assembly.place, 40)}" if assembly.place else ""
    return walk.end(
        "assembly",
        coop=clip(assembly.cooperative.name, 50),
        kind=str(assembly.get_kind_display()),
        held_on=assembly.held_on.strftime("%d/%m/%Y"),
        place=place,
    )
