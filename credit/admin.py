from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from credit.models import (
    Lender,
    Loan,
    LoanChangeRequest,
    LoanEvent,
    LoanProduct,
    RecoveryAction,
    Reminder,
    Repayment,
    UsuryCap,
)


@admin.register(Lender)
class LenderAdmin(SimpleHistoryAdmin):
    list_display = ["name", "kind", "area"]


@admin.register(UsuryCap)
class UsuryCapAdmin(SimpleHistoryAdmin):
    list_display = ["category", "rate", "effective_from", "source"]


@admin.register(LoanProduct)
class LoanProductAdmin(SimpleHistoryAdmin):
    list_display = [
        "name",
        "lender",
        "interest_method",
        "annual_rate",
        "term_months",
        "effective_rate",
        "active",
    ]
    list_filter = ["lender", "active"]
    readonly_fields = ["effective_rate"]


class ReadOnlyMoneyAdmin(admin.ModelAdmin):
    """Money rows are append-only: changes go through the services (reversals)."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Loan)
class LoanAdmin(SimpleHistoryAdmin):
    list_display = ["id", "lender", "product", "borrower", "principal", "status", "days_past_due"]
    list_filter = ["status", "lender"]
    readonly_fields = [f.name for f in Loan._meta.fields]

    def has_add_permission(self, request):
        return False


@admin.register(Repayment)
class RepaymentAdmin(ReadOnlyMoneyAdmin):
    list_display = ["id", "loan", "amount", "paid_on", "channel", "reverses"]


@admin.register(LoanEvent)
class LoanEventAdmin(ReadOnlyMoneyAdmin):
    list_display = ["loan", "kind", "on", "actor", "at"]


@admin.register(LoanChangeRequest)
class LoanChangeRequestAdmin(SimpleHistoryAdmin):
    list_display = ["loan", "kind", "on", "status", "requested_by", "decided_by"]


@admin.register(RecoveryAction)
class RecoveryActionAdmin(SimpleHistoryAdmin):
    list_display = ["loan", "kind", "on", "promise_amount", "promise_on", "actor"]


@admin.register(Reminder)
class ReminderAdmin(ReadOnlyMoneyAdmin):
    list_display = ["loan", "kind", "days", "sent_on", "phone"]
