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


def test_every_public_page_is_valid_html(client, public_pages, tmp_path):
    command = vnu_command()
    pages = tmp_path / "pages"
    pages.mkdir()
    files = {}
    for name, (url, status) in public_pages.items():
        response = client.get(url)
        assert response.status_code == status, url
        path = pages / f"{name}.html"
        path.write_bytes(response.content)
        files[path.name] = url

    # One run for all pages: the checker takes a few seconds to start.
    result = subprocess.run([*command, *map(str, pages.iterdir())], capture_output=True)
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
