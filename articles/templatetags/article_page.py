"""The parts of an article's page made in Python rather than by template nodes.

An uncached article page spent most of its time in Django's template engine:
each `{{ }}` and `{% if %}` of its header, byline and table of contents is a
node, a variable lookup and an escape. These tags write the same bytes the
template did (tests/test_article_page.py compares them with golden copies):
values go through `render_value_in_context` as `{{ }}` put them, translated
texts through the same msgids as `{% translate %}` and `{% blocktranslate %}`.
"""

from django import template
from django.template.base import render_value_in_context
from django.utils.formats import date_format
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext, ngettext

from articles.text.rendering import place_figure, places_figure

from .bidi import isolate_latin
from .dates import in_page_zone
from .pictures import picture_html, shown

register = template.Library()

# The `date` filter's formats of the byline's time: machine-readable, then as readers read it.
ISO_FORMAT = r"Y-m-d\TH:i:sO"


@register.simple_tag(takes_context=True)
def article_header(context, article):
    """`article`'s header (topic, title, lede, byline) and its table of contents."""
    topic = article.topic
    lines = ['<header class="article-header">']
    if topic and topic.name:
        url = render_value_in_context(topic.get_absolute_url(), context)
        lines.append(
            f'<p class="article-topic"><a href="{url}">{isolate_latin(topic.name)}</a></p>'
        )
    else:
        lines.append("")
    lines.append(f"<h1>{isolate_latin(article.title)}</h1>")
    lines.append(f'<p class="lede">{isolate_latin(article.lede)}</p>' if article.lede else "")
    lines.append('<div class="byline">')
    parts = "\n    ".join(lines)
    byline = byline_parts(context, article)
    return mark_safe(f"{parts}\n      {byline}\n    </div>\n  </header>\n  {toc(context, article)}")


def byline_parts(context, article):
    """What `{% with author=article.author %}` held: the photo and the byline's text."""
    author = article.author
    name = author.name if author else ""
    photo = ""
    if author and author.photo and name:
        picture = picture_html(author.byline_sources, "", author.photo_width, author.photo_height)
        photo = f'<span class="byline-photo">{picture}</span>'
    text = ""
    if name:
        by = gettext('By <a href="%(url)s" rel="author">%(name)s</a>') % {
            "url": render_value_in_context(author.get_absolute_url(), context),
            "name": render_value_in_context(isolate_latin(name), context),
        }
        text = f'<span class="byline-author">{by}</span> · '
    if article.published_at:
        when = in_page_zone(article.published_at)
        text += (
            f'<time datetime="{conditional_escape(date_format(when, ISO_FORMAT))}">'
            f"{conditional_escape(date_format(when, 'DATE_FORMAT'))}</time> · "
        )
    minutes = article.reading_minutes
    reading = ngettext(
        "Reading time: %(minutes)s minute", "Reading time: %(minutes)s minutes", minutes
    ) % {"minutes": render_value_in_context(minutes, context)}
    text += f'<span class="reading-time">{reading}</span>'
    return f'\n      {photo}\n      <p class="byline-text">{text}</p>\n      '


def toc(context, article):
    """The table of contents' `<nav>`, or what its `{% if %}` left without one."""
    if not article.toc:
        return ""
    items = "".join(
        f'\n      <li class="toc-level-{render_value_in_context(heading["level"], context)}">'
        f'<a href="#{render_value_in_context(heading["id"], context)}">'
        f"{isolate_latin(heading['name'])}</a></li>\n      "
        for heading in article.toc
    )
    return (
        '\n  <nav class="toc" aria-labelledby="toc-title">\n'
        f'    <h2 id="toc-title">{gettext("Contents")}</h2>\n'
        f"    <ol>\n      {items}\n    </ol>\n  </nav>\n  "
    )


@register.simple_tag
def article_body(article):
    """`article`'s rendered body with its figure where the body places it, or opening it."""
    figure = article_figure(article, is_below_the_fold=places_figure(article.body_html))
    return mark_safe(place_figure(article.body_html, figure))


def article_figure(article, is_below_the_fold):
    """`article`'s figure (once includes/article_figure.html): its image,
    loaded lazily when it stands below the fold, with caption and credit."""
    if not article.image:
        return "\n"
    picture = picture_html(
        article.image_sources,
        article.image_alt,
        article.image_width,
        article.image_height,
        lazy=is_below_the_fold,
    )
    caption, credit = article.image_caption, article.image_credit
    figcaption = ""
    if caption or credit:
        if caption:
            figcaption += f'<span class="figure-caption">{isolate_latin(caption)}</span>'
        if credit:
            label = gettext("Image: <bdi>%(credit)s</bdi>") % {"credit": shown(credit)}
            figcaption += f' <span class="figure-credit">{label}</span>'
        figcaption = f"<figcaption>{figcaption}</figcaption>"
    return mark_safe(f'<figure class="article-figure">\n  {picture}\n  {figcaption}\n</figure>\n')
