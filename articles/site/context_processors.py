from django.utils import translation
from django.utils.functional import SimpleLazyObject

from . import sitewide


def site(request):
    """`site`: the brand, sections and languages every page's layout shows
    (sitewide.Site), read only by pages that show them."""
    return {"site": SimpleLazyObject(lambda: sitewide.Site(translation.get_language()))}
