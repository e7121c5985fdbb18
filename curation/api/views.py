"""The submissions API's viewset (/api/v1/submissions/): every write is a call of
curation.services, its refusals turned into the API's errors; every read goes through
``Submission.objects.visible_to``, so other people's submissions are 404."""

from __future__ import annotations

from django.db.models import Count
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import permissions, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound
from rest_framework.parsers import MultiPartParser
from rest_framework.response import Response

from lib.api.errors import Conflict, RowProblems

from .. import services
from ..models import Submission
from ..permissions import with_writing_audit
from ..uploads import parse_row
from . import examples
from .serializers import (
    COLUMNS,
    AcceptSerializer,
    CommentSerializer,
    NewSubmissionSerializer,
    OifitsFileSerializer,
    OifitsUploadSerializer,
    ReasonSerializer,
    RowsSerializer,
    SubmissionDetailSerializer,
    SubmissionSerializer,
)


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "True" if value else ""
    return repr(value) if isinstance(value, float) else str(value)


def _parsed(rows: list[dict]):
    """The API's rows read like a file's (the same parser: the same findings)."""
    return [
        parse_row(position, {c: _cell(row.get(c, row.get(c.lower()))) for c in COLUMNS})
        for position, row in enumerate(rows, start=1)
    ]


@extend_schema_view(
    list=extend_schema(summary="Your submissions, your groups', and (curators) everyone's"),
    retrieve=extend_schema(summary="A submission with its rows, findings and history"),
    create=extend_schema(
        summary="Create a draft from rows",
        description="Rows are read like an uploaded file's: each gets its findings (errors block "
        "submitting, warnings are acknowledged by the accepting curator). Poll the submission "
        "for its state.\n\n**OIFITS data.** " + examples.ATTACH_OIFITS_HOW,
        request=NewSubmissionSerializer,
        responses={201: SubmissionDetailSerializer},
        examples=[examples.TWO_DIAMETERS],
    ),
)
class SubmissionViewSet(viewsets.GenericViewSet):
    permission_classes = [permissions.IsAuthenticated]
    http_method_names = ["get", "post", "put", "delete", "head", "options"]

    def get_queryset(self):
        return (
            Submission.objects.visible_to(self.request.user)
            .select_related("author", "group")
            .annotate(row_count=Count("rows"))
            .order_by("-updated_at", "-pk")
        )

    def get_serializer_class(self):
        if self.action == "create":
            return NewSubmissionSerializer
        return SubmissionDetailSerializer if self.action != "list" else SubmissionSerializer

    def list(self, request):
        page = self.paginate_queryset(with_writing_audit(self.get_queryset()))
        # The user's groups once for the page, not a query per row (allowed_actions).
        group_ids = set(request.user.groups.values_list("pk", flat=True))
        context = {"request": request, "group_ids": group_ids}
        return self.get_paginated_response(
            SubmissionSerializer(page, many=True, context=context).data
        )

    def retrieve(self, request, pk=None):
        return self._detail(self.get_object())

    def create(self, request):
        data = NewSubmissionSerializer(data=request.data, context={"request": request})
        data.is_valid(raise_exception=True)
        values = data.validated_data
        rows = _parsed(values["rows"])
        submission = self._call(
            services.create_submission, actor=request.user, rows=rows, title=values["title"],
            group=values["group"], embargo_until=values["embargo_until"],
            source=Submission.Source.API,
        )  # fmt: skip
        return self._detail(submission, status.HTTP_201_CREATED)

    def _detail(self, submission, code=status.HTTP_200_OK):
        submission = (
            self.get_queryset().prefetch_related("rows", "audit__actor").get(pk=submission.pk)
        )
        body = SubmissionDetailSerializer(submission, context={"request": self.request}).data
        return Response(body, status=code)

    def _call(self, service, *args, **kwargs):
        """A service call, its refusals turned into the API's errors."""
        try:
            return service(*args, **kwargs)
        except services.TransitionError as exc:
            raise Conflict(str(exc)) from exc
        except services.SubmissionInvalid as exc:
            problems = exc.findings or [
                {"field": None, "code": "invalid", "message": p} for p in exc.problems
            ]
            raise RowProblems(str(exc), problems) from exc

    def _act(self, request, service, body=None, **kwargs):
        """Check the body (when the action takes one), find the submission (404 for other
        people's), call the service with the body's fields, answer the submission as it is."""
        if body is not None:
            checked = body(data=request.data)
            checked.is_valid(raise_exception=True)
            kwargs.update(checked.validated_data)
        submission = self.get_object()
        self._call(service, submission, actor=request.user, **kwargs)
        return self._detail(submission)

    @extend_schema(
        request=RowsSerializer,
        responses=SubmissionDetailSerializer,
        summary="Replace the rows of a draft (or of a submission whose changes were asked for)",
    )
    @action(detail=True, methods=["put"], url_path="rows")
    def replace_rows(self, request, pk=None):
        body = RowsSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        return self._act(request, services.replace_rows, rows=_parsed(body.validated_data["rows"]))

    @extend_schema(
        request=None, responses=SubmissionDetailSerializer, summary="Send a draft to the curators"
    )
    @action(detail=True, methods=["post"])
    def submit(self, request, pk=None):
        return self._act(request, services.submit)

    @extend_schema(
        request=None, responses=SubmissionDetailSerializer, summary="Take it back to draft"
    )
    @action(detail=True, methods=["post"])
    def withdraw(self, request, pk=None):
        return self._act(request, services.withdraw)

    @extend_schema(
        request=None, responses=SubmissionDetailSerializer, summary="(curator) Start reviewing"
    )
    @action(detail=True, methods=["post"])
    def start_review(self, request, pk=None):
        return self._act(request, services.start_review)

    @extend_schema(
        request=AcceptSerializer,
        responses=SubmissionDetailSerializer,
        summary="(curator) Accept: publish every row",
    )
    @action(detail=True, methods=["post"])
    def accept(self, request, pk=None):
        return self._act(request, services.accept, body=AcceptSerializer)

    @extend_schema(
        request=ReasonSerializer,
        responses=SubmissionDetailSerializer,
        summary="(curator) Reject, saying why",
    )
    @action(detail=True, methods=["post"])
    def reject(self, request, pk=None):
        return self._act(request, services.reject, body=ReasonSerializer)

    @extend_schema(
        request=ReasonSerializer,
        responses=SubmissionDetailSerializer,
        summary="(curator) Ask the author for changes",
    )
    @action(detail=True, methods=["post"])
    def request_changes(self, request, pk=None):
        return self._act(request, services.request_changes, body=ReasonSerializer)

    @extend_schema(
        request=CommentSerializer, responses=SubmissionDetailSerializer, summary="Comment"
    )
    @action(detail=True, methods=["post"])
    def comment(self, request, pk=None):
        return self._act(request, services.comment, body=CommentSerializer)

    @extend_schema(
        methods=["GET"],
        request=None,
        responses=OifitsFileSerializer(many=True),
        summary="The OIFITS files of a row, with their validation and fit",
        description="Poll this after attaching files: each file's `state` goes queued, fitting, "
        "fitted (its `fit`: both discs, the same joint fit on each file of the row) or failed "
        "(its `error`).",
        examples=[examples.A_FITTED_FILE],
    )
    @extend_schema(
        methods=["POST"],
        request={"multipart/form-data": OifitsUploadSerializer},
        responses={201: OifitsFileSerializer(many=True)},
        summary="Attach OIFITS files to a row of a draft (a worker fits them; poll the row's files)",
        description="A file over the size limit (settings.OIFITS_MAX_BYTES) or that is not OIFITS "
        "is refused with its name and problems, and nothing is attached; an OIFITS that deviates "
        "from the standard is attached with its deviations listed.\n\n"
        + examples.ATTACH_OIFITS_HOW,
        examples=[examples.AN_ATTACHED_FILE],
    )
    @action(
        detail=True,
        methods=["get", "post"],
        url_path=r"rows/(?P<position>[0-9]+)/oifits",
        parser_classes=[MultiPartParser],
        # A plain list (a row has a few files): without this the schema would describe, and
        # its examples wrap, a paginated answer the view never gives.
        pagination_class=None,
    )
    def oifits(self, request, pk=None, position=None):
        submission = self.get_object()
        row = submission.rows.filter(position=int(position)).first()
        if row is None:
            raise NotFound(f"Submission {submission.pk} has no row {position}.")
        context = {"request": request}
        if request.method == "GET":
            files = row.oifits_files.all()
            return Response(OifitsFileSerializer(files, many=True, context=context).data)
        body = OifitsUploadSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        attached = self._call(
            services.attach_oifits, submission, row.position, actor=request.user,
            files=body.validated_data["files"],
        )  # fmt: skip
        for stored in attached:
            stored.refresh_from_db()  # eager (tests): the fit ran on commit
        body = OifitsFileSerializer(attached, many=True, context=context).data
        return Response(body, status=status.HTTP_201_CREATED)

    @extend_schema(
        request=None,
        responses={204: None},
        summary="Remove an OIFITS file attached to a row by mistake (while the draft is editable)",
        description="The file is deleted with its record, the removal written in the "
        "submission's history, and the row's other files are fitted again (with none left, "
        "the row's OIFITS findings go). Refused (409, the file stays) once the submission is "
        "submitted or accepted; 403 for whoever may see but not edit the submission.",
    )
    @action(
        detail=True,
        methods=["delete"],
        url_path=r"rows/(?P<position>[0-9]+)/oifits/(?P<file_id>[0-9]+)",
    )
    def remove_oifits(self, request, pk=None, position=None, file_id=None):
        submission = self.get_object()
        row = submission.rows.filter(position=int(position)).first()
        if row is None or not row.oifits_files.filter(pk=int(file_id)).exists():
            raise NotFound(f"Row {position} of submission {submission.pk} has no file {file_id}.")
        self._call(
            services.remove_oifits, submission, row.position, int(file_id), actor=request.user
        )
        return Response(status=status.HTTP_204_NO_CONTENT)
