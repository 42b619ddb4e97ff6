"""Books API: journal entries (GET, POST) and the trial balance of a cooperative."""

import datetime

from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import LimitOffsetPagination, paginate

from core.dates import QueryDate
from core.limits import check_text
from core.money import MAX_AMOUNT
from ledger import selectors, services

router = Router(tags=["ledger"])


class LineIn(Schema):
    account: str = Field(max_length=10)
    debit: int = Field(0, ge=0, le=MAX_AMOUNT)
    credit: int = Field(0, ge=0, le=MAX_AMOUNT)


class EntryIn(Schema):
    journal: str
    date: datetime.date
    label: str
    lines: list[LineIn]


class LineOut(Schema):
    account: str
    label: str
    debit: int
    credit: int
    person: int | None = None


class EntryOut(Schema):
    id: int
    reference: str
    journal: str
    fiscal_year: int
    number: int
    date: datetime.date
    label: str
    kind: str
    source: str
    source_ref: str
    reverses: int | None
    lines: list[LineOut]

    @staticmethod
    def resolve_journal(obj):
        return obj.journal.code

    @staticmethod
    def resolve_reverses(obj):
        return obj.reverses_id

    @staticmethod
    def resolve_lines(obj):
        return [
            {
                "account": ln.account.code,
                "label": ln.account.label,
                "debit": ln.debit,
                "credit": ln.credit,
                "person": ln.person_id,
            }
            for ln in obj.lines.all()
        ]


class EntryFilters(Schema):
    journal: str | None = None
    date_from: QueryDate | None = Field(None, alias="from")
    date_to: QueryDate | None = Field(None, alias="to")
    account: str | None = None
    q: str | None = None


class PeriodFilters(Schema):
    date_from: QueryDate | None = Field(None, alias="from")
    date_to: QueryDate | None = Field(None, alias="to")


class TrialBalanceRow(Schema):
    account: str
    label: str
    debit: int
    credit: int
    balance: int


@router.get("/cooperatives/{coop_id}/journal-entries", response=list[EntryOut])
@paginate(LimitOffsetPagination)
def journal_entries(request, coop_id: int, filters: Query[EntryFilters]):
    coop = selectors.books_cooperative_get(actor=request.auth, pk=coop_id)
    return selectors.journal_entry_list(
        actor=request.auth, cooperative=coop, **filters.model_dump()
    )


@router.post("/cooperatives/{coop_id}/journal-entries", response={201: EntryOut})
def journal_entry_create(request, coop_id: int, payload: EntryIn):
    coop = selectors.books_cooperative_get(actor=request.auth, pk=coop_id)
    key = check_text(
        request.headers.get("Idempotency-Key", ""), field="Idempotency-Key", max_length=80
    )
    entry = services.entry_post(
        actor=request.auth,
        cooperative=coop,
        journal=payload.journal,
        on=payload.date,
        label=payload.label,
        lines=[(ln.account, ln.debit, ln.credit) for ln in payload.lines],
        source="api" if key else "",
        source_ref=key,
    )
    return Status(201, selectors.journal_entry_get(actor=request.auth, pk=entry.pk))


@router.get("/cooperatives/{coop_id}/trial-balance", response=list[TrialBalanceRow])
def trial_balance(request, coop_id: int, period: Query[PeriodFilters]):
    coop = selectors.books_cooperative_get(actor=request.auth, pk=coop_id)
    return selectors.trial_balance(actor=request.auth, cooperative=coop, **period.model_dump())
