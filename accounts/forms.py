from django import forms
from django.contrib.auth import forms as auth_forms
from django.contrib.auth import get_user_model
from django.contrib.auth.forms import (
    AuthenticationForm,
    PasswordResetForm,
    UserChangeForm,
    UserCreationForm,
)
from django.core.validators import MaxLengthValidator
from django.db import transaction
from django.template import loader

from .verification import verified_owner


def clean_unique_email(email: str, *, instance=None) -> str:
    """An address another account has verified (and still has) is refused, in any case
    (Ada@Example.org is ada@example.org to every mail server people use).

    Only a verified address counts: an account that typed someone else's address and never
    followed the link must not keep its owner from signing up. Two unverified accounts may
    share an address; the first to follow its link gets it, the other's link is refused
    (VerifiedAddress.email is unique). The message tells that an address is verified here,
    as most sites' sign-up does; an unverified one reveals nothing."""
    email = (email or "").strip()
    if not email:
        return email
    owner = verified_owner(email)
    if owner is not None and (instance is None or owner.pk != instance.pk):
        raise forms.ValidationError(
            f"Another account already uses {email}. If it is yours, log in or reset its "
            "password; otherwise give another address."
        )
    return email


class SignUpForm(UserCreationForm):
    email = forms.EmailField(
        required=True, help_text="We send a link to it: follow it before you submit."
    )

    class Meta(UserCreationForm.Meta):
        model = get_user_model()
        fields = ("username", "email", "first_name", "last_name")

    def _post_clean(self):
        """Whether another account uses the address is told only to a form that is otherwise
        valid (after the password checks of super()._post_clean()): a probe must be a real
        sign-up, one of the attempts an address may make in an hour (views.signup), not
        a free question with a mismatched password."""
        super()._post_clean()
        if self.errors or "email" not in self.cleaned_data:
            return
        try:
            self.cleaned_data["email"] = clean_unique_email(self.cleaned_data["email"])
        except forms.ValidationError as error:
            self.add_error("email", error)


class AdminUserCreationForm(auth_forms.AdminUserCreationForm):
    """The admin's "Add user" asks for the address too, unique like everywhere else."""

    email = forms.EmailField(required=False)

    class Meta(auth_forms.AdminUserCreationForm.Meta):
        model = get_user_model()
        fields = ("username", "email")

    def clean_email(self) -> str:
        return clean_unique_email(self.cleaned_data.get("email"))


class AdminUserChangeForm(UserChangeForm):
    def clean_email(self) -> str:
        return clean_unique_email(self.cleaned_data.get("email"), instance=self.instance)


class LoginForm(AuthenticationForm):
    """Django's log-in form sets the username's max_length after the field is built, so it
    never checks it: a 10,000-character name reached authenticate() and django-axes, whose
    record of the failure (255 characters) then failed on PostgreSQL, a 500. Checked here, a
    name no account can have is an error of the form and no attempt is recorded."""

    def __init__(self, request=None, *args, **kwargs):
        super().__init__(request, *args, **kwargs)
        field = self.fields["username"]
        field.validators.append(MaxLengthValidator(field.max_length))


class VerifiedPasswordResetForm(PasswordResetForm):
    """A reset link goes only to an address its account has verified: an unverified address
    may be someone else's, typed by whoever opened the account."""

    def get_users(self, email):
        # Django's own looks the address up with iexact: ASCII-only on SQLite (addresses.py).
        owner = verified_owner(email)
        if owner is not None and owner.is_active and owner.has_usable_password():
            yield owner

    def send_mail(
        self, subject_template_name, email_template_name, context, from_email, to_email,
        html_email_template_name=None,
    ):  # fmt: skip
        """Rendered here (the link needs the request's site), sent by the worker once the
        request is done (accounts/tasks.py): never in the web request."""
        from lib.enqueue import try_enqueue

        from .tasks import send_password_reset_email

        subject = "".join(loader.render_to_string(subject_template_name, context).splitlines())
        body = loader.render_to_string(email_template_name, context)
        user_id = context["user"].pk
        transaction.on_commit(
            lambda: try_enqueue(
                send_password_reset_email,
                subject,
                body,
                to_email,
                what=f"the password-reset e-mail to user {user_id}; it is not sent",
            )
        )
