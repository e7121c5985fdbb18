from django.contrib import admin

from . import targets
from .models import Exposure


@admin.register(Exposure)
class ExposureAdmin(admin.ModelAdmin):
    """Exposures come from the archive's headers: read here, corrected by ingesting again."""

    list_display = ["exp_id", "instrument", "category", "target_name", "star", "target_status",
                    "validation_level", "date_updated"]  # fmt: skip
    list_filter = ["instrument", "category", "target_status", "validation_level"]
    search_fields = ["exp_id", "target_name", "program"]
    raw_id_fields = ["star"]
    actions = ["identify_again"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_identify_permission(self, request):
        return request.user.has_perm("obsportal.change_exposure")

    @admin.action(
        description="Ask SIMBAD about the target again (next identification run)",
        permissions=["identify"],
    )
    def identify_again(self, request, queryset):
        count = targets.identify_again(queryset, actor=request.user)
        self.message_user(request, f"{count} exposures wait for the next identification run.")
