"""Latin words inside Hebrew text keep their order, and dates read in each language."""

import re

import pytest

from articles.bidi import isolate_latin_runs
from articles.rendering import place_figure, render_body


def test_latin_word_in_hebrew_text_is_isolated():
    assert isolate_latin_runs("<p>המוצר של Guru חדש</p>") == "<p>המוצר של <bdi>Guru</bdi> חדש</p>"


def test_parentheses_and_question_mark_stay_outside_the_isolate():
    html = isolate_latin_runs("<p>מהי חווית הלקוח (CX)?</p>")
    assert html == "<p>מהי חווית הלקוח (<bdi>CX</bdi>)?</p>"


def test_latin_words_separated_by_spaces_are_one_run():
    html = isolate_latin_runs("<p>הם ביקרו ב-Apple Genius Bar אתמול</p>")
    assert "<bdi>Apple Genius Bar</bdi>" in html


def test_hebrew_prefix_stays_outside_the_isolate():
    html = isolate_latin_runs("<p>עד שהאפל הציגה את ה-Genius Bar שלה?)</p>")
    assert "ה-<bdi>Genius Bar</bdi> שלה?)" in html


def test_latin_word_with_an_apostrophe_suffix_is_one_run():
    assert "<bdi>CSM'e</bdi>" in isolate_latin_runs("<p>פנו ל-CSM'e היום</p>")


def test_comma_separated_latin_words_are_isolated_one_by_one():
    html = isolate_latin_runs("<p>כלים כמו Guru, SaaS ו-CRM</p>")
    assert "<bdi>Guru</bdi>, <bdi>SaaS</bdi> ו-<bdi>CRM</bdi>" in html


def test_text_without_right_to_left_letters_is_isolated_whole():
    html = isolate_latin_runs(
        "<h1>Know Your Terminology: Customer Support vs Customer Experience</h1>"
    )
    assert html == (
        "<h1><bdi>Know Your Terminology: Customer Support vs Customer Experience</bdi></h1>"
    )


def test_a_web_address_in_hebrew_text_is_one_run():
    html = isolate_latin_runs("<p>ראו https://example.com/cx?lang=he עכשיו</p>")
    assert "<bdi>https://example.com/cx?lang=he</bdi>" in html


def test_hebrew_text_without_latin_is_unchanged():
    assert isolate_latin_runs("<p>חלק מהכול, 24/7.</p>") == "<p>חלק מהכול, 24/7.</p>"


def test_tags_and_attributes_are_never_touched():
    html = '<p>קישור <a href="https://example.com/" title="Guru Docs">אל Guru</a></p>'
    assert isolate_latin_runs(html) == (
        '<p>קישור <a href="https://example.com/" title="Guru Docs">אל <bdi>Guru</bdi></a></p>'
    )


def test_entities_stay_escaped_inside_and_outside_the_isolate():
    html = isolate_latin_runs("<p>חברת AT&amp;T כתבה &lt;script&gt; בטקסט</p>")
    assert html == "<p>חברת <bdi>AT&amp;T</bdi> כתבה &lt;<bdi>script</bdi>&gt; בטקסט</p>"


def test_code_is_left_as_it_is():
    html = "<p>הפקודה <code>make test</code> רצה</p>"
    assert isolate_latin_runs(html) == html


def test_an_isolate_the_editor_typed_is_not_nested():
    html = "<p>שם <bdi>Guru Cards</bdi> כאן</p>"
    assert isolate_latin_runs(html) == html


def test_editor_typed_bdi_survives_sanitizing():
    html = render_body("שם <bdi>Guru</bdi> כאן", language="he").html
    assert "<bdi>Guru</bdi>" in html


def test_hebrew_body_isolates_latin_runs_in_headings_and_paragraphs():
    html = render_body("## מהי חווית הלקוח (CX)?\n\nאצל Apple.", language="he").html
    assert '<h2 id="מהי-חווית-הלקוח-cx">מהי חווית הלקוח (<bdi>CX</bdi>)?</h2>' in html
    assert "אצל <bdi>Apple</bdi>." in html


def test_turkish_body_has_no_isolates():
    html = render_body("## Müşteri deneyimi (CX) nedir?\n\nGuru ile.", language="tr").html
    assert "<bdi>" not in html


def test_figure_marker_still_places_the_figure_in_hebrew():
    body = render_body("לפני.\n\n[figure]\n\nאחרי.", language="he").html
    html = place_figure(body, "<figure>F</figure>")
    assert "<figure>F</figure>" in html
    assert "figure]" not in html


def test_hebrew_page_isolates_a_latin_title(client, launch):
    html = client.get(launch.get_absolute_url("he")).content.decode()
    assert (
        "<h1><bdi>Know Your Terminology: Customer Support vs Customer Experience</bdi></h1>" in html
    )


def test_hebrew_page_isolates_latin_in_the_table_of_contents(client, article):
    html = client.get(article.get_absolute_url("he")).content.decode()
    toc = re.search(r'<nav class="toc".*?</nav>', html, re.S).group(0)
    assert "מהי חווית הלקוח (<bdi>CX</bdi>)?</a>" in toc


def test_hebrew_list_isolates_latin_in_titles(client, launch):
    html = client.get("/he/").content.decode()
    assert "<bdi>Know Your Terminology: Customer Support vs Customer Experience</bdi>" in html


def test_turkish_page_has_no_isolates(client, launch):
    html = client.get(launch.get_absolute_url("tr")).content.decode()
    assert "<bdi>" not in html


def test_table_of_contents_shows_an_ampersand_once_escaped(client, article):
    article.body_tr = "## Destek & Deneyim\n\nMetin."
    article.save()
    html = client.get(article.get_absolute_url("tr")).content.decode()
    assert '<a href="#destek-deneyim">Destek &amp; Deneyim</a>' in html


@pytest.mark.parametrize(("language", "month"), [("tr", "Ocak"), ("he", "בינואר"), ("en", "Jan.")])
def test_article_date_is_written_in_the_pages_language(client, article, language, month):
    article.published_at = article.published_at.replace(year=2026, month=1, day=15)
    article.body_en = "English body."
    article.is_published_en = True
    article.save()
    html = client.get(article.get_absolute_url(language)).content.decode()
    assert month in re.search(r'<p class="byline">.*?</p>', html, re.S).group(0)
