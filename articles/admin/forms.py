from django import forms
from django.core.exceptions import FieldDoesNotExist
from django.utils import formats
from django.utils.translation import gettext_lazy as _

from articles.writing import editing, history
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
    # Set by the admin for a translator limited to these languages: the fields
    # of every other language, and those shared by all, are disabled.
    allowed_languages = None
    user = None

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.initial.setdefault("version", self.instance.version)
        self.conflict = None
        if self.allowed_languages is not None:
            for name in self.locked_fields():
                self.fields[name].disabled = True

    def locked_fields(self):
        """The fields a translator limited to `allowed_languages` may not change."""
        locked = []
        for name in self.fields:
            if name == "version":
                continue
            try:
                language = getattr(self._meta.model._meta.get_field(name), "language", None)
            except FieldDoesNotExist:
                language = None
            if language not in self.allowed_languages:
                locked.append(name)
        return locked

    def posted_locked_fields(self):
        """The locked fields a post changes anyway, {language or "": [labels]}: a browser
        never sends a disabled input, so only a forged or stale post does."""
        posted = {}
        for name in self.locked_fields():
            field = self.fields[name]
            keys = {name, f"{name}_0", f"{name}-clear"}
            if not keys & {*self.data, *self.files}:
                continue
            value = field.widget.value_from_datadict(self.data, self.files, self.add_prefix(name))
            field.disabled = False
            try:
                changed = field.has_changed(self.get_initial_for_field(field, name), value)
            finally:
                field.disabled = True
            if changed:
                try:
                    model_field = self._meta.model._meta.get_field(name)
                except FieldDoesNotExist:
                    language, label = "", str(field.label)
                else:
                    language = getattr(model_field, "language", None) or ""
                    label = str(history.base_field(model_field).verbose_name)
                posted.setdefault(language, []).append(label)
        return posted

    def _post_clean(self):
        super()._post_clean()
        if self.allowed_languages is None:
            return
        # A restored revision brings every language's texts into the instance.
        refused = editing.refused_changes(
            self.instance, self.instance.changed_columns(), self.allowed_languages
        )
        for language, labels in self.posted_locked_fields().items():
            refused.setdefault(language, []).extend(
                label for label in labels if label not in refused.get(language, [])
            )
        if refused:
            self.add_error(None, editing.refusal(refused, self.allowed_languages))

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
    publish_reason = forms.CharField(
        label=_("Reason to publish without an approved review"),
        required=False,
        max_length=500,
        help_text=_(
            "Publishing a language whose translation job is not approved needs a reason, "
            "kept in the history."
        ),
    )

    def _post_clean(self):
        super()._post_clean()
        try:
            editing.check_publishing(
                self.instance,
                self.instance.changed_columns(),
                self.cleaned_data.get("publish_reason", ""),
            )
        except forms.ValidationError as error:
            self._update_errors(error)

    conflict_messages = {
        "by": _("Someone else saved this article at %(time)s (%(user)s) after you opened it."),
        "unknown": _("Someone else saved this article at %(time)s after you opened it."),
    }
