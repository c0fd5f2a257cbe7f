"""Slow clients: behind the nginx configuration in deploy/nginx/, clients that trickle their
headers never hold one of gunicorn's sync workers, so other requests are answered at once."""

import os
import socket
import ssl
import subprocess
import sys
import threading
import urllib.request

import pytest
from django.conf import settings

from .conftest import site_env

pytestmark = pytest.mark.servers

DEPLOY = settings.BASE_DIR / "deploy" / "nginx"


def nginx_conf(folder, servers):
    """A main configuration for a test nginx of its own, with everything under `folder`."""
    temporary = "\n".join(
        f"    {kind}_temp_path {folder / kind};"
        for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
    )
    # Workers would run as "nobody", who cannot enter pytest's folders.
    user = "user root;\n" if os.geteuid() == 0 else ""
    return (
        f"{user}pid {folder / 'nginx.pid'};\nerror_log {folder / 'error.log'};\n"
        "events { worker_connections 128; }\n"
        f"http {{\n    access_log off;\n{temporary}\n{servers}\n}}\n"
    )


@pytest.fixture
def app_port(tmp_path, processes):
    """gunicorn with a single sync worker: one slow client reaching it would hold it."""
    port = processes.free_port()
    env = site_env(
        DJANGO_SETTINGS_MODULE="tests.settings",
        DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}",
    )
    processes.start(
        "gunicorn",
        [
            sys.executable,
            "-m",
            "gunicorn",
            "cxcs.wsgi",
            "--workers",
            "1",
            "--bind",
            f"127.0.0.1:{port}",
        ],
        port=port,
        env=env,
        cwd=settings.BASE_DIR,
    )
    return port


@pytest.fixture
def proxy_port(app_port, tmp_path, processes, installed):
    """nginx running deploy/nginx/cxcs-proxy.conf in front of gunicorn."""
    nginx = installed("nginx")
    folder = tmp_path / "nginx"
    folder.mkdir()
    port = processes.free_port()
    servers = (
        f"    upstream cxcs_app {{ server 127.0.0.1:{app_port}; keepalive 4; }}\n"
        f"    server {{\n        listen 127.0.0.1:{port};\n"
        f"        include {DEPLOY / 'cxcs-proxy.conf'};\n    }}"
    )
    (folder / "nginx.conf").write_text(nginx_conf(folder, servers))
    processes.start(
        "nginx",
        [nginx, "-e", "stderr", "-p", str(folder), "-c", "nginx.conf", "-g", "daemon off;"],
        port=port,
    )
    return port


def trickle(port, stop):
    """A client sending its headers a byte at a time, until `stop` is set; its connection."""
    connection = socket.create_connection(("127.0.0.1", port))
    connection.sendall(b"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ")

    def one_byte_at_a_time():
        while not stop.wait(0.2):
            connection.sendall(b"a")

    threading.Thread(target=one_byte_at_a_time, daemon=True).start()
    return connection


def is_still_waiting(connection):
    """Whether `connection` is open and has had no answer yet."""
    connection.setblocking(False)
    try:
        connection.recv(1)
    except BlockingIOError:
        return True
    return False


def test_two_clients_trickling_headers_do_not_delay_a_normal_request(proxy_port):
    stop = threading.Event()
    slow = [trickle(proxy_port, stop) for _number in range(2)]
    try:
        stop.wait(0.5)
        # gunicorn alone, with the slow clients let through, answers this only
        # once its worker timeout (30 s) kills the worker held by the first one.
        with urllib.request.urlopen(f"http://127.0.0.1:{proxy_port}/healthz", timeout=5) as ok:
            assert ok.status == 200
            assert ok.read() == b"ok\n"
        assert all(is_still_waiting(connection) for connection in slow)
    finally:
        stop.set()
        for connection in slow:
            connection.close()


def test_the_site_file_is_a_valid_nginx_configuration(tmp_path, installed):
    nginx, openssl = installed("nginx"), installed("openssl")
    folder = tmp_path / "site"
    (folder / "snippets").mkdir(parents=True)
    (folder / "snippets" / "cxcs-proxy.conf").write_text((DEPLOY / "cxcs-proxy.conf").read_text())
    certificate, key = folder / "certificate.pem", folder / "key.pem"
    subprocess.run(
        [openssl, "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1"]
        + ["-subj", "/CN=cxcs.example", "-keyout", str(key), "-out", str(certificate)],
        check=True,
        capture_output=True,
    )
    site = (DEPLOY / "cxcs.conf").read_text()
    site = site.replace("/etc/letsencrypt/live/cxcs.example/fullchain.pem", str(certificate))
    site = site.replace("/etc/letsencrypt/live/cxcs.example/privkey.pem", str(key))
    (folder / "cxcs.conf").write_text(site)
    (folder / "nginx.conf").write_text(nginx_conf(folder, "    include cxcs.conf;"))

    checked = subprocess.run(
        [nginx, "-t", "-e", "stderr", "-p", str(folder), "-c", "nginx.conf"],
        capture_output=True,
        text=True,
    )

    assert checked.returncode == 0, checked.stderr
    assert "[warn]" not in checked.stderr


def test_the_site_file_serves_media_with_the_policy_django_gives_them(
    tmp_path, installed, processes
):
    nginx, openssl = installed("nginx"), installed("openssl")
    folder = tmp_path / "site"
    (folder / "snippets").mkdir(parents=True)
    (folder / "snippets" / "cxcs-proxy.conf").write_text((DEPLOY / "cxcs-proxy.conf").read_text())
    media = tmp_path / "media"
    media.mkdir()
    (media / "logo.svg").write_bytes(b'<svg xmlns="http://www.w3.org/2000/svg"/>')
    certificate, key = folder / "certificate.pem", folder / "key.pem"
    subprocess.run(
        [openssl, "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1"]
        + ["-subj", "/CN=cxcs.example", "-keyout", str(key), "-out", str(certificate)],
        check=True,
        capture_output=True,
    )
    port, plain_port = processes.free_port(), processes.free_port()
    site = (DEPLOY / "cxcs.conf").read_text()
    for old, new in [
        ("/etc/letsencrypt/live/cxcs.example/fullchain.pem", str(certificate)),
        ("/etc/letsencrypt/live/cxcs.example/privkey.pem", str(key)),
        ("/srv/cxcs/media/", f"{media}/"),
        ("listen 443 ssl http2;", f"listen 127.0.0.1:{port} ssl;"),
        ("listen 80;", f"listen 127.0.0.1:{plain_port};"),
        ("listen [::]:443 ssl http2;", ""),
        ("listen [::]:80;", ""),
    ]:
        site = site.replace(old, new)
    (folder / "cxcs.conf").write_text(site)
    (folder / "nginx.conf").write_text(nginx_conf(folder, "    include cxcs.conf;"))
    processes.start(
        "nginx",
        [nginx, "-e", "stderr", "-p", str(folder), "-c", "nginx.conf", "-g", "daemon off;"],
        port=port,
    )
    unverified = ssl.create_default_context()
    unverified.check_hostname, unverified.verify_mode = False, ssl.CERT_NONE
    request = urllib.request.Request(
        f"https://127.0.0.1:{port}/media/logo.svg", headers={"Host": "cxcs.example"}
    )
    with urllib.request.urlopen(request, timeout=5, context=unverified) as served:
        assert served.status == 200
        policy = served.headers["Content-Security-Policy"]
        assert served.headers["X-Content-Type-Options"] == "nosniff"

    assert policy == settings.MEDIA_CONTENT_SECURITY_POLICY
