from modeltranslation.translator import TranslationOptions, register

from .models import Article, Concept, TourPage


@register(Article)
class ArticleTranslationOptions(TranslationOptions):
    fields = (
        "title",
        "slug",
        "lede",
        "body",
        "meta_description",
        "image_alt",
        "body_html",
        "toc",
        "reading_minutes",
        "search_text",
        "translation_state",
        "is_published",
    )


@register(TourPage)
class TourPageTranslationOptions(TranslationOptions):
    fields = ("text", "button_label")


@register(Concept)
class ConceptTranslationOptions(TranslationOptions):
    fields = ("terms", "forbidden")
