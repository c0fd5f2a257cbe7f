"""Interface text is translated into every language, so none leaks into another.

Django falls back to the default language's catalogue (Turkish) for a string
missing in Hebrew or English, so a gap shows up as a Turkish word on a Hebrew
page. These tests catch the gap in the catalogues and on the pages.
"""

import gettext
import itertools
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import translation

LANGUAGES = [code for code, _name in settings.LANGUAGES]
# The project's own folders: each of its catalogues is in one of them.
SOURCE_FOLDERS = ("articles", "cxcs", "marketing", "operations", "templates")


def catalogue(language):
    """Every interface string of the project's catalogues for `language`, with its text."""
    messages = {}
    for locale_dir in settings.LOCALE_PATHS:
        mo = locale_dir / language / "LC_MESSAGES" / "django.mo"
        assert mo.exists(), f"{mo} is missing: `make messages` compiles the catalogues"
        with mo.open("rb") as file:
            messages.update(gettext.GNUTranslations(file)._catalog)
    texts = {}
    for key, text in messages.items():
        # A plural message has an entry per plural form, and languages have
        # different numbers of forms (Hebrew four, Turkish two): it counts
        # once, and as translated only when every one of its forms is.
        msgid = key[0] if isinstance(key, tuple) else key
        if msgid:
            texts[msgid] = text if texts.get(msgid, text) else ""
    return texts


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_interface_string_is_translated_in_every_language(language):
    all_msgids = set().union(*(catalogue(code) for code in LANGUAGES))
    translated = {msgid for msgid, text in catalogue(language).items() if text}
    assert sorted(all_msgids - translated) == []


def test_catalogues_hold_every_string_the_code_and_templates_use(tmp_path):
    """Re-extract the strings from a copy of the project: nothing may be new or untranslated."""
    root = Path(settings.BASE_DIR)
    for name in SOURCE_FOLDERS:
        shutil.copytree(root / name, tmp_path / name, ignore=shutil.ignore_patterns("*.mo"))
    shutil.copy(root / "manage.py", tmp_path)
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "cxcs.settings", "DJANGO_DEBUG": "1"}
    subprocess.run(
        [sys.executable, "manage.py", "makemessages", *(f"--locale={c}" for c in LANGUAGES)],
        cwd=tmp_path,
        env=env,
        check=True,
        capture_output=True,
    )
    for language, locale_dir in itertools.product(LANGUAGES, settings.LOCALE_PATHS):
        po = tmp_path / locale_dir.relative_to(root) / language / "LC_MESSAGES" / "django.po"
        stats = subprocess.run(
            ["msgfmt", "--statistics", "-o", os.devnull, str(po)],
            capture_output=True,
            text=True,
            check=True,
        ).stderr
        assert "untranslated" not in stats and "fuzzy" not in stats, (language, stats)


def visible_text(html):
    return re.sub(r"<[^>]+>", " ", html)


@pytest.mark.parametrize("language", ["he", "en"])
def test_no_turkish_interface_text_on_other_languages_pages(client, article, language):
    # The switcher names each language in itself ("Türkçe"): that is meant.
    native_names = {translation.get_language_info(code)["name_local"] for code in LANGUAGES}
    turkish_only = {
        text
        for msgid, text in catalogue("tr").items()
        if text != catalogue(language).get(msgid) and text not in native_names
    }
    urls = [f"/{language}/", f"/{language}/tour/", f"/{language}/nowhere/"]
    if language in article.languages:
        urls.append(article.get_absolute_url(language))
    for url in urls:
        text = visible_text(client.get(url).content.decode())
        leaked = [word for word in turkish_only if word in text]
        assert leaked == [], url
