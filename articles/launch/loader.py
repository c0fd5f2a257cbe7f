"""The content cxcs launches with: one article in Turkish and Hebrew, its topic and
author, and the tour page.

The article's first revision is the translators' text exactly as received,
restructured once into Markdown (launch/body.*.md: one copy of the body, real
headings, block quotations; the same words, tests/test_launch_content.py
checks them against the source); the tour page's, the call to action as
received. The editor's revisions follow (launch/editor.py), each saved by the
editor's account, so the history shows exactly what the editor changed.

Loading only ever adds what is missing, so running it again changes nothing
and never overwrites anyone's work: an editor's revision is saved only on
content still exactly as the launch content left it, with no revision of
anyone else's.
"""

import functools
import io
from dataclasses import dataclass, field
from pathlib import Path

import reversion
from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.db import transaction
from PIL import Image, ImageDraw, ImageFont
from reversion.models import Version

from articles import languages
from articles.languages import localized
from articles.models import Article, Author, Brand, Concept, Topic, TourPage
from articles.text.rendering import slugify_for_language
from articles.writing import editing, history

from .editor import (
    ARTICLE_REVISIONS,
    AUTHOR_NAMES,
    AUTHOR_REVISIONS,
    EDITOR,
    EDITOR_FIXES,
    FIRST_AUTHOR_NAMES,
    SIGNED_OFF_TITLES,
    TOUR_PAGE_REVISIONS,
)

__all__ = ["EDITOR", "EDITOR_FIXES", "SIGNED_OFF_TITLES", "load_launch_content"]

LAUNCH_DIR = Path(__file__).resolve().parent

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
            "he": ["חוויית לקוח | חוויות לקוח | חוויות לקוחות", "CX"],
            "en": ["customer experience", "CX"],
        },
        "forbidden": {},
        "note": "The whole journey with a brand; CX for short.",
    },
    {
        "terms": {
            "tr": ["müşteri desteği", "müşteri destek", "müşteri hizmetleri", "CS"],
            "he": ["תמיכת לקוחות", "שירות לקוחות | שירות הלקוחות", "CS"],
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
            "he": ["חוויה | חוויית | חוויות"],
            "en": ["experience"],
        },
        "forbidden": {"he": ["חווית → חוויית"]},
        "note": "Hebrew writes the construct state in full spelling: חוויית, never חווית.",
    },
    {
        "terms": {
            "tr": ["terminoloji"],
            "he": ["טרמינולוגיה", "מונחים | מונח"],
            "en": ["terminology", "terms"],
        },
        "forbidden": {},
        "note": "The words a field uses for its ideas; also said as its terms.",
    },
    {
        "terms": {"tr": ["SaaS"], "he": ["SaaS"], "en": ["SaaS"]},
        "forbidden": {},
        "note": "Software as a service: never translated.",
    },
]

# Where the tour button leads until an editor sets it in the admin.
TOUR_DESTINATION = "https://www.getguru.com/"

# The site speaks as the company whose article and tour it publishes: its name,
# shown as a text wordmark (no logo file of another company's is copied here);
# its tagline is the interface's until editors write one (docs/design.md).
BRAND_NAME = "Guru"

# The launch article's topic, and its author: the team that publishes it (the
# source names no writer).
TOPIC = {
    "tr": (
        "Müşteri deneyimi",
        "Müşterinin bir markayla yolculuğunun tamamı ve müşteri desteğinin bu yolculuktaki yeri.",
    ),
    "he": ("חוויית לקוח", "המסע כולו של הלקוח עם המותג, ומקומה של תמיכת הלקוחות בתוכו."),
    "en": (
        "Customer experience",
        "The customer's whole journey with a brand, and where support fits in it.",
    ),
}
AUTHOR = {
    "tr": (
        AUTHOR_NAMES["tr"],
        "Müşteri desteği ve müşteri deneyimi üzerine yazıları seçen, çeviren ve düzenleyen ekip.",
    ),
    "he": (
        AUTHOR_NAMES["he"],
        "הצוות שבוחר, מתרגם ועורך את המאמרים על תמיכת לקוחות ועל חוויית לקוח.",
    ),
    "en": (
        AUTHOR_NAMES["en"],
        "The team that chooses, translates and edits the articles on customer support "
        "and customer experience.",
    ),
}


@dataclass
class LoadResult:
    article_created: bool
    tour_page_created: bool
    brand_created: bool = False
    concepts_created: int = 0
    # What the editor's revisions were saved on: "article", "tour page", "author".
    revised: list = field(default_factory=list)


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


def seed_body(language):
    return (LAUNCH_DIR / f"body.{language}.md").read_text(encoding="utf-8")


def new_article(*, topic=None, author=None):
    """The launch article as the translators sent it (its first revision)."""
    article = Article(title_en=TITLE, topic=topic, author=author)
    for code in ("tr", "he"):
        setattr(article, localized("is_published", code), True)
        setattr(article, localized("title", code), TITLE)
        setattr(article, localized("lede", code), LEDES[code])
        setattr(article, localized("meta_description", code), LEDES[code])
        setattr(article, localized("body", code), seed_body(code))
    for code, alt in IMAGE_ALTS.items():
        setattr(article, localized("image_alt", code), alt)
    article.image = ContentFile(draw_figure(), name="cx-cs-part-of-whole.png")
    return article


def new_named(model, texts, field, **values):
    obj = model(**values)
    for code, (name, text) in texts.items():
        setattr(obj, localized("name", code), name)
        setattr(obj, localized(field, code), text)
    return obj


def launch_topic():
    """The launch topic, made if no topic has its Turkish slug."""
    slug = slugify_for_language(TOPIC["tr"][0], language="tr")
    found = Topic.objects.filter(slug_tr=slug).first()
    return found or editing.save(new_named(Topic, TOPIC, "description"), note=history.LAUNCH).obj


def launch_author():
    """The launch author, made if no author has its Turkish slug."""
    slug = slugify_for_language(AUTHOR["tr"][0], language="tr")
    found = Author.objects.filter(slug_tr=slug).first()
    if found is not None:
        return found
    author = new_named(Author, AUTHOR, "bio", is_team=True)
    return editing.save(author, note=history.LAUNCH).obj


def new_tour_page():
    page = TourPage(destination_url=TOUR_DESTINATION)
    for code, (text, label) in TOUR_TEXTS.items():
        setattr(page, localized("text", code), text)
        setattr(page, localized("button_label", code), label)
        setattr(page, localized("is_published", code), True)
        setattr(page, localized("image_alt", code), IMAGE_ALTS[code])
    page.image = ContentFile(draw_figure(), name="cx-cs-part-of-whole.png")
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


def editor():
    """The account the editor's revisions are saved by: an editor who cannot log in
    until someone gives them a password."""
    user, created = get_user_model().objects.get_or_create(
        username=EDITOR, defaults={"is_staff": True}
    )
    if created:
        user.set_unusable_password()
        user.save()
    return user


# The texts the launch content and the editor's revisions write, compared to
# tell whether a copy is still exactly as they left it.
ARTICLE_TEXTS = [
    *(localized(name, code) for name in Article.TRANSLATED_TEXTS for code in ("tr", "he", "en")),
    *(localized("slug", code) for code in ("tr", "he")),
]
TOUR_PAGE_TEXTS = [
    "destination_url",
    *(localized(name, code) for name in TourPage.TRANSLATED_TEXTS for code in languages.CODES),
]
AUTHOR_TEXTS = [localized(name, code) for name in ("name", "bio") for code in languages.CODES]


def first_author():
    """The launch author as first loaded, before the team was named for the brand."""
    texts = {code: (FIRST_AUTHOR_NAMES[code], bio) for code, (_name, bio) in AUTHOR.items()}
    return new_named(Author, texts, "bio", is_team=True)


def first_article():
    article = new_article()
    for code in ("tr", "he"):
        # As stored: the write path made each slug from the title.
        setattr(article, localized("slug", code), slugify_for_language(TITLE, language=code))
    return article


def revisions_done(obj, first, revisions, texts):
    """How many of `revisions` `obj` has had, when it is exactly as the launch content
    left it: `first()` as first saved, then that many of the editor's revisions.
    None when anyone else has saved it."""
    versions = list(
        Version.objects.get_for_object(obj).select_related("revision__user").order_by("pk")
    )
    done = len(versions) - 1
    if not 0 <= done <= len(revisions):
        return None
    if any(getattr(v.revision.user, "username", None) != EDITOR for v in versions[1:]):
        return None
    expected = first()
    for revision in revisions[:done]:
        revision.apply(expected)
    for name in texts:
        stored, wanted = getattr(obj, name) or "", getattr(expected, name) or ""
        if editing.normalize_text(stored) != editing.normalize_text(wanted):
            return None
    return done


def revise(obj, revisions, *, done, translated=False):
    """Save each of `revisions` after the first `done` on `obj` as a revision of the
    editor's; return how many were saved."""
    for revision in revisions[done:]:
        revision.apply(obj)
        sources = None
        if translated:
            # The editor read every translation against the corrected Turkish.
            source = obj.texts_in(obj.source_language)
            sources = {code: source for code in obj.targets if obj.has_content_in(code)}
        obj = editing.save(obj, user=editor(), translation_sources=sources).obj
    return len(revisions) - done


def revise_launch_content():
    """Give the launch article, tour page and author the editor's revisions they lack,
    where each is still exactly as the launch content left it. Returns what was revised."""
    revised = []
    titles = {TITLE, *(revision.values.get("title_tr") for revision in ARTICLE_REVISIONS)}
    for article in Article.objects.filter(title_tr__in=titles - {None}):
        done = revisions_done(article, first_article, ARTICLE_REVISIONS, ARTICLE_TEXTS)
        if done is not None and revise(article, ARTICLE_REVISIONS, done=done, translated=True):
            revised.append("article")
    page = TourPage.objects.order_by("pk").first()
    if page is not None:
        done = revisions_done(page, new_tour_page, TOUR_PAGE_REVISIONS, TOUR_PAGE_TEXTS)
        if done is not None and revise(page, TOUR_PAGE_REVISIONS, done=done):
            revised.append("tour page")
    for author in Author.objects.filter(name_tr=FIRST_AUTHOR_NAMES["tr"]):
        done = revisions_done(author, first_author, AUTHOR_REVISIONS, AUTHOR_TEXTS)
        if done is not None and revise(author, AUTHOR_REVISIONS, done=done):
            revised.append("author")
    return revised


def add_launch_article():
    """Add the launch article with its topic and author: its first revision as
    received, then the editor's."""
    with reversion.create_revision():
        seed = new_article(topic=launch_topic(), author=launch_author())
        article = editing.save(seed, note=history.LAUNCH).obj
    revise(article, ARTICLE_REVISIONS, done=0, translated=True)
    return Article.objects.get(pk=article.pk)


def load_launch_content():
    """Add the launch article to a site that has no article yet, fill an absent tour
    page and brand, give launch content still exactly as loaded the editor's
    revisions it lacks, and start an empty term base with the article's concepts."""
    with transaction.atomic():
        article_created = not Article.objects.exists()
        if article_created:
            add_launch_article()
        tour_page_created = not TourPage.objects.exists()
        if tour_page_created:
            editing.save(new_tour_page(), note=history.LAUNCH)
        brand_created = not Brand.objects.exists()
        if brand_created:
            editing.save(Brand(name=BRAND_NAME), note=history.LAUNCH)
        # Loaded before some of the editor's revisions existed: revised now,
        # unless anyone has changed it since.
        revised = revise_launch_content()
        concepts = [] if Concept.objects.exists() else Concept.objects.bulk_create(new_concepts())
    return LoadResult(
        article_created=article_created,
        tour_page_created=tour_page_created,
        brand_created=brand_created,
        revised=["article", *revised] if article_created else revised,
        concepts_created=len(concepts),
    )
