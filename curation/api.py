"""Submissions and reviews in the REST API (/api/v1/submissions/). Every write is a call of
curation.services (the same transactions, locks, audit and e-mails as the pages); every read
goes through ``Submission.objects.visible_to``, so other people's submissions are 404."""

from __future__ import annotations

from django.db.models import Count
from drf_spectacular.utils import (
    OpenApiExample,
    extend_schema,
    extend_schema_serializer,
    extend_schema_view,
)
from rest_framework import permissions, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from jmdc.models import COLUMN_NAME
from lib.api.errors import Conflict, RowProblems
from lib.text import clean_paragraphs, describe, is_surrogate

from . import services
from .models import AuditEntry, Submission, SubmissionRow, collaboration_groups
from .uploads import parse_row

COLUMNS = list(COLUMN_NAME.values())  # ID1 ... SINPE
ROW_HELP = (
    "The 12 JMDC columns by their catalogue names (ID1, ID2, UD_DIAM, LD_DIAM, E_LD_DIAM, BAND, "
    "MU_LAMBDA, METHOD, BANDCODE, NOTES, BIBCODE, SINPE); numbers as numbers or text, empty or "
    "null for none."
)


class Text(serializers.CharField):
    """Text, and only text: JSON's 0 or true is not silently turned into "0" or "True"."""

    def to_internal_value(self, data):
        if not isinstance(data, str):
            self.fail("invalid")
        # A lone surrogate (JSON's "\ud800") is no character: no query, response or file
        # can carry it (the rows' cells are cleaned by lib.text instead).
        if halves := [(ch, pos) for pos, ch in enumerate(data, start=1) if is_surrogate(ch)]:
            ch, pos = halves[0]
            raise serializers.ValidationError(
                f"{describe(ch)} at position {pos}: not a character (the text was damaged "
                "on its way); send it again in UTF-8."
            )
        return super().to_internal_value(data)


def one_line_title(title: str) -> None:
    if problem := services.title_problem(title):
        raise serializers.ValidationError(problem)


def capped_text(text: str) -> None:
    if problem := services.free_text_problem(text):
        raise serializers.ValidationError(problem)


def visible_text(what: str):
    """A validator refusing invisible and control characters other than line breaks. The pages
    clean them and say so; an API client would not see that message, so rather than store
    a text other than the one sent, the API says what to remove."""

    def validate(text: str) -> None:
        findings = clean_paragraphs(text).findings
        if findings:
            found = "; ".join(f"{f.what}: {f.characters}" for f in findings)
            raise serializers.ValidationError(
                f"The {what} holds {found}. Remove them and send it again (line breaks are kept)."
            )

    return validate


class Flag(serializers.BooleanField):
    """true or false, as JSON writes them (not 1, "yes" or "on")."""

    def to_internal_value(self, data):
        if not isinstance(data, bool):
            self.fail("invalid", input=data)
        return data


class RowSerializer(serializers.ModelSerializer):
    findings = serializers.JSONField(read_only=True)
    cell_errors = serializers.JSONField(read_only=True)
    measurement = serializers.IntegerField(source="measurement_id", read_only=True, allow_null=True)

    class Meta:
        model = SubmissionRow
        fields = ["position", *COLUMN_NAME.keys(), "cell_errors", "findings", "measurement"]

    def to_representation(self, instance):
        data = super().to_representation(instance)
        # Some findings are for curators only (they speak of embargoed rows).
        data["findings"] = services.findings_seen_by(self.context["request"].user, data["findings"])
        return data


class AuditSerializer(serializers.ModelSerializer):
    actor = serializers.CharField(source="actor.get_username")

    class Meta:
        model = AuditEntry
        fields = ["at", "actor", "action", "state_from", "state_to", "text"]


@extend_schema_serializer(
    examples=[
        OpenApiExample(
            "A submitted draft (invented)",
            response_only=True,
            value={
                "id": 12,
                "title": "PIONIER diameters of two giants",
                "author": "ada",
                "group": "VLTI/PIONIER survey",
                "embargo_until": "2027-06-30",
                "state": "submitted",
                "source": "api",
                "created_at": "2026-11-23T09:00:00Z",
                "updated_at": "2026-11-23T09:05:00Z",
                "submitted_at": "2026-11-23T09:05:00Z",
                "decided_at": None,
                "row_count": 2,
                "allowed_actions": ["comment", "withdraw"],
            },
        )
    ]
)
class SubmissionSerializer(serializers.ModelSerializer):
    author = serializers.CharField(source="author.get_username", read_only=True)
    group = serializers.SlugRelatedField(slug_field="name", read_only=True, allow_null=True)
    row_count = serializers.IntegerField(read_only=True)  # annotated by the viewset's queryset
    allowed_actions = serializers.SerializerMethodField()

    class Meta:
        model = Submission
        fields = ["id", "title", "author", "group", "embargo_until", "state", "source",
                  "created_at", "updated_at", "submitted_at", "decided_at", "row_count",
                  "allowed_actions"]  # fmt: skip

    def get_allowed_actions(self, submission) -> list[str]:
        return sorted(
            services.allowed_actions(
                self.context["request"].user, submission, group_ids=self.context.get("group_ids")
            )
        )


@extend_schema_serializer(
    examples=[
        OpenApiExample(
            "A new draft with a row problem (invented)",
            response_only=True,
            value={
                "id": 12,
                "title": "",
                "author": "ada",
                "group": None,
                "embargo_until": None,
                "state": "draft",
                "source": "api",
                "created_at": "2026-11-23T09:00:00Z",
                "updated_at": "2026-11-23T09:00:00Z",
                "submitted_at": None,
                "decided_at": None,
                "row_count": 1,
                "allowed_actions": ["comment", "edit", "submit"],
                "rows": [
                    {
                        "position": 1,
                        "id1": "HD 360",
                        "id2": "",
                        "ud_diam": None,
                        "ld_diam": None,
                        "e_ld_diam": 0.014,
                        "band": "H",
                        "mu_lambda": None,
                        "method": 1,
                        "bandcode": 7,
                        "notes": "",
                        "bibcode": "2019Natur.567..200P",
                        "sinpe": False,
                        "cell_errors": [
                            {
                                "field": "LD_DIAM",
                                "severity": "error",
                                "code": "unreadable",
                                "message": "'0,906' is not a number",
                            }
                        ],
                        "findings": [
                            {
                                "field": "LD_DIAM",
                                "severity": "error",
                                "code": "unreadable",
                                "message": "'0,906' is not a number",
                            }
                        ],
                        "measurement": None,
                    }
                ],
                "audit": [
                    {
                        "at": "2026-11-23T09:00:00Z",
                        "actor": "ada",
                        "action": "create",
                        "state_from": "",
                        "state_to": "draft",
                        "text": "",
                    }
                ],
            },
        )
    ]
)
class SubmissionDetailSerializer(SubmissionSerializer):
    rows = RowSerializer(many=True, read_only=True)
    audit = AuditSerializer(many=True, read_only=True)

    class Meta(SubmissionSerializer.Meta):
        fields = [*SubmissionSerializer.Meta.fields, "rows", "audit"]


class RowsSerializer(serializers.Serializer):
    rows = serializers.ListField(
        child=serializers.DictField(), min_length=1, max_length=5000, help_text=ROW_HELP
    )

    def validate_rows(self, rows):
        errors = {}
        for index, row in enumerate(rows):
            unknown = sorted(set(row) - set(COLUMNS) - {c.lower() for c in COLUMNS})
            if unknown:
                # backslashreplace: a lone surrogate in a name would make the answer a 500.
                names = ", ".join(unknown).encode("utf-8", "backslashreplace").decode()
                errors[index] = [f"unknown column(s) {names}: use {', '.join(COLUMNS)}"]
        if errors:
            raise serializers.ValidationError(errors)
        return rows


class NewSubmissionSerializer(RowsSerializer):
    title = Text(
        required=False, allow_blank=True, default="", validators=[one_line_title],
        help_text=f"One line, at most {services.TITLE_MAX_CHARS} characters.",
    )  # fmt: skip
    group = Text(
        required=False, allow_null=True, default=None,
        help_text="Name of your collaboration group sharing it (needed for an embargo).",
    )  # fmt: skip
    embargo_until = serializers.DateField(required=False, allow_null=True, default=None)

    def validate_group(self, name):
        """Only the caller's own groups are looked at, so that an unknown name and the name
        of a group one is not in get the same answer (no enumeration of group names)."""
        if not name:
            return None
        mine = collaboration_groups().filter(user=self.context["request"].user).order_by("name")
        group = mine.filter(name=name).first()
        if group is None:
            yours = ", ".join(repr(g.name) for g in mine) or "none"
            raise serializers.ValidationError(
                f"You are not in a collaboration group named {name!r} (your groups: {yours})."
            )
        return group


@extend_schema_serializer(
    examples=[OpenApiExample("A reason", value={"reason": "Which band: H or K? Give the filter."})]
)
class ReasonSerializer(serializers.Serializer):
    reason = Text(
        help_text="Why: the author reads it.", validators=[capped_text, visible_text("reason")]
    )


@extend_schema_serializer(
    examples=[OpenApiExample("A comment", value={"text": "The LD/UD ratio is the authors' own."})]
)
class CommentSerializer(serializers.Serializer):
    text = Text(validators=[capped_text, visible_text("comment")])


@extend_schema_serializer(
    examples=[OpenApiExample("Accept", value={"acknowledge_warnings": True, "comment": "Thanks."})]
)
class AcceptSerializer(serializers.Serializer):
    acknowledge_warnings = Flag(default=False)
    comment = Text(
        required=False, allow_blank=True, default="",
        validators=[capped_text, visible_text("comment")],
    )  # fmt: skip


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
        "for its state.",
        request=NewSubmissionSerializer,
        responses={201: SubmissionDetailSerializer},
        examples=[
            OpenApiExample(
                "Two diameters (invented values)",
                request_only=True,
                value={
                    "title": "PIONIER diameters of two giants",
                    "group": "VLTI/PIONIER survey",
                    "embargo_until": "2027-06-30",
                    "rows": [
                        {
                            "ID1": "HD124897",
                            "ID2": "alf Boo",
                            "UD_DIAM": 19.9,
                            "LD_DIAM": 20.91,
                            "E_LD_DIAM": 0.07,
                            "BAND": "H",
                            "METHOD": 1,
                            "BANDCODE": 7,
                            "BIBCODE": "2008A&A...485..561L",
                        },
                        {
                            "ID1": "HD 360",
                            "LD_DIAM": 0.906,
                            "E_LD_DIAM": 0.014,
                            "BAND": "H",
                            "METHOD": 1,
                            "BANDCODE": 7,
                            "BIBCODE": "2019Natur.567..200P",
                        },
                    ],
                },
            )
        ],
    ),
)
class SubmissionViewSet(viewsets.GenericViewSet):
    permission_classes = [permissions.IsAuthenticated]
    http_method_names = ["get", "post", "put", "head", "options"]

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
        page = self.paginate_queryset(services.with_writing_audit(self.get_queryset()))
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
