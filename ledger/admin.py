"""Admin: read-mostly views of the books. Entries are written only through ledger.services."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from ledger.models import (
    Account,
    FiscalYear,
    HolderFiscalYear,
    HolderPeriodLock,
    Journal,
    JournalEntry,
    JournalLine,
    MemberTransaction,
    PeriodLock,
    SurplusAllocation,
)


@admin.register(Account)
class AccountAdmin(SimpleHistoryAdmin):
    list_display = ["code", "label", "account_class", "active"]
    list_filter = ["account_class", "active"]
    search_fields = ["code", "label"]


@admin.register(Journal)
class JournalAdmin(SimpleHistoryAdmin):
    list_display = ["cooperative", "code", "label", "kind"]
    raw_id_fields = ["cooperative"]


class LineInline(admin.TabularInline):
    model = JournalLine
    fields = ["account", "debit", "credit", "person"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(JournalEntry)
class JournalEntryAdmin(SimpleHistoryAdmin):
    """Append-only: no add, change or delete here (post and reverse through the services)."""

    list_display = ["reference", "cooperative", "date", "label", "kind", "source"]
    list_filter = ["kind", "journal__code"]
    search_fields = ["search_text", "source_ref"]
    inlines = [LineInline]
    readonly_fields = [f.name for f in JournalEntry._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(PeriodLock)
class PeriodLockAdmin(SimpleHistoryAdmin):
    list_display = ["cooperative", "year", "month", "locked_by", "locked_at"]
    raw_id_fields = ["cooperative"]


@admin.register(FiscalYear)
class FiscalYearAdmin(SimpleHistoryAdmin):
    list_display = ["cooperative", "year", "result", "closed_on"]
    readonly_fields = ["closing_entry", "opening_entry"]
    raw_id_fields = ["cooperative"]


@admin.register(MemberTransaction)
class MemberTransactionAdmin(SimpleHistoryAdmin):
    list_display = ["cooperative", "person", "on", "amount", "label"]
    raw_id_fields = ["cooperative", "person"]


@admin.register(SurplusAllocation)
class SurplusAllocationAdmin(SimpleHistoryAdmin):
    list_display = ["cooperative", "year", "result", "general_reserve", "patronage", "retained"]
    readonly_fields = ["entry"]
    raw_id_fields = ["cooperative"]


@admin.register(HolderPeriodLock)
class HolderPeriodLockAdmin(SimpleHistoryAdmin):
    list_display = ["book", "year", "month", "locked_by", "locked_at"]
    raw_id_fields = ["book"]


@admin.register(HolderFiscalYear)
class HolderFiscalYearAdmin(SimpleHistoryAdmin):
    list_display = ["book", "year", "result", "reserves", "carried_forward", "closed_on"]
    readonly_fields = ["closing_entry", "allocation_entry"]
    raw_id_fields = ["book"]
