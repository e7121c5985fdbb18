from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from lib.numbers import row_id
from lib.text import clean_free_text

from . import verification
from .client_address import client_address
from .forms import SignUpForm
from .models import ApiToken


def signup(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        if _signups_from(request) >= settings.SIGNUP_RATE_PER_HOUR:
            return render(
                request,
                "registration/signup_limited.html",
                {"limit": settings.SIGNUP_RATE_PER_HOUR},
                status=429,
            )
        # Every attempt counts, not only the accounts opened: the form tells whether another
        # account uses an address, so unlimited attempts would test addresses in bulk.
        _count_signup(request)
    form = SignUpForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = form.save()
        login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        verification.queue_verification(user)
        messages.success(
            request,
            f"Welcome, {user.get_username()}. We sent a link to {user.email}: follow it to "
            "confirm your address, then you can submit measurements.",
        )
        return redirect(settings.LOGIN_REDIRECT_URL)
    return render(request, "registration/signup.html", {"form": form})


# Each sign-up e-mails an address nobody has proved, and its form tells whether an address is
# taken: a limit of attempts per client address and hour keeps the portal from being used to
# mail arbitrary addresses, or to test them, in bulk.
SIGNUP_WINDOW_SECONDS = 3600


def _signup_key(request: HttpRequest) -> str:
    return f"accounts:signups:{client_address(request)}"


def _signups_from(request: HttpRequest) -> int:
    return cache.get(_signup_key(request), 0)


def _count_signup(request: HttpRequest) -> None:
    key = _signup_key(request)
    # add() starts the window with the first sign-up; incr() keeps its expiry.
    if not cache.add(key, 1, SIGNUP_WINDOW_SECONDS):
        try:
            cache.incr(key)
        except ValueError:  # expired between the two calls
            cache.add(key, 1, SIGNUP_WINDOW_SECONDS)


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
    return redirect(settings.LOGIN_REDIRECT_URL if request.user == user else "login")


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
    elif verification.queue_verification(user):
        messages.success(request, f"A new link is on its way to {user.email}.")
    else:
        messages.warning(
            request,
            f"A link was sent to {user.email} less than a minute ago: check your mailbox "
            "(and its spam folder) before asking again.",
        )
    # Only a path of this site; anything else (redirect() would try it as a view's name,
    # a 500 for "ada") goes to the user's submissions.
    target = request.POST.get("next", "")
    safe = url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure())
    if not (safe and target.startswith("/")):
        return redirect(settings.LOGIN_REDIRECT_URL)
    return HttpResponseRedirect(target)


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """CSRF_FAILURE_VIEW: Django's own page styles itself inline, which our
    Content-Security-Policy blocks; this one is an ordinary page of the site."""
    return render(request, "registration/csrf_failure.html", status=403)


@login_required
@never_cache
def api_tokens(request: HttpRequest) -> HttpResponse:
    """The user's API tokens: create one (its key shown once, here), revoke one."""
    new_key = None
    if request.method == "POST":
        if request.POST.get("action") == "revoke":
            token_id = request.POST.get("token", "")
            mine = ApiToken.objects.filter(user=request.user, revoked_at=None)
            token = get_object_or_404(mine, pk=row_id(token_id))
            token.revoke()
            messages.success(request, f"Token “{token.name}” revoked: it no longer works.")
            return redirect("api_tokens")
        # Read raw, a NUL was a 500 on PostgreSQL (no NUL in text): control and invisible
        # characters go, and the name is cut to what the column holds.
        limit = ApiToken._meta.get_field("name").max_length
        name = clean_free_text(request.POST.get("name", "")).text[:limit].strip()
        if not name:
            messages.error(request, "Give the token a name (what it is for), then create it.")
            return redirect("api_tokens")
        _, new_key = ApiToken.issue(request.user, name)
    tokens = ApiToken.objects.filter(user=request.user)
    return render(request, "accounts/api_tokens.html", {"tokens": tokens, "new_key": new_key})
