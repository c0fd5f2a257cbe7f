"""Counts nobody can inflate and everybody's browser adds to: one count per client, page
and day, without cookies or stored identifiers; real browsers, in-app ones included,
counted; programs driving a browser not."""

import re
from datetime import timedelta
from html import unescape
from unittest import mock

import pytest
from django.core.cache import caches
from django.test import Client
from django.utils import timezone

from bench.counting import BROWSERS
from marketing import counting
from marketing.models import CampaignCount


def headers_of(user_agent, client_hints, *, address, mode="navigate"):
    headers = {
        "HTTP_USER_AGENT": user_agent,
        "HTTP_ACCEPT_LANGUAGE": "he-IL,he;q=0.9,en;q=0.8",
        "HTTP_SEC_FETCH_MODE": mode,
        "REMOTE_ADDR": address,
    }
    if client_hints is not None:
        headers["HTTP_SEC_CH_UA"] = client_hints
    return headers


@pytest.fixture
def secure(settings):
    """The site at localhost, which browsers treat as secure: client hints and all."""
    settings.ALLOWED_HOSTS = ["localhost"]
    return Client(HTTP_HOST="localhost")


def total(kind=None):
    rows = CampaignCount.objects.all()
    return sum(row.count for row in (rows.filter(kind=kind) if kind else rows))


def test_twenty_real_browsers_on_distinct_addresses_are_all_counted(secure, tour_page):
    assert len(BROWSERS) == 20
    for number, (user_agent, hints) in enumerate(BROWSERS.values()):
        secure.get("/he/tour/", **headers_of(user_agent, hints, address=f"203.0.113.{number}"))
    assert total("visit") == 20


@pytest.mark.parametrize("name", ["pinterest-iphone", "pinterest-android"])
def test_the_pinterest_in_app_browser_is_counted(secure, tour_page, name):
    secure.get("/he/tour/", **headers_of(*BROWSERS[name], address="203.0.113.7"))
    assert total("visit") == 1


@pytest.mark.parametrize(
    ("user_agent", "hints"),
    [
        # Chrome on a desk always sends its client hints on a secure page.
        (BROWSERS["chrome-windows"][0], None),
        # A headless Chrome dressed as Android's web view still names itself in its hints.
        (
            BROWSERS["pinterest-android"][0],
            '"HeadlessChrome";v="137", "Chromium";v="137", "Not/A)Brand";v="24"',
        ),
        ("Pinterest/0.2 (+https://www.pinterest.com/bot.html)", None),
        ("Mozilla/5.0 (compatible; Pinterestbot/1.0; +https://www.pinterest.com/bot.html)", None),
    ],
    ids=["desktop-chrome-without-hints", "headless-in-hints", "pinterest-bot", "pinterestbot"],
)
def test_programs_passing_for_browsers_are_still_not_counted(secure, tour_page, user_agent, hints):
    secure.get("/he/tour/", **headers_of(user_agent, hints, address="203.0.113.7"))
    assert total() == 0


def attack(client, article, requests=650):
    """What one client sent: arrivals from an article's call to action, the article's
    read count and tour-button clicks, round and round, from one address."""
    html = client.get(article.get_absolute_url("he")).content.decode()
    cta = unescape(re.search(r'<aside class="tour-cta".*?href="([^"]+)"', html, re.S).group(1))
    read = unescape(re.search(r'<img class="read-count" src="([^"]+)"', html).group(1))
    go = "/he/tour/go/?utm_source=article&utm_medium=cta&utm_content=" + article.slug_he
    for number in range(requests):
        client.get((cta, read, go)[number % 3])


def test_one_client_adds_one_count_per_page_and_day_however_many_requests(secure, article):
    visitor_headers = headers_of(*BROWSERS["chrome-windows"], address="198.51.100.9")
    attack(Client(HTTP_HOST="localhost", **visitor_headers), article)
    assert sorted(CampaignCount.objects.values_list("kind", "count")) == [
        ("click", 1),
        ("read", 1),
        ("visit", 1),
    ]


def test_one_address_changing_its_user_agent_adds_a_bounded_number(secure, tour_page):
    for number in range(100):
        user_agent = (
            f"Mozilla/5.0 (X11; Linux x86_64; rv:{number}.0) Gecko/20100101 Firefox/{number}.0"
        )
        secure.get("/he/tour/", **headers_of(user_agent, None, address="198.51.100.9"))
    assert total("visit") == counting.CLIENTS_PER_ADDRESS


def test_an_ipv6_client_changing_its_address_in_its_network_adds_a_bounded_number(
    secure, tour_page
):
    for number in range(100):
        user_agent = (
            f"Mozilla/5.0 (X11; Linux x86_64; rv:{number}.0) Gecko/20100101 Firefox/{number}.0"
        )
        address = f"2001:db8:1:2::{number:x}"
        secure.get("/he/tour/", **headers_of(user_agent, None, address=address))
    assert total("visit") == counting.CLIENTS_PER_ADDRESS


def test_the_same_client_counts_again_on_the_next_day(secure, tour_page):
    headers = headers_of(*BROWSERS["safari-iphone"], address="198.51.100.9")
    secure.get("/he/tour/", **headers)
    tomorrow = timezone.now() + timedelta(days=1)
    with mock.patch("django.utils.timezone.now", return_value=tomorrow):
        secure.get("/he/tour/", **headers)
    assert sorted(CampaignCount.objects.values_list("day", "count")) == [
        (timezone.localdate(), 1),
        (timezone.localdate(tomorrow), 1),
    ]


def test_the_key_of_the_day_and_what_it_marks_are_kept_only_in_the_cache(secure, tour_page):
    headers = headers_of(*BROWSERS["firefox-linux"], address="198.51.100.9")
    secure.get("/he/tour/", **headers)
    stored = {field.name for field in CampaignCount._meta.get_fields()}
    assert stored == {
        "id", "day", "language", "kind", "source", "medium", "campaign", "article_pk",
        "variant", "count",
    }  # fmt: skip
    cached = caches["default"]
    key = cached.get(counting.daily_key_name(timezone.localdate()))
    assert isinstance(key, bytes) and len(key) == 32
    # Neither the address nor the browser appears in what the cache keeps for it.
    kept = repr(cached._cache)
    assert "198.51.100.9" not in kept and "Firefox" not in kept
