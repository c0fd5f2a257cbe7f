"""The translation workspace in the article admin: an article's source and one target
language side by side, segment by segment, saved through the write path.

Looking needs the view permission, saving the change permission, and a
translator limited to some languages (LanguageRole) saves only theirs. A save
sets the target texts from the segments and what each was translated from
(articles/segments.py), then goes through `editing.save` like the change
form: the version check, a revision naming the segments, fresh pages.

When the language has a translation job, the page shows it with the
reviewer's comments beside their segments; its translator starts the job by
opening the page, and submits it for review from it
(articles/translating/jobs.py).
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponseNotAllowed, JsonResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import formats, translation
from django.utils.html import escape
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from articles import languages
from articles.languages import localized
from articles.models import Article, Job, LanguageRole
from articles.text import segments
from articles.text.bidi import isolate_latin_text
from articles.text.rendering import RenderTooSlow, render_body_in_time
from articles.text.segments import Status, article_segments, translated_fields
from articles.translating import jobs, machine, memory, pretranslate, terms
from articles.translating import quality as checks
from articles.writing import editing, history

from .forms import ArticleForm

STATUSES = {
    Status.TRANSLATED: gettext_lazy("translated"),
    Status.MISSING: gettext_lazy("missing"),
    Status.NEEDS_UPDATE: gettext_lazy("needs update"),
    Status.NEEDS_REVIEW: gettext_lazy("needs review"),
    Status.FIXED: gettext_lazy("kept as it is"),
}
# The longest text the preview renders: a body block, at most.
PREVIEW_MAX_LENGTH = Article.BODY_MAX_LENGTH


def progress_text(done, total):
    return _("%(done)s of %(total)s segments") % {"done": done, "total": total}


def segment_issues(segment, language, entries, source_language):
    return [
        *terms.check(
            segment.source, segment.target, language, entries, source_language=source_language
        ),
        *checks.check(segment.source, segment.target),
    ]


def preview_html(segment, text, language):
    """`text` as readers will see it in `segment`'s place: a body block rendered as
    Markdown, another field as plain text, with Latin runs isolated in a
    right-to-left language."""
    if segment.block is None:
        return isolate_latin_text(text) if languages.is_right_to_left(language) else escape(text)
    return render_body_in_time(segment.block.with_text(text).markdown(), language=language).html


class WorkspaceAdmin:
    """Adds the translation workspace, per target language, to the article admin."""

    def get_urls(self):
        info = self.opts.app_label, self.opts.model_name
        return [
            path(
                "<path:object_id>/translate/<str:language>/",
                self.admin_site.admin_view(self.workspace_view),
                name="{}_{}_workspace".format(*info),
            ),
            path(
                "<path:object_id>/translate/<str:language>/preview/",
                self.admin_site.admin_view(self.workspace_preview_view),
                name="{}_{}_workspace_preview".format(*info),
            ),
            *super().get_urls(),
        ]

    def workspace_view(self, request, object_id, language):
        if request.method == "POST":
            article = self.translation_object(
                request, object_id, language, self.has_change_permission
            )
            if not LanguageRole.may_change(request.user, language):
                return self.workspace_page(
                    request, article, language, errors=[not_yours(request.user)], status=403
                )
            return self.workspace_save(request, article, language)
        article = self.translation_object(request, object_id, language, self.has_view_permission)
        job = Job.objects.filter(article=article, language=language).first()
        if job is not None:
            jobs.start(job, request.user)
        focus = request.GET.get("next")
        if focus is None:
            # Opened afresh: at the first segment that needs work.
            focus = next(
                (s.key for s in article_segments(article, language).segments if s.needs_work),
                None,
            )
        return self.workspace_page(request, article, language, focus=focus)

    def workspace_save(self, request, article, language):
        """Save the posted segments; with *Submit for review*, then hand the job over."""
        response = self.save_segments(request, article, language)
        if "_submit" not in request.POST or response.status_code != 302:
            return response
        job = Job.objects.filter(article=article, language=language).first()
        if job is None:
            raise Http404
        try:
            jobs.submit(job, request.user, Article.objects.get(pk=article.pk))
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
            return response
        messages.success(request, _("Submitted for review."))
        return redirect("admin:articles_job_change", job.pk)

    def save_segments(self, request, article, language):
        segmented = article_segments(article, language)
        by_key = segmented.by_key()
        texts, confirmed = posted_work(request.POST, segmented)
        changed = [key for key, text in texts.items() if text != by_key[key].target]
        reviewed = posted_reviews(request.POST, segmented, changed)
        started_from = posted_version(request.POST, article.version)
        if started_from != article.version:
            return self.workspace_conflict(request, article, language, started_from, texts)
        if problems := segments.block_problems(segmented, texts):
            return self.workspace_page(
                request,
                article,
                language,
                texts=texts,
                errors=problems,
                started_from=started_from,
                status=400,
            )
        if not changed and not confirmed and not reviewed and not segmented.dropped:
            # Nothing typed: what the translation is kept as made from stays as it
            # is too, even where the change form saved it less precisely.
            if "_submit" not in request.POST:
                messages.info(request, _("Nothing changed."))
            return self.workspace_redirect(article, language, request.POST.get("next"))
        sources = apply_work(article, language, segmented, texts, confirmed, reviewed)
        done = {"changed": changed, "confirmed": confirmed, "reviewed": reviewed}
        note = {"workspace": {"language": language, **keys_and_kinds(by_key, done)}}
        try:
            article.clean()
            saved = editing.save(
                article,
                user=request.user,
                started_from=started_from,
                translation_sources=sources,
                note=note,
            )
        except editing.EditConflict:
            stored = Article.objects.get(pk=article.pk)
            return self.workspace_conflict(request, stored, language, started_from, texts)
        except ValidationError as error:
            return self.workspace_page(
                request,
                Article.objects.get(pk=article.pk),
                language,
                texts=texts,
                errors=error.messages,
                started_from=started_from,
                status=400,
            )
        if saved.changed or saved.message:
            self.log_change(request, article, saved.message)
            messages.success(
                request,
                _("Saved: %(progress)s translated.")
                % {"progress": progress_text(*article_segments(article, language).progress())},
            )
        elif "_submit" not in request.POST:
            messages.info(request, _("Nothing changed."))
        return self.workspace_redirect(article, language, request.POST.get("next"))

    def workspace_redirect(self, article, language, after):
        """Back to the workspace; after a keyboard save, at the next segment needing work."""
        url = reverse("admin:articles_article_workspace", args=[article.pk, language])
        segmented = article_segments(article, language)
        if after in segmented.by_key():
            following = self.next_needing_work(segmented, after)
            if following:
                # No #fragment: Chromium takes the focus away when it scrolls to one.
                return redirect(f"{url}?{urlencode({'next': following})}")
        return redirect(url)

    def next_needing_work(self, segmented, after):
        """The key of the first segment after `after` that needs work, else the first one."""
        keys = [segment.key for segment in segmented.segments if segment.needs_work]
        start = self.position(segmented, after)
        later = [key for key in keys if self.position(segmented, key) > start]
        return (later or keys or [None])[0]

    @staticmethod
    def position(segmented, key):
        return next(
            (number for number, segment in enumerate(segmented.segments) if segment.key == key),
            -1,
        )

    def workspace_conflict(self, request, stored, language, started_from, texts):
        conflict = history.conflict(stored, started_from, {})
        conflict["time"] = formats.date_format(
            conflict["when"], "TIME_FORMAT" if conflict["is_today"] else "DATETIME_FORMAT"
        )
        conflict["object"] = stored
        values = {"time": conflict["time"], "user": conflict["user"]}
        message = ArticleForm.conflict_messages["by" if conflict["user"] else "unknown"] % values
        return self.workspace_page(
            request,
            stored,
            language,
            texts=texts,
            errors=[message],
            conflict=conflict,
            started_from=started_from,
            status=409,
        )

    def workspace_page(
        self,
        request,
        article,
        language,
        *,
        texts=None,
        errors=(),
        conflict=None,
        started_from=None,
        focus=None,
        status=200,
    ):
        segmented = article_segments(article, language)
        rows = workspace_rows(article, segmented, language, texts=texts or {}, focus=focus)
        issues = [issue for row in rows for issue in row["issues"]]
        done, total = segmented.progress()
        source = translation.get_language_info(article.source_language)
        target = translation.get_language_info(language)
        can_save = LanguageRole.may_change(request.user, language) and self.has_change_permission(
            request, article
        )
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "original": article,
            "title": _("Translate into %(language)s") % {"language": languages.name(language)},
            "subtitle": str(article),
            "rows": rows,
            "progress": progress_text(done, total),
            "done": done,
            "total": total,
            "issue_count": len(issues),
            "term_issue_count": sum(issue.code.startswith("term_") for issue in issues),
            "dropped": segmented.dropped,
            "source": {**source, "dir": languages.direction(article.source_language)},
            "target": {**target, "dir": languages.direction(language)},
            "version": article.version if started_from is None else started_from,
            "errors": errors,
            "conflict_holder": {"form": {"conflict": conflict}},
            "can_save": can_save,
            "review_count": sum(row["segment"].review is not None for row in rows),
            "work_count": sum(row["segment"].needs_work for row in rows),
            "missing_count": sum(row["segment"].status == Status.MISSING for row in rows),
            "is_published": getattr(article, localized("is_published", language)),
            "machine_translation": pretranslation_service(article.source_language, language),
            **job_context(request, article, language, rows, can_save=can_save),
            **workspace_urls(article, language),
            "other_languages": [
                {
                    "name": languages.name(code),
                    "url": reverse("admin:articles_article_workspace", args=[article.pk, code]),
                }
                for code in article.targets
                if code != language and LanguageRole.may_change(request.user, code)
            ],
        }
        return TemplateResponse(
            request, "admin/articles/article/workspace.html", context, status=status
        )

    def workspace_preview_view(self, request, object_id, language):
        """A segment's text as readers will see it, and its checks, as JSON."""
        article = self.translation_object(request, object_id, language, self.has_view_permission)
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        segment = article_segments(article, language).by_key().get(request.POST.get("key"))
        text = editing.normalize_text(request.POST.get("text", ""))
        if segment is None or segment.is_fixed or len(text) > PREVIEW_MAX_LENGTH:
            return JsonResponse({"error": _("No such segment to preview.")}, status=400)
        try:
            html = preview_html(segment, text, language)
        except RenderTooSlow:
            return JsonResponse(
                {"error": _("This text takes too long to make into a page.")}, status=400
            )
        segment.target = text
        issues = segment_issues(segment, language, terms.load(), article.source_language)
        return JsonResponse(
            {
                "html": html,
                "issues": [{"message": issue.message, "fixed": issue.fixed} for issue in issues],
            }
        )


def pretranslation_service(source_language, language):
    """The name of the service that can machine-translate into `language`, or ""."""
    if not machine.can_translate(source_language, language):
        return ""
    return machine.backend().name


def posted_reviews(post, segmented, changed):
    """The keys of segments waiting for review that a person confirmed: each named
    by a "review" button, or every one with "review_all". A text changed is the
    person's anyway."""
    waiting = [
        segment.key
        for segment in segmented.segments
        if segment.review is not None and segment.key not in changed
    ]
    if post.get("review_all"):
        return waiting
    named = set(post.getlist("review"))
    return [key for key in waiting if key in named]


def review_origin(segment):
    """Where a segment's text waiting for review came from, in words."""
    review = segment.review
    if review is None:
        return ""
    if review.get("origin") == "memory":
        if review.get("detail"):
            return _("From the memory: %(article)s") % {"article": review["detail"]}
        return _("From the memory")
    return _("Machine translation: %(service)s") % {"service": review.get("detail", "")}


def job_context(request, article, language, rows, *, can_save):
    """The language's translation job, if any, for the workspace: the job, whether
    this user may submit it, and the reviewer's comments beside their rows."""
    job = Job.objects.filter(article=article, language=language)
    job = job.select_related("assignee", "reviewer").first()
    comments = jobs.comments_since_approval(job)
    for row in rows:
        row["comments"] = comments.get(row["segment"].key, [])
    may_change = LanguageRole.may_change(request.user, language)
    return {
        "job": job,
        "can_submit": can_save and job is not None and jobs.may_submit(job, request.user),
        "not_yours": None if may_change else not_yours(request.user),
    }


def not_yours(user):
    allowed = LanguageRole.languages_of(user) or ()
    return _("You may change only the %(languages)s translation; this one is shown to read.") % {
        "languages": ", ".join(
            str(languages.name(code)) for code in languages.CODES if code in allowed
        )
    }


def posted_work(post, segmented):
    """What a workspace form posts: the target texts typed, by segment key, and the
    keys of segments needing an update that were marked as still correct."""
    texts = {
        segment.key: editing.normalize_text(post[f"target-{segment.key}"])
        for segment in segmented.segments
        if f"target-{segment.key}" in post and not segment.is_fixed
    }
    by_key = segmented.by_key()
    confirmed = [
        key
        for key in post.getlist("confirm")
        if key in by_key and by_key[key].status == Status.NEEDS_UPDATE
    ]
    return texts, confirmed


def workspace_rows(article, segmented, language, *, texts, focus):
    """A row of the workspace for each segment: the source, the target shown (as typed,
    after a refused save), its checks, terms and memory suggestions."""
    entries = terms.load()
    for segment in segmented.segments:
        segment.target = texts.get(segment.key, segment.target)
    suggestions = memory.for_segments(article, segmented)
    source_language = article.source_language
    rows = []
    for segment in segmented.segments:
        shown = segment.target
        rows.append(
            {
                "segment": segment,
                "label": segments.label(segment.key, segment.kind),
                "status_label": STATUSES[segment.status],
                "origin": review_origin(segment),
                "diff": segment.source_diff(),
                "terms": [
                    {
                        "form": form,
                        "approved": entry.approved(language),
                        "forms": entry.forms_of(entry.approved(language), language),
                        "note": entry.note,
                        "note_language": entry.note_language,
                        "note_dir": languages.direction(entry.note_language),
                    }
                    for entry, form in terms.terms_in(segment.source, source_language, entries)
                ],
                "issues": []
                if segment.is_fixed
                else segment_issues(segment, language, entries, source_language),
                "suggestions": [] if segment.is_fixed else suggestions.get(segment.key, []),
                "rows": min(20, max(2, len(shown) // 60 + shown.count("\n") + 1)),
                "focus": segment.key == focus,
            }
        )
    return rows


def posted_version(data, current):
    """The article's version the editor started from (the current one if unsaid)."""
    try:
        return int(data.get("version", ""))
    except ValueError:
        return current


def keys_and_kinds(by_key, keys_by_name):
    """For the history's note: each list of segment keys with each segment's kind."""
    return {name: [[key, by_key[key].kind] for key in keys] for name, keys in keys_by_name.items()}


def apply_work(article, language, segmented, texts, confirmed, reviewed):
    """Set the translated columns the workspace's texts make and what the translation
    is now made from; return those sources (set before the save, which writes
    nothing when no column changed: marking a segment as still correct changes
    only what it was translated from)."""
    fields, kept = translated_fields(segmented, texts, confirmed=confirmed)
    for name, text in fields.items():
        setattr(article, localized(name, language), text)
    sources = {**article.translation_sources, language: kept}
    article.translation_sources = sources
    if reviewed:
        pretranslate.confirm(article, language, reviewed)
    return sources


def workspace_urls(article, language):
    """Where the workspace's buttons and its script send an editor."""
    names = {
        "pretranslate_url": "pretranslate",
        "preview_url": "workspace_preview",
        "export_url": "translation_export",
    }
    urls = {
        key: reverse(f"admin:articles_article_{name}", args=[article.pk, language])
        for key, name in names.items()
    }
    return {**urls, "change_url": reverse("admin:articles_article_change", args=[article.pk])}
