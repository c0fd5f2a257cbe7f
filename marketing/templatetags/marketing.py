from django import template
from django.template.defaultfilters import floatformat
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe
from django.utils.translation import gettext

from articles import languages

from .. import experiments
from ..models import Experiment

register = template.Library()


@register.simple_tag(takes_context=True)
def tour_call_to_action(context, article, tour_page):
    """The end of `article`: the tour page's call to action, linking to the tour page
    with the campaign parameters that attribute a visit to the article, and the
    tiny image that counts the article as read.

    While an experiment on articles' call to action runs in the page's
    language, every variant is there between markers, and each response keeps
    one (marketing/experiments.py): the page is made, and cached, once.
    """
    language = context["LANGUAGE_CODE"]
    experiment = experiments.running(language)
    if experiment is None or experiment.place != Experiment.Place.ARTICLE:
        return render_cta(article, tour_page, language, tour_page.text, tour_page.button_label)
    blocks = [
        (variant.weight, render_cta(article, tour_page, language, variant.text,
                                    variant.button_label, experiments.variant_token(variant)))
        for variant in experiment.variants.all()
    ]  # fmt: skip
    return mark_safe(experiments.mark_variants(blocks))


def render_cta(article, tour_page, language, text, button_label, variant=""):
    query = {"utm_source": "article", "utm_medium": "cta", "utm_content": article.slug}
    if variant:
        query["variant"] = variant
    context = {
        "text": text,
        "button_label": button_label,
        "is_available": tour_page.is_available_in(language),
        "url": languages.reverse_in(language, "marketing:tour", query=query),
        "read_url": languages.reverse_in(
            language,
            "marketing:read",
            kwargs={"article_pk": article.pk},
            query={"variant": variant} if variant else None,
        ),
    }
    return render_to_string("includes/tour_cta.html", context)


@register.filter
def percent(value):
    """A share in percent to one decimal ("12.5%"), or "–" when there is none."""
    if value is None:
        return "–"
    return gettext("%(rate)s%%") % {"rate": floatformat(value, 1)}
