"""Interface strings of other apps' admin pages, so that our catalogues translate them.

Django takes a string missing from the Hebrew catalogue from the default
language's, so the Hebrew admin showed such strings in Turkish; django-axes
has no Hebrew catalogue and leaves its list names untranslated in Turkish too.
Our catalogues come first (LOCALE_PATHS), so translating the strings here
puts them right in every language. tests/test_admin_language.py finds any
string still missing.
"""

from django.utils.translation import gettext_noop, ngettext

STRINGS = [
    # django-axes: its admin's lists, columns and filters.
    gettext_noop("access attempt"),
    gettext_noop("access attempts"),
    gettext_noop("access failure"),
    gettext_noop("access failures"),
    gettext_noop("access log"),
    gettext_noop("access logs"),
    gettext_noop("access attempt expiration"),
    gettext_noop("access attempt expirations"),
    gettext_noop("Access Attempt"),
    gettext_noop("Access lock out"),
    gettext_noop("Attempt Remaining"),
    gettext_noop("Attempt Time"),
    gettext_noop("Clean up expired attempts"),
    gettext_noop("Expires At"),
    gettext_noop("Failed Logins"),
    gettext_noop("Form Data"),
    gettext_noop("GET Data"),
    gettext_noop("HTTP Accept"),
    gettext_noop("IP Address"),
    gettext_noop("Locked Out"),
    gettext_noop("Logout Time"),
    gettext_noop("Meta Data"),
    gettext_noop("Not set"),
    gettext_noop("POST Data"),
    gettext_noop("Path"),
    gettext_noop("Session key hash (sha256)"),
    gettext_noop("The time when access attempt expires and is no longer valid."),
    gettext_noop("User Agent"),
    gettext_noop("Username"),
    gettext_noop(
        "Account locked: too many login attempts. Contact an admin to unlock your account."
    ),
    gettext_noop("Account locked: too many login attempts. Please try again later."),
    # django-reversion.
    gettext_noop("Reversion"),
    gettext_noop("revision"),
    gettext_noop("revisions"),
    gettext_noop("versions"),
    gettext_noop("date created"),
    gettext_noop("comment"),
    gettext_noop("Initial version."),
    gettext_noop("Model name"),
    gettext_noop("Could not load %(object_repr)s version - incompatible version data."),
    gettext_noop("Could not load %(object_repr)s version - not found"),
    gettext_noop("Could not load %(object_repr)s version - unknown serializer %(format)s."),
    gettext_noop("Could not save %(object_repr)s version - missing dependency."),
    # Django's admin: "Başka bir Varyant ekle" capitalised the inline's name mid-sentence.
    gettext_noop("Add another %(verbose_name)s"),
    # Django's admin and auth, where its Hebrew catalogue lacks them.
    gettext_noop("%(model)s instance with %(field)s %(value)r is not a valid choice."),
    gettext_noop("Add link"),
    gettext_noop("After you’ve created a user, you’ll be able to edit more user options."),
    gettext_noop("Change or view list link"),
    gettext_noop("Error:"),
    gettext_noop("Forgotten your login credentials?"),
    gettext_noop("In case you’ve forgotten, you are:"),
]


def plural_strings():
    """Never called: shows makemessages the plural strings to keep."""
    return ngettext(
        "This password is too short. It must contain at least %d character.",
        "This password is too short. It must contain at least %d characters.",
        1,
    )
