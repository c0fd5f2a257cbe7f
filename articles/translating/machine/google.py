"""Google Cloud Translation (the v2 "basic" REST API) over HTTP, with an API key.

GOOGLE_TRANSLATE_API_KEY is the key; GOOGLE_TRANSLATE_URL the API's address
(https://translation.googleapis.com/language/translate/v2 by default). Texts
go as HTML, so the codes of inline markup come back as they went. Google's
glossaries belong to the v3 ("advanced") API and a Cloud project, not to a
key: the term base is not sent, and the checks flag what it got wrong.
"""

from urllib.parse import urlencode

from django.conf import settings

from . import MachineTranslationError
from .http import call

# Google's reasons for a 403 that mean a limit, not a refused key.
QUOTA_REASONS = {
    "dailyLimitExceeded",
    "userRateLimitExceeded",
    "rateLimitExceeded",
    "quotaExceeded",
}


def kinds(status, answer):
    error = answer.get("error") or {}
    reasons = {item.get("reason") for item in error.get("errors") or []}
    if status == 429 or reasons & QUOTA_REASONS or error.get("status") == "RESOURCE_EXHAUSTED":
        return "quota"
    if status in (401, 403) or "API key not valid" in str(error.get("message", "")):
        return "key"
    if status == 400 and "language" in str(error.get("message", "")).lower():
        return "language"
    return "unavailable"


class Backend:
    name = "Google Cloud Translation"
    supports_markup = True

    def url(self, path="", **query):
        base = settings.GOOGLE_TRANSLATE_URL.rstrip("/")
        return f"{base}{path}?{urlencode({'key': settings.GOOGLE_TRANSLATE_API_KEY, **query})}"

    def can_translate(self, source, target):
        if not settings.GOOGLE_TRANSLATE_API_KEY:
            return False
        try:
            answer = call(self.url("/languages"), kinds=kinds)
        except MachineTranslationError:
            return False
        codes = {language["language"] for language in answer["data"]["languages"]}
        return source in codes and target in codes

    def translate(self, texts, source, target):
        if not settings.GOOGLE_TRANSLATE_API_KEY:
            raise MachineTranslationError("key", "GOOGLE_TRANSLATE_API_KEY is not set")
        answer = call(
            self.url(),
            payload={"q": texts, "source": source, "target": target, "format": "html"},
            kinds=kinds,
        )
        return [item["translatedText"] for item in answer["data"]["translations"]]
