from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from registry.models import (
    Cooperative,
    CorrectionRequest,
    Employment,
    Membership,
    Partner,
    Person,
    Sector,
    StageTransition,
)


@admin.register(Sector)
class SectorAdmin(SimpleHistoryAdmin):
    list_display = ["name", "code", "active"]


@admin.register(Partner)
class PartnerAdmin(SimpleHistoryAdmin):
    list_display = ["name", "kind"]


@admin.register(Cooperative)
class CooperativeAdmin(SimpleHistoryAdmin):
    list_display = ["name", "legal_form", "stage", "commune", "sector"]
    list_filter = ["legal_form", "stage", "value_chain_stage"]
    search_fields = ["name", "registration_number", "search_text"]
    raw_id_fields = ["commune", "sponsor"]


@admin.register(Person)
class PersonAdmin(SimpleHistoryAdmin):
    list_display = ["last_name", "first_name", "sex", "birth_date", "phone"]
    list_filter = ["sex"]
    search_fields = ["search_text", "phone", "national_id"]
    raw_id_fields = ["commune", "merged_into"]


@admin.register(Membership)
class MembershipAdmin(SimpleHistoryAdmin):
    list_display = ["person", "cooperative", "role", "status", "joined_on"]
    list_filter = ["role", "status"]
    raw_id_fields = ["person", "cooperative"]


@admin.register(Employment)
class EmploymentAdmin(SimpleHistoryAdmin):
    list_display = ["person", "cooperative", "job_title", "contract_type", "started_on"]
    raw_id_fields = ["person", "cooperative"]


@admin.register(StageTransition)
class StageTransitionAdmin(admin.ModelAdmin):
    list_display = ["cooperative", "from_stage", "to_stage", "on", "actor"]
    raw_id_fields = ["cooperative", "actor"]


@admin.register(CorrectionRequest)
class CorrectionRequestAdmin(SimpleHistoryAdmin):
    list_display = ["person", "received_on", "channel", "status", "handled_at"]
    list_filter = ["status", "channel"]
    raw_id_fields = ["person", "recorded_by", "handled_by"]
