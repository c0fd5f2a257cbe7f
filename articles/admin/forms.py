from django import forms
from django.utils import formats
from django.utils.translation import gettext_lazy as _

from articles.writing import history
from articles.writing.editing import normalize_text


class ContentForm(forms.ModelForm):
    """An editor's form for content, carrying the version they started from.

    Texts are normalized as they come in (a browser sends line breaks as
    CRLF), so a form saved unchanged is unchanged. When the content was
    saved by someone else since the form was opened, the form is refused
    and `conflict` says who, when and what they changed.
    """

    # Not the model's field (that one is not editable), so the admin excludes
    # the model's. Left out of a post, only the save itself is checked.
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.initial.setdefault("version", self.instance.version)
        self.conflict = None

    def clean(self):
        cleaned_data = super().clean()
        for name, value in cleaned_data.items():
            if isinstance(value, str):
                cleaned_data[name] = normalize_text(value)
        started_from = cleaned_data.get("version")
        stored = getattr(self.instance, "loaded_values", {}).get("version")
        if stored is not None and started_from is not None and started_from != stored:
            self.conflict = self.describe_conflict(started_from)
            raise forms.ValidationError(self.conflict_message(), code="conflict")
        return cleaned_data

    def describe_conflict(self, started_from):
        """Who saved since the editor opened the form, when, and what they changed."""
        stored = type(self.instance).objects.get(pk=self.instance.pk)
        yours = {name: value for name, value in self.cleaned_data.items() if isinstance(value, str)}
        conflict = history.conflict(stored, started_from, yours)
        conflict["time"] = formats.date_format(
            conflict["when"], "TIME_FORMAT" if conflict["is_today"] else "DATETIME_FORMAT"
        )
        conflict["object"] = stored
        return conflict

    def conflict_message(self):
        values = {"time": self.conflict["time"], "user": self.conflict["user"]}
        if self.conflict["user"]:
            return self.conflict_messages["by"] % values
        return self.conflict_messages["unknown"] % values

    conflict_messages = {
        "by": _("Someone else saved this page at %(time)s (%(user)s) after you opened it."),
        "unknown": _("Someone else saved this page at %(time)s after you opened it."),
    }


class ArticleForm(ContentForm):
    conflict_messages = {
        "by": _("Someone else saved this article at %(time)s (%(user)s) after you opened it."),
        "unknown": _("Someone else saved this article at %(time)s after you opened it."),
    }
