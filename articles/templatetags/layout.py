"""The parts of every page's layout that are the same on many pages, made once per
page-cache generation (articles/site/sitewide.py)."""

from django import template
from django.utils.translation import get_language

from articles.site import sitewide

register = template.Library()


def site_of(context):
    # A template rendered without the request's context processors (none of
    # ours today) still gets its layout.
    return context.get("site") or sitewide.Site(get_language())


@register.simple_tag(takes_context=True)
def site_header(context):
    return sitewide.header(site_of(context), context.get("section"), context.get("owner"))


@register.simple_tag(takes_context=True)
def site_footer(context):
    return sitewide.footer(site_of(context))
