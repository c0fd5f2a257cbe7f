"""The test settings with a fourth language, Arabic (right to left), added in settings only.

Used by tests/test_languages.py, in processes of their own: models take their
per-language columns from LANGUAGES when they are first imported. The apps'
tables are made straight from the models, as the migration that
`makemigrations` writes for the new columns would leave them.
"""

from tests.settings import *  # noqa: F403

LANGUAGES = [*LANGUAGES, ("ar", "Arabic")]  # noqa: F405
MIGRATION_MODULES = {"articles": None, "marketing": None}
# A test database of its own: this runs beside the suite's, on PostgreSQL the same server.
DATABASES = {"default": {**DATABASES["default"], "TEST": {"NAME": "test_cxcs_fourth_language"}}}  # noqa: F405
