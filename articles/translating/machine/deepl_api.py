"""DeepL, through its official client (the `deepl` package), with the term base sent
as a DeepL glossary.

The key is DEEPL_AUTH_KEY; the client picks DeepL's free or paid address by
the key, unless DEEPL_SERVER_URL names another. A glossary is made for a
language pair from the term base (each source term and accepted form → the
approved target term) the first time it is needed and named by a digest of
its entries, so a changed term base makes a new one and the old one is
deleted; pairs DeepL has no glossaries for are translated without.
"""

import hashlib

import deepl
from deepl import http_client
from django.conf import settings

from articles.translating import terms

from . import MachineTranslationError

# DeepL's codes for ours where they differ: English as a target needs a variant.
TARGET_CODES = {"en": "EN-US", "pt": "PT-PT"}
GLOSSARY_PREFIX = "cxcs "


def source_code(language):
    return language.upper()


def target_code(language):
    return TARGET_CODES.get(language, language.upper())


def failure(error):
    """Our MachineTranslationError for a DeepL client's exception."""
    if isinstance(error, deepl.QuotaExceededException):
        return MachineTranslationError("quota", str(error))
    if isinstance(error, deepl.AuthorizationException):
        return MachineTranslationError("key", str(error))
    if isinstance(error, deepl.ConnectionException) and "timed out" in str(error).lower():
        return MachineTranslationError("timeout", str(error))
    if isinstance(error, deepl.TooManyRequestsException):
        return MachineTranslationError("quota", str(error))
    return MachineTranslationError("unavailable", str(error))


def glossary_entries(source, target, entries):
    """{source term or form: approved target term} for each concept having both."""
    found = {}
    for entry in entries:
        approved = entry.approved(target)
        if not approved:
            continue
        for form in entry.accepted(source):
            found.setdefault(form, approved)
    return found


class Backend:
    name = "DeepL"
    supports_markup = True

    def __init__(self):
        # One try, and no longer than the site waits: a slow service must not
        # hold an editor's page for the client's minutes of retries.
        http_client.max_network_retries = 0
        http_client.min_connection_timeout = settings.MACHINE_TRANSLATION_TIMEOUT
        self.client = deepl.Translator(
            settings.DEEPL_AUTH_KEY or "-", server_url=settings.DEEPL_SERVER_URL or None
        )

    def can_translate(self, source, target):
        if not settings.DEEPL_AUTH_KEY:
            return False
        try:
            sources = {language.code.upper() for language in self.client.get_source_languages()}
            targets = {language.code.upper() for language in self.client.get_target_languages()}
        except deepl.DeepLException:
            return False
        return source_code(source) in sources and target_code(target) in targets

    def glossary(self, source, target):
        """The glossary of the term base for this pair, made if needed; None without one."""
        wanted = glossary_entries(source, target, terms.load())
        if not wanted:
            return None
        pairs = {
            (pair.source_lang.upper(), pair.target_lang.upper())
            for pair in self.client.get_glossary_languages()
        }
        if (source.upper(), target.upper()) not in pairs:
            return None
        digest = hashlib.sha1(repr(sorted(wanted.items())).encode()).hexdigest()[:12]
        name = f"{GLOSSARY_PREFIX}{source}-{target} {digest}"
        found = None
        for glossary in self.client.list_glossaries():
            if not glossary.name.startswith(f"{GLOSSARY_PREFIX}{source}-{target} "):
                continue
            if glossary.name == name and found is None:
                found = glossary
            else:
                self.client.delete_glossary(glossary)
        return found or self.client.create_glossary(name, source.upper(), target.upper(), wanted)

    def translate(self, texts, source, target):
        if not settings.DEEPL_AUTH_KEY:
            raise MachineTranslationError("key", "DEEPL_AUTH_KEY is not set")
        try:
            results = self.client.translate_text(
                texts,
                source_lang=source_code(source),
                target_lang=target_code(target),
                glossary=self.glossary(source, target),
                tag_handling="xml",
                ignore_tags=["x"],
            )
        except deepl.DeepLException as error:
            raise failure(error) from error
        return [result.text for result in results]
