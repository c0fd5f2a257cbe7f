import hashlib

from django.db import models
from django.utils.translation import gettext_lazy as _


def digest(*texts):
    """A fixed-length key of texts, for looking them up and keeping them once."""
    return hashlib.sha256("\x00".join(texts).encode()).hexdigest()


class MemoryUnit(models.Model):
    """A segment and its translation brought in from a translation memory (TMX),
    offered in the workspace beside the translations made here."""

    source_language = models.CharField(_("source language"), max_length=15)
    target_language = models.CharField(_("target language"), max_length=15)
    source = models.TextField(_("source"))
    target = models.TextField(_("translation"))
    # What the file says of the pair: when it was made and last changed, by what.
    created_at = models.DateTimeField(_("created at"), null=True, blank=True)
    changed_at = models.DateTimeField(_("changed at"), null=True, blank=True)
    origin = models.CharField(_("origin"), max_length=200, blank=True)
    imported_at = models.DateTimeField(_("imported at"), auto_now_add=True)
    # digest(source) finds a segment's exact matches; key keeps each pair once.
    source_key = models.CharField(max_length=64, db_index=True, editable=False)
    key = models.CharField(max_length=64, unique=True, editable=False)

    class Meta:
        verbose_name = _("translation memory unit")
        verbose_name_plural = _("translation memory")
        ordering = ["-changed_at", "-pk"]

    def __str__(self):
        return self.source[:80]

    def save(self, *args, **kwargs):
        self.set_keys()
        super().save(*args, **kwargs)

    def set_keys(self):
        """Set the digests a save keeps (bulk_create, which skips save(), calls it first)."""
        self.source_key = digest(self.source_language, self.source)
        self.key = digest(self.source_language, self.target_language, self.source, self.target)
