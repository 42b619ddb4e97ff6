from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

# Cases and their timelines are deliberately not in the admin site: confidential files
# (the parties and the mediator only; docs/mediation.md).
from mediation.models import Mediator


@admin.register(Mediator)
class MediatorAdmin(SimpleHistoryAdmin):
    list_display = ("user", "languages", "active")
