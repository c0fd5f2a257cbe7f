"""Local stand-ins for the machine translation services, for the tests: each answers
the documented endpoints of its service (DeepL API v2, Google Cloud Translation
v2, LibreTranslate) and their errors (a refused key, a used-up quota), and can
be made slow. They listen on 127.0.0.1 on a free port, in a thread.

Their "translation" of a text is the text after the target's code in brackets
("[EN-US] Merhaba"), with DeepL glossary entries applied to it: enough to see
which service translated what, into which language, with which glossary.
"""

import json
import threading
import time
import uuid
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

LANGUAGES = ["tr", "he", "en"]


class Service:
    """What a server knows and was asked: its key, the characters of quota left,
    how long it takes to answer a translation, its glossaries and requests."""

    def __init__(self, kind, key="good-key"):
        self.kind = kind
        self.key = key
        self.quota = 1_000_000
        self.delay = 0.0
        self.glossaries = {}
        self.requests = []
        self.url = ""

    def translate(self, texts, target, glossary=None):
        translated = []
        for text in texts:
            for source_term, target_term in (glossary or {}).get("entries", {}).items():
                text = text.replace(source_term, target_term)
            translated.append(f"[{target}] {text}")
        return translated


class Handler(BaseHTTPRequestHandler):
    def log_message(self, format, *args):
        pass

    @property
    def service(self):
        return self.server.service

    def answer(self, status, body=None):
        data = b"" if body is None else json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def request_data(self):
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length).decode() if length else ""
        query = {name: values[-1] for name, values in parse_qs(urlsplit(self.path).query).items()}
        if not raw:
            return query
        if self.headers.get("Content-Type", "").startswith("application/json"):
            return {**query, **json.loads(raw)}
        return {**query, **{name: values[-1] for name, values in parse_qs(raw).items()}}

    def handle_any(self, method):
        data = self.request_data()
        path = urlsplit(self.path).path
        self.service.requests.append((method, path, data))
        getattr(self, f"{self.service.kind}_{method.lower()}")(path, data)

    def do_GET(self):
        self.handle_any("GET")

    def do_POST(self):
        self.handle_any("POST")

    def do_DELETE(self):
        self.handle_any("DELETE")

    def spend(self, texts):
        """Wait as long as the service is slow; False when the quota is used up."""
        time.sleep(self.service.delay)
        characters = sum(len(text) for text in texts)
        if characters > self.service.quota:
            return False
        self.service.quota -= characters
        return True

    # DeepL API v2: https://developers.deepl.com/docs/api-reference
    def deepl_authorized(self):
        if self.headers.get("Authorization") != f"DeepL-Auth-Key {self.service.key}":
            self.answer(403, {"message": "Wrong endpoint or invalid authentication key"})
            return False
        return True

    def deepl_get(self, path, data):
        if not self.deepl_authorized():
            return
        if path == "/v2/languages":
            codes = (
                ["TR", "HE", "EN-US", "EN-GB"]
                if data.get("type") == "target"
                else ["TR", "HE", "EN"]
            )
            self.answer(200, [{"language": code, "name": code} for code in codes])
        elif path == "/v2/glossary-language-pairs":
            pairs = [
                {"source_lang": s, "target_lang": t} for s in LANGUAGES for t in LANGUAGES if s != t
            ]
            self.answer(200, {"supported_languages": pairs})
        elif path == "/v2/glossaries":
            self.answer(200, {"glossaries": [info(g) for g in self.service.glossaries.values()]})
        else:
            self.answer(404, {"message": "Not found"})

    def deepl_post(self, path, data):
        if not self.deepl_authorized():
            return
        if path == "/v2/glossaries":
            entries = dict(line.split("\t") for line in data["entries"].splitlines() if line)
            glossary = {**data, "entries": entries, "id": str(uuid.uuid4())}
            self.service.glossaries[glossary["id"]] = glossary
            self.answer(201, info(glossary))
            return
        if path != "/v2/translate":
            self.answer(404, {"message": "Not found"})
            return
        texts, target = data.get("text") or [], data.get("target_lang", "")
        if target not in ("TR", "HE", "EN-US", "EN-GB"):
            self.answer(400, {"message": "Value for 'target_lang' not supported."})
            return
        glossary = self.service.glossaries.get(data.get("glossary_id"))
        if data.get("glossary_id") and glossary is None:
            self.answer(404, {"message": "Glossary not found"})
            return
        if not self.spend(texts):
            self.answer(456, {"message": "Quota exceeded"})
            return
        translated = self.service.translate(texts, target, glossary)
        self.answer(
            200,
            {
                "translations": [
                    {"detected_source_language": "TR", "text": text, "billed_characters": len(text)}
                    for text in translated
                ]
            },
        )

    def deepl_delete(self, path, data):
        if not self.deepl_authorized():
            return
        glossary_id = path.rsplit("/", 1)[-1]
        if self.service.glossaries.pop(glossary_id, None) is None:
            self.answer(404, {"message": "Glossary not found"})
        else:
            self.answer(204)

    # Google Cloud Translation v2: https://cloud.google.com/translate/docs/reference/rest/v2
    def google_authorized(self, data):
        if data.get("key") != self.service.key:
            message = "API key not valid. Please pass a valid API key."
            self.answer(
                400,
                {
                    "error": {
                        "code": 400,
                        "message": message,
                        "errors": [
                            {"message": message, "domain": "global", "reason": "badRequest"}
                        ],
                        "status": "INVALID_ARGUMENT",
                    }
                },
            )
            return False
        return True

    def google_get(self, path, data):
        if not self.google_authorized(data):
            return
        if path.endswith("/languages"):
            self.answer(200, {"data": {"languages": [{"language": code} for code in LANGUAGES]}})
        else:
            self.answer(404, {"error": {"code": 404, "message": "Not found"}})

    def google_post(self, path, data):
        if not self.google_authorized(data):
            return
        texts = data.get("q") or []
        texts = [texts] if isinstance(texts, str) else texts
        if data.get("target") not in LANGUAGES:
            self.answer(
                400,
                {"error": {"code": 400, "message": "Invalid Value", "status": "INVALID_ARGUMENT"}},
            )
            return
        if not self.spend(texts):
            self.answer(
                403,
                {
                    "error": {
                        "code": 403,
                        "message": "User Rate Limit Exceeded",
                        "errors": [{"reason": "userRateLimitExceeded", "domain": "usageLimits"}],
                    }
                },
            )
            return
        translated = self.service.translate(texts, data["target"])
        self.answer(200, {"data": {"translations": [{"translatedText": t} for t in translated]}})

    # LibreTranslate: https://libretranslate.com/docs
    def libretranslate_get(self, path, data):
        if path == "/languages":
            self.answer(
                200,
                [
                    {"code": code, "name": code, "targets": [t for t in LANGUAGES if t != code]}
                    for code in LANGUAGES
                ],
            )
        else:
            self.answer(404, {"error": "Not Found"})

    def libretranslate_post(self, path, data):
        if path != "/translate":
            self.answer(404, {"error": "Not Found"})
            return
        if data.get("api_key") != self.service.key:
            self.answer(403, {"error": "Invalid API key"})
            return
        texts = data.get("q") or []
        single = isinstance(texts, str)
        texts = [texts] if single else texts
        if data.get("target") not in LANGUAGES or data.get("source") not in LANGUAGES:
            self.answer(400, {"error": f"{data.get('target')} is not supported"})
            return
        if not self.spend(texts):
            self.answer(429, {"error": "Too many request limits violations"})
            return
        translated = self.service.translate(texts, data["target"])
        self.answer(200, {"translatedText": translated[0] if single else translated})


def info(glossary):
    return {
        "glossary_id": glossary["id"],
        "name": glossary["name"],
        "ready": True,
        "source_lang": glossary["source_lang"].lower(),
        "target_lang": glossary["target_lang"].lower(),
        "creation_time": datetime.now(UTC).isoformat(),
        "entry_count": len(glossary["entries"]),
    }


class Server:
    """A service's stand-in running in a thread; `stop()` ends it."""

    def __init__(self, kind, key="good-key"):
        self.service = Service(kind, key)
        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.httpd.service = self.service
        host, port = self.httpd.server_address
        self.service.url = f"http://{host}:{port}"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    @property
    def url(self):
        return self.service.url

    def stop(self):
        self.httpd.shutdown()
        self.httpd.server_close()


def configure(settings, kind, server, *, key="good-key"):
    """Point the site's settings at `server` as service `kind`, with `key`."""
    settings.MACHINE_TRANSLATION = kind
    settings.MACHINE_TRANSLATION_TIMEOUT = 5.0
    if kind == "deepl":
        settings.DEEPL_AUTH_KEY = key
        settings.DEEPL_SERVER_URL = server.url
    elif kind == "google":
        settings.GOOGLE_TRANSLATE_API_KEY = key
        settings.GOOGLE_TRANSLATE_URL = server.url + "/language/translate/v2"
    elif kind == "libretranslate":
        settings.LIBRETRANSLATE_URL = server.url
        settings.LIBRETRANSLATE_API_KEY = key
