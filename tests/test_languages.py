"""The site's languages come from settings alone: a fourth one needs only a migration."""

import os
import re
import subprocess
import sys
from pathlib import Path

from django.conf import settings
from django.urls import get_script_prefix, set_script_prefix

ROOT = Path(settings.BASE_DIR)


def run(*arguments):
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "tests.settings_arabic"}
    return subprocess.run(
        [sys.executable, *arguments], cwd=ROOT, env=env, capture_output=True, text=True
    )


def test_a_fourth_language_asks_only_for_its_columns_in_a_migration():
    # Against the real migrations: tests.settings_arabic makes tables without them.
    result = run(
        "-c",
        "import django; from django.conf import settings; "
        "django.setup(); settings.MIGRATION_MODULES = {}; "
        "from django.core.management import call_command; "
        "call_command('makemigrations', dry_run=True)",
    )
    assert result.returncode == 0, result.stderr
    operations = [line.strip() for line in result.stdout.splitlines() if line.strip()[:1] in "+~-"]
    assert operations, result.stdout
    added = [line for line in operations if line.startswith("+ Add field")]
    assert all(
        re.fullmatch(r"\+ Add field \w+_ar to (article|tourpage|concept|author|topic|brand)", line)
        for line in added
    )
    # Besides them: its slugs unique within it, its columns in the index lists
    # use, an index of its own published articles and one of those needing its
    # translation, and the lists of language
    # choices (an article's source language, a translation job's, a translator's,
    # a term note's).
    others = set(operations) - set(added)
    assert others == {
        "+ Create constraint article_unique_slug_ar on model article",
        "+ Create constraint author_unique_slug_ar on model author",
        "+ Create constraint topic_unique_slug_ar on model topic",
        "- Remove index article_listed from article",
        "+ Create index article_listed on field(s) published_at, id, updated_at, "
        "is_published_tr, is_published_he, is_published_en, is_published_ar, "
        "translation_state_tr, translation_state_he, translation_state_en, "
        "translation_state_ar of model article",
        "+ Create index article_published_ar on field(s) published_at, id, is_published_ar, "
        "translation_state_ar of model article",
        "+ Create index article_needs_ar on field(s) published_at, id of model article",
        "~ Alter field language on slugredirect",
        "~ Alter field language on campaigncount",
        "~ Alter field language on experiment",
        "~ Alter field source_language on article",
        "~ Alter field language on job",
        "~ Alter field language on languagerole",
        "~ Alter field language on adminlanguage",
        "~ Alter field note_language on concept",
    }


def test_the_site_and_the_admin_follow_a_fourth_language():
    result = run(
        "-m", "pytest", "tests/fourth_language/arabic_checks.py", "-q", "-p", "no:cacheprovider",
        "--ds", "tests.settings_arabic",
    )  # fmt: skip
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-2000:]
    assert re.search(r"^6 passed", result.stdout, re.M), result.stdout


def test_an_article_address_made_again_under_another_script_prefix_carries_it(article):
    address = article.get_absolute_url("he")
    prefix = get_script_prefix()
    set_script_prefix("/cxcs/")
    try:
        assert article.get_absolute_url("he") == "/cxcs" + address
    finally:
        set_script_prefix(prefix)
