import pytest
from django.core.cache import caches

from articles.launch import load_launch_content
from articles.models import Article, TourPage

TURKISH_BODY = """Giriş paragrafı.

## Işık ve İçindekiler

Birinci bölüm.

> Bir alıntı.

## Çözüm

İkinci bölüm.
"""

HEBREW_BODY = """פסקת פתיחה.

## מהי חווית הלקוח (CX)?

פרק ראשון.

## חלק מהכול

פרק שני.
"""


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def tour_page(db):
    return TourPage.objects.create(
        text_tr="Platformu ilk elden deneyimleyin",
        button_label_tr="Tur yapın",
        text_he="חוו את הפלטפורמה ממקור ראשון",
        button_label_he="קח סיור",
        text_en="Experience the platform first-hand",
        button_label_en="Take the tour",
        destination_url="https://tour.example.com/start",
    )


@pytest.fixture
def article(db, tour_page):
    """A published article in Turkish and Hebrew; English has only a title."""
    return Article.objects.create(
        is_published_tr=True,
        is_published_he=True,
        title_tr="Işık Yolu",
        lede_tr="Türkçe giriş.",
        body_tr=TURKISH_BODY,
        title_he="דרך האור",
        lede_he="פתיח בעברית.",
        body_he=HEBREW_BODY,
        title_en="The Way of Light",
    )


@pytest.fixture
def draft(db):
    return Article.objects.create(
        title_tr="Taslak Yazı",
        body_tr="Henüz yayında değil.",
        title_he="טיוטה",
        body_he="עדיין לא פורסם.",
    )


@pytest.fixture
def launch(db):
    load_launch_content()
    return Article.objects.get()


@pytest.fixture(autouse=True)
def empty_cache():
    """Each test starts with no cached page: its content is its own."""
    for cache in caches.all():
        cache.clear()
