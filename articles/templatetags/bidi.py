from django import template
from django.utils.html import conditional_escape
from django.utils.safestring import SafeData, mark_safe
from django.utils.translation import get_language_bidi

from articles.text.bidi import isolate_latin_runs, isolate_latin_text, mark_direction

register = template.Library()


@register.filter
def isolate_latin(value):
    """`value` escaped, its Latin phrases and numbers isolated on a right-to-left page.

    For editors' plain text (titles, ledes, the table of contents) shown inside
    Hebrew: see `bidi`. Cheap on text without Latin letters or digits.
    """
    if not get_language_bidi():
        return conditional_escape(value)
    if isinstance(value, SafeData):
        return mark_safe(isolate_latin_runs(value))
    # isolate_latin_text escapes the text and adds only <bdi> tags.
    return mark_safe(isolate_latin_text(str(value)))


@register.filter
def direction_mark(value):
    """`value` opened with a right-to-left mark on a right-to-left page when it
    begins with Latin or digits: for strings that cannot hold markup (the
    page's title, link previews), so readers that guess the direction from the
    first letter show them right to left. Unchanged anywhere else.
    """
    if not get_language_bidi():
        return value
    return mark_direction(value)
