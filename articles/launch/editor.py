"""The editor's revisions of the launch content, in the order they were made.

Each is saved by the editor's account as a revision of its own, on content
still exactly as the launch content left it, so the history shows what each
changed, and a site loaded before a revision existed receives it too, unless
someone has saved that content since.

1. The sign-off of the article: the titles translated, and the corrections of
   the body that garbled, misgendered or inverted its source.
2. House style: the site speaks as Guru, whose article and tour it
   publishes; Hebrew follows its term base (חוויית, never חווית) and speaks to
   readers in the plural, as the interface does; a lead-in never stops short
   of its quotation; Turkish and Hebrew dashes are en dashes. The tour page's
   call to action, garbled in the Hebrew received, is written anew.
"""

from dataclasses import dataclass, field

from articles.text.rendering import slugify_for_language

EDITOR = "launch-editor"


@dataclass(frozen=True)
class Revision:
    """What one revision changes: `values` gives fields new values, and `fixes`
    corrects a field's text, each (text as found, text as corrected) found
    exactly once in the text it corrects."""

    values: dict = field(default_factory=dict)
    fixes: dict = field(default_factory=dict)

    def apply(self, obj):
        for name, value in self.values.items():
            setattr(obj, name, value)
        for name, corrections in self.fixes.items():
            text = getattr(obj, name)
            for found, corrected in corrections:
                if text.count(found) != 1:
                    raise ValueError(f"{name}: expected {found!r} once")
                text = text.replace(found, corrected)
            setattr(obj, name, text)


SIGNED_OFF_TITLES = {
    "tr": "Terminolojinizi Bilin: Müşteri Desteği ve Müşteri Deneyimi",
    "he": "הכירו את המונחים: תמיכת לקוחות מול חוויית לקוח",
}
# The address follows the translated title; the old one redirects.
SIGNED_OFF_SLUGS = {
    code: slugify_for_language(title, language=code) for code, title in SIGNED_OFF_TITLES.items()
}

# The sign-off's corrections of the body, each as (text as received, text as corrected).
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

# House style, on the signed-off body.
HOUSE_STYLE_FIXES = {
    "tr": [
        # A hyphen standing for a dash.
        ("ne kadar olabilir - ya da", "ne kadar olabilir – ya da"),
        # "Breaking the social contract no one made, we would": the reader breaks
        # the unwritten contract with their customer.
        (
            "Müşterinizle konulmamış bir sosyal sözleşmeyi bozmamız olur.",
            "Müşterinizle aranızdaki yazılı olmayan sosyal sözleşmeyi bozmuş olursunuz.",
        ),
        # The lead-in stopped at "CX'i" and its verb stood inside the quotation.
        (
            "Yael McCue, CX'i\n\n> uzun vadeli birçok kişi arasında yapılan bir koordinasyon "
            "(sözleşmeyi kapatan satış temsilcisinden CSM'e, Ürün Takımına kadar) olarak "
            "görür, bu da müşteriyi her zaman dünyanın en önemli kişiymiş gibi hissettirir.",
            "Yael McCue CX'i şöyle tanımlar:\n\n> Birçok kişi arasında uzun vadeli bir "
            "koordinasyon (sözleşmeyi kapatan satış temsilcisinden CSM'e, Ürün Takımına "
            "kadar); müşteriye her zaman dünyanın en önemli kişisiymiş gibi hissettirir.",
        ),
    ],
    "he": [
        # The term base: חוויית, never חווית; readers addressed in the plural.
        ("מיתוג חווית שירות", "מיתוג חוויית שירות"),
        ("אחרי הכל, מי חשב", "אחרי הכול, מי חשב"),
        ("בין חווית הלקוח (CX)", "בין חוויית הלקוח (CX)"),
        ("## מהי חווית הלקוח (CX)?", "## מהי חוויית הלקוח (CX)?"),
        (
            "חווית הלקוח היא כל מסעו של הלקוח עם המותג שלך. זה הכל,",
            "חוויית הלקוח היא כל מסעו של הלקוח עם המותג שלכם. זה הכול,",
        ),
        ("> [חווית הלקוח] אינה", "> [חוויית הלקוח] אינה"),
        # The lead-in stopped at "that," before the quotation.
        (
            "חווית הלקוח מתחילה במיתוג של החברה. ראש המחלקה שלנו למיתוג, כריסטין "
            "ריצ'רדסון אוהבת להדגיש ש,",
            "חוויית הלקוח מתחילה במיתוג של החברה. ראש המחלקה שלנו למיתוג, כריסטין "
            "ריצ'רדסון, אוהבת להדגיש:",
        ),
        ("הזהות של החברה שלך.", "הזהות של החברה שלכם."),
        (
            "שיש ללקוח שלך עם החברה שלך. אילו סוגי הבטחות אתה עושה? איך אתה מממש אותן?",
            "שיש ללקוח שלכם עם החברה שלכם. אילו הבטחות אתם נותנים? איך אתם מממשים אותן?",
        ),
        ("זהות המותג הכוללת שלך. אם חווית הקנייה", "זהות המותג הכוללת שלכם. אם חוויית הקנייה"),
        ("יש לך שתי חוויות לקוח", "יש לכם שתי חוויות לקוח"),
        (
            "אתה תפר את החוזה החברתי הבלתי כתוב עם הלקוח שלך.",
            "אתם תפרו את החוזה החברתי הבלתי כתוב עם הלקוח שלכם.",
        ),
        ("כאן תמיכת הלקוחות שלך נכנסת", "כאן תמיכת הלקוחות שלכם נכנסת"),
        ("עד כמה אתה יכול לעזור", "עד כמה אתם יכולים לעזור"),
        (
            "ההצעה שלך (שכוללת את צוות השירות שלך)",
            "ההצעה שלכם (שכוללת את צוות השירות שלכם)",
        ),
        # The lead-in stopped at "as-".
        (
            "מנהלת צוות הצלחה אסטרטגית ב-Guru רואה את CX כ-",
            "מנהלת צוות הצלחה אסטרטגית ב-Guru, מתארת את CX כך:",
        ),
        ("ואתה עוזר לו בבעיה הזו.", "ואתם עוזרים לו בבעיה הזו."),
        ("כאשר למדת שכל הריבועים", "כאשר למדתם שכל הריבועים"),
        (
            "היא חווית לקוח, אבל לא כל חווית לקוח היא",
            "היא חוויית לקוח, אבל לא כל חוויית לקוח היא",
        ),
    ],
}

HOUSE_STYLE_LEDE_HE = (
    "מה ההבדל בין תמיכת לקוחות לחוויית לקוח? גלו את ההשפעה של תמיכת לקוחות מצוינת "
    "על חוויית הלקוח הכוללת."
)
HOUSE_STYLE_IMAGE_ALT_HE = (
    "עיגול גדול של חוויית הלקוח (CX), ובתוכו עיגול קטן של תמיכת הלקוחות (CS) כחלק ממנה."
)

ARTICLE_REVISIONS = [
    Revision(
        values={
            **{f"title_{code}": title for code, title in SIGNED_OFF_TITLES.items()},
            **{f"slug_{code}": slug for code, slug in SIGNED_OFF_SLUGS.items()},
        },
        fixes={f"body_{code}": fixes for code, fixes in EDITOR_FIXES.items()},
    ),
    Revision(
        values={
            "lede_he": HOUSE_STYLE_LEDE_HE,
            "meta_description_he": HOUSE_STYLE_LEDE_HE,
            "image_alt_he": HOUSE_STYLE_IMAGE_ALT_HE,
        },
        fixes={f"body_{code}": fixes for code, fixes in HOUSE_STYLE_FIXES.items()},
    ),
]

# The tour page's call to action as the editor wrote it: the brand's, with an en
# dash, the Hebrew in the plural and in Hebrew word order.
TOUR_PAGE_REVISIONS = [
    Revision(
        values={
            "text_tr": (
                "Guru platformunun gücünü ilk elden deneyimleyin – etkileşimli ürün "
                "turumuza katılın"
            ),
            "button_label_tr": "Turu başlatın",
            "text_he": "התנסו בפלטפורמה של Guru ממקור ראשון – צאו לסיור האינטראקטיבי במוצר",
            "button_label_he": "התחילו את הסיור",
            "button_label_en": "Start the tour",
            "image_alt_he": HOUSE_STYLE_IMAGE_ALT_HE,
        }
    ),
]

# The launch author was first loaded as "the cxcs editorial team"; the team is
# Guru's. Its addresses stay, so links to it keep working.
FIRST_AUTHOR_NAMES = {
    "tr": "cxcs Yayın Ekibi",
    "he": "צוות המערכת של cxcs",
    "en": "The cxcs editorial team",
}
AUTHOR_NAMES = {
    "tr": "Guru Yayın Ekibi",
    "he": "צוות המערכת של Guru",
    "en": "The Guru editorial team",
}
AUTHOR_REVISIONS = [
    Revision(values={f"name_{code}": name for code, name in AUTHOR_NAMES.items()}),
]
