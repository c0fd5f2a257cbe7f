"""The translation overview: every article in every language on one page, each cell
a translation's progress (segments done of segments to translate), its job's
state, translator and due date; filters by language, state, translator,
overdue and topic; and actions on the selected articles: create jobs, assign
them, export their translation files.

The progress is stored on each article when it is saved (`segments_done_<lang>`,
`segments_total_<lang>`), so a page reads its rows and their jobs in two
queries and cuts no article into segments.
"""

from django import forms
from django.contrib import admin, messages
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Prefetch, Q
from django.http import HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import formats
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from articles import languages
from articles.languages import localized
from articles.models import Article, Job, LanguageRole, TranslationOverview
from articles.translating import bundles, jobs

from .jobs import staff
from .pretranslation import pretranslate_for
from .workspace import progress_text


def chosen_language(request):
    code = request.GET.get("language")
    return code if code in languages.CODES else None


def with_job(request, jobs):
    """Articles with one of `jobs`, in the chosen language if any.

    An IN of the jobs' articles, not a correlated EXISTS: SQLite would run
    that once per article, through whichever index of jobs it guesses.
    """
    if language := chosen_language(request):
        jobs = jobs.filter(language=language)
    return Q(pk__in=jobs.values("article_id"))


class LanguageFilter(admin.SimpleListFilter):
    """Shows one language's column, and the articles translated into it; the other
    filters then look at that language's jobs."""

    title = gettext_lazy("language")
    parameter_name = "language"

    def lookups(self, request, model_admin):
        return languages.CHOICES

    def queryset(self, request, queryset):
        if self.value() not in languages.CODES:
            return queryset
        return queryset.exclude(source_language=self.value())


class StateFilter(admin.SimpleListFilter):
    title = gettext_lazy("state")
    parameter_name = "state"

    def lookups(self, request, model_admin):
        return [*Job.State.choices, ("none", _("no job"))]

    def queryset(self, request, queryset):
        if self.value() == "none":
            return queryset.exclude(with_job(request, Job.objects.all()))
        if self.value() not in Job.State.values:
            return queryset
        return queryset.filter(with_job(request, Job.objects.filter(state=self.value())))


class AssigneeFilter(admin.SimpleListFilter):
    title = gettext_lazy("translator")
    parameter_name = "assignee"

    def lookups(self, request, model_admin):
        people = (
            get_user_model()
            .objects.filter(pk__in=Job.objects.values("assignee"))
            .order_by("username")
        )
        return [(str(user.pk), str(user)) for user in people]

    def queryset(self, request, queryset):
        if not (self.value() or "").isdigit():
            return queryset
        return queryset.filter(with_job(request, Job.objects.filter(assignee_id=int(self.value()))))


class OverdueFilter(admin.SimpleListFilter):
    title = gettext_lazy("due date")
    parameter_name = "overdue"

    def lookups(self, request, model_admin):
        return [("yes", _("overdue"))]

    def queryset(self, request, queryset):
        if self.value() != "yes":
            return queryset
        return queryset.filter(with_job(request, Job.objects.overdue()))


# A browser's date picker reads and sends ISO dates, whatever the admin's language.
DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class JobsForm(forms.Form):
    """What the actions on the overview ask for."""

    languages = forms.MultipleChoiceField(
        label=gettext_lazy("Languages"), widget=forms.CheckboxSelectMultiple, required=True
    )
    assignee = forms.ModelChoiceField(label=gettext_lazy("Translator"), queryset=None)
    reviewer = forms.ModelChoiceField(label=gettext_lazy("Reviewer"), queryset=None, required=False)
    due_date = forms.DateField(label=gettext_lazy("Due date"), widget=DATE_INPUT)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["languages"].choices = languages.CHOICES
        self.fields["assignee"].queryset = staff()
        self.fields["reviewer"].queryset = staff()


class AssignForm(JobsForm):
    assignee = forms.ModelChoiceField(
        label=gettext_lazy("Translator"), queryset=None, required=False
    )
    due_date = forms.DateField(
        label=gettext_lazy("Due date"),
        required=False,
        widget=DATE_INPUT,
    )


class PretranslateForm(forms.Form):
    languages = forms.MultipleChoiceField(
        label=gettext_lazy("Languages"), widget=forms.CheckboxSelectMultiple, required=True
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["languages"].choices = languages.CHOICES


class ExportForm(forms.Form):
    language = forms.ChoiceField(label=gettext_lazy("Language"))
    file_format = forms.ChoiceField(
        label=gettext_lazy("Format"),
        choices=bundles.FORMATS.items(),
        widget=forms.RadioSelect,
        initial="xliff-2.0",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["language"].choices = languages.CHOICES


@admin.register(TranslationOverview)
class TranslationOverviewAdmin(admin.ModelAdmin):
    list_filter = [LanguageFilter, StateFilter, AssigneeFilter, OverdueFilter, "topic"]
    list_display_links = None
    list_per_page = 50
    search_fields = [localized("title", code) for code in languages.CODES]
    actions = ["create_jobs", "assign_jobs", "pretranslate", "export_files"]
    change_list_template = "admin/articles/translationoverview/change_list.html"

    class Media:
        css = {"all": ["css/admin-jobs.css"]}

    def get_queryset(self, request):
        columns = [
            "source_language",
            "published_at",
            "updated_at",
            "topic",
            *(
                localized(name, code)
                for code in languages.CODES
                for name in (
                    "title",
                    "segments_done",
                    "segments_total",
                    "is_published",
                    "translation_state",
                )
            ),
        ]
        return (
            super()
            .get_queryset(request)
            .only(*columns)
            .prefetch_related(
                Prefetch("jobs", queryset=Job.objects.select_related("assignee", "reviewer"))
            )
        )

    def changelist_view(self, request, extra_context=None):
        title = {"title": capfirst(TranslationOverview._meta.verbose_name_plural)}
        return super().changelist_view(request, {**title, **(extra_context or {})})

    def change_view(self, request, object_id, form_url="", extra_context=None):
        """An article's page is its own change form; the overview has only its list."""
        return self.to_article(request, "change", object_id)

    def history_view(self, request, object_id, extra_context=None):
        return self.to_article(request, "history", object_id)

    def to_article(self, request, page, object_id):
        if not self.has_view_permission(request):
            raise PermissionDenied
        return redirect(f"admin:articles_article_{page}", object_id)

    def get_list_display(self, request):
        shown = [chosen_language(request)] if chosen_language(request) else languages.CODES
        return ["title_column", *(f"cell_{code}" for code in shown)]

    def has_view_permission(self, request, obj=None):
        return request.user.has_perm("articles.view_job")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def has_add_job_permission(self, request):
        return request.user.has_perm("articles.add_job") and not LanguageRole.languages_of(
            request.user
        )

    def has_change_job_permission(self, request):
        return request.user.has_perm("articles.change_job") and not LanguageRole.languages_of(
            request.user
        )

    def has_pretranslate_permission(self, request):
        return request.user.has_perm("articles.change_article")

    def has_export_permission(self, request):
        return request.user.has_perm("articles.view_article")

    @admin.display(description=gettext_lazy("article"))
    def title_column(self, article):
        return format_html(
            '<a href="{}">{}</a>',
            reverse("admin:articles_article_change", args=[article.pk]),
            str(article),
        )

    def cell(self, article, code):
        """One translation's cell, made with format_html: a page holds up to 150 of
        them, and a template each would take most of the page's time."""
        if code == article.source_language:
            missing = getattr(article, localized("translation_state", code)) == "missing"
            return format_html(
                '<span class="overview-source{}">{}</span>',
                " is-missing" if missing else "",
                _("source: missing") if missing else _("source"),
            )
        job = next((job for job in article.jobs.all() if job.language == code), None)
        done, total = article.progress(code)
        parts = [
            format_html(
                '<a class="overview-progress" href="{}" title="{}">{}/{}</a>',
                reverse("admin:articles_article_workspace", args=[article.pk, code]),
                progress_text(done, total),
                done,
                total,
            )
        ]
        if getattr(article, localized("is_published", code)):
            parts.append(format_html(' <span class="overview-published">{}</span>', _("published")))
        if job is None:
            add = reverse("admin:articles_job_add") + f"?article={article.pk}&language={code}"
            parts.append(
                format_html(
                    '<br><span class="job-none">{}</span> <a href="{}">{}</a>',
                    _("no job"),
                    add,
                    _("Create"),
                )
            )
        else:
            parts.append(
                format_html(
                    '<br><a class="job-state" href="{}">{}</a>'
                    '<br><span class="overview-assignee">{}</span><br>{}',
                    reverse("admin:articles_job_change", args=[job.pk]),
                    job.get_state_display(),
                    job.assignee,
                    due(job),
                )
            )
        return format_html(
            '<div class="overview-cell job-state-{}{}">{}</div>',
            job.state if job else "none",
            " is-overdue" if job and job.is_overdue else "",
            mark_safe("".join(parts)),  # each part made by format_html
        )

    def run_action(self, request, queryset, form_class, title, apply):
        """An action's page asking for `form_class`; `apply(form, queryset)` once valid."""
        form = form_class(request.POST if "apply" in request.POST else None)
        if form.is_valid():
            try:
                with transaction.atomic():
                    response = apply(form, queryset)
            except ValidationError as error:
                form.add_error(None, error)
            else:
                return response
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": title,
            "form": form,
            "queryset": queryset,
            "action": request.POST.get("action"),
            "selected": request.POST.getlist(admin.helpers.ACTION_CHECKBOX_NAME),
        }
        return TemplateResponse(
            request, "admin/articles/translationoverview/action_form.html", context
        )

    @admin.action(description=gettext_lazy("Create translation jobs"), permissions=["add_job"])
    def create_jobs(self, request, queryset):
        def apply(form, queryset):
            created, skipped = 0, 0
            data = form.cleaned_data
            for article in Article.objects.filter(pk__in=queryset.values("pk")):
                for code in data["languages"]:
                    if (
                        code == article.source_language
                        or article.jobs.filter(language=code).exists()
                    ):
                        skipped += 1
                        continue
                    jobs.create(
                        article,
                        code,
                        assignee=data["assignee"],
                        reviewer=data["reviewer"],
                        due_date=data["due_date"],
                        by=request.user,
                    )
                    created += 1
            messages.success(
                request,
                ngettext("Created %(count)s job.", "Created %(count)s jobs.", created)
                % {"count": created},
            )
            if skipped:
                messages.warning(
                    request,
                    ngettext(
                        "Left out %(count)s: it has a job already or is the source language.",
                        "Left out %(count)s: each has a job already or is the source language.",
                        skipped,
                    )
                    % {"count": skipped},
                )
            return None

        return self.run_action(request, queryset, JobsForm, _("Create translation jobs"), apply)

    @admin.action(description=gettext_lazy("Assign translation jobs"), permissions=["change_job"])
    def assign_jobs(self, request, queryset):
        def apply(form, queryset):
            data = form.cleaned_data
            found = Job.objects.filter(article__in=queryset, language__in=data["languages"])
            changed = 0
            for job in found.select_related("article"):
                before = Job.objects.get(pk=job.pk)
                job.assignee = data["assignee"] or job.assignee
                job.reviewer = data["reviewer"] or job.reviewer
                job.due_date = data["due_date"] or job.due_date
                if errors := jobs.check_people(job):
                    raise ValidationError(f"{job}: {' '.join(errors.values())}")
                job.save()
                jobs.reassigned(job, before, request.user)
                changed += 1
            messages.success(
                request,
                ngettext("Assigned %(count)s job.", "Assigned %(count)s jobs.", changed)
                % {"count": changed},
            )
            return None

        return self.run_action(request, queryset, AssignForm, _("Assign translation jobs"), apply)

    @admin.action(
        description=gettext_lazy("Pre-translate, for review"), permissions=["pretranslate"]
    )
    def pretranslate(self, request, queryset):
        """Fill the missing segments of the chosen translations from the memory, then by
        machine translation, for review. Each article is saved on its own, outside
        one long transaction: a service's answers take seconds."""
        form = PretranslateForm(request.POST if "apply" in request.POST else None)
        if not form.is_valid():
            return self.run_action(
                request, queryset, PretranslateForm, _("Pre-translate, for review"), None
            )
        filled = 0
        for article in Article.objects.filter(pk__in=queryset.values("pk")):
            for code in form.cleaned_data["languages"]:
                if code == article.source_language:
                    continue
                result = pretranslate_for(request, article, code)
                filled += bool(result and result.filled)
        messages.success(
            request,
            ngettext(
                "%(count)s translation pre-translated for review.",
                "%(count)s translations pre-translated for review.",
                filled,
            )
            % {"count": filled},
        )
        return None

    @admin.action(description=gettext_lazy("Export translation files"), permissions=["export"])
    def export_files(self, request, queryset):
        def apply(form, queryset):
            code, file_format = form.cleaned_data["language"], form.cleaned_data["file_format"]
            articles = Article.objects.filter(pk__in=queryset.values("pk")).order_by("pk")
            response = HttpResponse(
                bundles.zip_of([(article, code) for article in articles], file_format),
                content_type="application/zip",
            )
            name = bundles.zip_name(f"{code}-{file_format}")
            response["Content-Disposition"] = f'attachment; filename="{name}"'
            return response

        return self.run_action(request, queryset, ExportForm, _("Export translation files"), apply)


def due(job):
    """A job's due date, said to be overdue in words (and in colour, by its class)."""
    date = formats.date_format(job.due_date, "SHORT_DATE_FORMAT")
    if job.is_overdue:
        text = _("overdue: due %(date)s") % {"date": date}
        return format_html('<span class="job-overdue">{}</span>', text)
    return format_html('<span class="job-due">{}</span>', _("due %(date)s") % {"date": date})


def language_cell(code, name):
    def cell(self, article):
        return self.cell(article, code)

    return admin.display(description=name)(cell)


for _code, _name in languages.CHOICES:
    setattr(TranslationOverviewAdmin, f"cell_{_code}", language_cell(_code, _name))
