"""Figures have a caption in the page's language, and a credit where one is given."""

import re

import pytest


@pytest.fixture
def captioned(launch, edit):
    return edit(
        launch,
        image_caption_tr="Müşteri desteği, müşteri deneyiminin bir parçasıdır.",
        image_caption_he="תמיכת הלקוחות היא חלק מחוויית הלקוח.",
        image_credit="cxcs",
    ).obj


def figure(client, article, language):
    html = client.get(article.get_absolute_url(language)).content.decode()
    return re.search(r'<figure class="article-figure">.*?</figure>', html, re.S).group(0)


def test_figure_caption_is_in_the_pages_language(client, captioned):
    assert "תמיכת הלקוחות היא חלק מחוויית הלקוח." in figure(client, captioned, "he")
    assert "Müşteri desteği, müşteri deneyiminin" in figure(client, captioned, "tr")


def test_figure_credit_is_shown_isolated_with_its_label(client, captioned):
    caption = re.search(r"<figcaption>.*?</figcaption>", figure(client, captioned, "he"), re.S)
    assert '<span class="figure-credit">תמונה: <bdi>cxcs</bdi></span>' in caption.group(0)


def test_figure_without_caption_or_credit_has_no_figcaption(client, launch):
    assert "<figcaption>" not in figure(client, launch, "tr")


def test_a_caption_is_translated_like_the_other_texts(captioned):
    assert "image_caption" in captioned.texts_in("he")
    assert captioned.texts_in("he")["image_caption"] == "תמיכת הלקוחות היא חלק מחוויית הלקוח."
