from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from consulting.models import (
    Amendment,
    ConsultantProfile,
    Dispute,
    DisputeRefund,
    Engagement,
    EngagementPayment,
    EssSupport,
    Proposal,
    SupportRequest,
)


@admin.register(ConsultantProfile)
class ConsultantProfileAdmin(SimpleHistoryAdmin):
    list_display = ("name", "status", "countries", "day_rate")
    list_filter = ("status",)
    search_fields = ("name",)


@admin.register(SupportRequest)
class SupportRequestAdmin(SimpleHistoryAdmin):
    list_display = ("title", "organisation", "status")
    list_filter = ("status",)


@admin.register(Proposal)
class ProposalAdmin(SimpleHistoryAdmin):
    list_display = ("request", "consultant", "amount", "status")


@admin.register(Engagement)
class EngagementAdmin(SimpleHistoryAdmin):
    list_display = ("title", "client", "consultant", "amount", "status")
    list_filter = ("status",)


@admin.register(EngagementPayment)
class EngagementPaymentAdmin(admin.ModelAdmin):
    list_display = ("engagement", "amount", "paid_on", "consultant_share", "held")


@admin.register(Dispute)
class DisputeAdmin(SimpleHistoryAdmin):
    list_display = ("engagement", "opened_at", "resolved_at")


@admin.register(EssSupport)
class EssSupportAdmin(SimpleHistoryAdmin):
    list_display = ("description", "kind", "organisation", "amount", "on")


@admin.register(Amendment)
class AmendmentAdmin(SimpleHistoryAdmin):
    list_display = ("engagement", "side", "amount", "status")
    list_filter = ("status",)


@admin.register(DisputeRefund)
class DisputeRefundAdmin(SimpleHistoryAdmin):
    list_display = ("engagement", "amount", "consultant_part", "platform_part", "ess_part")
