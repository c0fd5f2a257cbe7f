"""The languages a user or a group translates into and reviews, on the user's and
the group's pages of the admin."""

from django.contrib import admin
from django.contrib.auth.admin import GroupAdmin, UserAdmin
from django.contrib.auth.models import Group, User
from django.utils.translation import gettext_lazy

from articles.models import LanguageRole


class LanguageRoleInline(admin.StackedInline):
    # Stacked: each role's two choices have labels of their own, which a table's
    # column headings do not give a screen reader.
    model = LanguageRole
    fields = ["role", "language"]
    extra = 1
    verbose_name_plural = gettext_lazy(
        "Languages translated and reviewed: given any, only these languages' texts can be changed"
    )


class UserLanguageRoleInline(LanguageRoleInline):
    fk_name = "user"


class GroupLanguageRoleInline(LanguageRoleInline):
    fk_name = "group"


class TranslatorUserAdmin(UserAdmin):
    inlines = [*UserAdmin.inlines, UserLanguageRoleInline]


class TranslatorGroupAdmin(GroupAdmin):
    inlines = [*GroupAdmin.inlines, GroupLanguageRoleInline]


admin.site.unregister(User)
admin.site.register(User, TranslatorUserAdmin)
admin.site.unregister(Group)
admin.site.register(Group, TranslatorGroupAdmin)
