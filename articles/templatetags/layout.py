"""The parts of every page's layout that are the same on many pages, made once per
page-cache generation (articles/site/sitewide.py)."""

from django import template
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe
from django.utils.translation import get_language, gettext

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


@register.simple_tag(takes_context=True)
def language_switcher(context):
    """The header's links to the page in each language (`switcher_links`, else
    `language_links`), when there is more than one."""
    switcher_links = context.get("switcher_links") or ()
    page_links = context.get("language_links") or ()
    if not (len(switcher_links) > 1 or len(page_links) > 1):
        return "\n"
    links = language_list(switcher_links or page_links, context.get("LANGUAGE_CODE"))
    label = gettext("Languages")
    return mark_safe(
        f'\n<nav class="language-switcher" aria-label="{label}">\n  {links}\n</nav>\n\n'
    )


@register.simple_tag(name="language_list")
def language_list_tag(links, current="", css_class=""):
    return mark_safe(language_list(links, current, css_class))


def language_list(links, current, css_class=""):
    """A list of links to a page (or the home page) in each language: the current
    language's marked as the page, each other's with its hreflang."""
    items = []
    for link in links:
        url, code = conditional_escape(link["url"]), conditional_escape(link["code"])
        start = f'<a href="{url}" lang="{code}" dir="{conditional_escape(link["dir"])}"'
        if link["code"] == current:
            start += ' aria-current="page"'
        else:
            start += f' hreflang="{code}"'
        items.append(f"\n  <li>{start}>{conditional_escape(link['name'])}</a></li>\n  ")
    classes = f' class="{conditional_escape(css_class)}"' if css_class else ""
    return f"<ul{classes}>\n  " + "".join(items) + "\n</ul>\n"
