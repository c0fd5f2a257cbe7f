"""Marketing in the admin: the tour page, the campaign results (chart, table, CSV
export) and the campaign link builder."""

import csv
import io
from datetime import timedelta

import segno
from django import forms
from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.db import models
from django.http import HttpResponse, HttpResponseBadRequest
from django.template.response import TemplateResponse
from django.urls import path
from django.utils import timezone, translation
from django.utils.html import format_html, format_html_join
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from articles import images, languages
from articles.admin.content import ContentAdmin
from articles.languages import localized
from articles.models import Article, TourPage

from . import (
    charts,
    counting,
    experiments_admin,  # noqa: F401 (registers the experiments' admin)
)
from .forms import CampaignLinkForm, ResultsFilterForm
from .models import CampaignCount

RESULTS_DAYS = 30
CSV_COLUMNS = [
    "day", "language", "source", "medium", "campaign", "article_id", "article", "variant",
    "reads", "visits", "clicks", "click_through_rate",
]  # fmt: skip


def spreadsheet_safe(text):
    """`text` as a spreadsheet cell that can never run as a formula."""
    return f"'{text}" if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


@admin.register(TourPage)
class TourPageAdmin(ContentAdmin):
    """The tour page, with links to what it brought (the campaign results)."""

    change_form_template = "admin/marketing/tourpage_change_form.html"
    change_list_template = "admin/marketing/tourpage_change_list.html"
    list_display = ["__str__", "destination_url", "updated_at"]
    readonly_fields = ["parts_column"]
    fieldsets = [
        (None, {"fields": ["parts_column"]}),
        (None, {"fields": ["text", "subheading", "benefits", "button_label", "reassurance"]}),
        (_("Image"), {"fields": ["image", "image_alt"]}),
        (_("Publishing"), {"fields": ["is_published", "destination_url", "version"]}),
        (_("Articles"), {"fields": ["related_position"]}),
    ]
    formfield_overrides = {
        models.TextField: {"widget": forms.Textarea(attrs={"rows": 5})},
        # Uploads are checked by content and stored without metadata.
        models.ImageField: {"form_class": images.CheckedImageField},
    }

    # What a language may leave empty: the page shows without it.
    OPTIONAL_PARTS = ("subheading", "benefits", "reassurance", "image_alt")

    @admin.display(description=_("what each language shows"))
    def parts_column(self, page):
        """Per language with a headline: the parts not written yet, which the page
        leaves out, so that an editor sees what would complete it."""
        lines = []
        for code, name in languages.CHOICES:
            if not page.has_content_in(code):
                continue
            missing = [
                str(TourPage._meta.get_field(part).verbose_name)
                for part in self.OPTIONAL_PARTS
                if not getattr(page, localized(part, code)) and (part != "image_alt" or page.image)
            ]
            if not page.image:
                missing.append(str(TourPage._meta.get_field("image").verbose_name))
            if missing:
                text = _("no %(parts)s yet; the page shows without them.") % {
                    "parts": ", ".join(missing)
                }
            else:
                text = _("every part written.")
            lines.append((code, name, text))
        items = format_html_join("", '<li><strong lang="{}">{}</strong>: {}</li>', lines)
        return format_html('<ul class="tour-parts">{}</ul>', items)

    def has_add_permission(self, request):
        return super().has_add_permission(request) and not TourPage.objects.exists()

    def has_delete_permission(self, request, obj=None):
        return False


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
            row["rate"] = counting.click_through_rate(row["visits"], row["clicks"])
        return rows

    def changelist_view(self, request, extra_context=None):
        self.check_view_permission(request)
        form, counts = self.filtered_counts(request)
        days = counting.daily_results(counts.totals("day"), *self.results_window())
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
            "rate": counting.click_through_rate(visits, clicks),
            "counts_chart": charts.bar_chart(
                days,
                [("visits", _("Visits"), "#417690"), ("clicks", _("Clicks"), "#b04a00")],
                rtl=rtl,
            ),
            "rate_chart": charts.bar_chart(
                days, [("rate", _("Click-through rate"), "#2e7d32")], rtl=rtl
            ),
            "rows": rows,
            "funnel": funnel(counts),
            "funnel_rows": funnel_rows(counts),
            "query": request.GET.urlencode(),
            **(extra_context or {}),
        }
        return TemplateResponse(request, "admin/marketing/campaign_results.html", context)

    def export_view(self, request):
        """The counts of the results page, under its filters, as CSV: one row per day,
        language, source, medium, campaign and referring article."""
        self.check_view_permission(request)
        _form, counts = self.filtered_counts(request)
        fields = ["day", "language", "source", "medium", "campaign", "article_pk", "variant"]
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
                    row["variant"],
                    row["reads"],
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
                link=request.build_absolute_uri(form.path()),
                query=form.query(),
                tour_missing=not (form.cleaned_data["article"] or page.is_available_in(language)),
            )
        return TemplateResponse(request, "admin/marketing/campaign_builder.html", context)

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
        qr = segno.make_qr(request.build_absolute_uri(form.path()), error="m")
        qr.save(buffer, kind=kind, scale=8, border=4, dark="#000", light="#fff")
        content_type = {"png": "image/png", "svg": "image/svg+xml"}[kind]
        response = HttpResponse(buffer.getvalue(), content_type=content_type)
        name = slugify(" ".join(["tour", *form.parameters().values()]))
        response["Content-Disposition"] = (
            f'attachment; filename="{name}-{form.cleaned_data["language"]}.{kind}"'
        )
        return response


FUNNEL_STEPS = [
    ("reads", _("Article read")),
    ("cta_clicks", _("Call to action clicked")),
    ("tour_clicks", _("Tour button clicked")),
]


def funnel(counts):
    """The funnel's steps for `counts`, each with its count, the share of the first step
    it keeps and the drop from the step before, for the chart."""
    totals = counts.funnel()
    steps, before = [], None
    first = totals["reads"]
    for key, label in FUNNEL_STEPS:
        value = totals[key]
        steps.append(
            {
                "label": label,
                "count": value,
                "share": 100 * value / first if first else None,
                "drop": 100 * (before - value) / before if before else None,
            }
        )
        before = value
    return steps


def funnel_rows(counts):
    """The funnel per language, article and campaign, articles by their reads."""
    rows = list(counts.funnel("language", "article_pk", "campaign"))
    articles = Article.objects.in_bulk({row["article_pk"] for row in rows} - {0})
    for row in rows:
        row["article"] = articles.get(row["article_pk"])
    return sorted((row for row in rows if row["article_pk"]), key=lambda row: -row["reads"])
