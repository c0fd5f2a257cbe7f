from django import forms
from django.utils.translation import gettext_lazy as _

from articles.text.search import normalize_for_search


class SearchForm(forms.Form):
    q = forms.CharField(
        label=_("Search articles"),
        max_length=100,
        # A query may be typed in either direction, whatever the page's.
        widget=forms.SearchInput(attrs={"dir": "auto"}),
        error_messages={
            "required": _("Type a word to search for."),
            "max_length": _("Type at most %(limit_value)d characters."),
        },
    )

    def __init__(self, *args, language, **kwargs):
        super().__init__(*args, **kwargs)
        self.language = language

    def clean_q(self):
        query = self.cleaned_data["q"]
        if not normalize_for_search(query, language=self.language):
            raise forms.ValidationError(_("Type letters or numbers to search for."))
        return query
