from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from sync.models import PushedRecord


@admin.register(PushedRecord)
class PushedRecordAdmin(SimpleHistoryAdmin):
    """Read only: records change through sync.services (a push, a supervisor's decision)."""

    list_display = ["received_at", "kind", "uuid", "user", "device", "status", "code", "resolution"]
    list_filter = ["kind", "status", "resolution"]
    search_fields = ["uuid", "receipt", "device"]
    raw_id_fields = ["user", "area", "resolved_by"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
