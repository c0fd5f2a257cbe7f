from urllib.parse import urlencode

from django import forms
from django.utils.translation import gettext_lazy as _

from articles import languages
from articles.models import Article

from . import counting
from .models import CampaignCount


class ResultsFilterForm(forms.Form):
    # No campaign name starts with "-" (see campaigns.SAFE_VALUE), so this cannot collide.
    NO_CAMPAIGN = "-"

    language = forms.ChoiceField(label=_("Language"), required=False)
    campaign = forms.ChoiceField(label=_("Campaign"), required=False)

    def __init__(self, *args, campaign_names=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["language"].choices = [("", _("All languages")), *languages.CHOICES]
        self.fields["campaign"].choices = [
            ("", _("All campaigns")),
            (self.NO_CAMPAIGN, _("No campaign")),
            *((name, name) for name in campaign_names),
        ]

    def filter(self, counts):
        """`counts` narrowed to the chosen language and campaign; all of them while invalid."""
        if not self.is_valid():
            return counts
        if language := self.cleaned_data["language"]:
            counts = counts.filter(language=language)
        if campaign := self.cleaned_data["campaign"]:
            counts = counts.filter(campaign="" if campaign == self.NO_CAMPAIGN else campaign)
        return counts


class CampaignLinkForm(forms.Form):
    PARAMETERS = {"source": "utm_source", "medium": "utm_medium", "campaign": "utm_campaign"}
    INVALID = _(
        "Use letters, digits, spaces, “-”, “_” and “.” only, beginning with a letter or digit."
    )

    language = forms.ChoiceField(label=_("Language"), choices=languages.CHOICES)
    article = forms.ModelChoiceField(
        label=_("Page"),
        queryset=Article.objects.published(),
        required=False,
        empty_label=_("The tour page"),
        help_text=_("Where the link leads: the tour page, or an article."),
    )
    source = forms.CharField(
        label=_("Source"),
        max_length=CampaignCount.VALUE_MAX_LENGTH,
        help_text=_("Where the link is placed, e.g. newsletter or linkedin."),
    )
    medium = forms.CharField(
        label=_("Medium"),
        max_length=CampaignCount.VALUE_MAX_LENGTH,
        required=False,
        help_text=_("The kind of link, e.g. email, social or print."),
    )
    campaign = forms.CharField(
        label=_("Campaign"),
        max_length=CampaignCount.VALUE_MAX_LENGTH,
        required=False,
        help_text=_("The campaign's name, e.g. spring-launch."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in self.PARAMETERS:
            self.fields[name].widget.attrs["dir"] = "auto"

    def clean(self):
        cleaned = super().clean()
        article, language = cleaned.get("article"), cleaned.get("language")
        if article and language and not article.is_available_in(language):
            self.add_error(
                "article",
                _("This article is not published in %(language)s.")
                % {"language": languages.name(language)},
            )
        for name in self.PARAMETERS:
            typed = cleaned.get(name)
            if typed:
                cleaned[name] = counting.clean_value(typed)
                if not cleaned[name]:
                    self.add_error(name, self.INVALID)
        return cleaned

    def parameters(self):
        return {
            parameter: self.cleaned_data[name]
            for name, parameter in self.PARAMETERS.items()
            if self.cleaned_data[name]
        }

    def path(self):
        """The address the link leads to, with the campaign's parameters."""
        language, article = self.cleaned_data["language"], self.cleaned_data["article"]
        if article is None:
            return languages.reverse_in(language, "marketing:tour", query=self.parameters())
        return f"{article.get_absolute_url(language)}?{urlencode(self.parameters())}"

    def query(self):
        """The form's values as a query string, for the QR code's address."""
        values = {**self.cleaned_data, "article": getattr(self.cleaned_data["article"], "pk", "")}
        return urlencode(values)
