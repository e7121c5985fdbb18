"""UWS 1.1 resources of TAP's async jobs, included at ``tap/async`` (the job list's own address,
as TAP names it, without a trailing slash)."""

from django.urls import re_path

from vo.throttling import tap_throttle

from . import views

# "[/]" rather than "/": Django's check W002 flags a route that begins with a slash, which
# these must, the list being /tap/async itself.
JOB = r"^[/](?P<job_id>[0-9a-f]{32})"

urlpatterns = [
    # Creating a job is throttled per address as a sync query is; reading the list is not.
    re_path(r"^$", tap_throttle(views.jobs, methods=("POST",)), name="uws-jobs"),
    re_path(JOB + r"$", views.job, name="uws-job"),
    re_path(JOB + r"/phase$", views.phase, name="uws-phase"),
    re_path(JOB + r"/quote$", views.quote, name="uws-quote"),
    re_path(JOB + r"/executionduration$", views.execution_duration, name="uws-executionduration"),
    re_path(JOB + r"/destruction$", views.destruction, name="uws-destruction"),
    re_path(JOB + r"/error$", views.error, name="uws-error"),
    re_path(JOB + r"/results$", views.results, name="uws-results"),
    re_path(JOB + r"/results/result$", views.result, name="uws-result"),
    re_path(JOB + r"/parameters$", views.parameters, name="uws-parameters"),
    re_path(JOB + r"/owner$", views.owner, name="uws-owner"),
]
