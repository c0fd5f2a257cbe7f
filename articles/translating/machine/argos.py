"""Argos Translate, offline, when the `argostranslate` package is installed (it is
optional: the site runs without it) and a model for the pair has been
installed from a local file (`manage.py install_argos_model FILE.argosmodel`).
Argos translates plain text only, so it is given no text holding codes of
inline markup (supports_markup).
"""

import importlib.util

from . import MachineTranslationError


def installed():
    return importlib.util.find_spec("argostranslate") is not None


def install_model(path):
    """Install the Argos model in the file at `path`."""
    if not installed():
        raise MachineTranslationError("unavailable", "argostranslate is not installed")
    from argostranslate import package  # optional: imported only when installed

    package.install_from_path(str(path))


class Backend:
    name = "Argos Translate"
    supports_markup = False

    def translation(self, source, target):
        if not installed():
            return None
        from argostranslate import translate  # optional: imported only when installed

        return translate.get_translation_from_codes(source, target)

    def can_translate(self, source, target):
        try:
            return self.translation(source, target) is not None
        except Exception:  # noqa: BLE001 - any failure of a local model means "cannot"
            return False

    def translate(self, texts, source, target):
        translation = self.translation(source, target)
        if translation is None:
            raise MachineTranslationError("language", f"no Argos model for {source}-{target}")
        return [translation.translate(text) for text in texts]
