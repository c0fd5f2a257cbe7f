"""Article cards, made in Python rather than by template nodes: a list page shows
twelve, and each card's includes, variables and filters made most of its time.

They write the bytes includes/article_list.html and includes/article_card.html
wrote (tests/test_card_pages.py compares them with golden copies), values
going through `render_value_in_context` as `{{ }}` put them.
"""

from django import template
from django.template.base import render_value_in_context
from django.utils.formats import date_format
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe

from .article_page import ISO_FORMAT
from .bidi import isolate_latin
from .dates import in_page_zone
from .pictures import picture_html

register = template.Library()


@register.simple_tag(takes_context=True)
def article_list(context, articles, *, lazy=False, level=2, grid=False):
    """`articles` as a list of cards; the pictures of all but the first loaded lazily,
    or all of them with `lazy`."""
    if not articles:
        return mark_safe("\n")
    items = "".join(
        f"\n  <li>{card(context, article, lazy=lazy or number > 1, level=level)}</li>\n  "
        for number, article in enumerate(articles, start=1)
    )
    grid_class = " card-grid" if grid else ""
    return mark_safe(f'<ul class="article-list{grid_class}">\n  {items}\n</ul>\n')


@register.simple_tag(takes_context=True)
def article_card(context, article, *, featured=False, level=2):
    """`article`'s card, its picture loaded first (`featured`: the list's first, large)."""
    return mark_safe(card(context, article, featured=featured, level=level))


def card(context, article, *, featured=False, lazy=False, level=2):
    """`article`'s card: its picture, topic, title (a heading of `level`), lede,
    author and date."""
    if not article.image:
        picture = '<span class="card-placeholder"></span>'
    else:
        sources = article.featured_sources if featured else article.card_sources
        picture = picture_html(
            sources,
            "",
            article.image_width,
            article.image_height,
            lazy=lazy and not featured,
            priority=featured,
        )
    topic, author = article.topic, article.author
    topic_line = ""
    if topic and topic.name:
        url = render_value_in_context(topic.get_absolute_url(), context)
        topic_line = f'<p class="card-topic"><a href="{url}">{isolate_latin(topic.name)}</a></p>'
    url = render_value_in_context(article.get_absolute_url(), context)
    lede = f'<p class="card-lede">{isolate_latin(article.lede)}</p>' if article.lede else ""
    meta = ""
    if author and author.name:
        meta = f'<span class="card-author">{isolate_latin(author.name)}</span> · '
    machine = readable = ""
    if article.published_at:
        when = in_page_zone(article.published_at)
        machine = conditional_escape(date_format(when, ISO_FORMAT))
        readable = conditional_escape(date_format(when, "DATE_FORMAT"))
    featured_class = " card-featured" if featured else ""
    return (
        f'<article class="card{featured_class}">\n'
        f'  <div class="card-image">\n    {picture}\n  </div>\n'
        f'  <div class="card-text">\n    {topic_line}\n'
        f'    <h{level} class="card-title"><a href="{url}">{isolate_latin(article.title)}</a>'
        f"</h{level}>\n"
        f"    {lede}\n"
        f'    <p class="card-meta">{meta}<time datetime="{machine}">{readable}</time></p>\n'
        "  </div>\n</article>\n"
    )
