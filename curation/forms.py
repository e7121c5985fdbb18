from django import forms

from jmdc.columns import COLUMNS, Column, Kind
from jmdc.models import CODE_CHOICES

from .models import collaboration_groups
from .services import free_text_problem, title_problem


class SharingFields(forms.Form):
    """Title, collaboration group and embargo, common to the form and the upload."""

    title = forms.CharField(max_length=200, required=False)
    group = forms.ModelChoiceField(
        queryset=collaboration_groups().none(),
        required=False,
        help_text="Members of this group see and edit the draft, and see embargoed results.",
    )
    embargo_until = forms.DateField(
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text="Optional: accepted rows stay visible to the group only until this date.",
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["group"].queryset = collaboration_groups().filter(user=user)

    def clean_title(self) -> str:
        title = self.cleaned_data["title"]
        if problem := title_problem(title):
            raise forms.ValidationError(problem)
        return title


def row_field(column: Column) -> forms.Field:
    """The form field of a catalogue column, labelled as the column table says. Values are
    checked by the rules on save, so texts are taken as typed (lib.text cleans them as it cleans
    an upload's cells, and says what it changed: a line break before a bibcode is not removed
    silently), and may be longer than VizieR holds: the rules say so in the user's words."""
    label = column.label
    if column.kind is Kind.CODE:
        choices = [("", "—"), *CODE_CHOICES[column.field]]
        return forms.TypedChoiceField(choices=choices, required=False, label=label)
    if column.kind is Kind.FLAG:
        return forms.BooleanField(required=False, label=label)
    if column.kind is Kind.REAL:
        return forms.CharField(required=False, strip=False, label=label)
    if column.field == "notes":
        return forms.CharField(
            widget=forms.Textarea(attrs={"rows": 3}), required=False, strip=False, label=label
        )
    return forms.CharField(max_length=100, required=column.required, strip=False, label=label)


class RowCells(forms.Form):
    # Required fields' labels carry this class: site.css marks them with a star (their inputs
    # have the required attribute, which screen readers say).
    required_css_class = "required"

    def cells(self) -> dict[str, str]:
        data = self.cleaned_data
        return {
            column.name: ("True" if data[column.name] else "")
            if column.kind is Kind.FLAG
            else str(data.get(column.name) or "")
            for column in COLUMNS
        }


# One diameter, one field per catalogue column, named as the column (ID1, UD_DIAM...).
RowFields = type(forms.Form)(
    "RowFields",
    (RowCells,),
    {"__module__": __name__, **{column.name: row_field(column) for column in COLUMNS}},
)


class MeasurementForm(SharingFields, RowFields):
    pass


class UploadForm(SharingFields):
    file = forms.FileField(help_text="CSV (UTF-8) or .xlsx with the columns of the template.")


class ZipUploadForm(SharingFields):
    prefix = "zip"  # beside the table's form on one page: its own field names and ids
    file = forms.FileField(
        label="Zip",
        help_text="A .zip holding one table (CSV or .xlsx) and the OIFITS files its OIFITS "
        "column names.",
        widget=forms.ClearableFileInput(attrs={"accept": ".zip"}),
    )


class ReplaceFileForm(forms.Form):
    file = forms.FileField(
        help_text="CSV (UTF-8) or .xlsx; its rows replace the current ones (their OIFITS files "
        "go with them). Or a .zip of the table and the OIFITS files its OIFITS column names, as "
        "on the upload page.",
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.xlsx,.zip"}),
    )


class MultipleFiles(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFilesField(forms.FileField):
    """Several files in one input: Django's FileField cleans one, so each is cleaned here."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFiles(attrs={"accept": ".fits,.oifits,.fit"}))
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        chosen = data if isinstance(data, list | tuple) else [data]
        return [super(MultipleFilesField, self).clean(one, initial) for one in chosen if one] or [
            super().clean(None, initial)
        ]


class OifitsForm(forms.Form):
    files = MultipleFilesField(
        label="OIFITS files",
        help_text="The calibrated OIFITS (1 or 2) data this row's diameter was measured from; "
        "several files of one row are fitted together.",
    )


class DecisionForm(forms.Form):
    text = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}), required=False, label="Reason or comment"
    )
    acknowledge_warnings = forms.BooleanField(required=False, label="I have read the warnings")

    def clean_text(self) -> str:
        return _capped(self.cleaned_data["text"])


class CorrectionForm(forms.Form):
    reason = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}))

    def clean_reason(self) -> str:
        return _capped(self.cleaned_data["reason"])


def _capped(text: str) -> str:
    """A comment or reason within settings.FREE_TEXT_MAX_CHARS (read at each request, not
    frozen into a max_length at import)."""
    if problem := free_text_problem(text):
        raise forms.ValidationError(problem)
    return text


class ReleaseForm(forms.Form):
    version = forms.CharField(
        max_length=40, help_text="Letters, digits, dots, dashes: e.g. 2026.1. It cannot be reused."
    )
    date = forms.DateField(widget=forms.DateInput(attrs={"type": "date"}))
    notes = forms.CharField(
        required=False, widget=forms.Textarea(attrs={"rows": 3}),
        help_text="What this release is about (shown on its page).",
    )  # fmt: skip

    def clean_notes(self) -> str:
        return _capped(self.cleaned_data["notes"])
