from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from geo.models import Area


@admin.register(Area)
class AreaAdmin(SimpleHistoryAdmin):
    list_display = ["code", "name", "level", "parent"]
    list_filter = ["level"]
    search_fields = ["code", "name", "search_text"]
    readonly_fields = ["path"]
    raw_id_fields = ["parent"]
