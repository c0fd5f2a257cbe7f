from modeltranslation.translator import TranslationOptions, register

from .models import Article, Author, Brand, Concept, Topic, TourPage


@register(Article)
class ArticleTranslationOptions(TranslationOptions):
    fields = (
        "title",
        "slug",
        "lede",
        "body",
        "meta_description",
        "image_alt",
        "image_caption",
        "body_html",
        "toc",
        "reading_minutes",
        "search_title",
        "search_lede",
        "search_body",
        "translation_state",
        "needs_translation",
        "segments_done",
        "segments_total",
        "is_published",
    )


@register(TourPage)
class TourPageTranslationOptions(TranslationOptions):
    fields = (*TourPage.TRANSLATED_TEXTS, "is_published")


@register(Author)
class AuthorTranslationOptions(TranslationOptions):
    fields = ("name", "slug", "bio")


@register(Topic)
class TopicTranslationOptions(TranslationOptions):
    fields = ("name", "slug", "description")


@register(Brand)
class BrandTranslationOptions(TranslationOptions):
    fields = ("tagline",)


@register(Concept)
class ConceptTranslationOptions(TranslationOptions):
    fields = ("terms", "forbidden")
