from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from messaging.models import DeliveryReceipt, InboundSms, Recipient, SmsMessage, SmsTemplate


@admin.register(SmsTemplate)
class SmsTemplateAdmin(SimpleHistoryAdmin):
    list_display = ["kind", "language", "updated_at"]
    list_filter = ["language"]


@admin.register(Recipient)
class RecipientAdmin(SimpleHistoryAdmin):
    list_display = ["phone", "language", "opted_out", "opt_out_source", "changed_at"]
    list_filter = ["opted_out", "language"]
    search_fields = ["phone"]


class ReadOnlyAdmin(admin.ModelAdmin):
    """Logs written by the gateway's answers: read only."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(SmsMessage)
class SmsMessageAdmin(ReadOnlyAdmin):
    list_display = ["created_at", "kind", "phone", "parts", "status", "backend", "provider_id"]
    list_filter = ["status", "kind", "backend"]
    search_fields = ["phone", "provider_id"]


@admin.register(DeliveryReceipt)
class DeliveryReceiptAdmin(ReadOnlyAdmin):
    list_display = ["received_at", "provider_id", "status", "message"]


@admin.register(InboundSms)
class InboundSmsAdmin(ReadOnlyAdmin):
    list_display = ["received_at", "phone", "text", "action"]
