"""The fastest a page can be under our server: a WSGI application that answers
every request with one stored response, byte for byte.

bench/pages.py stores the cached article's status line, headers and body in
the file named by BENCH_BARE_RESPONSE (JSON) and serves this with the same
gunicorn settings as the site: what the site serves on top of that is its cost.
"""

import json
import os

with open(os.environ["BENCH_BARE_RESPONSE"], encoding="utf-8") as stored:
    _response = json.load(stored)

STATUS = _response["status"]
HEADERS = [tuple(header) for header in _response["headers"]]
BODY = _response["body"].encode("latin-1")


def application(environ, start_response):
    start_response(STATUS, HEADERS)
    return [BODY]
