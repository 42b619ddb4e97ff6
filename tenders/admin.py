from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

# Offers (Submission) are deliberately not in the admin site: sealed until the deadline.
from tenders.models import Evaluator, Question, Tender


@admin.register(Tender)
class TenderAdmin(SimpleHistoryAdmin):
    list_display = ("title", "buyer", "country", "deadline", "awarded_at")
    list_filter = ("country", "buyer_kind")
    search_fields = ("title",)
    exclude = ("search_text",)


@admin.register(Question)
class QuestionAdmin(SimpleHistoryAdmin):
    list_display = ("tender", "created_at", "answered_at")


@admin.register(Evaluator)
class EvaluatorAdmin(SimpleHistoryAdmin):
    list_display = ("tender", "user", "declared_at")
