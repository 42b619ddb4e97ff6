from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from events.models import Event, EventSettlement, Registration, Resource


@admin.register(Event)
class EventAdmin(SimpleHistoryAdmin):
    list_display = ("title", "kind", "organiser", "country", "starts_at", "fee")


@admin.register(Registration)
class RegistrationAdmin(SimpleHistoryAdmin):
    list_display = ("event", "participant_name", "organisation", "status", "attended")


@admin.register(Resource)
class ResourceAdmin(SimpleHistoryAdmin):
    list_display = ("event", "kind", "title")


@admin.register(EventSettlement)
class EventSettlementAdmin(SimpleHistoryAdmin):
    list_display = ("event", "collected", "commission", "net", "settled_at", "paid_out_at")
