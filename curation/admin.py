from django.contrib import admin

from .models import AuditEntry, Submission, SubmissionRow


class RowInline(admin.TabularInline):
    model = SubmissionRow
    extra = 0
    can_delete = False
    fields = [
        "position",
        "id1",
        "ud_diam",
        "ld_diam",
        "e_ld_diam",
        "band",
        "bibcode",
        "findings",
        "measurement",
    ]
    readonly_fields = fields


@admin.register(Submission)
class SubmissionAdmin(admin.ModelAdmin):
    """Read-only: workflow changes go through the pages (and curation.services)."""

    list_display = ["pk", "title", "author", "group", "state", "updated_at"]
    list_filter = ["state", "source"]
    search_fields = ["title", "author__username", "rows__id1", "rows__bibcode"]
    inlines = [RowInline]

    def has_change_permission(self, request, obj=None):
        return False

    def has_add_permission(self, request):
        return False


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):
    list_display = ["at", "actor", "action", "submission", "measurement", "text"]
    list_filter = ["action"]
    search_fields = ["actor__username", "text"]

    def has_change_permission(self, request, obj=None):
        return False

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
