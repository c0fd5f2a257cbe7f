"""LibreTranslate (self-hosted or a provider's) over HTTP.

LIBRETRANSLATE_URL is the server's address, LIBRETRANSLATE_API_KEY its key
when it asks for one. Texts go as HTML, so the codes of inline markup come
back as they went. LibreTranslate has no glossaries.
"""

from django.conf import settings

from . import MachineTranslationError
from .http import call


def kinds(status, answer):
    if status == 403:
        return "key"
    if status == 429:
        return "quota"
    if status == 400 and "language" in str(answer.get("error", "")).lower():
        return "language"
    return "unavailable"


class Backend:
    name = "LibreTranslate"
    supports_markup = True

    def url(self, path):
        return settings.LIBRETRANSLATE_URL.rstrip("/") + path

    def can_translate(self, source, target):
        if not settings.LIBRETRANSLATE_URL:
            return False
        try:
            answer = call(self.url("/languages"), kinds=kinds)
        except MachineTranslationError:
            return False
        targets = {language["code"]: language.get("targets", []) for language in answer}
        return source in targets and target in targets[source]

    def translate(self, texts, source, target):
        if not settings.LIBRETRANSLATE_URL:
            raise MachineTranslationError("unavailable", "LIBRETRANSLATE_URL is not set")
        payload = {"q": texts, "source": source, "target": target, "format": "html"}
        if settings.LIBRETRANSLATE_API_KEY:
            payload["api_key"] = settings.LIBRETRANSLATE_API_KEY
        answer = call(self.url("/translate"), payload=payload, kinds=kinds)
        translated = answer.get("translatedText")
        return translated if isinstance(translated, list) else [translated]
