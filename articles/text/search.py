"""Search: the words an article is found by, the words a reader asked for, and the
excerpt that shows where they matched.

Both sides go through the same steps, so whatever the database (SQLite's FTS5,
PostgreSQL's text search) only has to compare tokens: a word becomes a token
in the language's casing, stemmed where Snowball has a stemmer for the
language (Turkish, English: "deneyimlerimiz" and "deneyim" are one token),
without accents, points or apostrophes; a Hebrew word also gives its forms
without the prefix letters it may start with ("וללקוחות", "ללקוחות" and
"לקוחות" share "לקחת").

Pure functions: text in, text out.
"""

import functools
import re
import threading
import unicodedata
from dataclasses import dataclass

import snowballstemmer
from django.conf.locale import LANG_INFO
from django.utils.html import escape
from django.utils.safestring import mark_safe

from .rendering import html_to_text

# Turkish and Azerbaijani pair dotless ı with I and dotted i with İ.
DOTTED_I_LANGUAGES = {"tr", "az"}
DOTTED_I_LOWER = str.maketrans({"I": "ı", "İ": "i"})
# Readers often type Hebrew with an apostrophe for a geresh ("צ'רדסון" for
# "צ׳רדסון") and a double quote for gershayim; Turkish writes an apostrophe
# between a name and its ending ("İstanbul'da"). A word is read without them.
APOSTROPHES = str.maketrans({"'": None, "’": None, "׳": None, "״": None, '"': None})
# Readers often type Turkish without a Turkish keyboard: "isik" finds "ışık".
DOTLESS_I = str.maketrans({"ı": "i"})
# Hebrew final letters are the same letters: ך כ, ם מ, ן נ, ף פ, ץ צ.
HEBREW_FINALS = str.maketrans(dict(zip(map(ord, "ךםןףץ"), "כמנפצ", strict=True)))
HEBREW_LETTERS = re.compile("[\u05d0-\u05ea]+")
# Full spelling (ktiv male) writes vowels as ו and י, and a consonant ו or י
# doubled: "חוויית", "תוכנית", "מהכול" are "חווית", "תכנית", "מהכל" in
# defective spelling (ktiv haser). A doubled letter is one, and a single ו or
# י between two other letters inside a word is left out: both spellings fold
# to "חוית", "תכנת", "מהכל".
HEBREW_DOUBLED_VOWEL_LETTER = re.compile("([וי])\\1+")
HEBREW_VOWEL_LETTER = re.compile("(?<=[\u05d0-\u05ea])(?<![וי])[וי](?![וי])(?=[\u05d0-\u05ea])")
# Letters written onto the next word: ו "and", ש "that", כש "when", מש "since",
# לכש "once", then one of ב "in", כ "as", ל "to", מ "from", then ה "the", in that
# order ("וכשהלקוח", "ומהמוצר", "שבבית"). Whatever a word starts with that reads
# so is tried off it, as long as three letters remain.
HEBREW_PREFIX = re.compile("ו?(?:ש|כש|מש|לכש)?[בכלמ]?ה?")
HEBREW_SHORTEST_WORD = 3
# A word, as the text writes it: letters and digits, with the points and accents
# on them and the apostrophes inside it.
TEXT_WORD = re.compile(
    r"(?:[^\W_]|[\u0300-\u036f\u0591-\u05c7])+(?:['’׳״\"](?:[^\W_]|[\u0300-\u036f\u0591-\u05c7])+)*"
)
# What a token is made of; anything else separates two words.
TOKEN_CHARACTERS = re.compile(r"[^\W_]+")
# Longer "words" (a pasted hash, a line of letters) are not words anyone searches for.
LONGEST_WORD = 60
# A stem shorter than this is the stemmer cutting too deep ("deneyim" → "de");
# the word is then its own token.
SHORTEST_STEM = 3
# A query's first words count, the rest are left out: each costs the index a pass.
MOST_QUERY_WORDS = 16
# Quotation marks around a phrase: opening and closing a phrase only where they
# stand outside a word (a double quote inside a Hebrew word is gershayim).
QUOTED = re.compile(r'(?<![^\W_])["“”„«»]([^"“”„«»]*)["“”„«»](?![^\W_])')
# Inline elements are part of the words around them ("**Zendesk**'in"): taken out
# of a body without leaving a space, where other tags leave one.
INLINE_TAG = re.compile(
    r"</?(?:a|abbr|b|bdi|bdo|cite|code|del|em|i|ins|kbd|mark|q|s|samp|small|span|strong"
    r"|sub|sup|u|var)\b[^>]*>",
    re.IGNORECASE,
)
EXCERPT_WORDS = 30
# An excerpt is looked for in the first characters of a text: a long article's
# words are found all the same, its excerpt may then be its start.
EXCERPT_READS = 20_000


def lower_for_language(text, *, language):
    """`text` in lower case by the rules of `language` (Turkish: I → ı, İ → i)."""
    if language in DOTTED_I_LANGUAGES:
        text = text.translate(DOTTED_I_LOWER)
    return text.lower()


def fold_hebrew_spelling(word):
    """A Hebrew `word` (without points or final letters) as full and defective
    spelling both write it."""
    return HEBREW_VOWEL_LETTER.sub("", HEBREW_DOUBLED_VOWEL_LETTER.sub(r"\1", word))


def words(text, *, language):
    """The words of `text`, in lower case by `language`'s rules, without points,
    accents' combining marks, or apostrophes."""
    text = unicodedata.normalize("NFC", lower_for_language(text, language=language))
    text = "".join(char for char in text if unicodedata.category(char) != "Mn")
    return TOKEN_CHARACTERS.findall(text.translate(APOSTROPHES))


def _without_accents(word):
    decomposed = unicodedata.normalize("NFKD", word)
    return "".join(char for char in decomposed if not unicodedata.combining(char)).translate(
        DOTLESS_I
    )


_stemmers = threading.local()
# Stemmers that change only the end of a word ("ekibi" → "ekip"): a word whose
# stem is a token then begins with that token but for its last letters.
# Others (Snowball's Arabic takes off "ال") may change any part.
SUFFIX_STEMMERS = {"english", "turkish"}


def _stemmer_name(language):
    name = LANG_INFO.get(language, {}).get("name", "").lower()
    return name if name in snowballstemmer.algorithms() else None


def _stemmer(language):
    """Snowball's stemmer for `language`, or None; one per thread, as they keep state."""
    name = _stemmer_name(language)
    if name is None:
        return None
    cache = _stemmers.__dict__
    if name not in cache:
        cache[name] = snowballstemmer.stemmer(name)
    return cache[name]


@functools.lru_cache(maxsize=65536)
def _stem(word, language):
    """`word` stemmed until the stemmer changes it no more, but never shorter than
    SHORTEST_STEM letters: Snowball's Turkish stems "müşteriler" to "müşteri" and
    that to "müşter", as it does "müşteri" itself."""
    stemmer = _stemmer(language)
    while stemmer is not None:
        stem = stemmer.stemWord(word)
        if stem == word or len(stem) < SHORTEST_STEM:
            break
        word = stem
    return word


@functools.lru_cache(maxsize=65536)
def word_forms(word, *, language):
    """The tokens of one `word` (from `words`): the token the word is, then, for a
    Hebrew word, the tokens of its forms without the prefixes it may start with.
    Empty for a word too long to be one."""
    if len(word) > LONGEST_WORD:
        return ()
    if not HEBREW_LETTERS.fullmatch(word):
        return (_without_accents(_stem(word, language)),)
    word = word.translate(HEBREW_FINALS)
    forms = [fold_hebrew_spelling(word)]
    for length in range(1, len(word) - HEBREW_SHORTEST_WORD + 1):
        if HEBREW_PREFIX.fullmatch(word[:length]):
            forms.append(fold_hebrew_spelling(word[length:]))
    return tuple(dict.fromkeys(forms))


def normalize_for_search(text, *, language):
    """The tokens `text` is matched by, separated by single spaces: empty when it has
    no word to search for."""
    tokens = (word_forms(word, language=language) for word in words(text, language=language))
    return " ".join(forms[0] for forms in tokens if forms)


def index_text(text, *, language):
    """What the index holds for one field of an article: the token of each word in
    the order of the text (so that phrases match), then the other forms of its
    Hebrew words."""
    tokens, others = [], []
    for word in words(text, language=language):
        forms = word_forms(word, language=language)
        if forms:
            tokens.append(forms[0])
            others.extend(forms[1:])
    return " ".join([*tokens, *dict.fromkeys(others)])


def body_text(body_html):
    """The text of a rendered body, as search reads it and shows it."""
    return html_to_text(INLINE_TAG.sub("", body_html))


def search_fields(*, title, lede, body_html, language):
    """The indexed text of an article in `language`: its title, lede and the words of
    its rendered body, each by `index_text`."""
    return {
        "title": index_text(title, language=language),
        "lede": index_text(lede, language=language),
        "body": index_text(body_text(body_html), language=language),
    }


@dataclass(frozen=True)
class Term:
    """What one part of a query asks for: a word in any of its `forms`, or, for a
    quoted phrase, its `phrase` tokens one after another."""

    forms: tuple = ()
    phrase: tuple = ()


@dataclass(frozen=True)
class Query:
    """A reader's query in `language`: articles must hold every one of its `terms`."""

    terms: tuple
    language: str

    def __bool__(self):
        return bool(self.terms)

    @functools.cached_property
    def beginnings(self):
        """What a word of a text that stems to one of the query's tokens begins with,
        so that finding the query's words in a text stems only a few of its words;
        None where the language's stemmer may change more than a word's end."""
        if _stemmer_name(self.language) not in (*SUFFIX_STEMMERS, None):
            return None
        return tuple(
            token[: max(1, len(token) - 2)]
            for term in self.terms
            for token in term.forms + term.phrase
        )

    @functools.cached_property
    def matched_words(self):
        """What each word of a text (as TEXT_WORD finds it) matched, as far as looked
        up: the words of a page of results are read once."""
        return {}

    def could_match(self, word, plain):
        """Whether `word` (from `words`; `plain`, without accents) may have a token of
        the query."""
        return (
            self.beginnings is None
            or plain.startswith(self.beginnings)
            or bool(HEBREW_LETTERS.fullmatch(word))
        )


def parse_query(text, *, language):
    """The Query a reader typed in `language`.

    Every word must match, in any of its forms (`word_forms`); words in quotation
    marks must stand together in that order, each as it is written (stemmed,
    for Turkish, but no Hebrew prefix taken off). Anything else a search engine
    may read as an operator (`NEAR`, `*`, `-`, `^`, `:`, parentheses, a quote
    left open) is read as text, so it is a word or nothing.
    """
    terms = []
    for match in QUOTED.finditer(text):
        tokens = tuple(
            forms[0]
            for word in words(match.group(1), language=language)
            if (forms := word_forms(word, language=language))
        )
        if tokens:
            terms.append(Term(phrase=tokens) if len(tokens) > 1 else Term(forms=tokens))
    for word in words(QUOTED.sub(" ", text), language=language):
        if forms := word_forms(word, language=language):
            terms.append(Term(forms=forms))
    return Query(tuple(dict.fromkeys(terms))[:MOST_QUERY_WORDS], language)


@functools.lru_cache(maxsize=65536)
def _read(text_word, language):
    """The words of a word of a text (as TEXT_WORD finds it), each with its letters
    without accents: what `could_match` and `word_forms` need, once per word."""
    return tuple((word, _without_accents(word)) for word in words(text_word, language=language))


def _word_matches(text_word, query):
    """The terms of `query` a word of a text (as TEXT_WORD finds it) matches."""
    tokens = set()
    for word, plain in _read(text_word, query.language):
        if query.could_match(word, plain):
            tokens.update(word_forms(word, language=query.language))
    if not tokens:
        return frozenset()
    return frozenset(term for term in query.terms if tokens.intersection(term.forms + term.phrase))


def _found_in(text, query):
    """Each word of `text` (a TEXT_WORD match) with the terms of `query` it matches,
    one after the other."""
    seen = query.matched_words
    for match in TEXT_WORD.finditer(text):
        word = match.group()
        if word not in seen:
            seen[word] = _word_matches(word, query)
        yield match, seen[word]


def _marked(text, spans):
    """`text` escaped, with each (start, end) of `spans` in <mark>."""
    pieces, done = [], 0
    for start, end in spans:
        pieces += [escape(text[done:start]), "<mark>", escape(text[start:end]), "</mark>"]
        done = end
    pieces.append(escape(text[done:]))
    return mark_safe("".join(pieces))


def highlight(text, query):
    """`text` escaped as HTML, with the words that match `query` in <mark>."""
    return _marked(text, [match.span() for match, terms in _found_in(text, query) if terms])


def _best_window(text, query, size):
    """The words of `text` read up to its best window, and that window's first word
    and terms: the `size` words that match the most terms of `query`, starting a
    few words before a match (or earlier, so as to show `size` words). The
    earliest wins a tie, so reading stops at a window with every term."""
    found, waiting = [], []
    best, best_terms = 0, frozenset()

    def weigh(start):
        nonlocal best, best_terms
        covered = frozenset().union(*(terms for _match, terms in found[start : start + size]))
        if len(covered) > len(best_terms):
            best, best_terms = start, covered

    for match, terms in _found_in(text, query):
        found.append((match, terms))
        if terms:
            waiting.append(max(0, len(found) - 4))
        while waiting and len(found) >= waiting[0] + size:
            weigh(waiting.pop(0))
        if len(best_terms) == len(query.terms):
            return found, best, best_terms
    for start in waiting:
        weigh(max(0, min(start, len(found) - size)))
    return found, best, best_terms


def excerpt(texts, query, *, size=EXCERPT_WORDS):
    """A passage of about `size` words from one of `texts` (the lede, the body's
    words; the first EXCERPT_READS characters of each) where the most words of
    `query` match, escaped as HTML with those words in <mark> and "…" where it
    cuts the text; the start of the first text when none matches. Empty without
    text. A text is read only as far as needed: not at all after one with
    every word."""
    choice = None
    for text in texts:
        text = " ".join(text[:EXCERPT_READS].split())
        found, start, terms = _best_window(text, query, size)
        if found and (choice is None or len(terms) > len(choice[3])):
            choice = (text, found, start, terms)
        if choice and len(choice[3]) == len(query.terms):
            break
    if choice is None:
        return ""
    text, found, start, _terms = choice
    shown = found[start : start + size]
    begin = 0 if start == 0 else shown[0][0].start()
    end = shown[-1][0].end()
    if not TEXT_WORD.search(text, end):
        end = len(text)
    spans = [(match.start() - begin, match.end() - begin) for match, terms in shown if terms]
    passage = _marked(text[begin:end], spans)
    return mark_safe(("…" if begin else "") + passage + ("…" if end < len(text) else ""))
