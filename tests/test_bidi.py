"""Latin phrases, symbols and numbers inside Hebrew keep their order; strings that
cannot hold markup start with a right-to-left mark; dates read in each language."""

import html
import json
import re
from datetime import UTC, datetime

import pytest
from django.core.management import call_command

from articles.models import Article
from articles.text.bidi import RLM, isolate_latin_runs, isolate_latin_text, mark_direction
from articles.text.rendering import place_figure, render_body


def isolated(fragment):
    """The texts isolated left to right in the HTML `fragment`, markup left out."""
    return [
        re.sub(r"<[^>]+>", "", inner)
        for inner in re.findall(r'<bdi dir="ltr"[^>]*>(.*?)</bdi>', isolate_latin_runs(fragment))
    ]


def test_latin_word_in_hebrew_text_is_isolated():
    assert isolate_latin_runs("<p>המוצר של Guru חדש</p>") == (
        '<p>המוצר של <bdi dir="ltr">Guru</bdi> חדש</p>'
    )


def test_latin_phrase_is_isolated_whole_with_its_comma_and_exclamation_mark():
    assert isolated("<p>המוטו שלנו הוא Customer first, always! וזה עובד.</p>") == [
        "Customer first, always!"
    ]


def test_comma_separated_names_are_isolated_one_by_one():
    html = isolate_latin_runs("<p>עובדים ב-Zendesk, Intercom, Freshdesk כל יום.</p>")
    assert 'ב-<bdi dir="ltr">Zendesk</bdi>, <bdi dir="ltr">Intercom</bdi>, ' in html


def test_a_list_with_a_word_that_is_not_a_name_is_one_phrase():
    assert isolated("<p>התקינו npm, pip ו-cargo</p>") == ["npm, pip", "cargo"]


def test_a_run_split_by_bold_is_one_isolate():
    assert isolate_latin_runs("<p>ב-<strong>Apple</strong> Genius Bar אתמול</p>") == (
        '<p>ב-<bdi dir="ltr"><strong>Apple</strong> Genius Bar</bdi> אתמול</p>'
    )


def test_a_run_leaving_an_element_cuts_the_element_in_two():
    html = isolate_latin_runs("<p><strong>בחנות ה-Apple</strong> Genius Bar שלה</p>")
    assert html == (
        '<p><strong>בחנות ה-</strong><bdi dir="ltr"><strong>Apple</strong> Genius Bar</bdi> שלה</p>'
    )


def test_a_run_inside_a_link_is_isolated_inside_it():
    html = isolate_latin_runs('<p>ראו <a href="/x">את Guru Cards</a> כאן</p>')
    assert html == '<p>ראו <a href="/x">את <bdi dir="ltr">Guru Cards</bdi></a> כאן</p>'


@pytest.mark.parametrize("token", ["C#", "C++", ".NET 8", "Node.js", "Wi-Fi", "e-mail", "#CX"])
def test_symbols_at_the_edges_of_a_word_stay_in_its_isolate(token):
    assert isolated(f"<p>כותבים ב-{token} כל יום</p>") == [token]


def test_a_phone_number_is_one_isolate_that_does_not_break():
    assert '<bdi dir="ltr" class="number">+90 212 555 00 00</bdi>' in isolate_latin_runs(
        "<p>התקשרו: +90 212 555 00 00 היום</p>"
    )


def test_a_number_with_spaced_thousands_is_one_isolate():
    assert isolated("<p>טיפלנו ב-1 000 000 פניות</p>") == ["1 000 000"]


@pytest.mark.parametrize("token", ["Guru™", "Salesforce®", "Microsoft Teams™"])
def test_a_trademark_sign_stays_in_its_names_isolate(token):
    assert isolated(f"<p>עובדים עם {token} כל יום</p>") == [token]


@pytest.mark.parametrize("number", ["-5%", "−3", "+1.8%", "-12", "-2.5"])
def test_a_number_with_its_sign_is_one_isolate(number):
    assert f'<bdi dir="ltr" class="number">{number}</bdi>' in isolate_latin_runs(
        f"<p>השינוי: {number} השנה</p>"
    )


@pytest.mark.parametrize("text", ["ב-12 פניות", "בין 10-20 פניות", "מ־5 עד 7"])
def test_a_hyphen_after_a_letter_or_a_digit_is_no_minus(text):
    assert isolate_latin_runs(f"<p>{text}</p>") == f"<p>{text}</p>"


@pytest.mark.parametrize("phrase", ["Zendesk → Intercom", "CX = CS + UX", "Ticket -> Resolution"])
def test_an_operator_between_latin_runs_keeps_them_one_isolate(phrase):
    text = html.escape(phrase, quote=False)
    assert isolated(f"<p>עברנו {text} השנה</p>") == [text]


@pytest.mark.parametrize("number", ["15%", "25.11.2026", "10–20", "03-555-1234", "2026"])
def test_percentages_dates_ranges_and_plain_numbers_are_left_to_the_bidi_algorithm(number):
    html = f"<p>המספר {number} כאן</p>"
    assert isolate_latin_runs(html) == html


def test_a_block_without_hebrew_is_isolated_whole_with_its_question_mark():
    assert isolate_latin_runs("<h2>What is CX?</h2>") == '<h2><bdi dir="ltr">What is CX?</bdi></h2>'


def test_an_english_link_label_is_isolated_whole_with_its_full_stop():
    html = isolate_latin_runs('<p>ראו <a href="/g">Guru, Inc.</a> באתר</p>')
    assert '<bdi dir="ltr"><a href="/g">Guru, Inc.</a></bdi>' in html


def test_an_abbreviation_keeps_its_full_stop():
    assert isolated("<p>חברת Acme Ltd. הודיעה</p>") == ["Acme Ltd."]


def test_the_full_stop_of_a_hebrew_sentence_stays_outside():
    assert isolate_latin_runs("<p>עובדים עם Guru Cards.</p>").endswith("</bdi>.</p>")


def test_a_question_mark_after_a_name_stays_in_the_hebrew_sentence():
    assert isolated("<p>השתמשתם ב-Help Scout? כן</p>") == ["Help Scout"]


def test_a_question_mark_after_a_phrase_at_the_end_of_its_block_stays_outside():
    assert isolated("<p>הריצו npm install?</p>") == ["npm install"]


def test_latin_parentheses_after_a_latin_phrase_belong_to_it():
    assert isolated("<p>זה Customer Experience (CX) אצלנו</p>") == ["Customer Experience (CX)"]


def test_latin_inside_hebrew_parentheses_leaves_them_outside():
    assert isolate_latin_runs("<p>מהי חווית הלקוח (CX)?</p>") == (
        '<p>מהי חווית הלקוח (<bdi dir="ltr">CX</bdi>)?</p>'
    )


def test_a_hebrew_prefix_stays_outside_the_isolate():
    assert isolated("<p>עד שהאפל הציגה את ה-Genius Bar שלה?)</p>") == ["Genius Bar"]


def test_code_is_marked_left_to_right_and_not_wrapped():
    assert isolate_latin_runs("<p>הפקודה <code>make test</code> רצה</p>") == (
        '<p>הפקודה <code dir="ltr">make test</code> רצה</p>'
    )


def test_a_code_block_is_left_to_right():
    assert isolate_latin_runs("<pre><code>x = 1\n</code></pre>") == (
        '<pre dir="ltr"><code>x = 1\n</code></pre>'
    )


@pytest.mark.parametrize(
    "html",
    ["<p>שם <bdi>Guru, Inc</bdi>. כאן</p>", '<p>שם <span dir="ltr" lang="en">A, B</span> כאן</p>'],
)
def test_what_an_editor_isolated_is_kept_as_it_is(html):
    assert isolate_latin_runs(html) == html


def test_tags_and_attributes_are_never_touched():
    html = '<p>קישור <a href="https://example.com/" title="Guru Docs">אל Guru</a></p>'
    assert isolate_latin_runs(html) == (
        '<p>קישור <a href="https://example.com/" title="Guru Docs">'
        'אל <bdi dir="ltr">Guru</bdi></a></p>'
    )


def test_entities_stay_escaped_inside_and_outside_the_isolate():
    assert isolate_latin_runs("<p>חברת AT&amp;T כתבה &lt;b&gt; בטקסט</p>") == (
        '<p>חברת <bdi dir="ltr">AT&amp;T</bdi> כתבה &lt;<bdi dir="ltr">b</bdi>&gt; בטקסט</p>'
    )


def test_hebrew_text_without_latin_is_unchanged():
    assert isolate_latin_runs("<p>חלק מהכול, 24/7.</p>") == "<p>חלק מהכול, 24/7.</p>"


def test_plain_text_is_escaped_and_isolated():
    assert isolate_latin_text("כלי <AT&T> חדש") == ('כלי &lt;<bdi dir="ltr">AT&amp;T</bdi>&gt; חדש')


def test_editor_typed_bdi_and_span_with_direction_survive_sanitizing():
    html = render_body(
        'שם <bdi dir="ltr">Guru</bdi> ו-<span dir="rtl" lang="he">מילה</span> כאן', language="he"
    ).html
    assert '<bdi dir="ltr">Guru</bdi>' in html
    assert '<span dir="rtl" lang="he">מילה</span>' in html


def test_sanitizing_drops_a_direction_or_language_that_is_not_one():
    html = render_body('<span dir="up" lang="x y" onclick="a()">מילה</span>', language="he").html
    assert "<span>מילה</span>" in html


def test_hebrew_body_isolates_latin_in_headings_and_paragraphs():
    html = render_body("## מהי חווית הלקוח (CX)?\n\nאצל Apple.", language="he").html
    assert '<h2 id="מהי-חווית-הלקוח-cx">מהי חווית הלקוח (<bdi dir="ltr">CX</bdi>)?</h2>' in html
    assert 'אצל <bdi dir="ltr">Apple</bdi>.' in html


def test_turkish_body_has_no_isolates():
    html = render_body("## Müşteri deneyimi (CX) nedir?\n\nGuru ile.", language="tr").html
    assert "<bdi" not in html


def test_figure_marker_still_places_the_figure_in_hebrew():
    body = render_body("לפני Guru.\n\n[figure]\n\nאחרי.", language="he").html
    html = place_figure(body, "<figure>F</figure>")
    assert "<figure>F</figure>" in html
    assert "figure]" not in html


def test_bodies_rendered_by_an_older_version_are_isolated_again(article):
    Article.objects.filter(pk=article.pk).update(
        body_html_he="<p>ישן Guru</p>", search_body_he="", rendering_version=1
    )
    call_command("render_articles", verbosity=0)
    article.refresh_from_db()
    assert '<bdi dir="ltr">' in article.body_html_he
    assert article.search_body_he


LATIN_TITLE = "Know Your Terminology: Customer Support vs Customer Experience"


@pytest.fixture
def latin_title(article, edit):
    return edit(article, title_he=LATIN_TITLE).obj


def test_hebrew_page_isolates_a_latin_title(client, latin_title):
    html = client.get(latin_title.get_absolute_url("he")).content.decode()
    assert f'<h1><bdi dir="ltr">{LATIN_TITLE}</bdi></h1>' in html


def test_hebrew_page_isolates_latin_in_the_table_of_contents(client, article):
    html = client.get(article.get_absolute_url("he")).content.decode()
    toc = re.search(r'<nav class="toc".*?</nav>', html, re.S).group(0)
    assert 'מהי חווית הלקוח (<bdi dir="ltr">CX</bdi>)?</a>' in toc


def test_hebrew_list_isolates_latin_in_titles(client, latin_title):
    html = client.get("/he/").content.decode()
    assert f'<bdi dir="ltr">{LATIN_TITLE}</bdi>' in html


def test_turkish_page_has_no_isolates(client, launch):
    html = client.get(launch.get_absolute_url("tr")).content.decode()
    assert "<bdi" not in html


def test_table_of_contents_shows_an_ampersand_once_escaped(client, article, edit):
    edit(article, body_tr="## Destek & Deneyim\n\nMetin.")
    html = client.get(article.get_absolute_url("tr")).content.decode()
    assert '<a href="#destek-deneyim">Destek &amp; Deneyim</a>' in html


def test_body_help_text_names_bdi_and_span(admin_client, article, change_url):
    html = admin_client.get(change_url(article)).content.decode()
    help_text = re.search(r'id="id_body_he_helptext">(.*?)</div>\s*</div>', html, re.S).group(1)
    assert "&lt;bdi&gt;…&lt;/bdi&gt;" in help_text
    assert "&lt;span dir=&quot;ltr&quot; lang=&quot;en&quot;&gt;" in help_text


# Strings that cannot hold markup.


@pytest.mark.parametrize("text", ["Guru היא החברה", "2026: שנת הלקוח", "“CX” ולא CS"])
def test_a_string_beginning_with_latin_or_digits_gets_a_right_to_left_mark(text):
    assert mark_direction(text) == RLM + text


@pytest.mark.parametrize("text", ["חווית הלקוח של Guru", "(שאלה) Guru", "", "?!", RLM + "Guru"])
def test_a_string_beginning_with_hebrew_or_without_letters_is_unchanged(text):
    assert mark_direction(text) == text


@pytest.fixture
def latin_first(article, edit):
    return edit(article, title_he="Guru: מדריך לחווית לקוח", lede_he="CX הוא כל המסע.").obj


def head_strings(html):
    head = html.split("</head>")[0]
    ld = json.loads(re.search(r'<script type="application/ld\+json">(.*?)</script>', head).group(1))
    return {
        "title": re.search(r"<title>(.*?)</title>", head).group(1),
        "og:title": re.search(r'property="og:title" content="([^"]*)"', head).group(1),
        "twitter:title": re.search(r'name="twitter:title" content="([^"]*)"', head).group(1),
        "description": re.search(r'name="description" content="([^"]*)"', head).group(1),
        "og:description": re.search(r'property="og:description" content="([^"]*)"', head).group(1),
        "twitter:description": re.search(
            r'name="twitter:description" content="([^"]*)"', head
        ).group(1),
        "headline": ld["headline"],
        "ld description": ld["description"],
    }


def test_hebrew_strings_without_markup_that_begin_with_latin_start_with_a_mark(client, latin_first):
    html = client.get(latin_first.get_absolute_url("he")).content.decode()
    assert {name: value[0] for name, value in head_strings(html).items()} == dict.fromkeys(
        [
            "title",
            "og:title",
            "twitter:title",
            "description",
            "og:description",
            "twitter:description",
            "headline",
            "ld description",
        ],
        RLM,
    )


def test_no_mark_anywhere_in_the_hebrew_page_but_those_strings(client, latin_first):
    html = client.get(latin_first.get_absolute_url("he")).content.decode()
    assert html.count(RLM) == len(head_strings(html))


def test_hebrew_strings_that_begin_with_hebrew_get_no_mark(client, article):
    assert RLM not in client.get(article.get_absolute_url("he")).content.decode()


def test_turkish_strings_get_no_mark(client, article, edit):
    edit(article, title_tr="Guru ile Işık")
    assert RLM not in client.get(article.get_absolute_url("tr")).content.decode()


def test_hebrew_feed_titles_that_begin_with_latin_start_with_a_mark(client, latin_first):
    feed = client.get("/he/feed/").content.decode()
    assert f"<title>{RLM}cxcs: " in feed
    assert f"<title>{RLM}Guru: מדריך לחווית לקוח</title>" in feed


def test_turkish_feed_has_no_mark(client, latin_first):
    assert RLM not in client.get("/tr/feed/").content.decode()


def test_sitemap_has_no_mark(client, latin_first):
    assert RLM not in client.get("/sitemap.xml").content.decode()


# Dates.


@pytest.mark.parametrize(("language", "month"), [("tr", "Ocak"), ("he", "בינואר"), ("en", "Jan.")])
def test_article_date_is_written_in_the_pages_language(client, article, edit, language, month):
    edit(
        article,
        published_at=datetime(2026, 1, 15, 12, tzinfo=UTC),
        body_en="English body.",
        is_published_en=True,
    )
    html = client.get(article.get_absolute_url(language)).content.decode()
    assert month in re.search(r'<p class="byline-text">.*?</p>', html, re.S).group(0)


@pytest.fixture
def near_midnight(article, edit):
    # 00:30 on 16 January in Istanbul (UTC+3), still 23:30 on the 15th in Israel (UTC+2).
    return edit(article, published_at=datetime(2026, 1, 15, 21, 30, tzinfo=UTC)).obj


@pytest.mark.parametrize(
    ("language", "day", "offset"),
    [("tr", "16 Ocak 2026", "+0300"), ("he", "15 בינואר 2026", "+0200")],
)
def test_article_date_is_the_day_in_its_languages_time_zone(
    client, near_midnight, language, day, offset
):
    html = client.get(near_midnight.get_absolute_url(language)).content.decode()
    byline = re.search(r'<p class="byline-text">.*?</p>', html, re.S).group(0)
    assert day in byline
    assert f'datetime="2026-01-1{5 if language == "he" else 6}T' in byline
    assert offset in byline


def test_article_list_date_is_the_day_in_its_languages_time_zone(client, near_midnight):
    assert "15 בינואר 2026" in client.get("/he/").content.decode()


LATIN_CALL = "נסו את Guru Cards עכשיו!"


@pytest.fixture
def latin_call(tour_page, edit):
    return edit(tour_page, text_he=LATIN_CALL, button_label_he="קחו את ה-Guru Tour").obj


def test_hebrew_call_to_action_isolates_its_latin(client, article, latin_call):
    html = client.get(article.get_absolute_url("he")).content.decode()
    cta = re.search(r'<aside class="tour-cta".*?</aside>', html, re.S).group(0)
    assert 'נסו את <bdi dir="ltr">Guru Cards</bdi> עכשיו!' in cta
    assert 'ה-<bdi dir="ltr">Guru Tour</bdi>' in cta


def test_hebrew_tour_page_isolates_the_latin_of_its_headline_and_button(client, latin_call):
    html = client.get("/he/tour/").content.decode()
    assert '<h1>נסו את <bdi dir="ltr">Guru Cards</bdi> עכשיו!</h1>' in html
    assert 'ה-<bdi dir="ltr">Guru Tour</bdi></a>' in html


def test_a_turkish_date_has_no_leading_zero(client, article, edit):
    edit(article, published_at=datetime(2026, 12, 6, 12, tzinfo=UTC))
    html = client.get(article.get_absolute_url("tr")).content.decode()
    byline = re.search(r'<p class="byline-text">.*?</p>', html, re.S).group(0)
    assert ">6 Aralık 2026</time>" in byline
