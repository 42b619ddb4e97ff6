from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from credit.models import Lender


@admin.register(Lender)
class LenderAdmin(SimpleHistoryAdmin):
    list_display = ["name", "kind", "area"]
