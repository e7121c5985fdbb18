import logging

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from . import verification
from .forms import SignUpForm

logger = logging.getLogger(__name__)


def signup(request: HttpRequest) -> HttpResponse:
    form = SignUpForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = form.save()
        login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        if _send(request, user):
            messages.success(
                request,
                f"Welcome, {user.get_username()}. We sent a link to {user.email}: follow it to "
                "confirm your address, then you can submit measurements.",
            )
        return redirect("curation:my_submissions")
    return render(request, "registration/signup.html", {"form": form})


def verify(request: HttpRequest, token: str) -> HttpResponse:
    """The link of the e-mail. Works logged in or not: the signed link names the account."""
    try:
        user = verification.verify(token)
    except verification.InvalidLink as exc:
        return render(
            request,
            "registration/verify_failed.html",
            {"reason": str(exc), "taken": isinstance(exc, verification.AddressTaken)},
            status=exc.status,
        )
    messages.success(
        request, f"Thank you: {user.email} is confirmed. You can now submit measurements."
    )
    return redirect("curation:my_submissions" if request.user == user else "login")


@require_POST
@login_required
def resend(request: HttpRequest) -> HttpResponse:
    user = request.user
    if verification.is_verified(user):
        messages.info(request, f"{user.email} is already confirmed.")
    elif not user.email:
        messages.error(
            request, "Your account has no e-mail address: ask an administrator to add one."
        )
    elif (sent := _send(request, user)) is None:
        pass  # the mail server failed: _send said so
    elif sent:
        messages.success(request, f"A new link is on its way to {user.email}.")
    else:
        messages.warning(
            request,
            f"A link was sent to {user.email} less than a minute ago: check your mailbox "
            "(and its spam folder) before asking again.",
        )
    target = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        target = "curation:my_submissions"
    return redirect(target)


def _send(request: HttpRequest, user) -> bool | None:
    """Send the link; None, with a message saying so, if the mail server failed (the account
    is kept: "Send the link again" works as soon as the server does)."""
    try:
        return verification.send_verification(user)
    except OSError:
        logger.exception("could not send the verification e-mail to user %s", user.pk)
        messages.error(
            request,
            f"We could not send the e-mail to {user.email} just now: press “Send the link "
            "again” in a few minutes.",
        )
        return None


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """CSRF_FAILURE_VIEW: Django's own page styles itself inline, which our
    Content-Security-Policy blocks; this one is an ordinary page of the site."""
    return render(request, "registration/csrf_failure.html", status=403)
