"""Text processing: slugs and the article body. No database."""

import pytest

from articles.text.rendering import place_figure, render_body, slugify_for_language


@pytest.mark.parametrize(
    ("title", "slug"),
    [
        ("Işık", "isik"),
        ("İçindekiler", "icindekiler"),
        ("Şu Güzel Çiçek Öğlen", "su-guzel-cicek-oglen"),
        ("Müşteri deneyimi (CX) nedir?", "musteri-deneyimi-cx-nedir"),
        ("Guru'da", "guruda"),
    ],
)
def test_turkish_slug_is_transliterated_without_losing_letters(title, slug):
    assert slugify_for_language(title, language="tr") == slug


def test_hebrew_slug_keeps_hebrew_letters():
    assert slugify_for_language("מהי חווית הלקוח (CX)?", language="he") == "מהי-חווית-הלקוח-cx"


def test_english_slug_is_ascii():
    assert slugify_for_language("Know Your Terminology: CS vs CX", language="en") == (
        "know-your-terminology-cs-vs-cx"
    )


def test_a_maqaf_in_a_hebrew_title_makes_a_hyphen_in_the_slug():
    assert slugify_for_language("בית־ספר לשירות", language="he") == "בית-ספר-לשירות"


def test_a_maqaf_in_a_hebrew_heading_makes_a_hyphen_in_its_id():
    body = render_body("## בית־ספר\n\nטקסט.", language="he")
    assert '<h2 id="בית-ספר">' in body.html


def test_title_without_letters_gives_an_empty_slug():
    assert slugify_for_language("?!", language="he") == ""


def test_headings_get_ids_by_the_language_slug_policy():
    body = render_body("## Işık nedir?\n\nMetin.", language="tr")
    assert '<h2 id="isik-nedir">Işık nedir?</h2>' in body.html


def test_hebrew_headings_get_unicode_ids():
    body = render_body("## חלק מהכול\n\nטקסט.", language="he")
    assert '<h2 id="חלק-מהכול">' in body.html


def test_table_of_contents_lists_headings_with_their_ids():
    body = render_body("## Bir\n\nx\n\n### İki\n\ny\n\n## Üç", language="tr")
    assert body.toc == [
        {"id": "bir", "name": "Bir", "level": 2},
        {"id": "iki", "name": "İki", "level": 3},
        {"id": "uc", "name": "Üç", "level": 2},
    ]


def test_repeated_headings_get_distinct_ids():
    body = render_body("## Özet\n\n## Özet", language="tr")
    assert len({entry["id"] for entry in body.toc}) == 2


def test_quotations_lists_and_links_are_rendered():
    html = render_body(
        "> Bir alıntı.\n\n- bir\n- iki\n\n[bağlantı](https://example.com/)", language="tr"
    ).html
    assert "<blockquote>" in html
    assert "<li>bir</li>" in html
    assert 'href="https://example.com/"' in html


def test_script_typed_by_an_editor_is_removed():
    html = render_body("Metin <script>alert(1)</script> son.", language="tr").html
    assert "<script" not in html
    assert "alert(1)" not in html


def test_event_handler_attributes_are_removed():
    html = render_body('<img src="x.png" onerror="alert(1)">', language="tr").html
    assert "onerror" not in html


def test_javascript_links_lose_their_target():
    html = render_body("[tıkla](javascript:alert(1))", language="tr").html
    assert "javascript:" not in html


def test_raw_html_link_with_javascript_is_neutralised():
    html = render_body('<a href="javascript:alert(1)" onclick="x()">a</a>', language="tr").html
    assert "javascript:" not in html
    assert "onclick" not in html


def test_figure_marker_is_replaced_by_the_figure():
    html = place_figure(
        render_body("Önce.\n\n[figure]\n\nSonra.", language="tr").html, "<figure>F</figure>"
    )
    assert html.index("Önce") < html.index("<figure>F</figure>") < html.index("Sonra")
    assert "[figure]" not in html


def test_figure_opens_the_body_when_no_marker_places_it():
    html = place_figure(render_body("Metin.", language="tr").html, "<figure>F</figure>")
    assert html.startswith("<figure>F</figure>")


def test_figure_marker_disappears_when_there_is_no_figure():
    html = place_figure(render_body("Önce.\n\n[figure]", language="tr").html, "")
    assert "[figure]" not in html


def test_table_of_contents_names_are_plain_text():
    body = render_body("## Destek & <em>Deneyim</em>\n\nMetin.", language="tr")
    assert body.toc[0]["name"] == "Destek & Deneyim"
