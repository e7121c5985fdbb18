from django.contrib import admin

from jmdc.admin import StarAdmin
from jmdc.models import Star

from . import services
from .models import AuditEntry, Submission, SubmissionRow, is_curator


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
    """Read-only: workflow changes go through the portal's pages (and curation.services), and a
    submission is never deleted (its audit is the record of who decided what; the database
    refuses too: ``AuditEntry.submission`` is PROTECT). Without the delete permission the
    admin offers no "delete selected" action either."""

    list_display = ["pk", "title", "author", "group", "state", "updated_at"]
    list_filter = ["state", "source"]
    search_fields = ["title", "author__username", "rows__id1", "rows__bibcode"]
    inlines = [RowInline]

    def has_change_permission(self, request, obj=None):
        return False

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
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


# The catalogue's Star admin, read-only, with curation's actions: registered again here because
# the catalogue core does not import curation (DESIGN.md); curation is installed after jmdc.
admin.site.unregister(Star)


@admin.register(Star)
class CuratedStarAdmin(StarAdmin):
    """Stars change through the services: the action calls the one the curators' page calls
    (locked, audited, the task queued on commit)."""

    actions = ["ask_simbad_again"]

    def has_retry_permission(self, request) -> bool:
        return is_curator(request.user)

    @admin.action(description="Ask SIMBAD again", permissions=["retry"])
    def ask_simbad_again(self, request, queryset):
        selected = list(queryset.values_list("pk", flat=True))
        count = services.retry_identification(selected, actor=request.user)
        left = len(selected) - count
        self.message_user(
            request,
            f"SIMBAD will be asked again about {count} star(s)."
            + (f" {left} already identified: left as they are." if left else ""),
        )
