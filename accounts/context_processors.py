from .verification import is_verified


def address(request) -> dict:
    """`unverified_email`: the address a logged-in account still has to confirm (base.html
    shows it with a button to send the link again), else empty."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated or is_verified(user):
        return {"unverified_email": ""}
    return {"unverified_email": user.email or "(none)"}
