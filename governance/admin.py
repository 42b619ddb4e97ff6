from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from governance.models import Assembly, Attendance, Mandate, Resolution


@admin.register(Mandate)
class MandateAdmin(SimpleHistoryAdmin):
    list_display = ["cooperative", "body", "person", "office", "starts_on", "ends_on"]
    list_filter = ["body"]
    raw_id_fields = ["cooperative", "person", "elected_at"]


@admin.register(Assembly)
class AssemblyAdmin(SimpleHistoryAdmin):
    list_display = ["cooperative", "kind", "held_on", "notice_sent_on", "status"]
    list_filter = ["kind", "status"]
    raw_id_fields = ["cooperative"]


@admin.register(Attendance)
class AttendanceAdmin(SimpleHistoryAdmin):
    list_display = ["assembly", "person", "proxy_holder"]
    raw_id_fields = ["assembly", "person", "proxy_holder"]


@admin.register(Resolution)
class ResolutionAdmin(SimpleHistoryAdmin):
    list_display = ["assembly", "number", "title", "passed"]
    raw_id_fields = ["assembly"]
