"""Call-to-action experiments in the admin: define the variants, start and stop,
read the results, promote the winner."""

import csv

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Sum
from django.http import Http404, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, re_path
from django.utils import translation
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from . import charts, experiments, statistics
from .models import CampaignCount, Experiment, Variant

# What counts as a view and as a click of each place's call to action.
MEASURES = {
    Experiment.Place.ARTICLE: (CampaignCount.Kind.READ, CampaignCount.Kind.VISIT),
    Experiment.Place.TOUR: (CampaignCount.Kind.VISIT, CampaignCount.Kind.CLICK),
}


class VariantFormSet(forms.BaseInlineFormSet):
    """Two to four variants whose shares of the views add up to 100%."""

    def clean(self):
        super().clean()
        kept = [
            form
            for form in self.forms
            if form.cleaned_data and not form.cleaned_data.get("DELETE", False)
        ]
        if not 2 <= len(kept) <= len(Variant.KEYS):
            raise ValidationError(_("An experiment has two to four variants."))
        if sum(form.cleaned_data.get("weight") or 0 for form in kept) != 100:
            raise ValidationError(_("The variants' shares of the views must add up to 100%."))

    def add_fields(self, form, index):
        super().add_fields(form, index)
        if "DELETE" in form.fields:
            # A checkbox in a table cell: the column's header does not label it.
            form.fields["DELETE"].widget.attrs["aria-label"] = _("Delete this variant")

    def save_new(self, form, commit=True):
        # The first key not taken: "a", the control, unless it is there already.
        taken = set(self.instance.variants.values_list("key", flat=True))
        form.instance.key = next(key for key in Variant.KEYS if key not in taken)
        return super().save_new(form, commit)


class VariantInline(admin.TabularInline):
    model = Variant
    formset = VariantFormSet
    fields = ["text", "button_label", "weight"]
    extra = 2
    max_num = len(Variant.KEYS)
    template = "admin/marketing/variant_tabular.html"

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        field = super().formfield_for_dbfield(db_field, request, **kwargs)
        if field is not None:
            # In a table each input's label is its column's header, which does
            # not label it for a screen reader.
            field.widget.attrs["aria-label"] = capfirst(db_field.verbose_name)
        return field

    def has_change_permission(self, request, obj=None):
        # Changing the words of a running or finished experiment would mix results.
        return super().has_change_permission(request, obj) and (
            obj is None or obj.status == Experiment.Status.DRAFT
        )

    has_add_permission = has_delete_permission = has_change_permission


def results_of(experiment):
    """Each variant's views and clicks since the experiment started, the verdict, and
    the views and clicks that named a variant the server cannot vouch for."""
    view_kind, click_kind = MEASURES[experiment.place]
    variants = experiment.variants.all()
    codes = [variant.code for variant in variants] + [experiment.unattributed_code]
    counts = CampaignCount.objects.filter(language=experiment.language, variant__in=codes)
    totals = {
        (row["variant"], row["kind"]): row["total"]
        for row in counts.values("variant", "kind").annotate(total=Sum("count"))
    }
    results = [
        statistics.VariantResult(
            key=variant.key,
            is_control=variant.is_control,
            views=totals.get((variant.code, view_kind), 0),
            clicks=totals.get((variant.code, click_kind), 0),
        )
        for variant in variants
    ]
    verdict = statistics.judge(results, minimum_views=experiment.minimum_views)
    unattributed = {
        "views": totals.get((experiment.unattributed_code, view_kind), 0),
        "clicks": totals.get((experiment.unattributed_code, click_kind), 0),
    }
    return results, verdict, unattributed


@admin.register(Experiment)
class ExperimentAdmin(admin.ModelAdmin):
    list_display = ["name", "language", "place", "status", "started_at", "stopped_at"]
    list_filter = ["status", "language", "place"]
    fields = ["name", "language", "place", "minimum_views"]
    inlines = [VariantInline]

    def get_readonly_fields(self, request, obj=None):
        if obj is not None and obj.status != Experiment.Status.DRAFT:
            return ["name", "language", "place", "minimum_views"]
        return []

    def get_urls(self):
        info = self.opts.app_label, self.opts.model_name
        return [
            path(
                "<int:pk>/results/",
                self.admin_site.admin_view(self.results_view),
                name="{}_{}_results".format(*info),
            ),
            path(
                "<int:pk>/results.csv",
                self.admin_site.admin_view(self.export_view),
                name="{}_{}_export".format(*info),
            ),
            # Named, so that the change form, history and delete pages
            # ("<pk>/change/"…) stay Django's.
            re_path(
                r"^(?P<pk>\d+)/(?P<action>start|stop|promote)/$",
                self.admin_site.admin_view(self.action_view),
                name="{}_{}_action".format(*info),
            ),
            *super().get_urls(),
        ]

    def experiment(self, request, pk, has_permission):
        experiment = get_object_or_404(Experiment, pk=pk)
        if not has_permission(request, experiment):
            raise PermissionDenied
        return experiment

    def action_view(self, request, pk, action):
        """Start, stop, or end the experiment with a variant's words, by POST; a GET
        of starting or stopping asks first, since neither can be undone."""
        experiment = self.experiment(request, pk, self.has_change_permission)
        if request.method == "GET" and action in ("start", "stop"):
            return self.confirm_view(request, experiment, action)
        if request.method != "POST":
            return HttpResponseNotAllowed(["GET", "POST"] if action != "promote" else ["POST"])
        if action == "start" and experiment.status == Experiment.Status.DRAFT:
            if experiment.variants.count() < 2:
                messages.error(request, _("Add at least two variants before starting."))
            else:
                try:
                    experiments.start(experiment)
                except ValidationError as error:
                    messages.error(request, " ".join(error.messages))
        elif action == "stop" and experiment.status == Experiment.Status.RUNNING:
            experiments.stop(experiment)
        elif action == "promote" and experiment.status != Experiment.Status.DRAFT:
            variant = get_object_or_404(experiment.variants, key=request.POST.get("variant"))
            try:
                experiments.promote(variant, request.user)
            except ValidationError as error:
                # The write path refuses a language its user may not change.
                for message in error.messages:
                    messages.error(request, message)
            else:
                messages.success(
                    request,
                    _("The tour page now uses variant %(key)s's words; the experiment ended.")
                    % {"key": variant.key},
                )
        else:
            raise Http404
        return redirect("admin:marketing_experiment_results", experiment.pk)

    def confirm_view(self, request, experiment, action):
        expected = {"start": Experiment.Status.DRAFT, "stop": Experiment.Status.RUNNING}
        if experiment.status != expected[action]:
            return redirect("admin:marketing_experiment_results", experiment.pk)
        title = {
            "start": _("Start the experiment “%(name)s”?"),
            "stop": _("Stop the experiment “%(name)s”?"),
        }[action] % {"name": experiment.name}
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": title,
            "experiment": experiment,
            "action": action,
            "variants": experiment.variants.all(),
        }
        return TemplateResponse(request, "admin/marketing/experiment_confirm.html", context)

    def results_view(self, request, pk):
        experiment = self.experiment(request, pk, self.has_view_permission)
        results, verdict, unattributed = results_of(experiment)
        rows = [
            {
                "result": result,
                "variant": variant,
                "rate": None if result.rate is None else 100 * result.rate,
                "interval": result.interval and tuple(100 * x for x in result.interval),
                # No chance is told before every variant has its minimum of views.
                "beats": None
                if result.is_control or not verdict.enough_data
                else 100 * verdict.beats_control[result.key],
            }
            for result, variant in zip(results, experiment.variants.all(), strict=True)
        ]
        chart = charts.interval_chart(
            [(row["variant"].key, row["rate"], row["interval"]) for row in rows],
            rtl=translation.get_language_bidi(),
        )
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": _("Results of “%(name)s”") % {"name": experiment.name},
            "experiment": experiment,
            "rows": rows,
            "verdict": verdict,
            "anomalies": [result for result in results if result.is_anomalous],
            "unattributed": unattributed,
            "chart": chart,
            "can_change": self.has_change_permission(request, experiment),
        }
        return TemplateResponse(request, "admin/marketing/experiment_results.html", context)

    def export_view(self, request, pk):
        experiment = self.experiment(request, pk, self.has_view_permission)
        results, verdict, unattributed = results_of(experiment)
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="experiment-{experiment.pk}.csv"'
        response.write("\ufeff")
        writer = csv.writer(response)
        writer.writerow(
            ["variant", "control", "views", "clicks", "rate", "rate_low", "rate_high",
             "chance_beats_control", "note"]
        )  # fmt: skip
        for result in results:
            interval = result.interval or ("", "")
            writer.writerow(
                [
                    result.key,
                    int(result.is_control),
                    result.views,
                    result.clicks,
                    "" if result.rate is None else f"{result.rate:.4f}",
                    *(f"{value:.4f}" if value != "" else "" for value in interval),
                    "" if result.is_control else f"{verdict.beats_control[result.key]:.4f}",
                    "more_clicks_than_views" if result.is_anomalous else "",
                ]
            )
        writer.writerow(
            ["unattributed", "", unattributed["views"], unattributed["clicks"], *[""] * 5]
        )
        return response

    def response_change(self, request, obj):
        return redirect("admin:marketing_experiment_results", obj.pk)

    def response_add(self, request, obj, post_url_continue=None):
        return redirect("admin:marketing_experiment_results", obj.pk)
