"""Reading time, and a figure that neither delays the page nor shifts it."""

import re

import pytest

from articles.text.rendering import places_figure, reading_minutes, render_body


def figure_image(html):
    return re.search(
        r'<figure class="article-figure">\s*<picture>.*?(<img[^>]*>)', html, re.S
    ).group(1)


def test_reading_time_is_words_at_two_hundred_a_minute_rounded_up():
    assert reading_minutes("kelime " * 401) == 3


def test_reading_time_is_at_least_one_minute():
    assert reading_minutes("") == 1


def test_link_addresses_and_the_figure_marker_are_not_read():
    # 199 words a reader sees; the address and the marker would make it 207.
    text = "## Başlık\n\n[figure]\n\n[bağlantı](https://example.com/a/b/c/d)" + " söz" * 197
    assert reading_minutes(render_body(text, language="tr").html) == 1


@pytest.mark.parametrize(
    ("body", "placed"),
    [
        ("Önce.\n\n[figure]\n\nSonra.", True),
        ("[figure]\n\nSonra.", True),
        ("Önce.\n\n[figure]", True),
        ("Metin [figure] içinde.", False),
        ("Metin.", False),
    ],
)
def test_figure_counts_as_placed_only_in_a_paragraph_of_its_own(body, placed):
    assert places_figure(render_body(body, language="tr").html) is placed


def test_hebrew_article_shows_its_reading_time(client, launch):
    html = client.get(launch.get_absolute_url("he")).content.decode()
    assert '<span class="reading-time">זמן קריאה: 3 דקות</span>' in html


def test_short_hebrew_article_reads_in_one_minute(client, article):
    html = client.get(article.get_absolute_url("he")).content.decode()
    assert '<span class="reading-time">זמן קריאה: דקה אחת</span>' in html


def test_turkish_article_shows_its_reading_time(client, launch):
    html = client.get(launch.get_absolute_url("tr")).content.decode()
    assert '<span class="reading-time">Okuma süresi: 3 dakika</span>' in html


def test_figure_in_the_middle_of_the_body_loads_lazily(client, launch):
    image = figure_image(client.get(launch.get_absolute_url("tr")).content.decode())
    assert 'loading="lazy" decoding="async"' in image
    assert 'width="1200" height="675"' in image


def test_figure_opening_the_body_loads_at_once(client, launch):
    launch.body_tr = launch.body_tr.replace("[figure]", "")
    launch.save()
    image = figure_image(client.get(launch.get_absolute_url("tr")).content.decode())
    assert "loading=" not in image
    assert 'width="1200" height="675"' in image
