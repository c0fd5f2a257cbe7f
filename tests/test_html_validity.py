"""Every public page is valid HTML, by the W3C Nu HTML checker (vnu).

vnu comes from npm (package.json: `npm ci --ignore-scripts`) and runs on Java.
Where either is missing the test is skipped, except in CI (`CI` set), where
it fails: CI must check the markup.
"""

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest
from django.conf import settings

VNU_JAR = Path(settings.BASE_DIR) / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"


def vnu_command():
    missing = []
    if shutil.which("java") is None:
        missing.append("java (apt-get install default-jre-headless)")
    if not VNU_JAR.exists():
        missing.append(f"{VNU_JAR} (npm ci --ignore-scripts)")
    if missing:
        reason = "The HTML checker needs " + " and ".join(missing)
        if os.environ.get("CI"):
            pytest.fail(f"{reason}; CI must check the markup.")
        pytest.skip(reason)
    return ["java", "-jar", str(VNU_JAR), "--errors-only", "--format", "json"]


def public_pages(article, launch):
    """Every kind of page a reader can reach, with the status it answers, in each language."""
    return {
        "list-tr": ("/tr/", 200),
        "list-he": ("/he/", 200),
        "list-en": ("/en/", 200),
        "article-tr": (launch.get_absolute_url("tr"), 200),
        "article-he": (launch.get_absolute_url("he"), 200),
        "article-small-he": (article.get_absolute_url("he"), 200),
        "tour-tr": ("/tr/tour/", 200),
        "tour-he": ("/he/tour/", 200),
        "tour-en": ("/en/tour/", 200),
        "not-found-he": ("/he/nothing-here/", 404),
        "not-available-en": ("/en/articles/the-way-of-light/", 404),
        "search-results-he": ("/he/search/?q=CX", 200),
        "search-nothing-tr": ("/tr/search/?q=zebra", 200),
        "search-empty-en": ("/en/search/?q=", 200),
        "search-form-tr": ("/tr/search/", 200),
    }


def test_every_public_page_is_valid_html(client, article, launch, tmp_path):
    command = vnu_command()
    files = {}
    for name, (url, status) in public_pages(article, launch).items():
        response = client.get(url)
        assert response.status_code == status, url
        path = tmp_path / f"{name}.html"
        path.write_bytes(response.content)
        files[path.name] = url

    # One run for all pages: the checker takes a few seconds to start.
    result = subprocess.run([*command, *map(str, tmp_path.iterdir())], capture_output=True)
    report = json.loads(result.stderr)

    # Each error as (page URL, line, message); vnu names the file it read.
    errors = [
        (
            files.get(message.get("url", "").rpartition("/")[2], message.get("url")),
            message.get("lastLine"),
            message["message"],
        )
        for message in report["messages"]
    ]
    assert errors == []
