"""The roles of the portal: groups appointed in the admin. Every other auth Group is a
collaboration group (it shares drafts and owns embargoed results).

Which permissions each role holds is the project's table (portal/roles.py): it names every
app's permissions, which no app below the project may do. Each app asks for its own permission
(curation.review_submission, jmdc.manage_releases, obsportal.run_harvests), never for a role."""

from django.contrib.auth.models import Group

CURATORS = "curators"
MANAGERS = "managers"
ROLE_GROUPS = {CURATORS, MANAGERS}


def collaboration_groups():
    return Group.objects.exclude(name__in=ROLE_GROUPS)
