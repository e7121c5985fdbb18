from django.contrib import admin

from .models import ImportRun, Measurement, Release, Star


@admin.register(Star)
class StarAdmin(admin.ModelAdmin):
    list_display = ["name", "main_id", "status", "otype", "sp_type", "attempts"]
    list_filter = ["status"]
    search_fields = ["name", "main_id", "hd", "hip"]


@admin.register(Measurement)
class MeasurementAdmin(admin.ModelAdmin):
    list_display = ["id1", "ud_diam", "ld_diam", "e_ld_diam", "band", "method", "bibcode"]
    list_filter = ["method", "bandcode", "sinpe"]
    search_fields = ["id1", "id2", "bibcode", "notes"]
    raw_id_fields = ["star", "import_run"]


@admin.register(ImportRun)
class ImportRunAdmin(admin.ModelAdmin):
    list_display = ["file_name", "started_at", "rows_read", "rows_added", "rows_rejected"]
    readonly_fields = [f.name for f in ImportRun._meta.fields]


@admin.register(Release)
class ReleaseAdmin(admin.ModelAdmin):
    """Read-only: releases are cut by managers through the service, and never change."""

    list_display = ["version", "date", "kind", "status", "row_count", "previous"]
    list_filter = ["kind", "status"]
    exclude = ["changelog"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
