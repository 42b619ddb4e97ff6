from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from ussd.models import UssdPin, UssdSession


@admin.register(UssdPin)
class UssdPinAdmin(SimpleHistoryAdmin):
    list_display = ["person", "failed_attempts", "locked_at", "set_at", "set_by"]
    raw_id_fields = ["person", "user", "set_by"]
    exclude = ["pin_hash"]


@admin.register(UssdSession)
class UssdSessionAdmin(admin.ModelAdmin):
    list_display = ["started_at", "provider", "session_id", "phone", "language", "verified"]
    search_fields = ["phone", "session_id"]
    readonly_fields = [
        f
        for f in (
            "provider",
            "session_id",
            "phone",
            "person",
            "language",
            "verified",
            "last_text",
            "last_response",
        )
    ]
