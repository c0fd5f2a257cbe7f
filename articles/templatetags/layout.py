"""The parts of every page's layout that are the same on many pages, made once per
page-cache generation (articles/site/sitewide.py)."""

from django import template

from articles.site import sitewide

register = template.Library()


@register.simple_tag(takes_context=True)
def site_header(context):
    return sitewide.header(context["site"], context.get("section"), context.get("owner"))


@register.simple_tag(takes_context=True)
def site_footer(context):
    return sitewide.footer(context["site"])
