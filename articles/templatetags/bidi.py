from django import template
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe
from django.utils.translation import get_language_bidi

from ..bidi import isolate_latin_runs

register = template.Library()


@register.filter
def isolate_latin(value):
    """`value` escaped, its Latin runs isolated in <bdi> on a right-to-left page.

    For editors' plain text (titles, ledes) shown inside Hebrew: see
    `bidi.isolate_latin_runs`.
    """
    text = conditional_escape(value)
    if not get_language_bidi():
        return text
    # Escaped above; isolating adds only <bdi> tags.
    return mark_safe(isolate_latin_runs(text))
