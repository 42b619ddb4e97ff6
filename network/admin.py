from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from network.models import (
    AbuseReport,
    Campaign,
    MatchFund,
    NetworkStaff,
    Organisation,
    OrganisationMember,
    Pledge,
    Project,
)


@admin.register(Organisation)
class OrganisationAdmin(SimpleHistoryAdmin):
    list_display = ("name", "kind", "country", "city", "status", "verified_at")
    list_filter = ("status", "kind", "country")
    search_fields = ("name", "city")
    exclude = ("verification_hash", "search_text")


@admin.register(Project)
class ProjectAdmin(SimpleHistoryAdmin):
    list_display = ("title", "organisation", "country", "sector", "stage")
    list_filter = ("country", "sector", "stage")
    search_fields = ("title",)


@admin.register(Campaign)
class CampaignAdmin(SimpleHistoryAdmin):
    list_display = ("project", "goal", "starts_on", "ends_on", "mode", "state")
    list_filter = ("state", "mode")


@admin.register(Pledge)
class PledgeAdmin(SimpleHistoryAdmin):
    list_display = ("campaign", "donor_name", "amount", "status", "created_at")
    list_filter = ("status",)
    exclude = ("token",)


@admin.register(MatchFund)
class MatchFundAdmin(SimpleHistoryAdmin):
    list_display = ("sponsor", "budget", "factor", "max_per_pledge", "max_per_project")


@admin.register(NetworkStaff)
class NetworkStaffAdmin(SimpleHistoryAdmin):
    list_display = ("user", "role", "country")


@admin.register(OrganisationMember)
class OrganisationMemberAdmin(SimpleHistoryAdmin):
    list_display = ("user", "organisation", "is_owner")


@admin.register(AbuseReport)
class AbuseReportAdmin(SimpleHistoryAdmin):
    list_display = ("organisation", "reason", "status", "created_at")
    list_filter = ("status", "reason")
