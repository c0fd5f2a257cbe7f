"""What the worst input an editor can type costs, on the production server.

1. Bodies built to be slow for Python-Markdown, as long as the limit allows,
   saved through the admin's change form: how long each save takes, whether
   it was stored or refused, and how fast readers then get the slowest stored
   one compared with the launch article (both uncached: a unique query string).
2. A 40-megapixel image saved through the change form while readers read the
   articles and click the tour button: their latency with and without it.

Run from the project root: .venv/bin/python -m bench.hostile_input
"""

import io
import json
import re
import secrets
import sys
import threading
import time
import uuid
from urllib.parse import urlencode

from PIL import Image

from bench.common import Load, drive, production_server

CSRF_INPUT = re.compile(rb'name="csrfmiddlewaretoken" value="([^"]+)"')
FORM = {"Content-Type": "application/x-www-form-urlencoded"}
BODY_LIMIT = 100_000
SLOW_BODIES = {
    "nested brackets": "[" * (BODY_LIMIT // 2) + "]" * (BODY_LIMIT // 2),
    "open image links": "![" * (BODY_LIMIT // 2),
    "open links": "[x](" * (BODY_LIMIT // 4),
    "unclosed emphasis": "*a **b " * (BODY_LIMIT // 7),
    "unclosed tags": "<a " * (BODY_LIMIT // 3),
    "backticks": "`a``b" * (BODY_LIMIT // 5),
    # Long but ordinary: the size of the limit in plain paragraphs.
    "plain paragraphs": ("Müşteri deneyimi bir yolculuktur. " * 20 + "\n\n") * 145,
}


class AdminSession:
    """An editor logged into the admin, posting an article's change form."""

    def __init__(self, server, username, password, article):
        self.client = server.client()
        self.pk = article["pk"]
        self.form = article["form"]
        login = "/tr/admin/login/?next=/tr/admin/"
        token = self.token(login)
        credentials = {"username": username, "password": password, "next": "/tr/admin/"}
        response = self.client.request(
            "POST", login, urlencode({**credentials, "csrfmiddlewaretoken": token}), FORM
        )
        if response.status != 302:
            raise RuntimeError(f"{username} could not log in: {response.status}")

    @property
    def change_url(self):
        return f"/tr/admin/articles/article/{self.pk}/change/"

    def token(self, path):
        return CSRF_INPUT.search(self.client.get(path).body).group(1).decode()

    def save(self, files=None, **changes):
        """Post the change form with `changes` (and `files`); the status and seconds taken."""
        fields = {**self.form, **changes, "csrfmiddlewaretoken": self.token(self.change_url)}
        body, content_type = multipart(fields, files or {})
        began = time.perf_counter()
        response = self.client.request(
            "POST", self.change_url, body, {"Content-Type": content_type}
        )
        return response, time.perf_counter() - began


def multipart(fields, files):
    boundary = uuid.uuid4().hex
    parts = []
    for name, value in fields.items():
        disposition = f'Content-Disposition: form-data; name="{name}"'
        parts.append(f"--{boundary}\r\n{disposition}\r\n\r\n{value}\r\n".encode())
    for name, (filename, content, content_type) in files.items():
        parts.append(
            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; '
            f'filename="{filename}"\r\nContent-Type: {content_type}\r\n\r\n'.encode()
            + content
            + b"\r\n"
        )
    parts.append(f"--{boundary}--\r\n".encode())
    return b"".join(parts), f"multipart/form-data; boundary={boundary}"


def editor(server, username):
    credentials = {"username": username, "password": secrets.token_urlsafe(16)}
    command = f"from bench.editors import create; create({json.dumps([credentials])!r})"
    [article] = json.loads(server.site.manage("shell", "-c", command).strip().splitlines()[-1])
    return AdminSession(server, credentials["username"], credentials["password"], article)


def article_path(server, pk, language="tr"):
    command = (
        "from articles.models import Article; "
        f"print(Article.objects.get(pk={pk}).get_absolute_url({language!r}))"
    )
    return server.site.manage("shell", "-c", command).strip().splitlines()[-1]


def uncached_reads(server, path, count):
    client = server.client()
    latencies = []
    for _ in range(count):
        began = time.perf_counter()
        response = client.get(f"{path}?read={uuid.uuid4().hex}")
        latencies.append(time.perf_counter() - began)
        if response.status != 200:
            raise RuntimeError(f"{path} answered {response.status}")
    latencies.sort()
    return latencies[len(latencies) // 2] * 1000


def slow_bodies(server):
    print("1. Bodies built to be slow, at most the limit of 100,000 characters, saved in the admin")
    session = editor(server, "body-editor")
    launch_path = article_path(server, 1)
    slowest = None
    for name, body in SLOW_BODIES.items():
        response, seconds = session.save(body_tr=body)
        if response.status == 302:
            outcome = "stored"
            if slowest is None or seconds > slowest[1]:
                slowest = (name, seconds)
            session.save(body_tr=session.form["body_tr"])
        elif b'id="id_body_tr_error"' in response.body:
            outcome = "refused with a form error on the body"
        else:
            outcome = f"answered {response.status}"
        print(f"   {name:18} {len(body):7,} chars  save {seconds:5.2f} s  {outcome}")
    if slowest is None:
        return
    session.save(body_tr=SLOW_BODIES[slowest[0]])
    edited_path = article_path(server, session.pk)
    launch_ms = uncached_reads(server, launch_path, 200)
    slowest_ms = uncached_reads(server, edited_path, 200)
    print(
        f"   reading the slowest stored one ({slowest[0]}), uncached: p50 {slowest_ms:.1f} ms; "
        f"the launch article: p50 {launch_ms:.1f} ms ({slowest_ms / launch_ms:.2f}x)"
    )


def large_image():
    """A 40-megapixel PNG of a few hundred kilobytes: all of its pixels must be decoded."""
    image = Image.linear_gradient("L").resize((8000, 5000)).convert("RGB")
    buffer = io.BytesIO()
    image.save(buffer, "PNG")
    return buffer.getvalue()


def readers_during_image_saves(server, seconds):
    print("2. Readers and tour clicks, without and with an editor saving a 40 MP image")
    session = editor(server, "image-editor")
    content = large_image()
    paths = ["/tr/", "/he/", article_path(server, 1, "he"), article_path(server, 1, "tr")]

    def start_reader(index):
        client = server.client()

        def read():
            return client.get(paths[index % len(paths)] + f"?r={uuid.uuid4().hex}").status

        return read

    def start_clicker(index):
        client = server.client()
        return lambda: client.get("/tr/tour/go/?utm_source=bench").status

    readers = Load("readers", 2, start_reader, 100_000)
    clickers = Load("tour clicks", 1, start_clicker, 100_000)
    quiet = drive(readers, clickers, max_seconds=seconds)

    saves = []
    stop = threading.Event()

    def keep_saving():
        while not stop.is_set():
            response, taken = session.save(
                files={"image": ("photo.png", content, "image/png")},
                image_alt_tr=f"Görsel {len(saves)}",
                image_alt_he="תמונה",
            )
            saves.append((response.status, taken))

    saver = threading.Thread(target=keep_saving, daemon=True)
    saver.start()
    busy = drive(readers, clickers, max_seconds=seconds)
    stop.set()
    saver.join()
    print(f"   image: 8000 × 5000 px, {len(content) / 1e6:.1f} MB PNG")
    statuses = sorted({status for status, _taken in saves})
    taken = sorted(seconds for _status, seconds in saves)
    print(
        f"   saves while measuring: {len(saves)}, statuses {statuses}, "
        f"median {taken[len(taken) // 2]:.2f} s"
        if taken
        else "   no save finished"
    )
    for name in ("readers", "tour clicks"):
        print(f"   {name:12} quiet  {quiet[name].summary()}")
        print(f"   {name:12} saving {busy[name].summary()}")
    log = server.log()
    print(f'   "database is locked" in the server log: {log.count("database is locked")}')


def main():
    with production_server(workers=4) as server:
        slow_bodies(server)
        readers_during_image_saves(server, seconds=15)
    return 0


if __name__ == "__main__":
    sys.exit(main())
