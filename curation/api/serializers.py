"""The submissions API's serializers: what a client sends (rows by their catalogue column
names, titles, reasons, comments: text only, refused rather than silently changed) and what it
reads back (a submission, its rows with the findings the reader may see, its history)."""

from __future__ import annotations

from django.conf import settings
from drf_spectacular.utils import extend_schema_serializer
from rest_framework import serializers

from jmdc.models import COLUMN_NAME
from lib.text import clean_paragraphs, describe, is_surrogate

from .. import services
from ..models import AuditEntry, OifitsFile, Submission, SubmissionRow, collaboration_groups
from ..permissions import allowed_actions, findings_seen_by
from . import examples

COLUMNS = list(COLUMN_NAME.values())  # ID1 ... SINPE
ROW_HELP = (
    "The 12 JMDC columns by their catalogue names (ID1, ID2, UD_DIAM, LD_DIAM, E_LD_DIAM, BAND, "
    "MU_LAMBDA, METHOD, BANDCODE, NOTES, BIBCODE, SINPE); numbers as numbers or text, empty or "
    "null for none; BANDCODE as 1..12 or its band letter (K for 8)."
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
        data["findings"] = findings_seen_by(self.context["request"].user, data["findings"])
        return data


class AuditSerializer(serializers.ModelSerializer):
    actor = serializers.CharField(source="actor.get_username")

    class Meta:
        model = AuditEntry
        fields = ["at", "actor", "action", "state_from", "state_to", "text"]


@extend_schema_serializer(examples=[examples.A_SUBMITTED_DRAFT])
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
            allowed_actions(
                self.context["request"].user, submission, group_ids=self.context.get("group_ids")
            )
        )


@extend_schema_serializer(examples=[examples.A_DRAFT_WITH_A_ROW_PROBLEM])
class SubmissionDetailSerializer(SubmissionSerializer):
    rows = RowSerializer(many=True, read_only=True)
    audit = AuditSerializer(many=True, read_only=True)

    class Meta(SubmissionSerializer.Meta):
        fields = [*SubmissionSerializer.Meta.fields, "rows", "audit"]


class RowsSerializer(serializers.Serializer):
    rows = serializers.ListField(
        child=serializers.DictField(),
        min_length=1,
        help_text=f"{ROW_HELP} At most {settings.SUBMISSION_MAX_ROWS} rows.",
    )

    def validate_rows(self, rows):
        # The limit of an uploaded file (SUBMISSION_MAX_ROWS), read when asked as the upload
        # reads it, with the same advice.
        limit = settings.SUBMISSION_MAX_ROWS
        if len(rows) > limit:
            raise serializers.ValidationError(
                f"{len(rows)} rows: a submission has at most {limit}; split them into "
                "several submissions."
            )
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


@extend_schema_serializer(examples=[examples.A_REASON])
class ReasonSerializer(serializers.Serializer):
    reason = Text(
        help_text="Why: the author reads it.", validators=[capped_text, visible_text("reason")]
    )


@extend_schema_serializer(examples=[examples.A_COMMENT])
class CommentSerializer(serializers.Serializer):
    text = Text(validators=[capped_text, visible_text("comment")])


@extend_schema_serializer(examples=[examples.ACCEPT])
class AcceptSerializer(serializers.Serializer):
    acknowledge_warnings = Flag(default=False)
    comment = Text(
        required=False, allow_blank=True, default="",
        validators=[capped_text, visible_text("comment")],
    )  # fmt: skip


class OifitsFileSerializer(serializers.ModelSerializer):
    """An OIFITS file of a row: what its validation said and, once a worker has fitted the
    row's files, both discs (the same fit on each file of the row)."""

    download = serializers.SerializerMethodField()
    state = serializers.CharField(help_text="queued, fitting, fitted or failed")

    class Meta:
        model = OifitsFile
        fields = [
            "id", "name", "size", "sha256", "revision", "problems", "state", "progress",
            "fit", "error", "uploaded_at", "download",
        ]  # fmt: skip
        read_only_fields = fields

    def get_download(self, stored) -> str:
        return self.context["request"].build_absolute_uri(stored.get_absolute_url())


class OifitsUploadSerializer(serializers.Serializer):
    files = serializers.ListField(
        child=serializers.FileField(),
        allow_empty=False,
        help_text="One or more OIFITS files (multipart/form-data, the field repeated): the "
        "calibrated data of this row, fitted together.",
    )
