from django import template
from django.utils import translation

from articles import languages

register = template.Library()


@register.inclusion_tag("includes/tour_cta.html")
def tour_call_to_action(article, tour_page):
    """The tour page's call to action at the end of `article`, linking to the tour
    page with the campaign parameters that attribute a visit to the article.
    Nothing while the tour page has no text in the page's language."""
    language = translation.get_language()
    if not tour_page.is_available_in(language):
        return {"tour": None}
    query = {"utm_source": "article", "utm_medium": "cta", "utm_content": article.slug}
    return {
        "tour": tour_page,
        "url": languages.reverse_in(language, "marketing:tour", query=query),
    }
