from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from monitoring.models import Target


@admin.register(Target)
class TargetAdmin(SimpleHistoryAdmin):
    list_display = ["indicator", "area", "year", "value", "note"]
    list_filter = ["indicator", "year"]
    raw_id_fields = ["area"]
