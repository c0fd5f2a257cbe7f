"""The content cxcs launches with: one article in Turkish and Hebrew, and the tour page.

The texts come from the translators' files, restructured once into Markdown
(launch/body.*.md: one copy of the body, real headings, block quotations).
Loading only ever adds what is missing, so running it again changes nothing
and never overwrites an editor's work.
"""

import functools
import io
from dataclasses import dataclass
from pathlib import Path

import reversion
from django.core.files.base import ContentFile
from django.db import transaction
from PIL import Image, ImageDraw, ImageFont

from . import editing, history
from .languages import localized
from .models import Article, Concept, TourPage

LAUNCH_DIR = Path(__file__).resolve().parent / "launch"

# The translators left the title in English in both files; editors translate it.
TITLE = "Know Your Terminology: Customer Support vs Customer Experience"

LEDES = {
    "tr": (
        "Müşteri desteği ile müşteri deneyimi arasındaki fark nedir? Mükemmel müşteri "
        "desteğinin genel müşteri deneyimi üzerindeki etkisini keşfedin."
    ),
    "he": (
        "מה ההבדל בין תמיכת לקוחות לחווית לקוח? גלה את ההשפעה של תמיכת לקוחות נהדרת "
        "על חווית הלקוח הכוללת."
    ),
}

IMAGE_ALTS = {
    "tr": (
        "Müşteri deneyimini (CX) gösteren büyük bir daire ve içinde, onun bir parçası "
        "olarak müşteri desteğini (CS) gösteren küçük bir daire."
    ),
    "he": "עיגול גדול של חווית הלקוח (CX), ובתוכו עיגול קטן של תמיכת הלקוחות (CS) כחלק ממנה.",
    "en": (
        "A large circle for customer experience (CX) holding a small circle for "
        "customer support (CS), one part of the whole."
    ),
}

TOUR_TEXTS = {
    "tr": (
        "Guru platformunun gücünü ilk elden deneyimleyin - etkileşimli ürün turumuzu yapın",
        "Tur yapın",
    ),
    "he": ("חוויית הפלטפורמה של Guru מהלך ראשון – קח את סיור המוצר האינטראקטיבי שלנו", "קח סיור"),
    "en": (
        "Experience the Guru platform first-hand – take our interactive product tour",
        "Take the tour",
    ),
}
# The term base the site starts with: the article's own concepts. Per language,
# the approved term first, then other accepted forms; forbidden variants as
# "variant → replacement" (see articles/terms.py for how words are matched).
CONCEPTS = [
    {
        "terms": {
            "tr": ["müşteri deneyimi", "CX"],
            "he": ["חוויית לקוח", "חוויות לקוח", "CX"],
            "en": ["customer experience", "CX"],
        },
        "forbidden": {},
        "note": "The whole journey with a brand; CX for short.",
    },
    {
        "terms": {
            "tr": ["müşteri desteği", "müşteri destek", "müşteri hizmetleri", "CS"],
            "he": ["תמיכת לקוחות", "שירות לקוחות", "CS"],
            "en": ["customer support", "customer service", "CS"],
        },
        "forbidden": {"he": ["תמיכת לקוח → תמיכת לקוחות"]},
        "note": "One part of customer experience; CS for short.",
    },
    {
        "terms": {
            "tr": ["müşteri başarı yöneticisi", "CSM"],
            "he": ["מנהל הצלחת לקוחות", "CSM"],
            "en": ["customer success manager", "CSM"],
        },
        "forbidden": {},
        "note": "A role; CSM is kept in Latin letters in every language.",
    },
    {
        "terms": {
            "tr": ["deneyim"],
            "he": ["חוויה", "חוויית", "חוויות"],
            "en": ["experience"],
        },
        "forbidden": {"he": ["חווית → חוויית"]},
        "note": "Hebrew writes the construct state in full spelling: חוויית, never חווית.",
    },
    {
        "terms": {"tr": ["terminoloji"], "he": ["טרמינולוגיה"], "en": ["terminology"]},
        "forbidden": {},
        "note": "",
    },
    {
        "terms": {"tr": ["SaaS"], "he": ["SaaS"], "en": ["SaaS"]},
        "forbidden": {},
        "note": "Software as a service: never translated.",
    },
]

# Where the tour button leads until an editor sets it in the admin.
TOUR_DESTINATION = "https://www.getguru.com/"


@dataclass
class LoadResult:
    article_created: bool
    tour_page_created: bool
    concepts_created: int = 0


@functools.cache
def draw_figure():
    """PNG bytes of the figure: support (CS) drawn as one part of the whole experience (CX)."""
    width, height = 1200, 675
    image = Image.new("RGB", (width, height), "#f3f5f8")
    draw = ImageDraw.Draw(image)
    centre_x, centre_y, radius = 600, 345, 300
    draw.ellipse(
        (centre_x - radius, centre_y - radius, centre_x + radius, centre_y + radius),
        fill="#d6e6f7",
        outline="#0b5cad",
        width=8,
    )
    # The other moments of the experience: advertising, research, purchase, renewal...
    for x, y in [(540, 150), (670, 165), (790, 235), (410, 440), (530, 540), (400, 220)]:
        draw.ellipse((x - 26, y - 26, x + 26, y + 26), fill="#9cc2ea")
    support_x, support_y, support_radius = 720, 420, 120
    draw.ellipse(
        (
            support_x - support_radius,
            support_y - support_radius,
            support_x + support_radius,
            support_y + support_radius,
        ),
        fill="#0b5cad",
    )
    font = ImageFont.load_default(size=96)
    draw.text((centre_x - 130, centre_y - 20), "CX", font=font, fill="#0b3d73", anchor="mm")
    draw.text((support_x, support_y), "CS", font=font, fill="#ffffff", anchor="mm")
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", optimize=True)
    return buffer.getvalue()


def new_article():
    article = Article(title_en=TITLE)
    for code in ("tr", "he"):
        body = (LAUNCH_DIR / f"body.{code}.md").read_text(encoding="utf-8")
        setattr(article, localized("is_published", code), True)
        setattr(article, localized("title", code), TITLE)
        setattr(article, localized("lede", code), LEDES[code])
        setattr(article, localized("meta_description", code), LEDES[code])
        setattr(article, localized("body", code), body)
    for code, alt in IMAGE_ALTS.items():
        setattr(article, localized("image_alt", code), alt)
    article.image = ContentFile(draw_figure(), name="cx-cs-part-of-whole.png")
    return article


def new_tour_page():
    page = TourPage(destination_url=TOUR_DESTINATION)
    for code, (text, label) in TOUR_TEXTS.items():
        setattr(page, localized("text", code), text)
        setattr(page, localized("button_label", code), label)
    return page


def new_concepts():
    concepts = []
    for values in CONCEPTS:
        concept = Concept(note=values["note"])
        for code, forms in values["terms"].items():
            setattr(concept, localized("terms", code), "\n".join(forms))
        for code, forms in values["forbidden"].items():
            setattr(concept, localized("forbidden", code), "\n".join(forms))
        concepts.append(concept)
    return concepts


def load_launch_content():
    """Add the launch article to a site that has no article yet, fill an absent tour
    page, and start an empty term base with the article's concepts."""
    # What is added makes the first revision of each, one revision for both.
    with transaction.atomic(), reversion.create_revision():
        article_created = not Article.objects.exists()
        if article_created:
            editing.save(new_article(), note=history.LAUNCH)
        tour_page_created = not TourPage.objects.exists()
        if tour_page_created:
            editing.save(new_tour_page(), note=history.LAUNCH)
        concepts = [] if Concept.objects.exists() else Concept.objects.bulk_create(new_concepts())
    return LoadResult(
        article_created=article_created,
        tour_page_created=tour_page_created,
        concepts_created=len(concepts),
    )
