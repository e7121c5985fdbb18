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
    list_display = ("email", "user", "verified_at")
    search_fields = ("email", "user__username")
    readonly_fields = ("verified_at",)
