"""The test settings with a fourth language, Arabic (right to left), added in settings only.

Used by tests/test_languages.py, in processes of their own: models take their
per-language columns from LANGUAGES when they are first imported. Every table
is made straight from the models, as the migration that `makemigrations`
writes for the new columns would leave them: all apps alike, so that on
PostgreSQL the foreign keys of ours to Django's tables (a job's translator)
find them made in the same pass.
"""

from tests.settings import *  # noqa: F403

LANGUAGES = [*LANGUAGES, ("ar", "Arabic")]  # noqa: F405


class WithoutMigrations(dict):
    """No app has migrations: `migrate` makes every table from its models."""

    def __contains__(self, app_label):
        return True

    def __getitem__(self, app_label):
        return None


MIGRATION_MODULES = WithoutMigrations()
# A test database of its own: this runs beside the suite's, on PostgreSQL the same server.
DATABASES = {"default": {**DATABASES["default"], "TEST": {"NAME": "test_cxcs_fourth_language"}}}  # noqa: F405
