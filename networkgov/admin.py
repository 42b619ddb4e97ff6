from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from networkgov import models


@admin.register(models.DuesTariff)
class DuesTariffAdmin(SimpleHistoryAdmin):
    list_display = ("kind", "size", "amount")


@admin.register(models.Membership)
class MembershipAdmin(SimpleHistoryAdmin):
    list_display = ("organisation", "year", "dues", "paid", "due_on", "paid_on")
    list_filter = ("year",)
    raw_id_fields = ("organisation",)


@admin.register(models.NetworkAssembly)
class NetworkAssemblyAdmin(SimpleHistoryAdmin):
    list_display = ("title", "kind", "held_on", "status")


@admin.register(models.NetworkResolution)
class NetworkResolutionAdmin(SimpleHistoryAdmin):
    list_display = ("assembly", "number", "title", "passed")


@admin.register(models.NetworkVote)
class NetworkVoteAdmin(SimpleHistoryAdmin):
    list_display = ("resolution", "organisation", "choice", "cast_at")
    raw_id_fields = ("resolution", "organisation", "cast_by")


@admin.register(models.Delegate)
class DelegateAdmin(SimpleHistoryAdmin):
    list_display = ("assembly", "organisation", "user")
    raw_id_fields = ("organisation", "user")


@admin.register(models.Consultation)
class ConsultationAdmin(SimpleHistoryAdmin):
    list_display = ("title", "opens_on", "closes_on")


@admin.register(models.ConsultationAnswer)
class ConsultationAnswerAdmin(SimpleHistoryAdmin):
    list_display = ("consultation", "organisation", "answered_at")
    raw_id_fields = ("organisation", "answered_by")
