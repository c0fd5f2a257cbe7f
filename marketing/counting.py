"""Campaign parameters (utm_*) on the tour page, and counting its visits and clicks.

Only counts are stored, per day, language, source, medium, campaign and
referring article: no cookie, no address, no browser string. A parameter value
that is not plain text (too long, control characters, markup, a URL) is
treated as absent: never stored, never forwarded.

A client adds at most one count per page and day, as privacy-friendly
analytics count visitors (`admits`): a keyed hash of its address, user agent
and the page marks it as counted, in the cache, with a key made each day and
kept only there, so neither the marks nor the counts can be tied to anyone
once the day is over. An address adds at most CLIENTS_PER_ADDRESS counts per
page and day, whatever user agents it sends.
"""

import datetime
import hashlib
import hmac
import ipaddress
import logging
import re
import secrets
import unicodedata
from datetime import timedelta
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from django.core.cache import caches
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from articles.models import Article
from operations.proxies import client_address

from .models import CampaignCount

logger = logging.getLogger(__name__)

# What one address adds to a page's count per day at most, with as many user
# agents: the people of an office or a school behind one address, each with
# their browser, count; one client making up user agents stops there.
CLIENTS_PER_ADDRESS = 20
# IPv6 hands a client a whole network: its addresses are one address here.
IPV6_CLIENT_PREFIX = 64

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
# counted; a real browser's user agent matches none of these. Not "pinterest":
# the app's own browser says "[Pinterest/iOS]" or "[Pinterest/Android]", and
# its crawlers ("Pinterestbot", "Pinterest/0.2 (…/bot.html)") say "bot".
ROBOT_USER_AGENT = re.compile(
    r"""
    (?<!cu)bot\b | crawl | spider | slurp | scrape
    | facebookexternalhit | facebookcatalog | meta-externalagent | whatsapp | slack
    | skypeuripreview | embedly | quora\ link\ preview | redditbot
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
# Android's web view, the browser inside apps (Pinterest, Instagram, Facebook):
# it sends no client hints when the app adds its name to the user agent.
ANDROID_WEB_VIEW = re.compile(r"; wv\)")


def is_robot(user_agent):
    """Whether `user_agent` is a crawler's, a link previewer's or a tool's (an empty one is)."""
    return not user_agent.strip() or ROBOT_USER_AGENT.search(user_agent) is not None


def is_automated(request):
    """Whether `request` comes from a robot, a tool or a browser driven by one.

    Besides the user agent's words, what a person's browser always sends:
    Accept-Language, and from a Chromium-based browser on a secure page, the
    fetch metadata (Sec-Fetch-Mode) and client hints with their GREASE brand
    and without "HeadlessChrome" (only an app's Android web view sends none).
    An audit tool such as Lighthouse passes for a phone by its user agent,
    but sets client hints no real browser sends.
    """
    headers = request.headers
    user_agent = headers.get("User-Agent", "")
    if is_robot(user_agent) or not headers.get("Accept-Language", "").strip():
        return True
    secure = request.is_secure() or is_local(request)
    if not secure or not CHROMIUM_USER_AGENT.search(user_agent):
        return False
    if "Sec-Fetch-Mode" not in headers:
        return True
    client_hints = headers.get("Sec-CH-UA")
    if client_hints is None:
        return not ANDROID_WEB_VIEW.search(user_agent)
    return not GREASE_BRAND.search(client_hints) or "headless" in client_hints.lower()


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

    Requests that are not a person's page view are not counted (see `is_countable`),
    nor a client's second one of the page that day (see `admits`).
    """
    if not is_countable(request):
        return
    if article_pk is None:
        article_pk = referring_article_pk(parameters.get("utm_content", ""))
    if not admits(request, kind, language=language, article_pk=article_pk):
        return
    count(
        kind,
        language=language,
        source=parameters.get("utm_source", ""),
        medium=parameters.get("utm_medium", ""),
        campaign=parameters.get("utm_campaign", ""),
        article_pk=article_pk,
        variant=variant,
    )


def admits(request, kind, *, language, article_pk):
    """Whether `request` may add to today's `kind` count of its page (the article read,
    or the tour page reached from `article_pk`): once per client (its address and
    user agent) and page a day, and for CLIENTS_PER_ADDRESS clients per address.

    Whom it has counted it knows by keyed hashes kept in the cache until the day
    ends, under a key made for the day and kept only there. Without the cache,
    every request counts (and the failure is logged).
    """
    try:
        cache = caches["default"]
        day = timezone.localdate()
        seconds = seconds_left(day)
        key = daily_key(cache, day, seconds)
        page = f"{kind}\n{language}\n{article_pk}"
        address = counted_address(client_address(request))
        user_agent = request.headers.get("User-Agent", "")
        client = f"cxcs:counted:{keyed(key, address, user_agent, page)}"
        if not cache.add(client, True, timeout=seconds):
            return False
        clients = f"cxcs:counted-clients:{keyed(key, address, page)}"
        cache.add(clients, 0, timeout=seconds)
        return cache.incr(clients) <= CLIENTS_PER_ADDRESS
    except Exception:
        logger.exception("Counting without de-duplication: the cache cannot be used")
        return True


def daily_key_name(day):
    return f"cxcs:counting-key:{day.isoformat()}"


def daily_key(cache, day, seconds):
    """The secret the day's hashes are made with: made by the first request of the day,
    kept in the cache until the day ends, and nowhere else."""
    cache.add(daily_key_name(day), secrets.token_bytes(32), timeout=seconds)
    key = cache.get(daily_key_name(day))
    if key is None:
        raise RuntimeError("the counting key was not kept")
    return key


def keyed(key, *parts):
    return hmac.new(key, "\n".join(parts).encode(), hashlib.sha256).hexdigest()


def counted_address(address):
    """`address` as one client: an IPv6 address by its /64 network."""
    try:
        parsed = ipaddress.ip_address(address)
    except ValueError:
        return address
    if parsed.version == 6:
        return str(ipaddress.ip_network(f"{parsed}/{IPV6_CLIENT_PREFIX}", strict=False))
    return str(parsed)


def seconds_left(day):
    """Seconds until `day` ends in the site's time zone, and a minute more."""
    tomorrow = datetime.datetime.combine(day + timedelta(days=1), datetime.time())
    end = timezone.make_aware(tomorrow)
    return max(60, int((end - timezone.now()).total_seconds()) + 60)


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
