"""Translation memory: translations of the same or a like source, offered with their match."""

from django.utils import translation

from articles.models import Article
from articles.translating import memory
from articles.writing import editing


def other_article(**texts):
    return editing.save(Article(**texts)).obj


def test_identical_source_in_another_article_is_offered_at_100(article):
    other_article(
        title_tr="Başka Yazı", title_he="מאמר אחר", body_tr="Giriş paragrafı.", body_he="פסקת מבוא."
    )
    units = memory.load(article, "he")
    suggestions = memory.suggest("Giriş paragrafı.", "פסקת פתיחה.", units)
    assert [(s.target, s.percent, s.origin) for s in suggestions] == [
        ("פסקת מבוא.", 100, "Başka Yazı")
    ]


def test_close_source_is_offered_with_its_match_percentage(article):
    other_article(
        title_tr="Başka Yazı",
        title_he="מאמר אחר",
        body_tr="Giriş paragrafları.",
        body_he="פסקאות מבוא.",
    )
    suggestions = memory.suggest("Giriş paragrafı.", "פסקת פתיחה.", memory.load(article, "he"))
    assert [s.target for s in suggestions] == ["פסקאות מבוא."]
    assert 75 <= suggestions[0].percent < 100


def test_unlike_source_is_not_offered(article):
    other_article(
        title_tr="Başka Yazı",
        title_he="מאמר אחר",
        body_tr="Tamamen başka bir cümle.",
        body_he="משפט אחר לגמרי.",
    )
    assert memory.suggest("Giriş paragrafı.", "פסקת פתיחה.", memory.load(article, "he")) == []


def test_current_translation_is_not_offered_again(article):
    units = memory.load(article, "he")
    assert memory.suggest("Işık Yolu", "דרך האור", units) == []


def test_earlier_revision_of_the_same_article_is_offered(article, edit):
    edit(article, lede_he="פתיח אחר לגמרי.")
    with translation.override("en"):
        units = memory.load(article, "he")
    suggestions = memory.suggest("Türkçe giriş.", article.lede_he, units)
    assert [s.target for s in suggestions] == ["פתיח בעברית."]
    assert suggestions[0].percent == 100
    assert "this article" in suggestions[0].origin


def test_translation_needing_an_update_is_remembered_with_the_source_it_translates(article, edit):
    edit(article, title_tr="Işığın Yolu")
    units = memory.load(article, "he")
    assert memory.Unit("Işık Yolu", "דרך האור", units[0].origin) in units or any(
        unit.source == "Işık Yolu" and unit.target == "דרך האור" for unit in units
    )
