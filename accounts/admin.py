from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from accounts.forms import AdminPasswordForm
from accounts.models import ApiToken, RoleAssignment, User
from accounts.services import user_deactivate


class RoleAssignmentInline(admin.TabularInline):
    model = RoleAssignment
    extra = 0
    raw_id_fields = ["area", "cooperative", "lender", "person"]


@admin.register(User)
class UserAdmin(SimpleHistoryAdmin, BaseUserAdmin):
    inlines = [RoleAssignmentInline]
    change_password_form = AdminPasswordForm

    def save_model(self, request, obj, form, change):
        """Unticking "active" goes through ``user_deactivate``: the API tokens are revoked."""
        deactivating = change and "is_active" in form.changed_data and not obj.is_active
        super().save_model(request, obj, form, change)
        if deactivating:
            user_deactivate(user=obj, actor=request.user)


@admin.register(RoleAssignment)
class RoleAssignmentAdmin(SimpleHistoryAdmin):
    list_display = ["user", "role", "area", "cooperative", "lender", "person"]
    list_filter = ["role"]
    raw_id_fields = ["user", "area", "cooperative", "lender", "person"]
    search_fields = ["user__username"]


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = ["user", "name", "created_at", "expires_at", "revoked_at", "last_used_at"]
    readonly_fields = ["key_hash", "password_stamp", "created_at", "last_used_at"]
    actions = ["revoke"]

    @admin.action(description=_("Révoquer les jetons sélectionnés"))
    def revoke(self, request, queryset):
        from accounts.services import api_token_revoke

        for token in queryset:
            api_token_revoke(token=token, actor=request.user)
