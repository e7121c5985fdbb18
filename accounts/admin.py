from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin

from .forms import AdminUserChangeForm, AdminUserCreationForm
from .models import VerifiedAddress

User = get_user_model()


class PortalUserAdmin(UserAdmin):
    """Django's user admin, with the address unique (case-insensitively) as at sign-up."""

    form = AdminUserChangeForm
    add_form = AdminUserCreationForm
    add_fieldsets = (
        (
            None,
            {
                "classes": ("wide",),
                "fields": ("username", "email", "usable_password", "password1", "password2"),
            },
        ),
    )


admin.site.unregister(User)
admin.site.register(User, PortalUserAdmin)


@admin.register(VerifiedAddress)
class VerifiedAddressAdmin(admin.ModelAdmin):
    """An address is verified only by following the e-mailed link (accounts.verification):
    typed here it would be "verified" without anyone reading the mailbox (and adding one was a
    500: ``verified_at`` is read-only and required). Deleting one stays open: the account then
    has to follow a new link before it submits again."""

    list_display = ("email", "user", "verified_at")
    search_fields = ("email", "user__username")
    readonly_fields = ("verified_at",)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
