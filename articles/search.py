"""Search: a normalized copy of each language's text, matched with `contains`.

Pure functions: text in, text out.
"""

import re
import unicodedata

from .rendering import html_to_text

# Turkish and Azerbaijani pair dotless ı with I and dotted i with İ.
DOTTED_I_LANGUAGES = {"tr", "az"}
DOTTED_I_LOWER = str.maketrans({"I": "ı", "İ": "i"})
# Readers often type Turkish without a Turkish keyboard, and Hebrew with an
# apostrophe for a geresh: "isik" finds "ışık", "צ'רדסון" finds "צ׳רדסון".
SEARCH_FOLDS = str.maketrans({"ı": "i", "'": None, "’": None, "׳": None, "״": None, '"': None})


def lower_for_language(text, *, language):
    """`text` in lower case by the rules of `language` (Turkish: I → ı, İ → i)."""
    if language in DOTTED_I_LANGUAGES:
        text = text.translate(DOTTED_I_LOWER)
    return text.lower()


def normalize_for_search(text, *, language):
    """The form of `text` that search matches on.

    Lower case by the language's rules, then without accents or cedillas,
    dotless ı read as i, without Hebrew points (niqqud), cantillation or
    apostrophes; letters and digits only, words separated by single spaces.
    Apply it to both the stored text and the query.
    """
    text = unicodedata.normalize("NFKD", lower_for_language(text, language=language))
    text = "".join(char for char in text if unicodedata.category(char) != "Mn")
    return " ".join(re.findall(r"[^\W_]+", text.translate(SEARCH_FOLDS)))


def search_document(*, title, lede, body_html, language):
    """The normalized text an article is found by in `language`: its title, lede and
    the words of its rendered body."""
    text = "\n".join([title, lede, html_to_text(body_html)])
    return normalize_for_search(text, language=language)
