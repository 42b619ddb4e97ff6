from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from training.models import (
    Attendance,
    Certification,
    Diagnostic,
    Module,
    Participant,
    Session,
    SupportPlan,
    Trainer,
    Visit,
    VisitAction,
)


@admin.register(Module)
class ModuleAdmin(SimpleHistoryAdmin):
    list_display = ["title", "programme", "position", "duration_days", "audience", "active"]
    list_filter = ["programme", "active"]


@admin.register(Trainer)
class TrainerAdmin(SimpleHistoryAdmin):
    list_display = ["name", "kind", "organisation", "user", "active"]
    list_filter = ["kind", "active"]
    raw_id_fields = ["user", "person"]


@admin.register(Certification)
class CertificationAdmin(SimpleHistoryAdmin):
    list_display = ["trainer", "module", "certified_on"]
    raw_id_fields = ["trainer", "tot_session"]


@admin.register(Session)
class SessionAdmin(SimpleHistoryAdmin):
    list_display = ["module", "kind", "commune", "starts_on", "ends_on"]
    list_filter = ["kind", "module__programme"]
    raw_id_fields = ["commune"]


@admin.register(Participant)
class ParticipantAdmin(SimpleHistoryAdmin):
    list_display = ["person", "session", "cooperative", "completed", "evaluation_score"]
    raw_id_fields = ["session", "person", "cooperative"]


@admin.register(Attendance)
class AttendanceAdmin(SimpleHistoryAdmin):
    list_display = ["participant", "day", "present"]
    raw_id_fields = ["participant"]


@admin.register(Visit)
class VisitAdmin(SimpleHistoryAdmin):
    list_display = ["cooperative", "visited_on", "purpose", "visitor"]
    raw_id_fields = ["cooperative", "visitor"]


@admin.register(VisitAction)
class VisitActionAdmin(SimpleHistoryAdmin):
    list_display = ["description", "cooperative", "owner", "due_on", "done_on"]
    raw_id_fields = ["visit", "cooperative"]


@admin.register(Diagnostic)
class DiagnosticAdmin(SimpleHistoryAdmin):
    list_display = ["visit", "governance", "bookkeeping", "production", "market", "finance"]
    raw_id_fields = ["visit", "cooperative"]


@admin.register(SupportPlan)
class SupportPlanAdmin(SimpleHistoryAdmin):
    list_display = ["cooperative", "target_stage", "review_on", "updated_at"]
    raw_id_fields = ["cooperative"]
