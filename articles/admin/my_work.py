"""*My work*: the signed-in person's open translation jobs, those they translate and
those waiting for their review, by due date. Every member of staff has one."""

from django.core.paginator import Paginator
from django.db.models import Q
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext as _

from articles import languages
from articles.languages import localized
from articles.models import Job, LanguageRole
from articles.translating import jobs

PER_PAGE = 50


class MyWorkAdmin:
    """Adds *My work* to the job admin."""

    def get_urls(self):
        info = self.opts.app_label, self.opts.model_name
        return [
            path(
                "mine/",
                self.admin_site.admin_view(self.my_work_view),
                name="{}_{}_mine".format(*info),
            ),
            *super().get_urls(),
        ]

    def my_work_view(self, request):
        user = request.user
        reviewing = Q(state=Job.State.IN_REVIEW) & (
            Q(reviewer=user)
            | Q(
                reviewer__isnull=True,
                language__in=LanguageRole.of(user)
                .filter(role=LanguageRole.Role.REVIEWS)
                .values("language"),
            )
        )
        found = (
            Job.objects.open()
            .filter(Q(assignee=user) | reviewing)
            .select_related("article")
            # The article's titles and progress, not its texts.
            .only(
                "article_id",
                "language",
                "state",
                "due_date",
                "assignee_id",
                "reviewer_id",
                "approved_at",
                *(
                    f"article__{localized(name, code)}"
                    for code in languages.CODES
                    for name in ("title", "segments_done", "segments_total")
                ),
            )
            .order_by("due_date", "pk")
        )
        page = Paginator(found, PER_PAGE).get_page(request.GET.get("page"))
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": _("My work"),
            "rows": [my_work_row(job, user) for job in page],
            "page": page,
        }
        return TemplateResponse(request, "admin/articles/job/my_work.html", context)


def my_work_row(job, user):
    article = job.article
    done, total = article.progress(job.language)
    translating = job.assignee_id == user.pk and job.state in jobs.WORKING
    return {
        "job": job,
        "article": str(article),
        "language": languages.name(job.language),
        "lang": job.language,
        "role": _("translate") if translating else _("review"),
        "progress": f"{done}/{total}",
        "job_url": reverse("admin:articles_job_change", args=[job.pk]),
        "action_url": reverse("admin:articles_article_workspace", args=[article.pk, job.language])
        if translating
        else reverse("admin:articles_job_review", args=[job.pk]),
        "action": _("Translate") if translating else _("Review"),
    }
