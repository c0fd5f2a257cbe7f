"""The content cxcs launches with: one article in Turkish and Hebrew, its topic and
author, and the tour page.

The article's first revision is the translators' text exactly as received,
restructured once into Markdown (launch/body.*.md: one copy of the body, real
headings, block quotations; the same words, tests/test_launch_content.py
checks them against the source). Its second revision is an editor's sign-off:
the corrections in EDITOR_FIXES, saved by the editor's account, so the
history shows exactly what the editor changed.

Loading only ever adds what is missing, so running it again changes nothing
and never overwrites an editor's work: the sign-off is saved only on an
article still exactly as loaded, with no revision but its first.
"""

import functools
import io
from dataclasses import dataclass
from pathlib import Path

import reversion
from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.db import transaction
from PIL import Image, ImageDraw, ImageFont
from reversion.models import Version

from articles.languages import localized
from articles.models import Article, Author, Concept, Topic, TourPage
from articles.text.rendering import slugify_for_language
from articles.writing import editing, history

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
        "cxcs Yayın Ekibi",
        "Müşteri desteği ve müşteri deneyimi üzerine yazıları seçen, çeviren ve düzenleyen ekip.",
    ),
    "he": (
        "צוות המערכת של cxcs",
        "הצוות שבוחר, מתרגם ועורך את המאמרים על תמיכת לקוחות ועל חוויית לקוח.",
    ),
    "en": (
        "The cxcs editorial team",
        "The team that chooses, translates and edits the articles on customer support "
        "and customer experience.",
    ),
}

# The editor's sign-off of the launch article: the titles translated, and
# each correction of the body as (text as received, text as corrected), each
# found exactly once in the body it corrects.
EDITOR = "launch-editor"
SIGNED_OFF_TITLES = {
    "tr": "Terminolojinizi Bilin: Müşteri Desteği ve Müşteri Deneyimi",
    "he": "הכירו את המונחים: תמיכת לקוחות מול חוויית לקוח",
}
EDITOR_FIXES = {
    "tr": [
        # A garbled phrase: "our own Head of Brand".
        (
            "Kendi Markamızın Başkannte, Christine Richardson şunu belirtmeyi sever:",
            "Marka Başkanımız Christine Richardson şunu belirtmeyi sever:",
        ),
        # The analogy said every rectangle is a square.
        (
            "Farkı anlamanın en iyi yolu, geometrik derslerden geri dönmektir, her "
            "dikdörtgenin bir kare olduğunu ama her karenin dikdörtgen olmadığını "
            "öğrendiğinizde?",
            "Farkı anlamanın belki de en iyi yolu, her karenin bir dikdörtgen olduğunu "
            "ama her dikdörtgenin bir kare olmadığını öğrendiğiniz geometri derslerini "
            "hatırlamaktır.",
        ),
    ],
    "he": [
        # "the Apple": a brand name takes no article.
        ("עד שהאפל הציגה", "עד שאפל הציגה"),
        # "דרך" (way) is feminine.
        ("אז, מהו הדרך הטובה ביותר", "אז, מהי הדרך הטובה ביותר"),
        # Blake Morgan, a customer-experience futurist, is a woman; the source
        # made her "the father of the futuristic customer experiences".
        (
            "אבי החוויות הלקוח העתידניות בלייק מורגן מסביר זאת כך:",
            "חוקרת העתיד של חוויית הלקוח, בלייק מורגן, מסבירה זאת כך:",
        ),
        ("[חווית הלקוח] לא היא אינטראקציה חד פעמית", "[חווית הלקוח] אינה אינטראקציה חד־פעמית"),
        (
            "לכל אינטראקציה שהלקוח שלך יש עם החברה שלך",
            "לכל אינטראקציה שיש ללקוח שלך עם החברה שלך",
        ),
        # "תמיכה" (support) is feminine.
        (
            "## מהו תמיכת הלקוחות או שירות הלקוחות (CS)?",
            "## מהי תמיכת הלקוחות או שירות הלקוחות (CS)?",
        ),
        ("חלק מחוויה הלקוח הכוללת", "חלק מחוויית הלקוח הכוללת"),
        # "נוסע" (travels) for "פונה" (turns to, asks for help).
        ("רגע שבו לקוח נוסע עם בעיה", "רגע שבו לקוח פונה עם בעיה"),
        # "all of them squares" for "all squares".
        ("שכולם ריבועים הם מלבנים", "שכל הריבועים הם מלבנים"),
    ],
}


@dataclass
class LoadResult:
    article_created: bool
    tour_page_created: bool
    concepts_created: int = 0
    signed_off: bool = False


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
    """The account the editor's sign-off is saved by: an editor who cannot log in
    until someone gives them a password."""
    user, created = get_user_model().objects.get_or_create(
        username=EDITOR, defaults={"is_staff": True}
    )
    if created:
        user.set_unusable_password()
        user.save()
    return user


def is_as_loaded(article):
    """Whether `article` is the launch article exactly as loaded: its texts the
    translators', and no revision but its first."""
    for code in ("tr", "he"):
        if getattr(article, localized("title", code)) != TITLE:
            return False
        if getattr(article, localized("body", code)) != seed_body(code).strip():
            return False
    return Version.objects.get_for_object(article).count() == 1


def sign_off(article):
    """Save the editor's corrections of the launch `article` as its second revision."""
    for code, fixes in EDITOR_FIXES.items():
        body = getattr(article, localized("body", code))
        for received, corrected in fixes:
            if body.count(received) != 1:
                raise ValueError(f"{code}: expected {received!r} once in the launch body")
            body = body.replace(received, corrected)
        setattr(article, localized("body", code), body)
    for code, title in SIGNED_OFF_TITLES.items():
        setattr(article, localized("title", code), title)
        # The address follows the translated title; the old one redirects.
        setattr(article, localized("slug", code), slugify_for_language(title, language=code))
    # The editor read every translation against the corrected Turkish.
    source = article.texts_in(article.source_language)
    signed_off = {code: source for code in article.targets if article.has_content_in(code)}
    return editing.save(article, user=editor(), translation_sources=signed_off)


def add_launch_article():
    """Add the launch article with its topic and author, signed off: its first
    revision as received, its second the editor's."""
    with reversion.create_revision():
        seed = new_article(topic=launch_topic(), author=launch_author())
        article = editing.save(seed, note=history.LAUNCH).obj
    return sign_off(article).obj


def load_launch_content():
    """Add the launch article (signed off) to a site that has no article yet, fill an
    absent tour page, sign off a launch article still exactly as loaded, and start an
    empty term base with the article's concepts."""
    with transaction.atomic():
        article_created = not Article.objects.exists()
        if article_created:
            add_launch_article()
        tour_page_created = not TourPage.objects.exists()
        if tour_page_created:
            editing.save(new_tour_page(), note=history.LAUNCH)
        # Loaded before the editor's sign-off existed: signed off now, unless
        # anyone has changed it since.
        unsigned = [
            article
            for article in Article.objects.filter(
                **{localized("title", code): TITLE for code in ("tr", "he")}
            )
            if is_as_loaded(article)
        ]
        for article in unsigned:
            sign_off(article)
        concepts = [] if Concept.objects.exists() else Concept.objects.bulk_create(new_concepts())
    return LoadResult(
        article_created=article_created,
        tour_page_created=tour_page_created,
        signed_off=article_created or bool(unsigned),
        concepts_created=len(concepts),
    )
