"""What one client can add to the campaign counts, and whether real browsers all count,
on the production server.

1. One client (one address, one browser) sends 650 requests as fast as it can:
   arrivals on the tour page from the launch article's call to action, the
   article's read count and the tour button, in turn, as one did in 9 s.
   How many were counted.
2. Twenty real browsers (desktop, phone and in-app: their user agents, client
   hints and fetch metadata), each from an address of its own, open the tour
   page. How many were counted.

The site runs behind one trusted proxy (DJANGO_TRUSTED_PROXIES=1), which gives
the client's address in X-Forwarded-For, as nginx does in deploy/nginx/.

Run from the project root: .venv/bin/python -m bench.counting
"""

import re
import sqlite3
import tempfile
import time
from html import unescape
from pathlib import Path
from urllib.parse import quote

from bench.common import Site, serve

REQUESTS = 650
# What each browser sends for a page on https or localhost (the site at
# 127.0.0.1 is one to browsers), as seen in their requests: the user agent,
# and client hints where the browser has them.
CHROME_HINTS = '"Chromium";v="137", "Google Chrome";v="137", "Not/A)Brand";v="24"'
BROWSERS = {
    "chrome-windows": (
        "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
        "Chrome/137.0.0.0 Safari/537.36",
        CHROME_HINTS,
    ),
    "chrome-android": (
        "Mozilla/5.0 (Linux; Android 10; K) AppleWebKit/537.36 (KHTML, like Gecko) "
        "Chrome/137.0.0.0 Mobile Safari/537.36",
        CHROME_HINTS,
    ),
    "edge": (
        "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
        "Chrome/137.0.0.0 Safari/537.36 Edg/137.0.0.0",
        '"Microsoft Edge";v="137", "Chromium";v="137", "Not/A)Brand";v="24"',
    ),
    "opera": (
        "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) "
        "Chrome/134.0.0.0 Safari/537.36 OPR/119.0.0.0",
        '"Chromium";v="134", "Not:A-Brand";v="24", "Opera";v="119"',
    ),
    "samsung-internet": (
        "Mozilla/5.0 (Linux; Android 14; SAMSUNG SM-S921B) AppleWebKit/537.36 (KHTML, like Gecko) "
        "SamsungBrowser/28.0 Chrome/130.0.0.0 Mobile Safari/537.36",
        '"Chromium";v="130", "Samsung Internet";v="28.0", "Not?A_Brand";v="99"',
    ),
    "brave": (
        "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) "
        "Chrome/137.0.0.0 Safari/537.36",
        '"Brave";v="137", "Chromium";v="137", "Not/A)Brand";v="24"',
    ),
    "firefox-linux": (
        "Mozilla/5.0 (X11; Linux x86_64; rv:140.0) Gecko/20100101 Firefox/140.0",
        None,
    ),
    "firefox-android": (
        "Mozilla/5.0 (Android 14; Mobile; rv:140.0) Gecko/140.0 Firefox/140.0",
        None,
    ),
    "safari-mac": (
        "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) "
        "Version/18.5 Safari/605.1.15",
        None,
    ),
    "safari-iphone": (
        "Mozilla/5.0 (iPhone; CPU iPhone OS 18_5 like Mac OS X) AppleWebKit/605.1.15 "
        "(KHTML, like Gecko) Version/18.5 Mobile/15E148 Safari/604.1",
        None,
    ),
    "chrome-iphone": (
        "Mozilla/5.0 (iPhone; CPU iPhone OS 18_5 like Mac OS X) AppleWebKit/605.1.15 "
        "(KHTML, like Gecko) CriOS/137.0.7151.79 Mobile/15E148 Safari/604.1",
        None,
    ),
    "firefox-iphone": (
        "Mozilla/5.0 (iPhone; CPU iPhone OS 18_5 like Mac OS X) AppleWebKit/605.1.15 "
        "(KHTML, like Gecko) FxiOS/140.0 Mobile/15E148 Safari/605.1.15",
        None,
    ),
    "pinterest-iphone": (
        "Mozilla/5.0 (iPhone; CPU iPhone OS 18_5 like Mac OS X) AppleWebKit/605.1.15 "
        "(KHTML, like Gecko) Mobile/15E148 [Pinterest/iOS]",
        None,
    ),
    # An app that names itself in its web view's user agent gets no client hints.
    "pinterest-android": (
        "Mozilla/5.0 (Linux; Android 14; Pixel 8 Build/AP2A.240805.005; wv) AppleWebKit/537.36 "
        "(KHTML, like Gecko) Version/4.0 Chrome/137.0.7151.61 Mobile Safari/537.36 "
        "[Pinterest/Android]",
        None,
    ),
    "instagram-android": (
        "Mozilla/5.0 (Linux; Android 13; SM-A536B Build/TP1A.220624.014; wv) AppleWebKit/537.36 "
        "(KHTML, like Gecko) Version/4.0 Chrome/137.0.7151.61 Mobile Safari/537.36 "
        "Instagram 385.0.0.47.74 Android (33/13; 450dpi; 1080x2177; samsung; SM-A536B)",
        None,
    ),
    "facebook-android": (
        "Mozilla/5.0 (Linux; Android 14; Pixel 7 Build/AP2A.240805.005; wv) AppleWebKit/537.36 "
        "(KHTML, like Gecko) Version/4.0 Chrome/137.0.7151.61 Mobile Safari/537.36 "
        "[FB_IAB/FB4A;FBAV/515.0.0.48.109;]",
        None,
    ),
    "facebook-iphone": (
        "Mozilla/5.0 (iPhone; CPU iPhone OS 18_5 like Mac OS X) AppleWebKit/605.1.15 "
        "(KHTML, like Gecko) Mobile/15E148 [FBAN/FBIOS;FBAV/515.0.0.38.109;FBBV/735183093]",
        None,
    ),
    "linkedin-iphone": (
        "Mozilla/5.0 (iPhone; CPU iPhone OS 18_5 like Mac OS X) AppleWebKit/605.1.15 "
        "(KHTML, like Gecko) Mobile/15E148 [LinkedInApp]/9.31.2",
        None,
    ),
    "android-webview": (
        "Mozilla/5.0 (Linux; Android 10; K; wv) AppleWebKit/537.36 (KHTML, like Gecko) "
        "Version/4.0 Chrome/137.0.0.0 Mobile Safari/537.36",
        '"Android WebView";v="137", "Chromium";v="137", "Not/A)Brand";v="24"',
    ),
    "vivaldi": (
        "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
        "Chrome/136.0.0.0 Safari/537.36 Vivaldi/7.4",
        '"Vivaldi";v="7.4", "Chromium";v="136", "Not.A/Brand";v="99"',
    ),
}


def headers_of(user_agent, client_hints, address):
    headers = {
        "User-Agent": user_agent,
        "Accept-Language": "he-IL,he;q=0.9,en;q=0.8",
        "Sec-Fetch-Mode": "navigate",
        "X-Forwarded-For": address,
    }
    if client_hints is not None:
        headers["Sec-CH-UA"] = client_hints
    return headers


def counted(site):
    with sqlite3.connect(site.database) as database:
        rows = database.execute(
            "SELECT kind, sum(count) FROM marketing_campaigncount GROUP BY kind ORDER BY kind"
        ).fetchall()
        database.execute("DELETE FROM marketing_campaigncount")
    return dict(rows)


def one_client(server, site):
    """The 650 requests of one client: what was counted, and how long they took."""
    with sqlite3.connect(site.database) as database:
        slug = database.execute("SELECT slug_he FROM articles_article").fetchone()[0]
    client = server.client()
    headers = headers_of(*BROWSERS["chrome-windows"], "198.51.100.9")
    html = client.get(quote(f"/he/articles/{slug}/"), headers).body.decode()
    cta = unescape(re.search(r'<aside class="tour-cta".*?href="([^"]+)"', html, re.S).group(1))
    read = unescape(re.search(r'<img class="read-count" src="([^"]+)"', html).group(1))
    go = f"/he/tour/go/?utm_source=article&utm_medium=cta&utm_content={slug}"
    paths = [quote(path, safe="/?=&%:.") for path in (cta, read, go)]
    started = time.monotonic()
    for number in range(REQUESTS):
        client.get(paths[number % 3], headers)
    return counted(site), time.monotonic() - started


def twenty_browsers(server, site):
    for number, (user_agent, hints) in enumerate(BROWSERS.values()):
        response = server.client().get(
            "/he/tour/", headers_of(user_agent, hints, f"203.0.113.{number}")
        )
        assert response.status == 200, response.status
    return counted(site)


def main():
    with tempfile.TemporaryDirectory(prefix="cxcs-bench-") as directory:
        site = Site(Path(directory))
        site.build()
        with serve(site, workers=2, env={"DJANGO_TRUSTED_PROXIES": "1"}) as server:
            attack, seconds = one_client(server, site)
            browsers = twenty_browsers(server, site)
    print(f"One client, {REQUESTS} requests in {seconds:.1f} s (visits, reads, clicks in turn):")
    print(f"  counted {sum(attack.values())}: {attack}")
    print(f"{len(BROWSERS)} real browsers, each from its own address, opening the tour page:")
    print(f"  counted {browsers.get('visit', 0)} visits of {len(BROWSERS)}")


if __name__ == "__main__":
    main()
