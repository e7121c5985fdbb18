from django.contrib import admin

from .models import ImportRun, Measurement, Release, SourceFacts, Star


class ReadOnlyAdmin(admin.ModelAdmin):
    """To look, not to write: a published row or a star changes through its service (a
    curator's correction with its reason, rules and audit; SIMBAD's identification or a
    curator's by hand), never by a form that bypasses them (a NOTES the VizieR layout cannot
    hold, saved here, would break every export and release)."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class SourceFactsInline(admin.TabularInline):
    """What each source says of the star, written by its importer or by SIMBAD's answer: to
    read beside the star, never to edit (a fact typed here would be no source's word)."""

    model = SourceFacts
    extra = 0
    can_delete = False
    fields = ["source", "as_of", "reference", "queried_as", "ra", "dec", "hd", "hip",
              "two_mass", "gaia", "sp_type", "object_types", "v_mag", "j_mag", "h_mag", "k_mag",
              "teff", "ldd", "e_ldd"]  # fmt: skip
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Star)
class StarAdmin(ReadOnlyAdmin):
    list_display = ["name", "designation", "main_id", "status", "otype", "sp_type", "attempts"]
    inlines = [SourceFactsInline]
    list_filter = ["status"]
    search_fields = ["name", "designation", "main_id", "hd", "hip"]


@admin.register(Measurement)
class MeasurementAdmin(ReadOnlyAdmin):
    list_display = ["id1", "ud_diam", "ld_diam", "e_ld_diam", "band", "method", "bibcode"]
    list_filter = ["method", "bandcode", "sinpe"]
    search_fields = ["id1", "id2", "bibcode", "notes"]


@admin.register(ImportRun)
class ImportRunAdmin(ReadOnlyAdmin):
    """The record of an ``import_jmdc`` run, written by the command: an empty one added here,
    or one deleted, would misreport where the catalogue's rows came from."""

    list_display = ["file_name", "started_at", "rows_read", "rows_added", "rows_rejected"]
    readonly_fields = [f.name for f in ImportRun._meta.fields]


@admin.register(Release)
class ReleaseAdmin(ReadOnlyAdmin):
    """Releases are cut by managers through the service, and never change."""

    list_display = ["version", "date", "kind", "status", "row_count", "previous"]
    list_filter = ["kind", "status"]
    exclude = ["changelog"]
