"""Translation jobs in the admin: the list, the form an editor creates or reassigns
one with, and the job's page (where it stands, what needs work, its history),
which its translator and reviewer see without any permission on jobs.

Moving a job from state to state happens in articles/translating/jobs.py: the
workspace starts and submits it, the review page (review.py) decides it.
"""

from django import forms
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from articles import languages
from articles.models import Job, JobEvent
from articles.text.segments import article_segments, label
from articles.translating import jobs

from .my_work import MyWorkAdmin
from .review import ReviewAdmin
from .workspace import progress_text


class JobForm(forms.ModelForm):
    class Meta:
        model = Job
        fields = ["article", "language", "assignee", "reviewer", "due_date"]

    def _post_clean(self):
        super()._post_clean()
        for name, message in jobs.check_people(self.instance).items():
            if name in self.fields:
                self.add_error(name, message)
            else:
                self.add_error(None, message)


def staff():
    return get_user_model().objects.filter(is_staff=True, is_active=True).order_by("username")


@admin.register(Job)
class JobAdmin(ReviewAdmin, MyWorkAdmin, admin.ModelAdmin):
    form = JobForm
    list_display = ["article", "language_column", "state", "assignee", "reviewer", "due_column"]
    list_filter = ["state", "language", "assignee"]
    list_select_related = ["article", "assignee", "reviewer"]
    raw_id_fields = ["article"]
    search_fields = [f"article__{languages.localized('title', code)}" for code in languages.CODES]
    change_form_template = "admin/articles/job/change_form.html"

    class Media:
        css = {"all": ["css/admin-jobs.css"]}

    @admin.display(description=gettext_lazy("language"), ordering="language")
    def language_column(self, job):
        return languages.name(job.language)

    @admin.display(description=gettext_lazy("due date"), ordering="due_date")
    def due_column(self, job):
        return render_to_string("admin/articles/job/due.html", {"job": job})

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return ["state"]
        return ["article", "language", "state"]

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name in ("assignee", "reviewer"):
            kwargs["queryset"] = staff()
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def get_changeform_initial_data(self, request):
        initial = super().get_changeform_initial_data(request)
        if initial.get("language") not in languages.CODES:
            initial.pop("language", None)
        return initial

    def has_view_permission(self, request, obj=None):
        """Its translator and reviewer, and whoever may review it, see a job's page."""
        if super().has_view_permission(request, obj):
            return True
        return obj is not None and (
            request.user.pk in (obj.assignee_id, obj.reviewer_id)
            or jobs.may_review(obj, request.user)
        )

    def save_model(self, request, obj, form, change):
        before = Job.objects.get(pk=obj.pk) if change else None
        if not change:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)
        if change:
            jobs.reassigned(obj, before, request.user)
        else:
            jobs.created_in_admin(obj, request.user)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        job = self.get_object(request, object_id)
        context = job_page_context(request, job) if job is not None else {}
        return super().change_view(
            request, object_id, form_url, {**context, **(extra_context or {})}
        )


def job_page_context(request, job):
    """What the job's page shows above its form: where it stands, what needs work,
    what to do next and its history."""
    article = job.article
    segmented = article_segments(article, job.language)
    done, total = segmented.progress()
    events = job.events.select_related("user")
    return {
        "job": job,
        "job_article": article,
        "job_language": languages.name(job.language),
        "job_progress": progress_text(done, total),
        "needing_work": [
            label(segment.key, segment.kind) for segment in segmented.segments if segment.needs_work
        ],
        "workspace_url": reverse(
            "admin:articles_article_workspace", args=[article.pk, job.language]
        ),
        "review_url": reverse("admin:articles_job_review", args=[job.pk])
        if job.state == Job.State.IN_REVIEW and jobs.may_review(job, request.user)
        else None,
        "events": [
            {
                "event": event,
                "segments": jobs.segment_labels(event.segments),
                "is_comment": event.kind == JobEvent.Kind.COMMENTED,
            }
            for event in events
        ],
        "mine": _("You translate this job.") if request.user.pk == job.assignee_id else "",
    }
