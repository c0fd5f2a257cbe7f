"""The reviewer's page of a translation job: the segments changed since the last
approval, each with its word diff against what was approved and a box for a
comment, then *Approve* or *Request changes* (articles/translating/jobs.py)."""

from django.contrib import messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import translation
from django.utils.translation import gettext as _

from articles import languages
from articles.models import Job
from articles.translating import jobs, review


class ReviewAdmin:
    """Adds the review page to the job admin."""

    def get_urls(self):
        info = self.opts.app_label, self.opts.model_name
        return [
            path(
                "<path:object_id>/review/",
                self.admin_site.admin_view(self.review_view),
                name="{}_{}_review".format(*info),
            ),
            *super().get_urls(),
        ]

    def review_view(self, request, object_id):
        job = Job.objects.select_related("article", "assignee", "reviewer").filter(
            pk=unquote(object_id) if str(object_id).isdigit() else None
        )
        job = job.first()
        if job is None:
            raise Http404
        if not jobs.may_review(job, request.user):
            raise PermissionDenied
        errors = []
        comments = {}
        if request.method == "POST":
            comments = {
                key.removeprefix("comment-"): value
                for key, value in request.POST.items()
                if key.startswith("comment-")
            }
            try:
                jobs.review(
                    job,
                    request.user,
                    job.article,
                    approve="_approve" in request.POST,
                    comments=comments,
                    note=request.POST.get("note", ""),
                )
            except ValidationError as error:
                errors = error.messages
            else:
                messages.success(
                    request,
                    _("Approved.") if job.state == Job.State.APPROVED else _("Changes requested."),
                )
                return redirect("admin:articles_job_change", job.pk)
        return self.review_page(request, job, errors=errors, typed=comments)

    def review_page(self, request, job, *, errors=(), typed=None):
        article = job.article
        rows = review.changed_since_approval(article, job, jobs.comments_since_approval(job))
        for row in rows:
            row.typed = (typed or {}).get(row.segment.key, "")
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "original": job,
            "title": _("Review: %(language)s") % {"language": languages.name(job.language)},
            "subtitle": str(article),
            "job": job,
            "rows": rows,
            "errors": errors,
            "is_open": job.state == Job.State.IN_REVIEW,
            "first_review": not job.approved_texts,
            "note": request.POST.get("note", "") if request.method == "POST" else "",
            "source": {
                **translation.get_language_info(article.source_language),
                "dir": languages.direction(article.source_language),
            },
            "target": {
                **translation.get_language_info(job.language),
                "dir": languages.direction(job.language),
            },
            "job_url": reverse("admin:articles_job_change", args=[job.pk]),
            "workspace_url": reverse(
                "admin:articles_article_workspace", args=[article.pk, job.language]
            ),
        }
        status = 400 if errors else 200
        return TemplateResponse(request, "admin/articles/job/review.html", context, status=status)
