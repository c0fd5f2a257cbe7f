"""Lighthouse scores of every kind of public page, in Turkish and Hebrew, mobile and desktop.

Builds the throwaway production site of bench/common.py (gunicorn, DEBUG off,
the launch content), adds articles until the home page has a second page (a
list to measure besides the home page), then runs Lighthouse (npm, pinned in
package.json) with Debian's Chromium on the home page, the list's second page,
the launch article, its author's page, its topic's page and the tour page, each
as a phone (Lighthouse's default: a mid-range phone on a slow 4G link, both
simulated) and as a desktop (`--preset=desktop`).

Prints one line per page and form factor with the four scores, then every
audit that cost a point, and exits non-zero when a score misses its target:
100 for accessibility, best practices and SEO, 95 for performance.

Run from the project root, after `npm ci --ignore-scripts`:
    .venv/bin/python -m bench.lighthouse
    .venv/bin/python -m bench.lighthouse --languages he --pages article tour --form-factors mobile
"""

import argparse
import json
import os
import shutil
import subprocess
import sys
from urllib.parse import quote

from bench.common import BASE_DIR, production_server

LIGHTHOUSE = BASE_DIR / "node_modules" / ".bin" / "lighthouse"
CHROMIUM = "/usr/bin/chromium"
CATEGORIES = ("performance", "accessibility", "best-practices", "seo")
TARGETS = {"performance": 95, "accessibility": 100, "best-practices": 100, "seo": 100}
PAGES = ("home", "list", "article", "author", "topic", "tour")
LANGUAGES = ("tr", "he")
FORM_FACTORS = ("mobile", "desktop")
# Articles added beside the launch one, so that the list has a second page.
EXTRA_ARTICLES = 13

# Run in the site by `manage.py shell`: articles through the write path, on
# the launch article's topic and by its author, with its figure; the addresses
# to measure printed as JSON.
SETUP = f"""
import json
from articles.writing import editing
from articles.launch import loader as launch
from articles.models import Article
original = Article.objects.get()
for number in range(2, {EXTRA_ARTICLES} + 2):
    copy = launch.new_article(topic=original.topic, author=original.author)
    for code in ("tr", "he", "en"):
        title = getattr(original, f"title_{{code}}")
        setattr(copy, f"title_{{code}}", f"{{title}} {{number}}")
    editing.save(copy)
print(json.dumps({{
    code: {{
        "home": f"/{{code}}/",
        "list": f"/{{code}}/page/2/",
        "article": original.get_absolute_url(code),
        "author": original.author.get_absolute_url(code),
        "topic": original.topic.get_absolute_url(code),
        "tour": f"/{{code}}/tour/",
    }}
    for code in ("tr", "he")
}}))
"""


def lighthouse(url, form_factor):
    """Lighthouse's report on `url` as a dict."""
    command = [
        str(LIGHTHOUSE),
        url,
        "--output=json",
        "--output-path=stdout",
        "--quiet",
        f"--only-categories={','.join(CATEGORIES)}",
        "--chrome-flags=--headless=new --no-sandbox --disable-gpu",
    ]
    if form_factor == "desktop":
        command.append("--preset=desktop")
    # Lighthouse sometimes loses a trace (NO_NAVSTART) on a busy machine: try again.
    for _attempt in range(3):
        result = subprocess.run(
            command,
            env={**os.environ, "CHROME_PATH": CHROMIUM},
            capture_output=True,
            text=True,
            timeout=300,
        )
        if result.returncode == 0:
            return json.loads(result.stdout)
    raise RuntimeError(f"lighthouse failed on {url}:\n{result.stderr[-3000:]}")


def scores(report):
    return {name: round(report["categories"][name]["score"] * 100) for name in CATEGORIES}


def lost_points(report):
    """(category, audit title, score, what it found) for each scored audit below 1."""
    lost = []
    for name in CATEGORIES:
        category = report["categories"][name]
        for reference in category["auditRefs"]:
            audit = report["audits"][reference["id"]]
            if reference["weight"] and audit["score"] is not None and audit["score"] < 1:
                lost.append((name, audit["title"], audit["score"], audit.get("displayValue", "")))
    return lost


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--languages", nargs="+", choices=LANGUAGES, default=list(LANGUAGES))
    parser.add_argument("--pages", nargs="+", choices=PAGES, default=list(PAGES))
    parser.add_argument(
        "--form-factors", nargs="+", choices=FORM_FACTORS, default=list(FORM_FACTORS)
    )
    arguments = parser.parse_args()
    if not LIGHTHOUSE.exists() or not shutil.which(CHROMIUM):
        sys.exit(f"Needs {LIGHTHOUSE} (npm ci --ignore-scripts) and {CHROMIUM}.")

    failed = []
    with production_server() as server:
        addresses = json.loads(server.site.manage("shell", "-c", SETUP).strip().splitlines()[-1])
        header = f"{'page':<10}{'language':<10}{'form':<9}" + "".join(
            f"{name:>16}" for name in CATEGORIES
        )
        print(header, flush=True)
        details = []
        for language in arguments.languages:
            for page in arguments.pages:
                path = quote(addresses[language][page], safe="/%")
                for form_factor in arguments.form_factors:
                    report = lighthouse(server.url + path, form_factor)
                    got = scores(report)
                    print(
                        f"{page:<10}{language:<10}{form_factor:<9}"
                        + "".join(f"{got[name]:>16}" for name in CATEGORIES),
                        flush=True,
                    )
                    if any(got[name] < TARGETS[name] for name in CATEGORIES):
                        failed.append((page, language, form_factor))
                    for category, title, score, value in lost_points(report):
                        details.append(
                            f"  {page} {language} {form_factor}: {category}: {title} "
                            f"({score:.2f}) {value}"
                        )
    print()
    print("Targets: " + ", ".join(f"{name} ≥ {target}" for name, target in TARGETS.items()))
    print("\n".join(details))
    if failed:
        sys.exit(f"Below target: {failed}")


if __name__ == "__main__":
    main()
