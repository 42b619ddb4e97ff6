from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from capital.models import ShareMovement, ShareOperation, Statutes


@admin.register(Statutes)
class StatutesAdmin(SimpleHistoryAdmin):
    list_display = ["cooperative", "share_value", "max_proxies_per_holder"]
    raw_id_fields = ["cooperative"]


@admin.register(ShareOperation)
class ShareOperationAdmin(SimpleHistoryAdmin):
    list_display = ["cooperative", "kind", "person", "shares", "amount", "effective_on", "status"]
    list_filter = ["kind", "status"]
    raw_id_fields = ["cooperative", "person", "to_person"]


@admin.register(ShareMovement)
class ShareMovementAdmin(admin.ModelAdmin):
    """Append-only: read-only in the admin."""

    list_display = ["cooperative", "person", "on", "shares", "subscribed", "paid"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
