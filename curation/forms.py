from django import forms

from jmdc.models import BandCode, Method

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


class RowFields(forms.Form):
    """One diameter, in the catalogue's columns. Values are checked by the rules on save.

    Texts are not stripped here: lib.text cleans them as it cleans an upload's cells, and
    says what it changed (a line break before a bibcode is not removed silently)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in RowFields.base_fields:
            if isinstance(self.fields[name], forms.CharField):
                self.fields[name].strip = False

    ID1 = forms.CharField(max_length=100, label="ID1 (star, HD preferred)")
    ID2 = forms.CharField(max_length=100, required=False, label="ID2 (name in the paper)")
    UD_DIAM = forms.CharField(required=False, label="UD diameter (mas)")
    LD_DIAM = forms.CharField(required=False, label="LD diameter (mas)")
    E_LD_DIAM = forms.CharField(required=False, label="Error (mas)")
    BAND = forms.CharField(max_length=100, required=False, label="Band (letter or wavelength)")
    MU_LAMBDA = forms.CharField(required=False, label="μλ (coefficient < 1, or LD/UD ratio)")
    METHOD = forms.TypedChoiceField(choices=[("", "—"), *Method.choices], required=False)
    BANDCODE = forms.TypedChoiceField(choices=[("", "—"), *BandCode.choices], required=False)
    NOTES = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), required=False)
    BIBCODE = forms.CharField(max_length=100, label="Bibcode (ADS, 19 characters)")
    SINPE = forms.BooleanField(required=False, label="SINPE (SIMBAD identifier not precise enough)")

    def cells(self) -> dict[str, str]:
        data = self.cleaned_data
        return {
            name: ("True" if data[name] else "") if name == "SINPE" else str(data.get(name) or "")
            for name in ("ID1", "ID2", "UD_DIAM", "LD_DIAM", "E_LD_DIAM", "BAND", "MU_LAMBDA",
                         "METHOD", "BANDCODE", "NOTES", "BIBCODE", "SINPE")
        }  # fmt: skip


class MeasurementForm(SharingFields, RowFields):
    pass


class UploadForm(SharingFields):
    file = forms.FileField(help_text="CSV (UTF-8) or .xlsx with the columns of the template.")


class ReplaceFileForm(forms.Form):
    file = forms.FileField(help_text="CSV (UTF-8) or .xlsx; its rows replace the current ones.")


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
