"""An image's `<picture>` element, made in Python: the article page, the cards of a
list and the `{% picture %}` tag of other templates (an author's photo, the
tour page's image) write it with the one function."""

from django import template
from django.utils.formats import localize
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe

register = template.Library()


@register.simple_tag
def picture(pictures, width, height, *, alt="", lazy=False, priority=False):
    return mark_safe(picture_html(pictures, alt, width, height, lazy=lazy, priority=priority))


def shown(value):
    """`value` as `{{ value }}` shows it in a template rendered without a request."""
    return conditional_escape(str(localize(value)))


def picture_html(pictures, alt, width, height, *, lazy=False, priority=False):
    """An image's `<picture>` from `pictures` (images.PictureSources): loaded lazily,
    or first (`priority`: the largest image above the fold), or as it comes."""
    webp = ""
    if pictures.webp_srcset:
        webp = (
            f'<source type="image/webp" srcset="{shown(pictures.webp_srcset)}" '
            f'sizes="{shown(pictures.sizes)}">'
        )
    srcset = ""
    if pictures.srcset:
        srcset = f' srcset="{shown(pictures.srcset)}" sizes="{shown(pictures.sizes)}"'
    loading = ' loading="lazy" decoding="async"' if lazy else ""
    if priority and not lazy:
        loading = ' fetchpriority="high"'
    return (
        f'<picture>\n  {webp}\n  <img src="{shown(pictures.src)}"{srcset} alt="{shown(alt or "")}" '
        f'width="{shown(width)}" height="{shown(height)}"{loading}>\n</picture>\n'
    )
