"""Who translates and reviews which languages, and which language each person reads
the admin in (their mails are written in it)."""

from django.conf import settings
from django.contrib.auth.models import Group
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from articles import languages


class LanguageRole(models.Model):
    """A language a user, or every member of a group, translates into or reviews.

    A user with at least one, their own or a group's, is a restricted
    translator: they change only those languages' texts, on every write path
    (`editing.save` checks). Superusers and users without any keep every right
    their permissions give.
    """

    class Role(models.TextChoices):
        TRANSLATES = "translates", _("translates into")
        REVIEWS = "reviews", _("reviews")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="language_roles",
    )
    group = models.ForeignKey(
        Group,
        verbose_name=_("group"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="language_roles",
    )
    role = models.CharField(_("role"), max_length=10, choices=Role, default=Role.TRANSLATES)
    language = models.CharField(_("language"), max_length=7, choices=languages.CHOICES)

    class Meta:
        verbose_name = _("language role")
        verbose_name_plural = _("language roles")
        constraints = [
            models.CheckConstraint(
                condition=Q(user__isnull=False, group__isnull=True)
                | Q(user__isnull=True, group__isnull=False),
                name="languagerole_user_or_group",
            ),
            models.UniqueConstraint(
                fields=["user", "role", "language"], name="languagerole_unique_user"
            ),
            models.UniqueConstraint(
                fields=["group", "role", "language"], name="languagerole_unique_group"
            ),
        ]

    def __str__(self):
        return f"{self.get_role_display()} {languages.name(self.language)}"

    @classmethod
    def of(cls, user):
        """The roles `user` has, their own and their groups'."""
        return cls.objects.filter(Q(user=user) | Q(group__in=user.groups.all()))

    @classmethod
    def languages_of(cls, user):
        """The languages `user` may change, or None when they are not restricted.

        Read once per user object (a request's), as every check of a page asks.
        """
        if user is None or not user.is_authenticated or user.is_superuser:
            return None
        if not hasattr(user, "_cxcs_languages"):
            codes = set(cls.of(user).values_list("language", flat=True))
            user._cxcs_languages = frozenset(codes) if codes else None
        return user._cxcs_languages

    @classmethod
    def may_change(cls, user, language):
        allowed = cls.languages_of(user)
        return allowed is None or language in allowed

    @classmethod
    def reviewers_of(cls, language):
        """The users given `language` to review, themselves or through a group."""
        roles = cls.objects.filter(role=cls.Role.REVIEWS, language=language)
        User = cls._meta.get_field("user").related_model
        return User.objects.filter(
            Q(pk__in=roles.values("user")) | Q(groups__in=roles.values("group"))
        ).distinct()

    @classmethod
    def reviews(cls, user, language):
        return cls.of(user).filter(role=cls.Role.REVIEWS, language=language).exists()


class AdminLanguage(models.Model):
    """The language a user last read the admin in: mails to them are written in it."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="admin_language",
        verbose_name=_("user"),
    )
    language = models.CharField(_("language"), max_length=7, choices=languages.CHOICES)

    class Meta:
        verbose_name = _("admin language")
        verbose_name_plural = _("admin languages")

    def __str__(self):
        return self.language

    @classmethod
    def of(cls, user):
        """`user`'s admin language; the site's default language until they used one."""
        found = cls.objects.filter(user=user).values_list("language", flat=True).first()
        return found if found in languages.CODES else settings.LANGUAGE_CODE

    @classmethod
    def remember(cls, user, language):
        cls.objects.update_or_create(user=user, defaults={"language": language})

    @classmethod
    def remember_at_login(cls, sender, request, user, **kwargs):
        """Remember the language of the admin a user logs into (a user_logged_in receiver)."""
        match = getattr(request, "resolver_match", None)
        language = getattr(request, "LANGUAGE_CODE", None)
        if match is not None and match.namespace == "admin" and language in languages.CODES:
            cls.remember(user, language)
