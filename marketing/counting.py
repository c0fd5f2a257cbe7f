"""Campaign parameters (utm_*) on the tour page, and counting its visits and clicks.

Only counts are stored, per day, language, source, medium, campaign and
referring article: no cookie, no address, no browser string. A parameter value
that is not plain text (too long, control characters, markup, a URL) is
treated as absent: never stored, never forwarded.
"""

import re
import unicodedata
from datetime import timedelta
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from articles.models import Article

from .models import CampaignCount

# The parameters carried from the tour page through the button to its destination.
UTM_PARAMETERS = ("utm_source", "utm_medium", "utm_campaign", "utm_term", "utm_content", "utm_id")

# Articles link to the tour page with their slug as utm_content, and a slug may
# be longer than the other values are allowed to be.
MAX_LENGTHS = {"utm_content": Article._meta.get_field("slug").max_length}

# Letters of any script, digits, "_", "-", "." and single spaces, starting with
# a letter or digit (so no value reads as a spreadsheet formula: "-", "=", "+", "@").
SAFE_VALUE = re.compile(r"[^\W_][\w.\- ]*")

# Search engines, link previewers (chat apps and social sites fetch a link to
# show a card), monitoring and command-line tools. Their requests are not
# counted; a real browser's user agent matches none of these.
ROBOT_USER_AGENT = re.compile(
    r"""
    (?<!cu)bot\b | crawl | spider | slurp | scrape
    | facebookexternalhit | facebookcatalog | meta-externalagent | whatsapp | slack
    | skypeuripreview | embedly | quora\ link\ preview | pinterest | redditbot
    | google-inspectiontool | mediapartners-google | adsbot | feedfetcher | lighthouse
    | headless | phantomjs | pingdom | uptime | monitor | preview | gtmetrix | ptst
    | pagespeed | selenium | webdriver | puppeteer | playwright
    | curl | wget | httpie | python- | aiohttp | httpx | go-http-client | java/ | okhttp
    | libwww | axios | node-fetch | undici | guzzle | postman | insomnia
    """,
    re.IGNORECASE | re.VERBOSE,
)


def clean_value(value, *, max_length=CampaignCount.VALUE_MAX_LENGTH):
    """Return `value` as it may be counted and forwarded, or "" when it is junk.

    Runs of spaces (also non-breaking ones, and "+" decoded from a query
    string) become one space, leading and trailing spaces go. A value with a
    control or invisible formatting character, or any character outside the
    safe set, or longer than `max_length`, is junk.
    """
    value = unicodedata.normalize("NFC", value)
    if any(unicodedata.category(char).startswith("C") for char in value):
        return ""
    value = " ".join(value.split())
    if len(value) > max_length or not SAFE_VALUE.fullmatch(value):
        return ""
    return value


def campaign_parameters(query):
    """The valid utm_* values of a request's query (a QueryDict), in a fixed order."""
    parameters = {}
    for name in UTM_PARAMETERS:
        max_length = MAX_LENGTHS.get(name, CampaignCount.VALUE_MAX_LENGTH)
        if value := clean_value(query.get(name, ""), max_length=max_length):
            parameters[name] = value
    return parameters


def add_parameters(url, parameters):
    """`url` with `parameters` merged into its query; they replace values of the same name."""
    parts = urlsplit(url)
    query = [(name, value) for name, value in parse_qsl(parts.query, keep_blank_values=True)]
    query = [(name, value) for name, value in query if name not in parameters]
    query.extend(parameters.items())
    return urlunsplit(parts._replace(query=urlencode(query)))


# Chromium-based browsers name themselves in Sec-CH-UA with a made-up "GREASE"
# brand beside the real ones ("Not:A-Brand", "Not/A)Brand"…), so that servers
# never rely on the list being exact. Tools that set the list themselves, as
# Lighthouse does to pass for a phone or a Mac, leave it out.
GREASE_BRAND = re.compile(r"not.a.brand", re.IGNORECASE)
CHROMIUM_USER_AGENT = re.compile(r"\b(?:Chrome|Chromium|Edg|OPR)/\d")


def is_robot(user_agent):
    """Whether `user_agent` is a crawler's, a link previewer's or a tool's (an empty one is)."""
    return not user_agent.strip() or ROBOT_USER_AGENT.search(user_agent) is not None


def is_automated(request):
    """Whether `request` comes from a robot, a tool or a browser driven by one.

    Besides the user agent's words, what a person's browser always sends:
    Accept-Language, and from a Chromium-based browser on a secure page, the
    fetch metadata (Sec-Fetch-Mode) and client hints with their GREASE brand.
    An audit tool such as Lighthouse passes for a phone by its user agent,
    but sets client hints no real browser sends.
    """
    headers = request.headers
    user_agent = headers.get("User-Agent", "")
    if is_robot(user_agent) or not headers.get("Accept-Language", "").strip():
        return True
    secure = request.is_secure() or is_local(request)
    if secure and CHROMIUM_USER_AGENT.search(user_agent):
        client_hints = headers.get("Sec-CH-UA", "")
        return not GREASE_BRAND.search(client_hints) or "Sec-Fetch-Mode" not in headers
    return False


def is_local(request):
    """Whether the site is reached at 127.0.0.1 or localhost, which browsers treat as secure."""
    return request.get_host().rsplit(":", 1)[0] in ("127.0.0.1", "localhost", "[::1]")


def is_countable(request):
    """Whether `request` is a person's page view: a GET, not from a robot, not from staff.

    HEAD requests (link checkers, previews) are not views. Editors looking at
    their own page would inflate the results, so staff are left out too.
    """
    if request.method != "GET" or is_automated(request):
        return False
    user = getattr(request, "user", None)
    return not (user and user.is_staff)


def referring_article_pk(slug):
    """The pk of the article with `slug` in any language, 0 when there is none."""
    if not slug:
        return 0
    return Article.objects.with_slug_in_any_language(slug).values_list("pk", flat=True).first() or 0


def count(kind, *, language, source="", medium="", campaign="", article_pk=0, variant="", day=None):
    """Add one to the count of `kind` for this key, atomically.

    The addition happens inside the database (count = count + 1), so
    concurrent requests never overwrite each other's additions. The first
    request of a key inserts its row; when another request inserted it
    meanwhile, the unique key refuses the second row and the update is tried again.
    """
    key = {
        "day": day or timezone.localdate(),
        "language": language,
        "kind": kind,
        "source": source,
        "medium": medium,
        "campaign": campaign,
        "article_pk": article_pk,
        "variant": variant,
    }
    rows = CampaignCount.objects.filter(**key)
    for _attempt in range(3):
        if rows.update(count=F("count") + 1):
            return
        try:
            with transaction.atomic():
                CampaignCount.objects.create(**key, count=1)
            return
        except IntegrityError:
            continue
    raise RuntimeError(f"Could not count {key}")


def record(request, kind, parameters, *, language, article_pk=None, variant=""):
    """Count `request` as one `kind` (a read, a visit or a click) in `language` with its
    campaign `parameters`, for `article_pk` (by default the article `utm_content` names) and
    the experiment `variant` shown.

    Requests that are not a person's page view are not counted (see `is_countable`).
    """
    if not is_countable(request):
        return
    if article_pk is None:
        article_pk = referring_article_pk(parameters.get("utm_content", ""))
    count(
        kind,
        language=language,
        source=parameters.get("utm_source", ""),
        medium=parameters.get("utm_medium", ""),
        campaign=parameters.get("utm_campaign", ""),
        article_pk=article_pk,
        variant=variant,
    )


def click_through_rate(visits, clicks):
    """Clicks per hundred visits, to one decimal; None without visits."""
    if not visits:
        return None
    return round(100 * clicks / visits, 1)


def daily_results(totals, first_day, last_day):
    """Every day from `first_day` to `last_day` with its visits, clicks and click-through rate.

    `totals` holds rows with "day", "visits" and "clicks" (as from
    `CampaignCount.objects.totals("day")`); days without a row count zero.
    """
    by_day = {row["day"]: row for row in totals}
    results = []
    day = first_day
    while day <= last_day:
        row = by_day.get(day, {})
        visits, clicks = row.get("visits", 0), row.get("clicks", 0)
        results.append(
            {
                "day": day,
                "visits": visits,
                "clicks": clicks,
                "rate": click_through_rate(visits, clicks),
            }
        )
        day += timedelta(days=1)
    return results
