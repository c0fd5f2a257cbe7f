from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from articles import languages
from articles.languages import localized

from .article import Article


class SlugRedirect(models.Model):
    """A slug an article had in a language: its old address redirects to the new one."""

    article = models.ForeignKey(
        Article, on_delete=models.CASCADE, related_name="slug_redirects", verbose_name=_("article")
    )
    language = models.CharField(_("language"), max_length=7, choices=languages.CHOICES)
    slug = models.SlugField(_("slug"), max_length=200, allow_unicode=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("slug redirect")
        verbose_name_plural = _("slug redirects")
        constraints = [
            models.UniqueConstraint(
                fields=["language", "slug"], name="slugredirect_unique_language_slug"
            )
        ]

    def __str__(self):
        return f"/{self.language}/{self.slug}/"

    @classmethod
    def record(cls, article, former_slugs):
        """Redirect `article`'s former slugs to it; its current slugs redirect nowhere.

        A slug an article takes (a new one, or an old one taken again) wins
        over any redirect that held it.
        """
        current = Q(pk__in=[])
        for code, slug in article.slugs().items():
            if slug:
                current |= Q(language=code, slug=slug)
        cls.objects.filter(current).delete()
        for code, former in former_slugs.items():
            if former and former != getattr(article, localized("slug", code)):
                cls.objects.update_or_create(
                    language=code, slug=former, defaults={"article": article}
                )
