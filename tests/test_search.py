"""Search per language: Turkish i's, Hebrew points and bad queries handled."""

from datetime import timedelta

import pytest
from django.utils import timezone

from articles.models import Article
from articles.text.search import lower_for_language, normalize_for_search


def titles(response):
    return [article.title for article in response.context["articles"]]


@pytest.fixture
def istanbul(db):
    return Article.objects.create(
        is_published_tr=True,
        is_published_he=True,
        title_tr="İstanbul'da Müşteri Desteği",
        lede_tr="IŞIK hızında yanıtlar.",
        body_tr="## Çözüm\n\nDestek ekibi **Guru** ile çalışır.",
        title_he="תמיכה בִּירוּשָׁלַיִם",
        lede_he="תשובות מהירות.",
        body_he="צוות התמיכה עובד עם Guru ועם צ׳רדסון.",
    )


def test_turkish_capital_dotted_i_lowercases_to_i():
    assert lower_for_language("İSTANBUL", language="tr") == "istanbul"


def test_turkish_capital_dotless_i_lowercases_to_dotless_i():
    assert lower_for_language("IŞIK", language="tr") == "ışık"


def test_english_capital_i_lowercases_to_i():
    assert lower_for_language("IRIS", language="en") == "iris"


def test_search_text_ignores_case_and_turkish_letters_marks():
    assert normalize_for_search("İstanbul'da IŞIK Çözüm", language="tr") == (
        "istanbulda isik cozum"
    )


def test_search_text_ignores_hebrew_points():
    assert normalize_for_search("בִּירוּשָׁלַיִם", language="he") == normalize_for_search(
        "בירושלים", language="he"
    )


@pytest.mark.parametrize(
    ("full", "defective"),
    [("חוויית", "חווית"), ("מהכול", "מהכל"), ("תוכנית", "תכנית"), ("שירות", "שרות")],
)
def test_search_text_is_the_same_in_full_and_defective_spelling(full, defective):
    assert normalize_for_search(full, language="he") == normalize_for_search(
        defective, language="he"
    )


@pytest.mark.parametrize(
    ("final", "regular"), [("ך", "כ"), ("ם", "מ"), ("ן", "נ"), ("ף", "פ"), ("ץ", "צ")]
)
def test_search_text_folds_final_letters(final, regular):
    assert normalize_for_search(f"אב{final}", language="he") == normalize_for_search(
        f"אב{regular}", language="he"
    )


def test_search_text_keeps_vav_and_yod_at_the_edges_of_a_word():
    assert normalize_for_search("ילדי ושלו", language="he") == "ילדי ושלו"


def test_search_text_treats_geresh_and_apostrophe_alike():
    assert normalize_for_search("צ׳רדסון", language="he") == normalize_for_search(
        "צ'רדסון", language="he"
    )


def test_search_text_of_punctuation_alone_is_empty():
    assert normalize_for_search("?!… ()", language="tr") == ""


@pytest.mark.parametrize("query", ["istanbul", "İSTANBUL", "Istanbul"])
def test_turkish_search_finds_istanbul_however_it_is_typed(client, istanbul, query):
    response = client.get("/tr/search/", {"q": query})
    assert titles(response) == [istanbul.title_tr]


@pytest.mark.parametrize("query", ["ışık", "isik", "Işık"])
def test_turkish_search_finds_capitals_with_dotless_i(client, istanbul, query):
    assert titles(client.get("/tr/search/", {"q": query})) == [istanbul.title_tr]


def test_turkish_search_looks_in_the_body(client, istanbul):
    assert titles(client.get("/tr/search/", {"q": "çözüm guru"})) == [istanbul.title_tr]


def test_every_word_of_the_query_must_match(client, istanbul):
    assert titles(client.get("/tr/search/", {"q": "istanbul kedi"})) == []


def test_hebrew_search_ignores_niqqud_in_the_text(client, istanbul):
    assert titles(client.get("/he/search/", {"q": "ירושלים"})) == [istanbul.title_he]


def test_hebrew_search_ignores_niqqud_in_the_query(client, istanbul):
    assert titles(client.get("/he/search/", {"q": "תְּמִיכָה"})) == [istanbul.title_he]


def test_hebrew_search_finds_a_geresh_typed_as_an_apostrophe(client, istanbul):
    assert titles(client.get("/he/search/", {"q": "צ'רדסון"})) == [istanbul.title_he]


@pytest.fixture
def experience(db, edit):
    article = Article(
        is_published_he=True,
        title_he="מדריך",
        body_he="על חוויית הלקוח ועל התוכנית שלנו.",
    )
    return edit(article).obj


@pytest.mark.parametrize("query", ["חווית", "חוויית", "תכנית", "התוכנית"])
def test_hebrew_search_finds_a_word_in_full_or_defective_spelling(client, experience, query):
    assert titles(client.get("/he/search/", {"q": query})) == [experience.title_he]


def test_hebrew_search_finds_a_word_typed_with_a_regular_letter_for_a_final_one(client, experience):
    assert titles(client.get("/he/search/", {"q": "שלנו"})) == [experience.title_he]
    assert titles(client.get("/he/search/", {"q": "שלנ"})) == [experience.title_he]


def test_hebrew_search_finds_the_launch_articles_words_in_the_other_spelling(client, launch):
    # The article writes "חוויית המכירה" in full and "חווית הלקוח" in defective spelling.
    queries = ["חווית המכירה", "חוויית הלקוח"]
    found = [titles(client.get("/he/search/", {"q": query})) for query in queries]
    assert found == [[launch.title_he], [launch.title_he]]


def test_search_looks_only_at_the_pages_language(client, istanbul):
    assert titles(client.get("/he/search/", {"q": "istanbul"})) == []


def test_search_leaves_out_drafts(client, draft):
    assert titles(client.get("/tr/search/", {"q": "taslak"})) == []


def test_search_leaves_out_articles_scheduled_for_later(client, istanbul):
    istanbul.published_at = timezone.now() + timedelta(days=1)
    istanbul.save()
    assert titles(client.get("/tr/search/", {"q": "istanbul"})) == []


def test_search_leaves_out_articles_not_available_in_the_language(client, article):
    assert titles(client.get("/en/search/", {"q": "light"})) == []


def test_search_follows_an_edit(client, istanbul):
    istanbul.title_tr = "Ankara'da Destek"
    istanbul.save()
    assert titles(client.get("/tr/search/", {"q": "ankara"})) == ["Ankara'da Destek"]
    assert titles(client.get("/tr/search/", {"q": "istanbul"})) == []


def test_search_text_is_saved_when_only_some_fields_are_saved(client, istanbul):
    istanbul.title_tr = "Ankara'da Destek"
    istanbul.save(update_fields=["title_tr"])
    assert titles(client.get("/tr/search/", {"q": "ankara"})) == ["Ankara'da Destek"]


def test_launch_article_is_found_in_turkish_and_hebrew(client, launch):
    assert titles(client.get("/tr/search/", {"q": "müşteri deneyimi"})) == [launch.title_tr]
    assert titles(client.get("/he/search/", {"q": "חווית הלקוח"})) == [launch.title_he]


def test_search_page_says_how_many_articles_it_found(client, istanbul):
    html = client.get("/he/search/", {"q": "guru"}).content.decode()
    assert "נמצא מאמר אחד." in html


def test_search_without_results_says_so(client, istanbul):
    html = client.get("/tr/search/", {"q": "zebra"}).content.decode()
    assert "Aramanıza uyan makale yok." in html


def test_empty_query_asks_for_a_word(client, db):
    response = client.get("/tr/search/", {"q": "   "})
    assert response.status_code == 200
    assert "Aramak için bir kelime yazın." in response.content.decode()


def test_overlong_query_asks_for_fewer_characters(client, db):
    response = client.get("/he/search/", {"q": "א" * 101})
    assert response.status_code == 200
    assert "הקלידו לכל היותר 100 תווים." in response.content.decode()


def test_query_of_punctuation_asks_for_letters(client, db):
    response = client.get("/en/search/", {"q": "%_*?!"})
    assert response.status_code == 200
    assert "Type letters or numbers to search for." in response.content.decode()


@pytest.mark.parametrize(
    "query_string", ["q=%00", "q=%ff%fe", "q=a&q=", "q=%3Cscript%3E", "q[]=x", "q=%25%25"]
)
def test_malformed_queries_answer_a_page_not_an_error(client, db, query_string):
    response = client.get(f"/tr/search/?{query_string}")
    assert response.status_code == 200
    assert "<script>" not in response.content.decode()


def test_query_is_marked_invalid_for_assistive_technology(client, db):
    html = client.get("/tr/search/", {"q": ""}).content.decode()
    assert 'aria-invalid="true" aria-describedby="id_q_error"' in html
    assert 'id="id_q_error"' in html


def test_search_page_without_a_query_shows_only_the_form(client, db):
    html = client.get("/tr/search/").content.decode()
    assert 'name="q"' in html
    assert 'class="errorlist"' not in html


def test_search_pages_are_not_indexed(client, istanbul):
    html = client.get("/tr/search/", {"q": "istanbul"}).content.decode()
    assert '<meta name="robots" content="noindex">' in html


def test_list_page_has_a_search_form_for_its_language(client, article):
    html = client.get("/he/").content.decode()
    assert '<form class="search-form" role="search" action="/he/search/" method="get">' in html


def test_language_switcher_on_search_keeps_the_query(client, istanbul):
    html = client.get("/tr/search/", {"q": "guru"}).content.decode()
    assert 'href="/he/search/?q=guru"' in html
