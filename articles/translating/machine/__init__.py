"""Machine translation behind one interface, whichever service does it:

    translate(texts, source, target) -> the texts translated, in order
    can_translate(source, target)    -> whether the configured service can

The service is chosen in settings (MACHINE_TRANSLATION: "deepl", "google",
"libretranslate", "argos", or empty for none), its key and address from the
environment (.env.example). Each backend is a module here with a `Backend`
class; `backend()` gives the configured one, or None. Texts may hold inline
markup as XML codes (articles.translating.inline.protect): DeepL, Google and
LibreTranslate keep them; Argos, which cannot, is given only texts without
codes.

Every failure is a MachineTranslationError whose `kind` says what went wrong
("quota", "key", "timeout", "language", "unavailable") and whose message an
editor can read.
"""

import importlib

from django.conf import settings
from django.core.cache import cache
from django.utils.translation import gettext_lazy as _

BACKENDS = {
    "deepl": "articles.translating.machine.deepl_api",
    "google": "articles.translating.machine.google",
    "libretranslate": "articles.translating.machine.libretranslate",
    "argos": "articles.translating.machine.argos",
}

MESSAGES = {
    "quota": _("The machine translation service's quota is used up."),
    "key": _("The machine translation service refused the key it was given."),
    "timeout": _("The machine translation service did not answer in time."),
    "language": _("The machine translation service cannot translate between these languages."),
    "unavailable": _("The machine translation service could not be reached."),
    "none": _("No machine translation service is configured."),
}


class MachineTranslationError(Exception):
    def __init__(self, kind, detail=""):
        super().__init__(f"{kind}: {detail}" if detail else kind)
        self.kind = kind
        self.detail = detail

    @property
    def message(self):
        return str(MESSAGES.get(self.kind, MESSAGES["unavailable"]))


def backend():
    """The configured backend, or None when no service is configured."""
    name = getattr(settings, "MACHINE_TRANSLATION", "")
    if not name:
        return None
    return importlib.import_module(BACKENDS[name]).Backend()


def can_translate(source, target):
    """Whether the configured service translates `source` into `target`. Its answer
    is kept an hour (a refusal five minutes): pages asking need not wait on it."""
    service = backend()
    if service is None:
        return False
    key = f"machine-translation:{settings.MACHINE_TRANSLATION}:{source}:{target}"
    known = cache.get(key)
    if known is None:
        known = bool(service.can_translate(source, target))
        cache.set(key, known, 3600 if known else 300)
    return known


def translate(texts, source, target):
    """`texts` translated from `source` into `target` by the configured service."""
    service = backend()
    if service is None:
        raise MachineTranslationError("none")
    texts = list(texts)
    if not texts:
        return []
    translated = service.translate(texts, source, target)
    if len(translated) != len(texts):
        raise MachineTranslationError("unavailable", "answered a different number of texts")
    return translated
