"""Every write of the USSD app: PINs (set by an agent, checked with a lock after
``USSD_PIN_MAX_ATTEMPTS`` wrong ones) and sessions."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import check_password, make_password
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Role, RoleAssignment
from accounts.services import role_assign
from core.errors import Forbidden, ValidationFailed
from core.services import service
from registry.models import Person
from ussd import rules
from ussd.errors import Code
from ussd.models import UssdPin, UssdSession

TRIVIAL_PINS = frozenset(
    {
        "0123",
        "1234",
        "2345",
        "3456",
        "4567",
        "5678",
        "6789",
        "9876",
        "4321",
        "123456",
        "654321",
        "1212",
        "2580",
    }
)


def max_attempts() -> int:
    return int(getattr(settings, "USSD_PIN_MAX_ATTEMPTS", 3))


def _check_pin_value(pin: str) -> str:
    pin = str(pin or "")
    if "\x00" in pin or not pin.isdigit() or not 4 <= len(pin) <= 6 or not pin.isascii():
        raise ValidationFailed(
            _("Le code PIN doit compter 4 à 6 chiffres."), code=Code.INVALID_PIN, field="pin"
        )
    if len(set(pin)) == 1 or pin in TRIVIAL_PINS:
        raise ValidationFailed(
            _("Ce code PIN est trop facile à deviner : choisissez-en un autre."),
            code=Code.WEAK_PIN,
            field="pin",
        )
    return pin


def _member_login(person: Person, actor):
    """The person's member login (created without a password when missing)."""
    assignment = (
        RoleAssignment.objects.filter(role=Role.MEMBER, person=person, user__is_active=True)
        .select_related("user")
        .order_by("pk")
        .first()
    )
    if assignment is not None:
        return assignment.user
    User = get_user_model()
    username = f"membre-{person.pk}"
    user = User.objects.filter(username=username).first()
    if user is None:
        user = User(
            username=username, first_name=person.first_name[:150], last_name=person.last_name[:150]
        )
        user.set_unusable_password()
        user.save()
    role_assign(user=user, role=Role.MEMBER, person=person, actor=actor)
    return user


@service
def ussd_pin_set(*, person: Person, pin: str, actor) -> UssdPin:
    """Set (or reset, which also unlocks) the member's PIN. ``person`` was fetched through
    a selector with ``actor`` (out of scope: NotFound before this)."""
    if not rules.may_set_pins(actor):
        raise Forbidden(_("Seuls les agents et le niveau national définissent les codes PIN."))
    pin = _check_pin_value(pin)
    if not person.phone:
        raise ValidationFailed(
            _("Cette personne n'a pas de numéro de téléphone : ajoutez-le d'abord."),
            code=Code.NO_PHONE,
            field="pin",
        )
    user = _member_login(person, actor)
    values = {
        "user": user,
        "pin_hash": make_password(pin),
        "failed_attempts": 0,
        "locked_at": None,
        "set_at": timezone.now(),
        "set_by": actor if getattr(actor, "pk", None) else None,
    }
    existing = UssdPin.objects.select_for_update().filter(person=person).first()
    if existing is None:
        return UssdPin.objects.create(person=person, **values)
    for key, value in values.items():
        setattr(existing, key, value)
    existing.save()
    return existing


@service
def pin_attempt(*, pin_id: int, pin: str) -> tuple[bool, int]:
    """Check ``pin``; returns (correct, attempts left). The row is locked while counting;
    a locked PIN never verifies. Reaching the maximum locks it until an agent resets it."""
    row = UssdPin.objects.select_for_update().get(pk=pin_id)
    limit = max_attempts()
    if row.locked_at is not None:
        return False, 0
    if check_password(str(pin)[:12], row.pin_hash):
        if row.failed_attempts:
            UssdPin.objects.filter(pk=row.pk).update(failed_attempts=0)
        return True, limit
    failed = row.failed_attempts + 1  # the row is locked: no other attempt counts meanwhile
    row.failed_attempts = failed
    if failed >= limit:
        row.locked_at = timezone.now()
    row.save(update_fields=["failed_attempts", "locked_at"])
    return False, max(0, limit - failed)


@service(
    texts=(
        (UssdSession, {"provider": "provider", "session_id": "session_id", "language": "language"}),
    )
)
def session_open(
    *, provider: str, session_id: str, phone: str, person_id: int | None, language: str
) -> UssdSession:
    session, _created = UssdSession.objects.select_for_update().get_or_create(
        provider=provider,
        session_id=session_id,
        defaults={"phone": phone, "person_id": person_id, "language": language},
    )
    return session


@service
def session_record(
    *, session_id: int, text: str, response: str, verified: bool | None = None
) -> None:
    fields = {
        "last_text": text[:200],
        "last_response": response[:200],
        "updated_at": timezone.now(),
    }
    if verified is not None:
        fields["verified"] = verified
    UssdSession.objects.filter(pk=session_id).update(**fields)


def pins_merge_person(*, keep: Person, duplicate: Person, actor, reason: str) -> None:
    """Hook of :func:`registry.services.person_merge`: the duplicate's PIN becomes the kept
    person's when the kept person has none; when both have one, the kept person's PIN
    stays and the duplicate's is removed (its history keeps the trace). Sessions follow."""
    pin = UssdPin.objects.select_for_update().filter(person=duplicate).first()
    if pin is not None:
        if UssdPin.objects.filter(person=keep).exists():
            pin._change_reason = reason
            pin.delete()
        else:
            pin.person = keep
            pin._change_reason = reason
            pin.save(update_fields=["person"])
    UssdSession.objects.filter(person=duplicate).update(person=keep)
