from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from knowledge.models import Answer, Item, Question, Version


@admin.register(Item)
class ItemAdmin(SimpleHistoryAdmin):
    list_display = ("__str__", "organisation", "kind", "country", "theme", "status")
    list_filter = ("status", "kind", "theme")


@admin.register(Version)
class VersionAdmin(SimpleHistoryAdmin):
    list_display = ("item", "language", "title")


@admin.register(Question)
class QuestionAdmin(SimpleHistoryAdmin):
    list_display = ("__str__", "organisation", "country", "to_country", "status")


@admin.register(Answer)
class AnswerAdmin(SimpleHistoryAdmin):
    list_display = ("__str__", "organisation", "country", "status")
