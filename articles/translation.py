from modeltranslation.translator import TranslationOptions, register

from .models import Article, TourPage


@register(Article)
class ArticleTranslationOptions(TranslationOptions):
    fields = (
        "title",
        "slug",
        "lede",
        "body",
        "meta_description",
        "image_alt",
        "search_text",
        "is_published",
    )


@register(TourPage)
class TourPageTranslationOptions(TranslationOptions):
    fields = ("text", "button_label")
