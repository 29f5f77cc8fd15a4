from django import forms
from django.utils.translation import gettext_lazy as _

from intake.imports.mapping import TARGET_LABELS
from intake.models import ImportMapping
from leads.models import Channel


class UploadForm(forms.Form):
    file = forms.FileField(
        label=_("CSV or Excel file"),
        help_text=_("Up to 50 MB. The first row names the columns; any encoding or delimiter."),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.txt,.tsv,.xlsx"}),
    )
    source = forms.ModelChoiceField(
        ImportMapping.objects.all(),
        required=False,
        label=_("Saved mapping"),
        empty_label=_("Match the columns automatically"),
    )


class MappingForm(forms.Form):
    """One choice per column of the file, then the default channel and the source name."""

    channel = forms.ModelChoiceField(
        Channel.objects.all(),
        required=False,
        label=_("Channel for rows that name none"),
        empty_label=_("None"),
    )
    save_as = forms.CharField(
        max_length=100,
        required=False,
        label=_("Save this mapping for the source"),
        help_text=_("e.g. “Trade-show badge scans”; next time pick it when you upload."),
    )

    def __init__(self, *args, headers: list[str], **kwargs):
        super().__init__(*args, **kwargs)
        self.headers = headers
        for index, header in enumerate(headers):
            self.fields[f"column_{index}"] = forms.ChoiceField(
                choices=list(TARGET_LABELS.items()), required=False, label=header or "—"
            )

    def column_fields(self):
        return [
            (index, header, self[f"column_{index}"]) for index, header in enumerate(self.headers)
        ]

    @property
    def mapping(self) -> dict[str, str]:
        return {
            str(index): self.cleaned_data.get(f"column_{index}", "")
            for index in range(len(self.headers))
        }
