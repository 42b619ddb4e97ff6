"""What a device may send, kind by kind: each record goes through the same service as the
online form (so every rule, scope check and input limit applies), never a direct write.

A handler takes the acting user, the record's ``data`` (the resource's POST fields) and
its ``base_version``; it returns an :class:`Outcome` or raises a domain error (the record is
``rejected`` with its code), :class:`Stale` (a ``conflict``: nothing overwritten) or
:class:`ParentMissing` (the record waits for its parent, sent later or in the same batch).
"""

from __future__ import annotations

import base64
import binascii
import datetime
import uuid
from dataclasses import dataclass, field
from typing import Annotated

from django.utils.translation import gettext_lazy as _
from ninja import Schema
from pydantic import Field, StringConstraints

from core.errors import NotFound, ValidationFailed
from core.money import Amount
from credit import selectors as credit_selectors
from credit import services as credit_services
from credit.models import Channel
from geo.selectors import area_get
from purchasing import selectors as purchasing_selectors
from purchasing import services as purchasing_services
from registry import selectors as registry_selectors
from registry import services as registry_services
from sync.errors import Code
from sync.models import PushedRecord, RecordStatus
from sync.pull import attendance_data, person_data, version_of
from training import selectors as training_selectors
from training import services as training_services
from training.models import Attendance
from valuechain import selectors as valuechain_selectors
from valuechain import services as valuechain_services
from valuechain.rules import can_operate, require

# A photo taken on the device, compressed there (a data: URL of a JPEG or WebP).
PHOTO_MAX_CHARS = 400_000


class ParentMissing(Exception):
    """The record names a record made on a device that has not arrived yet."""


class Stale(Exception):
    """``base_version`` is not the current version: nothing is written."""

    def __init__(self, server_data: dict, area=None):
        super().__init__("stale")
        self.server_data = server_data
        self.area = area  # where the record lies: who may decide


@dataclass
class Outcome:
    object_id: int
    area: object = None
    code: str = ""
    message: str = ""
    extra: dict = field(default_factory=dict)


Ref = int | uuid.UUID


def resolve(kind: str, ref: Ref, *, actor) -> int:
    """An id, or the id of the record a device created under that UUID."""
    if isinstance(ref, int):
        return ref
    pk = (
        PushedRecord.objects.filter(uuid=ref, kind=kind, status=RecordStatus.APPLIED)
        .values_list("object_id", flat=True)
        .first()
    )
    if pk is None:
        raise ParentMissing(kind)
    return pk


def _commune(code: str | None):
    if not code:
        return None
    try:
        return area_get(code=code)
    except NotFound as exc:
        raise ValidationFailed(
            _("Commune inconnue."), code=Code.UNKNOWN_AREA, field="commune"
        ) from exc


# --- person ------------------------------------------------------------------------------


class PersonData(Schema):
    id: int | None = None
    first_name: str = ""
    last_name: str = ""
    sex: str = ""
    birth_date: datetime.date | None = None
    phone: str = ""
    national_id: str | None = None
    commune: str | None = None


def _person_current(actor, pk: int) -> dict:
    row = (
        registry_selectors.person_list(actor=actor)
        .filter(pk=pk)
        .values(
            "id",
            "first_name",
            "last_name",
            "sex",
            "birth_date",
            "phone",
            "national_id",
            "commune__code",
        )
        .first()
    )
    return person_data(row)


def person_apply(*, actor, data: dict, base_version: str, force: bool = False) -> Outcome:
    d = PersonData(**data)
    fields = d.dict(exclude={"id"}, exclude_unset=True)
    if "commune" in fields:
        fields["commune"] = _commune(d.commune)
    if d.id is not None:
        person = registry_selectors.person_get(actor=actor, pk=d.id)
        current = _person_current(actor, d.id)
        if not force and base_version != version_of(current):
            raise Stale(current, area=person.commune)
        person = registry_services.person_update(actor=actor, person=person, **fields)
        return Outcome(person.pk, area=person.commune)
    person = registry_services.person_create(actor=actor, **fields)
    duplicates = list(
        registry_selectors.person_duplicates(actor=actor, person=person).values_list(
            "pk", flat=True
        )
    )
    if duplicates:
        return Outcome(
            person.pk,
            area=person.commune,
            code="possible_duplicate",
            message=str(
                _("Enregistrée, mais ressemble à une personne existante : à vérifier (doublons).")
            ),
            extra={"likely_duplicates": duplicates},
        )
    return Outcome(person.pk, area=person.commune)


# --- membership --------------------------------------------------------------------------


class MembershipData(Schema):
    cooperative: int
    person: Ref
    joined_on: datetime.date
    role: str = "membre"


def membership_apply(*, actor, data: dict, base_version: str, force: bool = False) -> Outcome:
    d = MembershipData(**data)
    person_id = resolve("person", d.person, actor=actor)
    coop = registry_selectors.cooperative_get(actor=actor, pk=d.cooperative)
    person = registry_selectors.person_get(actor=actor, pk=person_id)
    m = registry_services.member_admit(
        actor=actor, cooperative=coop, person=person, joined_on=d.joined_on, role=d.role
    )
    return Outcome(m.pk, area=coop.commune)


# --- visit -------------------------------------------------------------------------------


class ActionData(Schema):
    description: str
    owner: str
    due_on: datetime.date


class Position(Schema):
    lat: float = Field(ge=-90, le=90)
    lon: float = Field(ge=-180, le=180)
    accuracy: float | None = Field(None, ge=0, le=100_000)


class VisitData(Schema):
    cooperative: int
    visited_on: datetime.date
    purpose: str
    findings: str = ""
    actions: list[ActionData] = []
    position: Position | None = None
    photo: Annotated[str, StringConstraints(max_length=PHOTO_MAX_CHARS)] | None = None


def _photo_bytes(photo: str | None) -> bytes | None:
    """The image of a ``data:`` URL (its type is checked by the service, from its bytes)."""
    if not photo:
        return None
    try:
        return base64.b64decode(photo.partition(",")[2], validate=True)
    except (binascii.Error, ValueError):
        raise ValidationFailed(
            _("La photo doit être une image JPEG ou WebP."), code=Code.INVALID, field="photo"
        ) from None


def visit_apply(*, actor, data: dict, base_version: str, force: bool = False) -> Outcome:
    d = VisitData(**data)
    if d.photo and not d.photo.startswith(("data:image/jpeg;base64,", "data:image/webp;base64,")):
        raise ValidationFailed(
            _("La photo doit être une image JPEG ou WebP."), code=Code.INVALID, field="photo"
        )
    coop = training_selectors.followed_cooperative_get(actor=actor, pk=d.cooperative)
    visit = training_services.visit_record(
        actor=actor,
        cooperative=coop,
        visited_on=d.visited_on,
        purpose=d.purpose,
        findings=d.findings,
        actions=[a.dict() for a in d.actions],
        position=d.position.dict() if d.position else None,
        photo=_photo_bytes(d.photo),
    )
    return Outcome(visit.pk, area=coop.commune)


# --- attendance --------------------------------------------------------------------------


class AttendanceData(Schema):
    session: int
    person: Ref
    day: datetime.date
    present: bool


def attendance_apply(*, actor, data: dict, base_version: str, force: bool = False) -> Outcome:
    d = AttendanceData(**data)
    person_id = resolve("person", d.person, actor=actor)
    session = training_selectors.session_get(actor=actor, pk=d.session)
    participant = (
        training_selectors.participant_list(actor=actor, session=session)
        .filter(person_id=person_id)
        .first()
    )
    if participant is None:
        raise ValidationFailed(
            _("Cette personne n'est pas inscrite à la session."),
            code=Code.NOT_ENROLLED,
            field="person",
        )
    existing = Attendance.objects.filter(participant=participant, day=d.day).first()
    if existing is not None and existing.present != d.present and not force:
        current = attendance_data(existing.present)
        if base_version != version_of(current):
            server = {**current, "session": session.pk, "person": person_id, "day": str(d.day)}
            raise Stale(server, area=session.commune)
    attendance = training_services.attendance_record(
        actor=actor, session=session, person=participant.person, day=d.day, present=d.present
    )
    return Outcome(attendance.pk, area=session.commune)


# --- repayment ---------------------------------------------------------------------------


class RepaymentData(Schema):
    loan: int
    amount: Amount
    paid_on: datetime.date
    channel: str = Channel.CASH
    reference: Annotated[str, StringConstraints(max_length=80)] = ""


def repayment_apply(
    *, actor, data: dict, base_version: str, force: bool = False, uuid=None, device=""
) -> Outcome:
    d = RepaymentData(**data)
    receipt = d.reference.strip()
    if d.channel == Channel.CASH and not receipt:
        raise ValidationFailed(
            _("Indiquez le numéro du reçu remis pour un paiement en espèces."),
            code=Code.REQUIRED,
            field="reference",
        )
    if receipt and device:
        reused = PushedRecord.objects.filter(
            kind="repayment", device=device, receipt=receipt, status=RecordStatus.APPLIED
        ).exclude(uuid=uuid)
        if reused.exists():
            raise ValidationFailed(
                _("Ce numéro de reçu a déjà servi sur cet appareil."),
                code=Code.RECEIPT_REUSED,
                field="reference",
            )
    loan = credit_selectors.loan_get(actor=actor, pk=d.loan)
    repayment = credit_services.repayment_post(
        actor=actor,
        loan=loan,
        amount=d.amount,
        paid_on=d.paid_on,
        channel=d.channel,
        reference=receipt,
        idempotency_key=f"sync:{uuid}" if uuid else None,
    )
    return Outcome(repayment.pk, area=loan.area)


# --- market price ------------------------------------------------------------------------


class PriceData(Schema):
    product: int
    area: str
    price: int = Field(ge=1, le=10**12)
    observed_on: datetime.date
    source: str = ""


def price_apply(*, actor, data: dict, base_version: str, force: bool = False) -> Outcome:
    d = PriceData(**data)
    try:
        area = area_get(code=d.area)
    except NotFound as exc:
        raise ValidationFailed(_("Zone inconnue."), code=Code.UNKNOWN_AREA, field="area") from exc
    price = purchasing_services.market_price_record(
        actor=actor,
        product=purchasing_selectors.product_get(actor=actor, pk=d.product),
        area=area,
        price=d.price,
        observed_on=d.observed_on,
        source=d.source,
    )
    return Outcome(price.pk, area=area)


# --- shop sale ---------------------------------------------------------------------------

# Lines and payments of one sale (the till's own limits are the service's).
SALE_MAX_ITEMS = 50


class SaleLineData(Schema):
    lot: int
    quantity: int = Field(ge=-(10**9), le=10**9)
    unit_price: int = Field(ge=-(10**12), le=10**12)


class SalePaymentData(Schema):
    channel: Annotated[str, StringConstraints(max_length=20)] = "cash"
    amount: int = Field(ge=-(10**12), le=10**12)
    reference: Annotated[str, StringConstraints(max_length=80)] = ""


class SaleData(Schema):
    site: int
    sold_at: datetime.datetime
    till: int | None = None
    buyer_phone: Annotated[str, StringConstraints(max_length=20)] = ""
    lines: list[SaleLineData] = Field(max_length=SALE_MAX_ITEMS)
    payments: list[SalePaymentData] = Field(max_length=SALE_MAX_ITEMS)


def sale_apply(
    *, actor, data: dict, base_version: str, force: bool = False, uuid=None, device=""
) -> Outcome:
    """A shop sale made offline: ``valuechain``'s ``sale_record`` with the record's UUID as
    its ``client_uuid``, so that the same sale sent by the till page and by this push is
    written once. A shop the user does not see is ``not_found``, one they may not sell at
    ``forbidden`` (before its lots are looked up)."""
    d = SaleData(**data)
    site = valuechain_selectors.site_get(actor=actor, pk=d.site)
    require(can_operate(actor, site))
    till = valuechain_selectors.till_get(actor=actor, pk=d.till) if d.till else None
    lot_get = valuechain_selectors.lot_get
    lines = [
        (lot_get(actor=actor, pk=ln.lot, field="lines"), ln.quantity, ln.unit_price)
        for ln in d.lines
    ]
    sale, _created = valuechain_services.sale_record(
        actor=actor,
        client_uuid=uuid,
        site=site,
        sold_at=d.sold_at,
        lines=lines,
        payments=[(p.channel, p.amount, p.reference) for p in d.payments],
        till=till,
        buyer_phone=d.buyer_phone,
    )
    return Outcome(sale.pk, area=site.commune)


def stored_data(kind: str, data: dict) -> dict:
    """What is kept of a record's ``data`` on its row: all of it, but a visit's photo,
    which is kept once, with the visit (``training.VisitPhoto``)."""
    if kind == "visit" and data.get("photo"):
        return {**data, "photo": "kept with the visit"}
    return data


HANDLERS = {
    "person": person_apply,
    "membership": membership_apply,
    "visit": visit_apply,
    "attendance": attendance_apply,
    "repayment": repayment_apply,
    "price": price_apply,
    "sale": sale_apply,
}
