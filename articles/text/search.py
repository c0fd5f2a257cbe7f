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
# Hebrew final letters are the same letters: ך כ, ם מ, ן נ, ף פ, ץ צ.
SEARCH_FOLDS = str.maketrans(
    {"ı": "i", "'": None, "’": None, "׳": None, "״": None, '"': None}
    | dict(zip(map(ord, "ךםןףץ"), "כמנפצ", strict=True))
)
HEBREW_WORD = re.compile("[\u05d0-\u05ea]{3,}")
# Full spelling (ktiv male) writes vowels as ו and י, and a consonant ו or י
# doubled: "חוויית", "תוכנית", "מהכול" are "חווית", "תכנית", "מהכל" in
# defective spelling (ktiv haser). A doubled letter is one, and a single ו or
# י between two other letters inside a word is left out: both spellings fold
# to "חוית", "תכנת", "מהכל".
HEBREW_DOUBLED_VOWEL_LETTER = re.compile("([וי])\\1+")
HEBREW_VOWEL_LETTER = re.compile("(?<=[\u05d0-\u05ea])(?<![וי])[וי](?![וי])(?=[\u05d0-\u05ea])")
# Letters written onto the next word ("and", "in", "the", …): "בירושלים" is
# "ירושלים" with ב. Folding drops the י of the first and keeps that of the
# second, so a document also holds its words without up to two of these.
HEBREW_PREFIXES = "בהוכלמש"


def lower_for_language(text, *, language):
    """`text` in lower case by the rules of `language` (Turkish: I → ı, İ → i)."""
    if language in DOTTED_I_LANGUAGES:
        text = text.translate(DOTTED_I_LOWER)
    return text.lower()


def fold_hebrew_spelling(word):
    """A Hebrew `word` (without points or final letters) as full and defective
    spelling both write it."""
    return HEBREW_VOWEL_LETTER.sub("", HEBREW_DOUBLED_VOWEL_LETTER.sub(r"\1", word))


def _hebrew_forms(word, *, without_prefixes):
    forms = [fold_hebrew_spelling(word)]
    rest = word
    while without_prefixes and len(forms) < 3 and rest[0] in HEBREW_PREFIXES and len(rest) > 3:
        rest = rest[1:]
        forms.append(fold_hebrew_spelling(rest))
    return " ".join(dict.fromkeys(forms))


def normalize_for_search(text, *, language, without_prefixes=False):
    """The form of `text` that search matches on.

    Lower case by the language's rules, then without accents or cedillas,
    dotless ı read as i, without Hebrew points (niqqud), cantillation or
    apostrophes, with Hebrew final letters and full or defective spelling folded
    (`fold_hebrew_spelling`); letters and digits only, words separated by
    single spaces. Apply it to both the stored text and the query; the stored
    text (`without_prefixes`) also holds each Hebrew word without the prefix
    letters it may start with.
    """
    text = unicodedata.normalize("NFKD", lower_for_language(text, language=language))
    text = "".join(char for char in text if unicodedata.category(char) != "Mn")
    text = text.translate(SEARCH_FOLDS)
    text = HEBREW_WORD.sub(
        lambda word: _hebrew_forms(word.group(), without_prefixes=without_prefixes), text
    )
    return " ".join(re.findall(r"[^\W_]+", text))


def search_document(*, title, lede, body_html, language):
    """The normalized text an article is found by in `language`: its title, lede and
    the words of its rendered body."""
    text = "\n".join([title, lede, html_to_text(body_html)])
    return normalize_for_search(text, language=language, without_prefixes=True)
