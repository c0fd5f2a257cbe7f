"""The term base: terms found in the source, approved terms and forbidden variants checked."""

import polib
import pytest
from django.conf import settings

from articles.languages import localized
from articles.launch import loader as launch_content
from articles.launch.loader import load_launch_content
from articles.models import Article, Author, Brand, Concept, Topic, TourPage
from articles.text.segments import article_segments
from articles.translating import terms
from marketing.models import Variant

EXPERIENCE = terms.Entry(
    "experience",
    terms={"tr": ["deneyim"], "he": ["חוויה"], "en": ["experience"]},
    forms={"he": {"חוויה": ["חוויית", "חוויות"]}},
    forbidden={"he": [("חווית", "חוויית")]},
)
CUSTOMER_EXPERIENCE = terms.Entry(
    "customer experience",
    terms={"tr": ["müşteri deneyimi", "CX"], "he": ["חוויית לקוח", "CX"]},
)
SUPPORT = terms.Entry(
    "customer support",
    terms={"tr": ["müşteri desteği", "CS"], "he": ["תמיכת לקוחות", "CS"]},
)
ENTRIES = [EXPERIENCE, CUSTOMER_EXPERIENCE, SUPPORT]


def codes(issues):
    return [issue.code for issue in issues]


@pytest.mark.parametrize(
    "text", ["חוויית לקוח", "חוויית הלקוח", "לחוויית הלקוח", "ומחוויית לקוח", "החוויית לקוח"]
)
def test_hebrew_term_is_found_with_prefixes_on_its_words(text):
    assert terms.find("חוויית לקוח", text, "he")


@pytest.mark.parametrize("text", ["חווית לקוח", "חוויית לקוחות", "אחוויית לקוח", "חוויית. לקוח"])
def test_hebrew_term_is_not_found_in_other_words(text):
    assert not terms.find("חוויית לקוח", text, "he")


def test_hebrew_prefix_before_a_hyphen_and_latin_term_is_found():
    assert terms.find("CSM", "עד ה-CSM ועד צוות המוצר", "he")


@pytest.mark.parametrize(
    "text", ["müşteri deneyimi", "MÜŞTERİ DENEYİMİ", "müşteri deneyiminizin", "Müşteri deneyimini"]
)
def test_turkish_term_is_found_with_suffixes_and_turkish_case(text):
    assert terms.find("müşteri deneyimi", text, "tr")


def test_turkish_abbreviation_is_found_whole_and_before_an_apostrophe():
    assert terms.find("CX", "Yael McCue, CX'i", "tr")
    assert not terms.find("CS", "sözleşmeyi kapatan CSM'e", "tr")


def test_source_segment_shows_its_terms():
    found = terms.terms_in("Müşteri deneyimi (CX) nedir?", "tr", ENTRIES)
    assert [(entry.name, form) for entry, form in found] == [
        ("experience", "deneyim"),
        ("customer experience", "müşteri deneyimi"),
    ]


def test_translation_without_the_approved_term_is_flagged():
    issues = terms.check(
        "Müşteri desteği nedir?", "מהו שירות?", "he", ENTRIES, source_language="tr"
    )
    assert codes(issues) == ["term_missing"]
    assert "תמיכת לקוחות" in issues[0].message


def test_translation_with_an_accepted_form_passes():
    assert (
        terms.check("Müşteri desteği (CS) nedir?", "מהו CS?", "he", ENTRIES, source_language="tr")
        == []
    )


def test_forbidden_variant_is_flagged_with_its_fix():
    issues = terms.check(
        "Müşteri deneyimi nedir?", "מהי חווית הלקוח?", "he", ENTRIES, source_language="tr"
    )
    forbidden = [issue for issue in issues if issue.code == "term_forbidden"]
    assert len(forbidden) == 1
    assert forbidden[0].fixed == "מהי חוויית הלקוח?"


def test_fixed_translation_passes():
    assert (
        terms.check(
            "Müşteri deneyimi nedir?", "מהי חוויית הלקוח?", "he", ENTRIES, source_language="tr"
        )
        == []
    )


def test_fix_keeps_each_words_prefix():
    fixed = terms.replace("מבדל חווית שירות ולחווית הלקוח", "חווית", "חוויית", "he")
    assert fixed == "מבדל חוויית שירות ולחוויית הלקוח"


def test_fix_of_a_variant_of_as_many_words_replaces_word_by_word():
    assert terms.replace("כמו תמיכת הלקוח כאן", "תמיכת לקוח", "תמיכת לקוחות", "he") == (
        "כמו תמיכת הלקוחות כאן"
    )


def test_empty_translation_is_not_checked():
    assert terms.check("Müşteri desteği", "", "he", ENTRIES, source_language="tr") == []


def test_launch_loads_the_term_base_in_three_languages_once(db):
    load_launch_content()
    load_launch_content()
    assert Concept.objects.count() == len(terms.load())
    customer_experience = next(e for e in terms.load() if e.approved("en") == "customer experience")
    assert customer_experience.approved("tr") == "müşteri deneyimi"
    assert customer_experience.approved("he") == "חוויית לקוח"
    assert "CX" in customer_experience.terms["he"]


def test_launch_keeps_a_term_base_an_editor_started(db):
    Concept.objects.create(terms_tr="marka", terms_he="מותג", terms_en="brand")
    load_launch_content()
    assert list(Concept.objects.values_list("terms_en", flat=True)) == ["brand"]


def test_the_hebrew_as_received_spells_experience_two_ways_and_the_check_finds_it(launch):
    entries = terms.load()
    segments = article_segments(launch_content.new_article(), "he").segments
    flagged = [
        segment.key
        for segment in segments
        if any(
            issue.code == "term_forbidden"
            for issue in terms.check(
                segment.source, segment.target, "he", entries, source_language="tr"
            )
        )
    ]
    assert "lede" in flagged and "body.1" in flagged
    lede = next(segment for segment in segments if segment.key == "lede")
    fixed = next(
        issue.fixed
        for issue in terms.check(lede.source, lede.target, "he", entries, source_language="tr")
        if issue.code == "term_forbidden"
    )
    assert "חווית" not in fixed.split() and "לחוויית" in fixed
    assert not [
        issue
        for issue in terms.check(lede.source, fixed, "he", entries, source_language="tr")
        if issue.code == "term_forbidden"
    ]


def test_term_base_is_kept_in_the_admin(admin_client, db):
    response = admin_client.post(
        "/en/admin/articles/concept/add/",
        {
            "terms_tr": "marka",
            "terms_he": "מותג\nמותגים",
            "terms_en": "brand",
            "forbidden_he": "",
            "forbidden_tr": "",
            "forbidden_en": "",
            "note": "",
            "note_language": "en",
        },
    )
    assert response.status_code == 302
    assert terms.load()[0].terms["he"] == ["מותג", "מותגים"]
    html = admin_client.get("/en/admin/articles/concept/").content.decode()
    assert '<span lang="he" dir="rtl">מותג, מותגים</span>' in html


def test_a_term_with_a_noncharacter_is_a_form_error(admin_client, db):
    response = admin_client.post(
        "/en/admin/articles/concept/add/",
        {"terms_tr": "marka\uffff", "terms_he": "מותג", "terms_en": "brand"},
    )
    assert response.status_code == 200
    assert "U+FFFF" in str(response.context["adminform"].form.errors["terms_tr"])
    assert not terms.load()


def test_forbidden_variant_is_one_warning_not_also_a_missing_term():
    issues = terms.check("Müşteri deneyimi", "חווית לקוח", "he", [EXPERIENCE], source_language="tr")
    assert codes(issues) == ["term_forbidden"]


@pytest.mark.parametrize("text", ["לחוויית הלקוח", "החוויות", "מהחוויה"])
def test_accepted_forms_of_a_term_pass_with_their_prefixes(text):
    assert terms.check("Müşteri deneyimi", text, "he", [EXPERIENCE], source_language="tr") == []


def test_term_line_lists_its_forms_after_a_bar(db):
    concept = Concept.objects.create(terms_he="חוויה | חוויית | חוויות\nCX", terms_tr="deneyim")
    entry = terms.entry_for(concept)
    assert entry.approved("he") == "חוויה"
    assert entry.forms_of("חוויה", "he") == ["חוויית", "חוויות"]
    assert entry.accepted("he") == ["חוויה", "חוויית", "חוויות", "CX"]


@pytest.mark.parametrize(
    ("term", "text"), [("destek", "desteği"), ("renk", "rengini"), ("kitap", "kitabı")]
)
def test_turkish_word_is_found_with_its_last_consonant_softened(term, text):
    assert terms.find(term, text, "tr")


def test_turkish_softened_form_needs_a_suffix():
    assert not terms.find("kitap", "kitab", "tr")


def corrected(launch):
    """The launch article's Hebrew segments with every forbidden variant fixed."""
    entries = terms.load()
    segmented = article_segments(launch, "he")
    for segment in segmented.segments:
        for entry in entries:
            for variant, replacement in entry.forbidden.get("he", []):
                segment.target = terms.replace(segment.target, variant, replacement, "he")
    return segmented.segments, entries


def test_correct_launch_translation_has_no_term_warning(launch):
    segments, entries = corrected(launch)
    assert [
        (segment.key, issue.message)
        for segment in segments
        for issue in terms.check(
            segment.source, segment.target, "he", entries, source_language="tr"
        )
    ] == []


def test_planted_defective_spelling_is_one_term_warning(launch):
    segments, entries = corrected(launch)
    lede = next(segment for segment in segments if segment.key == "lede")
    planted = lede.target.replace("לחוויית", "לחווית", 1)
    assert planted != lede.target
    assert codes(terms.check(lede.source, planted, "he", entries, source_language="tr")) == [
        "term_forbidden"
    ]


# The site follows its own term base: no Hebrew a reader meets holds a variant
# the term base forbids, in the content or in the interface.


def hebrew_content(language="he"):
    """(where, text) for every text of the content a reader of `language` meets."""
    published = [
        *Article.objects.published().available_in(language),
        *Author.objects.available_in(language),
        *Topic.objects.available_in(language),
        *(page for page in TourPage.objects.all() if page.is_available_in(language)),
        *Brand.objects.all(),
    ]
    for obj in published:
        for name in obj.TRANSLATED_TEXTS:
            if text := getattr(obj, localized(name, language)):
                yield f"{obj._meta.model_name} {obj.pk} {name}", text
    for variant in Variant.objects.filter(experiment__language=language):
        yield f"variant {variant.pk}", f"{variant.text}\n{variant.button_label}"


def hebrew_catalogues():
    """(where, text) for every Hebrew interface string of the project's catalogues."""
    for locale_dir in settings.LOCALE_PATHS:
        path = locale_dir / "he" / "LC_MESSAGES" / "django.po"
        for entry in polib.pofile(str(path)):
            for text in [entry.msgstr, *entry.msgstr_plural.values()]:
                if text:
                    yield f"{path.relative_to(settings.BASE_DIR)}:{entry.linenum}", text


def forbidden_variants(texts, entries):
    return [
        f"{where}: {issue.message}"
        for where, text in texts
        for issue in terms.check("", text, "he", entries, source_language="tr")
        if issue.code == "term_forbidden"
    ]


def test_no_published_hebrew_text_holds_a_variant_the_term_base_forbids(launch):
    entries = terms.load()
    assert any(entry.forbidden.get("he") for entry in entries)
    assert forbidden_variants(hebrew_content(), entries) == []


def test_the_hebrew_interface_holds_no_variant_the_term_base_forbids(launch):
    assert forbidden_variants(hebrew_catalogues(), terms.load()) == []


def test_the_check_of_published_texts_finds_a_forbidden_variant(launch, edit):
    edit(launch.topic, description_he="על חווית הלקוח.")
    [found] = forbidden_variants(hebrew_content(), terms.load())
    assert found.startswith(f"topic {launch.topic.pk} description: ")
