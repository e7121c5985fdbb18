"""The access helper of curation pages: one lookup that answers 404 for other people's objects."""

from django.shortcuts import get_object_or_404

from .models import Submission
from .permissions import allowed_actions


def get_submission_for_user(request, pk: int) -> tuple[Submission, set[str]]:
    """The submission if the user may see it (404 otherwise), and what they may do to it."""
    submission = get_object_or_404(Submission.objects.visible_to(request.user), pk=pk)
    return submission, allowed_actions(request.user, submission)
