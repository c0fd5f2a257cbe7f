"""SQLite under readers and editors at once: no "database is locked", no lost save.

Readers fetch the launch article in Turkish and Hebrew and both lists while
editors, each logged into the admin with a session of its own, save an
article of their own again and again through the change form, each save
putting a unique marker in the Hebrew lede. At the end the database must hold,
for every editor, the marker of its last acknowledged save; every 5xx and
every response or server-log line saying "database is locked" is counted.

Run from the project root: .venv/bin/python -m bench.sqlite_concurrency
(--help for the knobs). Exits non-zero on any 5xx, lock error, lost save or
unanswered request.
"""

import argparse
import itertools
import json
import re
import secrets
import sqlite3
import sys
import threading
import time
from dataclasses import dataclass, field
from urllib.parse import quote, urlencode

from bench.common import Load, Result, drive, production_server
from operations.page_cache import GENERATION_CHECK_SECONDS

LOCKED = "database is locked"
FORM = {"Content-Type": "application/x-www-form-urlencoded"}
CSRF_INPUT = re.compile(rb'name="csrfmiddlewaretoken" value="([^"]+)"')


@dataclass
class Report:
    readers: Result
    editors: Result
    locked_responses: int
    locked_log_lines: int
    lost_saves: int
    # Editors whose last saved lede the Hebrew list did not show after the run.
    stale_list_entries: int
    log: str = field(repr=False)

    @property
    def server_errors(self):
        return self.readers.server_errors + self.editors.server_errors

    @property
    def unanswered(self):
        return sum(self.readers.errors.values()) + sum(self.editors.errors.values())

    def first_error(self, lines=60):
        """The server log from its first error on, cut to `lines` lines."""
        log = self.log.splitlines()
        start = next((n for n, line in enumerate(log) if "Error" in line), len(log))
        return "\n".join(log[start : start + lines]) or "(nothing in the server log)"

    @property
    def ok(self):
        return not (
            self.server_errors
            or self.locked_responses
            or self.locked_log_lines
            or self.lost_saves
            or self.unanswered
        )


class Editor:
    """One editor in the admin: logs in, then saves its own article again and again."""

    def __init__(self, server, username, password, article):
        self.server = server
        self.username = username
        self.password = password
        self.pk = article["pk"]
        self.form = article["form"]
        self.initial_lede = article["form"]["lede_he"]
        # Every marker posted, and how many had been posted when the last 302 came.
        self.markers = []
        self.acknowledged = 0
        self.locked_responses = 0

    @property
    def change_url(self):
        return f"/tr/admin/articles/article/{self.pk}/change/"

    def log_in(self):
        """Log in through the login form and open the change form; returns `save`."""
        self.client = self.server.client()
        login = "/tr/admin/login/?next=/tr/admin/"
        token = CSRF_INPUT.search(self.client.get(login).body).group(1).decode()
        credentials = {
            "username": self.username,
            "password": self.password,
            "csrfmiddlewaretoken": token,
            "next": "/tr/admin/",
        }
        response = self.client.request("POST", login, urlencode(credentials), FORM)
        if response.status != 302:
            raise RuntimeError(f"{self.username} could not log in: {response.status}")
        self.token = CSRF_INPUT.search(self.client.get(self.change_url).body).group(1).decode()
        return self.save

    def save(self):
        """Post the change form with a new marker, then follow the redirect as a browser does.

        Returns the post's status, or the redirect's when that failed.
        """
        marker = f"[{self.username}:{len(self.markers)}]"
        self.markers.append(marker)
        data = {**self.form, "lede_he": marker, "csrfmiddlewaretoken": self.token, "_continue": "1"}
        response = self.client.request("POST", self.change_url, urlencode(data), FORM)
        self.locked_responses += LOCKED.encode() in response.body
        if response.status != 302:
            return response.status
        self.acknowledged = len(self.markers)
        # The change form again, showing (and so clearing) the "changed" message.
        follow = self.client.get(response.headers["Location"])
        self.locked_responses += LOCKED.encode() in follow.body
        return response.status if follow.status == 200 else follow.status

    def lost_save(self, saved_lede):
        """Whether the database lost this editor's last acknowledged save.

        Saves posted after it that got no acknowledgement may or may not have
        landed; either is fine.
        """
        if self.acknowledged == 0:
            return saved_lede not in [self.initial_lede, *self.markers]
        return saved_lede not in self.markers[self.acknowledged - 1 :]


def set_up_editors(server, count):
    editors = [
        {"username": f"editor{number}", "password": secrets.token_urlsafe(16)}
        for number in range(1, count + 1)
    ]
    command = f"from bench.editors import create; create({json.dumps(editors)!r})"
    output = server.site.manage("shell", "-c", command)
    articles = json.loads(output.strip().splitlines()[-1])
    return [
        Editor(server, editor["username"], editor["password"], article)
        for editor, article in zip(editors, articles, strict=True)
    ]


def reader_paths(database):
    with sqlite3.connect(database) as connection:
        slug_tr, slug_he = connection.execute(
            "SELECT slug_tr, slug_he FROM articles_article ORDER BY id LIMIT 1"
        ).fetchone()
    return [
        f"/tr/articles/{quote(slug_tr)}/",
        f"/he/articles/{quote(slug_he)}/",
        "/tr/",
        "/he/",
    ]


def run(*, readers=4, editors=3, seconds=20.0, workers=4, max_reads=50_000, max_saves=5_000):
    """Readers and editors against a fresh production server; what happened."""
    with production_server(workers=workers) as server:
        team = set_up_editors(server, editors)
        paths = reader_paths(server.site.database)
        locked_reads = []
        lock = threading.Lock()

        def start_reader(index):
            client = server.client()
            cycle = itertools.cycle(paths[index % len(paths) :] + paths[: index % len(paths)])

            def read():
                response = client.get(next(cycle))
                if LOCKED.encode() in response.body:
                    with lock:
                        locked_reads.append(response.status)
                return response.status

            return read

        results = drive(
            Load("readers", readers, start_reader, max_reads),
            Load("editors", editors, lambda index: team[index].log_in(), max_saves),
            max_seconds=seconds,
        )

        with sqlite3.connect(server.site.database) as connection:
            saved = dict(connection.execute("SELECT id, lede_he FROM articles_article"))
        lost = sum(editor.lost_save(saved[editor.pk]) for editor in team)
        # A save reaches the other server processes' page caches within this time.
        time.sleep(GENERATION_CHECK_SECONDS)
        # Right-to-left text isolates Latin runs in <bdi>: compare the text, not the markup.
        hebrew_list = re.sub(r"<[^>]+>", "", server.client().get("/he/").body.decode())
        stale = sum(
            editor.acknowledged > 0 and editor.markers[editor.acknowledged - 1] not in hebrew_list
            for editor in team
        )
        log = server.log()

    return Report(
        readers=results["readers"],
        editors=results["editors"],
        locked_responses=len(locked_reads) + sum(editor.locked_responses for editor in team),
        locked_log_lines=sum(LOCKED in line for line in log.splitlines()),
        lost_saves=lost,
        stale_list_entries=stale,
        log=log,
    )


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--readers", type=int, default=4, help="reader threads (default 4)")
    parser.add_argument("--editors", type=int, default=3, help="editor threads (default 3)")
    parser.add_argument("--seconds", type=float, default=20.0, help="time limit (default 20)")
    parser.add_argument("--workers", type=int, default=4, help="gunicorn workers (default 4)")
    arguments = parser.parse_args()
    report = run(
        readers=arguments.readers,
        editors=arguments.editors,
        seconds=arguments.seconds,
        workers=arguments.workers,
    )
    print(
        f"cxcs SQLite concurrency: gunicorn, {arguments.workers} sync workers; "
        f"{arguments.readers} readers, {arguments.editors} editors, at most {arguments.seconds} s"
    )
    print(f"readers   {report.readers.summary()}")
    print(f"editors   {report.editors.summary()}")
    print("          (a save: the change form posted, then its redirect followed)")
    print(f"5xx responses:                 {report.server_errors}")
    print(f'"{LOCKED}" in responses: {report.locked_responses}')
    print(f'"{LOCKED}" in server log: {report.locked_log_lines}')
    print(f"requests without an answer:    {report.unanswered}")
    print(f"lost saves:                    {report.lost_saves}")
    print(f"Hebrew list stale after run:   {report.stale_list_entries} editor(s)")
    if not report.ok:
        print("FAILED. The server's first error:")
        print(report.first_error())
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
