from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.template.response import TemplateResponse
from django.urls import path
from django.utils.translation import gettext as _
from simple_history.admin import SimpleHistoryAdmin

from core.errors import DomainError
from geo.forms import AreaImportForm
from geo.models import Area
from geo.rules import can_import_areas
from geo.services import areas_import


@admin.register(Area)
class AreaAdmin(SimpleHistoryAdmin):
    list_display = ["code", "name", "level", "parent"]
    list_filter = ["level"]
    search_fields = ["code", "name", "search_text"]
    readonly_fields = ["path"]
    raw_id_fields = ["parent"]
    change_list_template = "admin/geo/area/change_list.html"

    def get_urls(self):
        return [
            path(
                "import/",
                self.admin_site.admin_view(self.import_view),
                name="geo_area_import",
            ),
            *super().get_urls(),
        ]

    def changelist_view(self, request, extra_context=None):
        extra_context = {**(extra_context or {}), "can_import": can_import_areas(request.user)}
        return super().changelist_view(request, extra_context=extra_context)

    def import_view(self, request):
        """Upload a file, check it (dry run by default), show the report row by row."""
        if not can_import_areas(request.user):
            raise PermissionDenied
        report = None
        if request.method == "POST":
            form = AreaImportForm(request.POST, request.FILES)
            if form.is_valid():
                upload = form.cleaned_data["file"]
                try:
                    report = areas_import(
                        source=upload,
                        kind=form.cleaned_data["kind"],
                        dry_run=form.cleaned_data["dry_run"],
                        filename=upload.name,
                        actor=request.user,
                    )
                except DomainError as exc:
                    form.add_error(None, str(exc.message))
        else:
            form = AreaImportForm()
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": _("Importer des zones"),
            "form": form,
            "report": report,
        }
        return TemplateResponse(request, "admin/geo/area/import.html", context)
