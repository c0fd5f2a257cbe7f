"""The campaign results in the admin: chart, table, CSV export and the campaign link builder."""

import csv
import io
import itertools
import math
from datetime import timedelta
from urllib.parse import urlencode

import segno
from django import forms
from django.conf import settings
from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse, HttpResponseBadRequest
from django.template.response import TemplateResponse
from django.urls import path
from django.utils import timezone, translation
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from . import campaigns
from .models import (
    Article,
    CampaignCount,
    TourPage,
)

RESULTS_DAYS = 30
CSV_COLUMNS = [
    "day", "language", "source", "medium", "campaign", "article_id", "article",
    "visits", "clicks", "click_through_rate",
]  # fmt: skip


def spreadsheet_safe(text):
    """`text` as a spreadsheet cell that can never run as a formula."""
    return f"'{text}" if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def nice_step(raw):
    """The smallest of 1, 2, 5, 10, 20, 50… that is at least `raw`: a readable axis step."""
    step, factors = 1, itertools.cycle((2, 2.5, 2))
    while step < raw:
        step = round(step * next(factors))
    return step


def svg_number(value):
    # Coordinates go into SVG attributes as text: a localized "12,5" would break them.
    return f"{value:.1f}".removesuffix(".0")


def bar_chart(days, series, *, rtl, width=720, height=240):
    """The geometry of an SVG bar chart with one group of bars per day.

    `series` lists (key, label, colour): each day dict holds a value under
    each key. Time runs in the reading direction: right to left, the first day
    stands at the right edge and the value axis on the right.
    """
    start, end, top, bottom = 48, 8, 12, 28
    plot_width, plot_height = width - start - end, height - top - bottom
    highest = max((day[key] or 0 for day in days for key, _label, _colour in series), default=0)
    step = nice_step(highest / 4)
    ceiling = step * max(1, math.ceil(highest / step))

    def x(offset, size):
        """The left edge of something `size` wide, `offset` from the plot's start edge."""
        return width - start - offset - size if rtl else start + offset

    def y(value):
        return top + plot_height - plot_height * value / ceiling

    slot = plot_width / len(days)
    bar_width = slot * 0.8 / len(series)
    bars = []
    for index, day in enumerate(days):
        for position, (key, label, colour) in enumerate(series):
            value = day[key] or 0
            offset = index * slot + slot * 0.1 + position * bar_width
            bars.append(
                {
                    "x": svg_number(x(offset, bar_width)),
                    "y": svg_number(y(value)),
                    "width": svg_number(bar_width),
                    "height": svg_number(y(0) - y(value)),
                    "day": day["day"],
                    "value": day[key],
                    "label": label,
                    "colour": colour,
                }
            )
    plot_x = x(0, plot_width)
    return {
        "width": width,
        "height": height,
        "direction": "rtl" if rtl else "ltr",
        "legend": [{"label": label, "colour": colour} for _key, label, colour in series],
        "plot_x1": svg_number(plot_x),
        "plot_x2": svg_number(plot_x + plot_width),
        "tick_x": svg_number(width - start + 6 if rtl else start - 6),
        "ticks": [
            {"value": value, "y": svg_number(y(value))} for value in range(0, ceiling + 1, step)
        ],
        "bars": bars,
        # Today and every seventh day before it.
        "day_labels": [
            {"day": day["day"], "x": svg_number(x(index * slot, slot) + slot / 2)}
            for index, day in enumerate(days)
            if (len(days) - 1 - index) % 7 == 0
        ],
        "day_label_y": svg_number(height - 8),
    }


class ResultsFilterForm(forms.Form):
    # No campaign name starts with "-" (see campaigns.SAFE_VALUE), so this cannot collide.
    NO_CAMPAIGN = "-"

    language = forms.ChoiceField(label=_("Language"), required=False)
    campaign = forms.ChoiceField(label=_("Campaign"), required=False)

    def __init__(self, *args, campaign_names=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["language"].choices = [("", _("All languages")), *settings.LANGUAGES]
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

    language = forms.ChoiceField(label=_("Language"), choices=settings.LANGUAGES)
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
        for name in self.PARAMETERS:
            typed = cleaned.get(name)
            if typed:
                cleaned[name] = campaigns.clean_value(typed)
                if not cleaned[name]:
                    self.add_error(name, self.INVALID)
        return cleaned

    def parameters(self):
        return {
            parameter: self.cleaned_data[name]
            for name, parameter in self.PARAMETERS.items()
            if self.cleaned_data[name]
        }


@admin.register(CampaignCount)
class CampaignCountAdmin(admin.ModelAdmin):
    """The tour page's results, and a builder for campaign links with their QR code.

    The site writes the counts; editors only read them. The change list is
    replaced by the results page.
    """

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def get_urls(self):
        info = self.opts.app_label, self.opts.model_name
        return [
            path(
                "export.csv",
                self.admin_site.admin_view(self.export_view),
                name="{}_{}_export".format(*info),
            ),
            path(
                "builder/",
                self.admin_site.admin_view(self.builder_view),
                name="{}_{}_builder".format(*info),
            ),
            path(
                "builder/qr/",
                self.admin_site.admin_view(self.qr_view),
                name="{}_{}_qr".format(*info),
            ),
            *super().get_urls(),
        ]

    def check_view_permission(self, request):
        if not self.has_view_permission(request):
            raise PermissionDenied

    def results_window(self):
        last_day = timezone.localdate()
        return last_day - timedelta(days=RESULTS_DAYS - 1), last_day

    def filtered_counts(self, request):
        """The results form and the counts of the last days it selects."""
        counts = CampaignCount.objects.between(*self.results_window())
        campaign_names = (
            counts.exclude(campaign="")
            .order_by("campaign")
            .values_list("campaign", flat=True)
            .distinct()
        )
        form = ResultsFilterForm(request.GET or None, campaign_names=campaign_names)
        return form, form.filter(counts)

    def breakdown(self, counts, *fields):
        """Visits and clicks per distinct `fields`, each row with its referring article."""
        rows = list(counts.totals(*fields))
        articles = Article.objects.in_bulk({row["article_pk"] for row in rows} - {0})
        for row in rows:
            row["article"] = articles.get(row["article_pk"])
            row["rate"] = campaigns.click_through_rate(row["visits"], row["clicks"])
        return rows

    def changelist_view(self, request, extra_context=None):
        self.check_view_permission(request)
        form, counts = self.filtered_counts(request)
        days = campaigns.daily_results(counts.totals("day"), *self.results_window())
        visits = sum(day["visits"] for day in days)
        clicks = sum(day["clicks"] for day in days)
        rtl = translation.get_language_bidi()
        fields = ["language", "source", "medium", "campaign", "article_pk"]
        rows = sorted(self.breakdown(counts, *fields), key=lambda row: -row["visits"])
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": _("Campaign results"),
            "form": form,
            "days": days,
            "first_day": days[0]["day"],
            "last_day": days[-1]["day"],
            "visits": visits,
            "clicks": clicks,
            "rate": campaigns.click_through_rate(visits, clicks),
            "counts_chart": bar_chart(
                days,
                [("visits", _("Visits"), "#417690"), ("clicks", _("Clicks"), "#b04a00")],
                rtl=rtl,
            ),
            "rate_chart": bar_chart(days, [("rate", _("Click-through rate"), "#2e7d32")], rtl=rtl),
            "rows": rows,
            "query": request.GET.urlencode(),
            **(extra_context or {}),
        }
        return TemplateResponse(request, "admin/articles/campaign_results.html", context)

    def export_view(self, request):
        """The counts of the results page, under its filters, as CSV: one row per day,
        language, source, medium, campaign and referring article."""
        self.check_view_permission(request)
        _form, counts = self.filtered_counts(request)
        fields = ["day", "language", "source", "medium", "campaign", "article_pk"]
        first_day, last_day = self.results_window()
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = (
            f'attachment; filename="campaign-results-{first_day}-{last_day}.csv"'
        )
        # The byte order mark makes spreadsheets read the file as UTF-8 (Hebrew, Turkish).
        response.write("\ufeff")
        writer = csv.writer(response)
        writer.writerow(CSV_COLUMNS)
        for row in self.breakdown(counts, *fields):
            writer.writerow(
                [
                    row["day"].isoformat(),
                    row["language"],
                    row["source"],
                    row["medium"],
                    row["campaign"],
                    row["article_pk"] or "",
                    spreadsheet_safe(str(row["article"])) if row["article"] else "",
                    row["visits"],
                    row["clicks"],
                    "" if row["rate"] is None else row["rate"],
                ]
            )
        return response

    def builder_view(self, request):
        self.check_view_permission(request)
        initial = {"language": translation.get_language()}
        form = CampaignLinkForm(request.GET or None, initial=initial)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": _("Campaign link"),
            "form": form,
        }
        if form.is_valid():
            language = form.cleaned_data["language"]
            page = TourPage.load()
            context.update(
                link=campaign_link(request, form),
                query=urlencode(form.cleaned_data),
                tour_missing=not page.is_available_in(language),
            )
        return TemplateResponse(request, "admin/articles/campaign_builder.html", context)

    def qr_view(self, request):
        """The campaign link's QR code, as an SVG (or, with format=png, a PNG) download."""
        self.check_view_permission(request)
        form = CampaignLinkForm(request.GET)
        if not form.is_valid():
            return HttpResponseBadRequest(
                "Invalid campaign parameters\n", content_type="text/plain"
            )
        kind = "png" if request.GET.get("format") == "png" else "svg"
        buffer = io.BytesIO()
        qr = segno.make_qr(campaign_link(request, form), error="m")
        qr.save(buffer, kind=kind, scale=8, border=4, dark="#000", light="#fff")
        content_type = {"png": "image/png", "svg": "image/svg+xml"}[kind]
        response = HttpResponse(buffer.getvalue(), content_type=content_type)
        name = slugify(" ".join(["tour", *form.parameters().values()]))
        response["Content-Disposition"] = (
            f'attachment; filename="{name}-{form.cleaned_data["language"]}.{kind}"'
        )
        return response


def campaign_link(request, form):
    """The absolute address of the tour page with a valid CampaignLinkForm's parameters."""
    tour_path = campaigns.tour_path(form.cleaned_data["language"], form.parameters())
    return request.build_absolute_uri(tour_path)
