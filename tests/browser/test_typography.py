"""Right-to-left text has no italic: emphasis and quotations in Hebrew are never
slanted, by the style sheet or by the browser; Latin keeps its italic."""

import pytest

from articles.models import Article
from articles.writing import editing

pytestmark = pytest.mark.browser

BODY_HE = "טקסט עם *הדגשה* ועם *Latin emphasis* באמצע.\n\n> ציטוט בעברית."
BODY_TR = "Metin *vurgulu* ve alıntı.\n\n> Türkçe alıntı."


@pytest.fixture
def emphasis(db):
    article = Article(
        title_tr="Vurgu",
        body_tr=BODY_TR,
        is_published_tr=True,
        title_he="הדגשה",
        body_he=BODY_HE,
        is_published_he=True,
    )
    return editing.save(article).obj


def style_of(page, selector):
    return page.locator(selector).first.evaluate(
        """element => {
            const style = getComputedStyle(element);
            return {
                style: style.fontStyle,
                synthesis: style.fontSynthesisStyle,
                weight: Number(style.fontWeight),
            };
        }"""
    )


def test_hebrew_emphasis_is_upright_and_stands_out_by_weight(page, emphasis):
    page.goto(emphasis.get_absolute_url("he"))
    assert style_of(page, ".article-body p > em") == {
        "style": "normal",
        "synthesis": "none",
        "weight": 600,
    }


def test_hebrew_quotation_is_upright(page, emphasis):
    page.goto(emphasis.get_absolute_url("he"))
    assert style_of(page, ".article-body blockquote p")["style"] == "normal"


def test_latin_emphasis_inside_hebrew_keeps_its_italic(page, emphasis):
    page.goto(emphasis.get_absolute_url("he"))
    assert style_of(page, ".article-body bdi em")["style"] == "italic"


def test_turkish_emphasis_and_quotation_are_italic(page, emphasis):
    page.goto(emphasis.get_absolute_url("tr"))
    assert [style_of(page, selector)["style"] for selector in ["p > em", "blockquote p"]] == [
        "italic",
        "italic",
    ]
