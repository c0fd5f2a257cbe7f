"""Pages of article cards, byte for byte: the home and its second page, a topic's and
an author's pages, and an article whose related article has a picture, in Turkish
and Hebrew, as the code before cards were made in Python printed them
(tests/data/golden/, written by CXCS_WRITE_GOLDEN=1 from that code)."""

import pytest

from articles.models import Article
from articles.site.views import ARTICLES_PER_PAGE
from articles.writing import editing

from .conftest import HEBREW_BODY, TURKISH_BODY, created
from .test_article_page import assert_same_as_stored, at_fixed_times


@pytest.fixture
def cards(launch, article):
    """A page and a half of articles: the launch article (a picture, a topic, an
    author) the newest, `article` (no author) with its picture and topic, and
    fillers with none of them."""
    article.topic = launch.topic
    editing.save(article)
    # The launch article's picture and renditions (made again, they would get new names).
    pictures = ("image", "image_width", "image_height", "image_renditions")
    Article.objects.filter(pk=article.pk).update(
        **{name: getattr(launch, name) for name in pictures}
    )
    fillers = [
        created(
            Article,
            is_published_tr=True,
            is_published_he=True,
            title_tr=f"Dolgu {number}",
            body_tr=TURKISH_BODY,
            title_he=f"מילוי {number}",
            body_he=HEBREW_BODY,
        )
        for number in range(ARTICLES_PER_PAGE)
    ]
    at_fixed_times(*reversed(fillers), article, launch)
    return launch, article


def pages(launch, article, language):
    return {
        "home": f"/{language}/",
        "page-2": f"/{language}/page/2/",
        "topic": launch.topic.get_absolute_url(language),
        "author": launch.author.get_absolute_url(language),
        "related": article.get_absolute_url(language),
    }


@pytest.mark.parametrize("page", ["home", "page-2", "topic", "author", "related"])
@pytest.mark.parametrize("language", ["tr", "he"])
def test_a_page_of_cards_is_byte_for_byte_as_before(client, cards, language, page):
    response = client.get(pages(*cards, language)[page])
    assert response.status_code == 200
    assert_same_as_stored(response.content, f"cards-{page}-{language}")


@pytest.mark.parametrize("language", ["tr", "he"])
def test_a_card_shows_an_editors_markup_as_text(client, article, edit, language):
    hostile = '<script>alert(1)</script> "A" & <b>B</b>'
    edit(article, **{f"title_{language}": hostile, f"lede_{language}": hostile})

    html = client.get(f"/{language}/").content.decode()

    assert "<script>alert(1)" not in html and "<b>B</b>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
