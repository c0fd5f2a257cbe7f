import csv
import io
import itertools
import math
from datetime import timedelta
from urllib.parse import urlencode

import reversion
import segno
from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from django.http import Http404, HttpResponse, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect
from django.template.loader import render_to_string
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import formats, timezone, translation
from django.utils.html import format_html_join
from django.utils.safestring import mark_safe
from django.utils.text import slugify
from django.utils.translation import get_language_info
from django.utils.translation import gettext_lazy as _
from modeltranslation.admin import TabbedTranslationAdmin
from reversion.admin import VersionAdmin
from reversion.models import Version

from . import campaigns, handoff, history, images
from .models import (
    LANGUAGE_CODES,
    SOURCE_LANGUAGE,
    Article,
    CampaignCount,
    EditConflict,
    TourPage,
    localized,
)
from .rendering import slug_allows_unicode


class TranslatedInputsAdmin(TabbedTranslationAdmin):
    """Each language's inputs carry that language's `lang` and `dir`.

    Whatever language the admin itself speaks, Hebrew is typed right to left
    and Turkish left to right. Slugs and URLs are always left to right.
    """

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if isinstance(db_field, models.URLField):
            # Django 6's default, taken now: a URL typed without a scheme is https.
            kwargs["assume_scheme"] = "https"
        language = getattr(db_field, "language", None)
        if language and isinstance(db_field, models.SlugField):
            # The admin's slug prefill reads allow_unicode from the form field:
            # transliterate where our slug policy does, keep letters where not.
            kwargs["allow_unicode"] = slug_allows_unicode(language)
        field = super().formfield_for_dbfield(db_field, request, **kwargs)
        if field is None or language is None:
            return field
        is_bidi = translation.get_language_info(language)["bidi"]
        always_ltr = isinstance(db_field, (models.SlugField, models.URLField))
        field.widget.attrs.update(lang=language, dir="rtl" if is_bidi and not always_ltr else "ltr")
        return field


class HistoryAdmin(VersionAdmin):
    """Every save keeps a revision saying which languages changed; any one can be restored.

    Restoring fills the change form with the revision's values, and saving it
    is an ordinary save: checked against other editors' saves, with derived
    fields made again and a revision of its own, so what stood before can be
    restored in turn. It replaces django-reversion's revert, which writes the
    stored row back as it was, version number and all.
    """

    object_history_template = "reversion/articles/object_history.html"
    revision_form_template = "reversion/revision_form.html"

    def reversion_register(self, model, **kwargs):
        super().reversion_register(model, fields=history.versioned_fields(model), **kwargs)

    def get_object(self, request, object_id, from_field=None):
        obj = super().get_object(request, object_id, from_field)
        if obj is not None and getattr(request, "restoring", None) is not None:
            history.restore(request.restoring, obj)
        return obj

    def revision_view(self, request, object_id, version_id, extra_context=None):
        version = get_object_or_404(
            Version.objects.get_for_object_reference(self.model, unquote(object_id)),
            pk=version_id,
        )
        request.restoring = version
        when = timezone.localtime(version.revision.date_created)
        context = {
            "title": _("Restore the version of %(date)s")
            % {"date": formats.date_format(when, "DATETIME_FORMAT")},
            "revert": True,
            **(extra_context or {}),
        }
        with self.create_revision(request):
            response = self.changeform_view(request, object_id, request.path, context)
        if response.status_code == 200:
            response.template_name = self.revision_form_template
        return response

    def history_view(self, request, object_id, extra_context=None):
        response = super().history_view(request, object_id, extra_context)
        for action in getattr(response, "context_data", {}).get("action_list", []):
            action["summary"] = history.describe(action["revision"].comment, self.model)
        return response

    def save_model(self, request, obj, form, change):
        # The stored row, not `obj`: the form has already put its values there.
        before = type(obj)._default_manager.filter(pk=obj.pk).first() if change else None
        super().save_model(request, obj, form, change)
        form.changed_columns = history.changed_fields(before, obj) if before else []

    def construct_change_message(self, request, form, formsets, add=False):
        if add:
            return super().construct_change_message(request, form, formsets, add)
        restoring = getattr(request, "restoring", None)
        return history.change_message(
            self.model,
            form.changed_columns,
            restored_from=restoring.revision if restoring else None,
        )

    def log_addition(self, request, obj, message):
        entry = super().log_addition(request, obj, message)
        self.comment_revision(request, obj, entry)
        return entry

    def log_change(self, request, obj, message):
        entry = super().log_change(request, obj, message)
        self.comment_revision(request, obj, entry)
        return entry

    def comment_revision(self, request, obj, entry):
        """Give the revision the log entry's message, put into words only when shown."""
        if reversion.is_active():
            reversion.set_comment(entry.change_message)
            return
        # Saved outside the change form (a translation import): a revision of its own.
        with reversion.create_revision():
            reversion.set_user(request.user)
            reversion.set_comment(entry.change_message)
            reversion.add_to_revision(obj)


class ArticleForm(forms.ModelForm):
    """The article form, carrying the version of the article the editor started from."""

    # Not the model's field (that one is not editable), so ArticleAdmin excludes
    # the model's. Left out of a post, only the save itself is checked.
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.initial.setdefault("version", self.instance.version)

    def clean(self):
        cleaned_data = super().clean()
        started_from = cleaned_data.get("version")
        if self.instance.pk and started_from is not None and started_from != self.instance.version:
            raise forms.ValidationError(self.conflict_message(started_from), code="conflict")
        return cleaned_data

    def conflict_message(self, started_from):
        stored = Article.objects.get(pk=self.instance.pk)
        yours = {name: value for name, value in self.cleaned_data.items() if isinstance(value, str)}
        context = history.conflict(stored, started_from, yours)
        context["time"] = formats.date_format(
            context["when"], "TIME_FORMAT" if context["is_today"] else "DATETIME_FORMAT"
        )
        context["change_url"] = reverse("admin:articles_article_change", args=[stored.pk])
        if context["revision"] is not None:
            context["revision_url"] = reverse(
                "admin:articles_article_revision", args=[stored.pk, context["revision"].pk]
            )
        # The template escapes everything it is given.
        return mark_safe(render_to_string("admin/articles/article/conflict.html", context))


SOURCE_DIRECTION = "rtl" if get_language_info(SOURCE_LANGUAGE)["bidi"] else "ltr"


class NeedsTranslationFilter(admin.SimpleListFilter):
    title = _("translation")
    parameter_name = "needs_translation"

    def lookups(self, request, model_admin):
        return [
            (code, _("missing or outdated in %(language)s") % {"language": name})
            for code, name in settings.LANGUAGES
        ]

    def queryset(self, request, queryset):
        if self.value() not in LANGUAGE_CODES:
            return queryset
        # Outdated is a comparison of texts, not a column: decided per article.
        return queryset.filter(
            pk__in=[
                article.pk
                for article in queryset
                if article.translation_status(self.value()) != Article.TranslationStatus.COMPLETE
            ]
        )


@admin.register(Article)
class ArticleAdmin(HistoryAdmin, TranslatedInputsAdmin):
    form = ArticleForm
    exclude = ["version"]
    list_display = ["title_column", "languages_column", "published_at", "updated_at"]
    list_filter = [NeedsTranslationFilter]
    readonly_fields = ["translation_column"]
    search_fields = [localized("title", code) for code in LANGUAGE_CODES]
    prepopulated_fields = {
        localized("slug", code): (localized("title", code),) for code in LANGUAGE_CODES
    }
    fieldsets = [
        (_("Translation"), {"fields": ["translation_column"]}),
        (None, {"fields": ["title", "slug", "lede", "body", "meta_description"]}),
        (_("Image"), {"fields": ["image", "image_alt"]}),
        (_("Publishing"), {"fields": ["is_published", "published_at", "version"]}),
    ]
    formfield_overrides = {
        models.TextField: {"widget": forms.Textarea(attrs={"rows": 12})},
        # Uploads are checked by content and stored without metadata.
        models.ImageField: {"form_class": images.CheckedImageField},
    }

    class Media:
        css = {"all": ["css/admin-articles.css"]}

    @admin.display(description=_("title"))
    def title_column(self, article):
        return str(article)

    @admin.display(description=_("languages"))
    def languages_column(self, article):
        """A badge per language: its translation status, and whether it is published."""
        badges = []
        for code in LANGUAGE_CODES:
            status = article.translation_status(code)
            published = getattr(article, localized("is_published", code))
            badges.append(
                (
                    status,
                    "published" if published else "draft",
                    f"{status.label}, {_('published') if published else _('draft')}",
                    code,
                    {"complete": "✓", "missing": "✗", "outdated": "!"}[status],
                )
            )
        return format_html_join(
            " ",
            '<span class="language-badge translation-{} {}" title="{}">{} {}</span>',
            badges,
        )

    @admin.display(description=_("status per language"))
    def translation_column(self, article):
        """Each language's status; for an outdated one, what changed in the source since."""
        rows = []
        for code, name in settings.LANGUAGES:
            status = article.translation_status(code)
            changes = [
                (Article._meta.get_field(field).verbose_name, lines)
                for field, lines in (
                    article.source_changes(code)
                    if status == Article.TranslationStatus.OUTDATED
                    else []
                )
            ]
            rows.append(
                render_to_string(
                    "admin/articles/translation_status.html",
                    {
                        "language": name,
                        "code": code,
                        "status": status,
                        "is_published": getattr(article, localized("is_published", code)),
                        "changes": changes,
                        "source_language": dict(settings.LANGUAGES)[SOURCE_LANGUAGE],
                        "source_code": SOURCE_LANGUAGE,
                        "source_dir": SOURCE_DIRECTION,
                    },
                )
            )
        # Each row comes from an autoescaped template.
        return mark_safe("".join(rows))

    def save_model(self, request, obj, form, change):
        if change and form.cleaned_data.get("version") is not None:
            # Claim the version the editor started from: the database refuses
            # the save if another one got in first.
            obj.version = form.cleaned_data["version"]
        super().save_model(request, obj, form, change)
        restoring = getattr(request, "restoring", None)
        if restoring is not None and "translation_sources" in restoring.field_dict:
            # Saving took the restored translations as made from today's
            # source; they were made from the one the revision kept.
            obj.translation_sources = restoring.field_dict["translation_sources"]
            Article.objects.filter(pk=obj.pk).update(translation_sources=obj.translation_sources)
            reversion.add_to_revision(obj)

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except EditConflict:
            # Another save got in between the form's check and this one, which
            # was rolled back: asked again, the form's check finds it and says so.
            return super().changeform_view(request, object_id, form_url, extra_context)

    def get_urls(self):
        info = self.opts.app_label, self.opts.model_name
        return [
            path(
                "<path:object_id>/translation/<str:language>/export/",
                self.admin_site.admin_view(self.translation_export_view),
                name="{}_{}_translation_export".format(*info),
            ),
            path(
                "<path:object_id>/translation/<str:language>/import/",
                self.admin_site.admin_view(self.translation_import_view),
                name="{}_{}_translation_import".format(*info),
            ),
            *super().get_urls(),
        ]

    def change_view(self, request, object_id, form_url="", extra_context=None):
        languages = [translation.get_language_info(code) for code in handoff.TARGET_LANGUAGES]
        extra_context = {"translation_languages": languages, **(extra_context or {})}
        return super().change_view(request, object_id, form_url, extra_context)

    def handoff_article(self, request, object_id, language, has_permission):
        if language not in handoff.TARGET_LANGUAGES:
            raise Http404
        article = self.get_object(request, unquote(object_id))
        if article is None:
            raise Http404
        if not has_permission(request, article):
            raise PermissionDenied
        return article

    def translation_export_view(self, request, object_id, language):
        """The article's texts as a PO file for translating into `language`."""
        article = self.handoff_article(request, object_id, language, self.has_view_permission)
        response = HttpResponse(
            handoff.build_po(article, language), content_type=handoff.CONTENT_TYPE
        )
        response["Content-Disposition"] = (
            f'attachment; filename="{handoff.file_name(article, language)}"'
        )
        return response

    def translation_import_view(self, request, object_id, language):
        article = self.handoff_article(request, object_id, language, self.has_change_permission)
        form = handoff.ImportForm(request.POST, request.FILES) if request.method == "POST" else None
        if form and form.is_valid():
            try:
                result = handoff.apply_po(article, language, form.cleaned_data["file"])
            except ValidationError as error:
                form.add_error("file", error)
            else:
                for level, message in result.report(language):
                    messages.add_message(request, level, message)
                if result.changed:
                    self.log_change(request, result.article, result.change_message(language))
                return redirect("admin:articles_article_change", article.pk)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "original": article,
            "title": _("Import the %(language)s translation")
            % {"language": handoff.language_name(language)},
            "form": form or handoff.ImportForm(),
            "language": translation.get_language_info(language),
            "source_language": translation.get_language_info(handoff.SOURCE_LANGUAGE),
            "export_url": reverse(
                "admin:articles_article_translation_export", args=[article.pk, language]
            ),
            "max_size_mb": handoff.MAX_FILE_SIZE // 1024 // 1024,
        }
        return TemplateResponse(request, "admin/articles/article/translation_import.html", context)


@admin.register(TourPage)
class TourPageAdmin(HistoryAdmin, TranslatedInputsAdmin):
    # Its own change list template (links to the campaign results): a tour
    # page is never deleted, so there is nothing for reversion's to recover.
    change_list_template = None
    list_display = ["__str__", "destination_url", "updated_at"]
    fields = ["text", "button_label", "destination_url"]

    def has_add_permission(self, request):
        return not TourPage.objects.exists()

    def has_delete_permission(self, request, obj=None):
        return False


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
                tour_missing=not (
                    getattr(page, localized("text", language))
                    and getattr(page, localized("button_label", language))
                ),
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
