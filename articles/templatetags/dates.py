from django import template
from django.templatetags.tz import do_timezone
from django.utils.translation import get_language

from articles import languages

register = template.Library()


@register.filter
def in_page_zone(value):
    """The aware datetime `value` in the time zone of the page's language
    (`languages.time_zone`), for the `date` filter to show."""
    if not value:
        return value
    return do_timezone(value, languages.time_zone(get_language()))
