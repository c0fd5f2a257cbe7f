"""The term base at work: which terms a source text holds, and whether its translation
uses the approved terms and avoids the forbidden variants.

Terms are matched word by word, after folding case by each language's rules
(Turkish I/ı, İ/i) and dropping Hebrew points. Each language's grammar adds to
words, so a term's word also matches:

- Hebrew: the word with up to three of the prefix letters ו ה ב כ ל מ ש
  before it ("לחוויית", "הלקוח", "ושירות"), and after a prefix and a hyphen
  ("ה-CSM" holds "CSM"). Suffixes are not guessed (the defective spelling a
  guess would make, "חווית", is a forbidden variant): the construct state and
  plurals are the term's accepted forms.
- Turkish: the word with up to six more letters after it, when the term's word
  has at least four letters ("deneyim" finds "deneyimi", "deneyiminizin"),
  its last consonant softened before them ("destek" finds "desteği",
  "renk" "rengi"); shorter words and abbreviations match whole ("CS" is not
  found in "CSM"), and suffixes after an apostrophe are a word apart ("CX'i").
- English: the word with "s" or "es" after it.
- Any other language: the word itself.

The words of a multi-word term must follow one another with only white space,
a hyphen or a slash between them.

A line of a concept's terms is one term and, after a vertical bar, the forms
it is also accepted in: "חוויה | חוויית | חוויות". The first line's term is
the approved one. Pure functions, but for `load`.
"""

import re
import unicodedata
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from articles import languages
from articles.models import Concept
from articles.text.search import lower_for_language

HEBREW_PREFIXES = set("והבכלמש")
MAX_HEBREW_PREFIX = 3
TURKISH_SUFFIX_LETTERS = 6
TURKISH_STEM_MINIMUM = 4
ENGLISH_ENDINGS = ("", "s", "es")
# A word: letters and digits (Hebrew's geresh and gershayim belong inside words).
WORD = re.compile(r"[^\W_]+(?:[׳״][^\W_]*)*")
# Unicode's first-strong isolate and its end: a Hebrew term inside an English or
# Turkish message keeps its own direction, and the quotes around it stay put.
ISOLATE = "\u2068{}\u2069"
JOINERS = re.compile(r"[\s\-/־]*")
ARROW = re.compile(r"\s*(?:→|->)\s*")
FORMS = re.compile(r"\s*\|\s*")
# Turkish consonants that soften before a suffix starting with a vowel, as words
# are compared (folded: ğ read as g, ç as c, so ç → c needs no rule).
SOFTENED = {"k": "g", "p": "b", "t": "d"}


@dataclass
class Entry:
    """One concept as the checks use it: its terms per language, the approved one
    first, each term's accepted forms, and its forbidden variants per language as
    (variant, replacement) pairs. The note is written in `note_language`."""

    name: str
    note: str = ""
    terms: dict = field(default_factory=dict)
    forbidden: dict = field(default_factory=dict)
    # Per language, {term: [its other accepted forms]}.
    forms: dict = field(default_factory=dict)
    note_language: str = "en"

    def approved(self, language):
        terms = self.terms.get(language) or []
        return terms[0] if terms else ""

    def accepted(self, language):
        """Every term of `language` and every accepted form of each."""
        forms = self.forms.get(language) or {}
        return [
            form for term in self.terms.get(language) or [] for form in [term, *forms.get(term, [])]
        ]

    def forms_of(self, term, language):
        return (self.forms.get(language) or {}).get(term, [])


@dataclass
class Issue:
    """A problem a check found in a translated segment; `fixed` is the segment's text
    with it corrected, when that can be done without a translator."""

    code: str
    message: str
    fixed: str | None = None


@dataclass
class Match:
    """Where a term's words stand in a text: each word's (start, end, prefix length)."""

    words: list

    @property
    def start(self):
        return self.words[0][0] + self.words[0][2]

    @property
    def end(self):
        return self.words[-1][1]


def lines(text):
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


def entry_for(concept):
    """An Entry from a Concept (articles.models), its terms read in every language."""
    terms, forms, forbidden = {}, {}, {}
    for code in languages.CODES:
        terms[code], forms[code] = [], {}
        for line in lines(getattr(concept, languages.localized("terms", code))):
            term, *others = [form for form in FORMS.split(line) if form]
            terms[code].append(term)
            forms[code][term] = others
        forbidden[code] = []
        for line in lines(getattr(concept, languages.localized("forbidden", code))):
            parts = ARROW.split(line, maxsplit=1)
            variant = parts[0]
            replacement = parts[1] if len(parts) > 1 else (terms[code][:1] or [""])[0]
            forbidden[code].append((variant, replacement))
    return Entry(
        name=str(concept),
        note=concept.note,
        terms=terms,
        forbidden=forbidden,
        forms=forms,
        note_language=concept.note_language,
    )


def load():
    """The term base's entries, read from the database."""
    return [entry_for(concept) for concept in Concept.objects.all()]


def fold(word, language):
    word = unicodedata.normalize("NFD", lower_for_language(word, language=language))
    return unicodedata.normalize(
        "NFC", "".join(char for char in word if unicodedata.category(char) != "Mn")
    )


def prefix_length(term_word, word, language):
    """How many letters of `word` come before `term_word` in it (a Hebrew prefix), or
    None when `word` is not a form of `term_word` in `language`."""
    if word == term_word:
        return 0
    if language == "he":
        extra = len(word) - len(term_word)
        if 0 < extra <= MAX_HEBREW_PREFIX and word.endswith(term_word):
            if set(word[:extra]) <= HEBREW_PREFIXES:
                return extra
        return None
    if language in ("tr", "az"):
        if (
            len(term_word) < TURKISH_STEM_MINIMUM
            or len(word) - len(term_word) > TURKISH_SUFFIX_LETTERS
        ):
            return None
        if word.startswith(term_word):
            return 0
        soft = SOFTENED.get(term_word[-1])
        if soft and len(word) > len(term_word) and word.startswith(term_word[:-1] + soft):
            return 0
        return None
    if language == "en" and any(word == term_word + ending for ending in ENGLISH_ENDINGS):
        return 0
    return None


def find(term, text, language):
    """Every place `term` stands in `text`, as Matches."""
    term_words = [fold(word, language) for word in WORD.findall(term)]
    if not term_words:
        return []
    words = [(m.start(), m.end(), fold(m.group(), language)) for m in WORD.finditer(text)]
    found = []
    for first in range(len(words) - len(term_words) + 1):
        matched = []
        for offset, term_word in enumerate(term_words):
            start, end, word = words[first + offset]
            if offset and not JOINERS.fullmatch(text[words[first + offset - 1][1] : start]):
                break
            prefix = prefix_length(term_word, word, language)
            if prefix is None:
                break
            matched.append((start, end, prefix))
        else:
            found.append(Match(matched))
    return found


def contains(text, forms, language):
    return any(find(form, text, language) for form in forms)


def terms_in(text, language, entries):
    """The entries whose terms `text` (in `language`) holds, with the form found."""
    found = []
    for entry in entries:
        forms = entry.accepted(language)
        if form := next((form for form in forms if find(form, text, language)), None):
            found.append((entry, form))
    return found


def replace(text, variant, replacement, language):
    """`text` with every `variant` replaced by `replacement`, each word keeping the
    prefix it had (Hebrew "לחווית" → "לחוויית") when both have as many words."""
    matches = find(variant, text, language)
    if not matches:
        return text
    new_words = WORD.findall(replacement)
    pieces, position = [], 0
    for match in matches:
        if len(new_words) == len(match.words):
            for (start, end, prefix), new_word in zip(match.words, new_words, strict=True):
                pieces.append(text[position : start + prefix])
                pieces.append(new_word)
                position = end
        else:
            pieces.append(text[position : match.start])
            pieces.append(replacement)
            position = match.end
    pieces.append(text[position:])
    return "".join(pieces)


def check(source, target, target_language, entries, *, source_language):
    """Term problems in `target`, the translation of `source` (in `source_language`)."""
    if not target:
        return []
    issues = []
    for entry, form in terms_in(source, source_language, entries):
        accepted = entry.accepted(target_language)
        # A forbidden variant in its place is one problem, told once, with its fix.
        if any(
            find(variant, target, target_language)
            for variant, _replacement in entry.forbidden.get(target_language, [])
        ):
            continue
        if accepted and not contains(target, accepted, target_language):
            issues.append(
                Issue(
                    "term_missing",
                    _("The term base has “%(approved)s” for “%(source)s”: not found here.")
                    % {"source": ISOLATE.format(form), "approved": ISOLATE.format(accepted[0])},
                )
            )
    for entry in entries:
        for variant, replacement in entry.forbidden.get(target_language, []):
            if not find(variant, target, target_language):
                continue
            fixed = replace(target, variant, replacement, target_language) if replacement else None
            if replacement:
                message = _("“%(variant)s” is a forbidden variant: write “%(term)s”.") % {
                    "variant": ISOLATE.format(variant),
                    "term": ISOLATE.format(replacement),
                }
            else:
                message = _("“%(variant)s” is a forbidden variant.") % {
                    "variant": ISOLATE.format(variant)
                }
            issues.append(Issue("term_forbidden", message, fixed))
    return issues
