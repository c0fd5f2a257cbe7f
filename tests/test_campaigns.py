"""Marketing's tour page: campaign parameters, counted visits and clicks, no open redirect."""

import io
import re
import threading
from datetime import timedelta
from urllib.parse import parse_qs, urlsplit

import pytest
import segno
from django.db import connections
from django.test import Client
from django.utils import timezone

from articles.models import TourPage
from marketing import charts, counting
from marketing.models import CampaignCount

BROWSER = (
    "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 "
    "(KHTML, like Gecko) Chrome/126.0.0.0 Mobile Safari/537.36"
)
DESTINATION = "https://tour.example.com/start"


@pytest.fixture
def browser_client():
    """A person's browser, as a page over plain http sees it (no client hints there)."""
    return Client(HTTP_USER_AGENT=BROWSER, HTTP_ACCEPT_LANGUAGE="tr-TR,tr;q=0.9")


def counts(kind=None):
    rows = CampaignCount.objects.all()
    if kind:
        rows = rows.filter(kind=kind)
    return list(
        rows.order_by("kind", "source").values_list(
            "kind", "language", "source", "medium", "campaign", "article_pk", "count"
        )
    )


# Parameter values


@pytest.mark.parametrize(
    "value",
    ["newsletter", "spring-launch_2025.v2", "דרך-האור", "İstanbul Kampanyası", "ışık", "3rd"],
)
def test_letters_of_any_script_digits_and_safe_punctuation_are_kept(value):
    assert counting.clean_value(value) == value


@pytest.mark.parametrize(
    "value", ["  spring   launch ", "spring\u00a0launch", "spring \u2003launch"]
)
def test_runs_of_spaces_become_one_space(value):
    assert counting.clean_value(value) == "spring launch"


@pytest.mark.parametrize(
    "value",
    [
        "x" * 101,
        "<script>alert(1)</script>",
        "news\x00letter",
        "news\nletter",
        "news\tletter",
        "\u202enews",  # right-to-left override: text that displays reversed
        "news\u200bletter",  # zero-width space
        "https://evil.example",
        "//evil.example",
        "news%20letter",
        "=HYPERLINK(1)",
        "-2+3",
        "@SUM(1)",
        "'quoted'",
        "news&letter",
        "",
        "   ",
    ],
)
def test_junk_values_are_treated_as_absent(value):
    assert counting.clean_value(value) == ""


def test_a_value_of_100_characters_is_kept():
    assert counting.clean_value("x" * 100) == "x" * 100


def test_utm_content_may_be_as_long_as_an_article_slug():
    query = {"utm_content": "a" * 200, "utm_source": "a" * 200}
    assert counting.campaign_parameters(query) == {"utm_content": "a" * 200}


def test_only_the_utm_parameters_are_taken_in_a_fixed_order():
    query = {"next": "x", "utm_campaign": "c", "utm_source": "s", "utm_evil": "e", "ref": "r"}
    assert list(counting.campaign_parameters(query).items()) == [
        ("utm_source", "s"),
        ("utm_campaign", "c"),
    ]


@pytest.mark.parametrize(
    "user_agent",
    [
        "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)",
        "Mozilla/5.0 (compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm)",
        "facebookexternalhit/1.1 (+http://www.facebook.com/externalhit_uatext.php)",
        "Twitterbot/1.0",
        "Slackbot-LinkExpanding 1.0 (+https://api.slack.com/robots)",
        "LinkedInBot/1.0 (compatible; Mozilla/5.0; Apache-HttpClient +http://www.linkedin.com)",
        "WhatsApp/2.23.20.0 A",
        "Mozilla/5.0 (compatible; Discordbot/2.0; +https://discordapp.com)",
        "TelegramBot (like TwitterBot)",
        "Mozilla/5.0 (Macintosh) AppleWebKit/605.1.15 (KHTML, like Gecko) Applebot/0.1",
        "Mozilla/5.0 (compatible; YandexBot/3.0; +http://yandex.com/bots)",
        "Mozilla/5.0 (compatible; AhrefsBot/7.0; +http://ahrefs.com/robot/)",
        "Mozilla/5.0 AppleWebKit/537.36 (KHTML, like Gecko; compatible; GPTBot/1.0)",
        "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 HeadlessChrome/126.0 Safari/537.36",
        "curl/8.5.0",
        "Wget/1.21.4",
        "python-requests/2.32.3",
        "Go-http-client/1.1",
        "",
        "   ",
    ],
)
def test_crawlers_previewers_and_tools_are_robots(user_agent):
    assert counting.is_robot(user_agent)


@pytest.mark.parametrize(
    "user_agent",
    [
        BROWSER,
        "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:128.0) Gecko/20100101 Firefox/128.0",
        "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 "
        "(KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1",
        "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 "
        "(KHTML, like Gecko) Mobile/15E148 [FBAN/FBIOS;FBAV/470.0.0.38.108]",
        "Mozilla/5.0 (Linux; Android 9; CUBOT X19) AppleWebKit/537.36 (KHTML, like Gecko) "
        "Chrome/120.0 Mobile Safari/537.36",
    ],
)
def test_browsers_are_not_robots(user_agent):
    assert not counting.is_robot(user_agent)


def test_parameters_are_merged_into_the_destinations_own_query():
    url = counting.add_parameters(
        "https://tour.example.com/start?ref=cxcs&utm_source=preset#step-2",
        {"utm_source": "newsletter", "utm_campaign": "spring launch"},
    )
    assert url == (
        "https://tour.example.com/start?ref=cxcs&utm_source=newsletter"
        "&utm_campaign=spring+launch#step-2"
    )


# Visits


def test_a_visit_is_counted_with_its_campaign(browser_client, tour_page):
    response = browser_client.get(
        "/tr/tour/?utm_source=newsletter&utm_medium=email&utm_campaign=spring"
    )
    assert response.status_code == 200
    assert counts() == [("visit", "tr", "newsletter", "email", "spring", 0, 1)]


def test_visits_with_the_same_key_add_up_in_one_row(browser_client, tour_page):
    for number in range(3):
        browser_client.get("/he/tour/?utm_source=newsletter", REMOTE_ADDR=f"192.0.2.{number}")
    browser_client.get("/he/tour/?utm_source=linkedin", REMOTE_ADDR="192.0.2.9")
    assert counts() == [
        ("visit", "he", "linkedin", "", "", 0, 1),
        ("visit", "he", "newsletter", "", "", 0, 3),
    ]


def test_a_visit_is_counted_on_the_day_it_happens(browser_client, tour_page):
    browser_client.get("/tr/tour/")
    assert CampaignCount.objects.get().day == timezone.localdate()


@pytest.mark.parametrize("language", ["tr", "he"])
def test_the_article_call_to_action_names_the_article(client, article, language):
    html = client.get(article.get_absolute_url(language)).content.decode()
    cta = re.search(r'<aside class="tour-cta".*?</aside>', html, re.S).group(0)
    href = re.search(r'href="([^"]+)"', cta).group(1).replace("&amp;", "&")
    url = urlsplit(href)
    assert url.path == f"/{language}/tour/"
    assert parse_qs(url.query) == {
        "utm_source": ["article"],
        "utm_medium": ["cta"],
        "utm_content": [getattr(article, f"slug_{language}")],
    }


@pytest.mark.parametrize("language", ["tr", "he"])
def test_following_the_call_to_action_records_the_article(
    client, browser_client, article, language
):
    html = client.get(article.get_absolute_url(language)).content.decode()
    cta = re.search(r'<aside class="tour-cta".*?</aside>', html, re.S).group(0)
    href = re.search(r'href="([^"]+)"', cta).group(1).replace("&amp;", "&")
    assert browser_client.get(href).status_code == 200
    assert counts() == [("visit", language, "article", "cta", "", article.pk, 1)]


def test_utm_content_that_is_no_article_slug_records_no_article(browser_client, article):
    browser_client.get("/tr/tour/?utm_source=newsletter&utm_content=banner-2")
    assert counts() == [("visit", "tr", "newsletter", "", "", 0, 1)]


def test_junk_parameters_are_not_stored(browser_client, tour_page):
    browser_client.get(
        "/tr/tour/?utm_source=%3Cscript%3Ealert(1)%3C%2Fscript%3E"
        f"&utm_medium={'x' * 101}&utm_campaign=spring%00launch&utm_content=%0Aevil"
    )
    assert counts() == [("visit", "tr", "", "", "", 0, 1)]


def test_junk_parameters_are_not_reflected_on_the_page(browser_client, tour_page):
    html = browser_client.get(
        "/tr/tour/?utm_source=%3Cscript%3Ealert(1)%3C%2Fscript%3E&utm_campaign=spring"
    ).content.decode()
    assert "alert" not in html
    assert 'href="/tr/tour/go/?utm_campaign=spring"' in html


def test_the_tour_button_goes_through_go_with_the_visitors_parameters(browser_client, tour_page):
    html = browser_client.get(
        "/he/tour/?utm_source=newsletter&utm_campaign=%D7%A1%D7%AA%D7%99%D7%95&next=//evil.example"
    ).content.decode()
    button = re.search(r'<a class="button button-large"[^>]*>', html).group(0)
    assert (
        'href="/he/tour/go/?utm_source=newsletter&amp;utm_campaign=%D7%A1%D7%AA%D7%99%D7%95"'
        in button
    )
    assert DESTINATION not in html


@pytest.mark.parametrize(
    "user_agent",
    [
        "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)",
        "facebookexternalhit/1.1",
        "Slackbot-LinkExpanding 1.0 (+https://api.slack.com/robots)",
        "WhatsApp/2.23.20.0 A",
        "curl/8.5.0",
    ],
)
def test_robots_are_answered_but_not_counted(client, tour_page, user_agent):
    assert client.get("/tr/tour/", HTTP_USER_AGENT=user_agent).status_code == 200
    assert client.get("/tr/tour/go/", HTTP_USER_AGENT=user_agent).status_code == 302
    assert counts() == []


def test_requests_without_a_user_agent_are_not_counted(client, tour_page):
    client.get("/tr/tour/")
    assert counts() == []


def test_head_requests_are_not_counted(browser_client, tour_page):
    assert browser_client.head("/tr/tour/").status_code == 200
    assert browser_client.head("/tr/tour/go/").status_code == 302
    assert counts() == []


def test_editors_looking_at_the_tour_page_are_not_counted(admin_client, tour_page):
    admin_client.get("/tr/tour/", HTTP_USER_AGENT=BROWSER)
    admin_client.get("/tr/tour/go/", HTTP_USER_AGENT=BROWSER)
    assert counts() == []


@pytest.mark.parametrize("path", ["/tr/tour/?utm_source=newsletter", "/tr/tour/go/"])
def test_tour_and_go_set_no_cookie_and_are_never_cached(browser_client, tour_page, path):
    response = browser_client.get(path)
    assert response.cookies == {}
    assert "Set-Cookie" not in response.headers
    assert "no-store" in response["Cache-Control"]


def test_a_tour_page_without_texts_counts_nothing(browser_client, db):
    assert browser_client.get("/tr/tour/?utm_source=newsletter").status_code == 404
    assert counts() == []


# Clicks


def test_go_counts_the_click_and_redirects_to_the_destination(browser_client, tour_page):
    response = browser_client.get("/tr/tour/go/?utm_source=newsletter&utm_campaign=spring")
    assert response.status_code == 302
    assert response["Location"] == f"{DESTINATION}?utm_source=newsletter&utm_campaign=spring"
    assert counts() == [("click", "tr", "newsletter", "", "spring", 0, 1)]


def test_go_records_the_referring_article(browser_client, article):
    slug = article.slug_he
    browser_client.get(f"/he/tour/go/?utm_source=article&utm_medium=cta&utm_content={slug}")
    assert counts() == [("click", "he", "article", "cta", "", article.pk, 1)]


def test_go_keeps_the_destinations_own_query(browser_client, tour_page):
    tour_page.destination_url = "https://tour.example.com/start?ref=cxcs&utm_source=site"
    tour_page.save()
    response = browser_client.get("/tr/tour/go/?utm_source=newsletter")
    assert response["Location"] == "https://tour.example.com/start?ref=cxcs&utm_source=newsletter"


def test_go_forwards_no_junk(browser_client, tour_page):
    response = browser_client.get(
        "/tr/tour/go/?utm_source=%3Cscript%3E&utm_medium=email&utm_campaign=a%0Db"
    )
    assert response["Location"] == f"{DESTINATION}?utm_medium=email"


@pytest.mark.parametrize(
    "query",
    [
        "?next=https://evil.example",
        "?next=//evil.example",
        "?next=%2F%2Fevil.example",
        "?url=https%3A%2F%2Fevil.example&redirect=//evil.example&to=/%5Cevil.example",
        "?utm_source=https://evil.example",
        "?utm_source=%2F%2Fevil.example",
        "?utm_content=//evil.example&utm_campaign=%5C%5Cevil.example",
        "?utm_source=newsletter%0D%0ALocation:%20https://evil.example",
    ],
)
def test_go_always_redirects_to_the_configured_destination(browser_client, tour_page, query):
    response = browser_client.get(f"/tr/tour/go/{query}")
    assert response.status_code == 302
    assert response["Location"] == DESTINATION


@pytest.mark.parametrize(
    "path", ["/tr/tour/go//evil.example", "/tr/tour/go/https://evil.example", "/tr/tour/go/%2F%2F"]
)
def test_go_with_a_url_in_its_path_is_not_found(browser_client, tour_page, path):
    response = browser_client.get(path)
    assert response.status_code == 404
    assert "Location" not in response.headers


def test_go_without_a_destination_is_not_found_and_counts_nothing(browser_client, tour_page):
    TourPage.objects.update(destination_url="")
    assert browser_client.get("/tr/tour/go/").status_code == 404
    assert counts() == []


def test_go_accepts_no_post(browser_client, tour_page):
    assert browser_client.post("/tr/tour/go/").status_code == 405
    assert counts() == []


# Concurrent counting


def run_at_once(threads, work):
    """Run `work()` in `threads` threads started together; re-raise the first error."""
    barrier = threading.Barrier(threads)
    errors = []

    def run():
        try:
            barrier.wait()
            work()
        except Exception as error:  # handed to the main thread, which raises it
            errors.append(error)
        finally:
            connections.close_all()

    workers = [threading.Thread(target=run) for _ in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    if errors:
        raise errors[0]


def test_concurrent_counts_add_exactly_their_number(file_database):
    def work():
        for _ in range(25):
            counting.count(CampaignCount.Kind.VISIT, language="tr", source="newsletter")

    run_at_once(8, work)
    row = CampaignCount.objects.get()
    assert row.count == 8 * 25


def test_concurrent_visits_to_the_tour_page_are_all_counted(file_database):
    TourPage.objects.create(
        text_tr="Deneyin", button_label_tr="Tur", is_published_tr=True, destination_url=DESTINATION
    )

    addresses = iter(range(6 * 10))

    def work():
        visitor = Client(HTTP_USER_AGENT=BROWSER, HTTP_ACCEPT_LANGUAGE="tr")
        for _ in range(10):
            # Sixty visitors: one counts once a day.
            address = f"192.0.2.{next(addresses)}"
            response = visitor.get("/tr/tour/?utm_source=newsletter", REMOTE_ADDR=address)
            assert response.status_code == 200
            response = visitor.get("/tr/tour/go/?utm_source=newsletter", REMOTE_ADDR=address)
            assert response.status_code == 302

    run_at_once(6, work)
    assert counts() == [
        ("click", "tr", "newsletter", "", "", 0, 60),
        ("visit", "tr", "newsletter", "", "", 0, 60),
    ]


# Results in the admin


def add_counts(day, language="tr", source="", medium="", campaign="", article_pk=0, **kinds):
    for kind, number in kinds.items():
        CampaignCount.objects.create(
            day=day,
            language=language,
            kind=kind,
            source=source,
            medium=medium,
            campaign=campaign,
            article_pk=article_pk,
            count=number,
        )


@pytest.fixture
def results(db, article):
    today = timezone.localdate()
    add_counts(today, source="newsletter", campaign="spring", visit=40, click=10)
    add_counts(today, language="he", source="article", medium="cta", article_pk=article.pk,
               visit=10, click=5)  # fmt: skip
    add_counts(today - timedelta(days=29), source="linkedin", campaign="autumn", visit=50, click=1)
    add_counts(today - timedelta(days=30), source="too-old", visit=999, click=999)
    return today


@pytest.mark.parametrize(
    ("raw", "step"), [(0, 1), (0.5, 1), (1.5, 2), (3, 5), (12, 20), (26, 50), (51, 100), (101, 200)]
)
def test_axis_steps_are_round_numbers(raw, step):
    assert charts.nice_step(raw) == step


def test_right_to_left_chart_is_the_mirror_image_of_the_left_to_right_one():
    days = [{"day": timezone.localdate() - timedelta(days=n), "visits": n} for n in range(3)]
    series = [("visits", "Visits", "#417690")]
    ltr = charts.bar_chart(days, series, rtl=False)
    rtl = charts.bar_chart(days, series, rtl=True)
    for left, right in zip(ltr["bars"], rtl["bars"], strict=True):
        mirrored = ltr["width"] - float(left["x"]) - float(left["width"])
        assert float(right["x"]) == pytest.approx(mirrored, abs=0.1)
        assert (right["y"], right["height"]) == (left["y"], left["height"])
    assert [tick["value"] for tick in ltr["ticks"]] == [0, 1, 2]


def test_results_page_shows_visits_clicks_and_click_through_rate(admin_client, results):
    response = admin_client.get("/en/admin/marketing/campaigncount/")
    assert response.status_code == 200
    assert (response.context["visits"], response.context["clicks"]) == (100, 16)
    assert response.context["rate"] == 16.0
    html = response.content.decode()
    assert "<dd>100</dd>" in html and "<dd>16</dd>" in html and "<dd>16.0%</dd>" in html
    assert "too-old" not in html


def test_results_table_names_the_referring_article(admin_client, results, article):
    html = admin_client.get("/en/admin/marketing/campaigncount/").content.decode()
    assert f'href="/en/admin/articles/article/{article.pk}/change/">{article}</a>' in html


def test_results_are_filtered_by_language(admin_client, results):
    response = admin_client.get("/en/admin/marketing/campaigncount/?language=he")
    assert (response.context["visits"], response.context["clicks"]) == (10, 5)


def test_results_are_filtered_by_campaign(admin_client, results):
    response = admin_client.get("/en/admin/marketing/campaigncount/?campaign=autumn")
    assert (response.context["visits"], response.context["clicks"]) == (50, 1)
    response = admin_client.get("/en/admin/marketing/campaigncount/?campaign=-")
    assert (response.context["visits"], response.context["clicks"]) == (10, 5)


@pytest.mark.parametrize("query", ["?language=xx", "?campaign=%3Cscript%3E", "?language=&x=%00"])
def test_results_page_survives_bad_filters(admin_client, results, query):
    response = admin_client.get(f"/en/admin/marketing/campaigncount/{query}")
    assert response.status_code == 200
    assert "<script>" not in response.content.decode().split('id="content-main"')[1]


def bar_positions(html, chart_id):
    chart = re.search(rf'<svg[^>]*aria-labelledby="{chart_id}-title".*?</svg>', html, re.S).group(0)
    return chart, [float(x) for x in re.findall(r'<rect x="([\d.]+)"', chart)]


def test_chart_time_runs_left_to_right_in_the_turkish_admin(admin_client, results):
    html = admin_client.get("/tr/admin/marketing/campaigncount/").content.decode()
    chart, xs = bar_positions(html, "counts-chart")
    assert 'direction="ltr"' in chart
    assert len(xs) == 30 * 2
    assert xs == sorted(xs)


def test_chart_time_runs_right_to_left_in_the_hebrew_admin(admin_client, results):
    html = admin_client.get("/he/admin/marketing/campaigncount/").content.decode()
    chart, xs = bar_positions(html, "counts-chart")
    assert 'direction="rtl"' in chart
    assert xs == sorted(xs, reverse=True)
    # The value axis stands on the right: its labels start right of the bars.
    tick_x = float(re.search(r'<text x="([\d.]+)"[^>]*text-anchor="end"', chart).group(1))
    assert tick_x > max(xs)


def test_chart_bars_are_as_high_as_their_values(admin_client, results):
    html = admin_client.get("/en/admin/marketing/campaigncount/").content.decode()
    chart, _xs = bar_positions(html, "counts-chart")
    visits = [float(h) for h in re.findall(r'height="([\d.]+)" fill="#417690"', chart)]
    clicks = [float(h) for h in re.findall(r'height="([\d.]+)" fill="#b04a00"', chart)]
    assert visits[0] == visits[-1] > 0  # 50 visits on the first day and on the last
    assert visits[1:-1] == [0] * 28
    assert clicks[-1] == pytest.approx(15 * clicks[0], abs=0.5)  # 15 clicks, then 1


def test_campaign_pages_use_no_inline_style_or_script(admin_client, results):
    for url in [
        "/he/admin/marketing/campaigncount/",
        "/he/admin/marketing/campaigncount/builder/?language=he&source=newsletter",
    ]:
        html = admin_client.get(url).content.decode()
        content = html.split('id="content-main"')[1]
        assert "style=" not in content and "<style" not in content and "<script" not in content
        assert 'href="/static/css/admin-marketing.css"' in html


def test_csv_has_one_row_per_day_language_source_medium_campaign_and_article(
    admin_client, results, article
):
    response = admin_client.get("/en/admin/marketing/campaigncount/export.csv")
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    first_day = results - timedelta(days=29)
    assert response["Content-Disposition"] == (
        f'attachment; filename="campaign-results-{first_day}-{results}.csv"'
    )
    assert response.content.decode("utf-8-sig").splitlines() == [
        "day,language,source,medium,campaign,article_id,article,variant,reads,visits,clicks,"
        "click_through_rate",
        f"{first_day},tr,linkedin,,autumn,,,,0,50,1,2.0",
        f"{results},he,article,cta,,{article.pk},{article},,0,10,5,50.0",
        f"{results},tr,newsletter,,spring,,,,0,40,10,25.0",
    ]


def test_csv_follows_the_filters(admin_client, results):
    response = admin_client.get("/en/admin/marketing/campaigncount/export.csv?campaign=spring")
    lines = response.content.decode("utf-8-sig").splitlines()
    assert lines[1:] == [f"{results},tr,newsletter,,spring,,,,0,40,10,25.0"]


def test_csv_cannot_carry_a_spreadsheet_formula(admin_client, db, article):
    article.title_tr = "=HYPERLINK(1)"
    article.save()
    add_counts(timezone.localdate(), article_pk=article.pk, visit=1)
    response = admin_client.get("/en/admin/marketing/campaigncount/export.csv")
    assert ",'=HYPERLINK(1)," in response.content.decode("utf-8-sig")


def test_counts_cannot_be_added_or_deleted_in_the_admin(admin_client, results):
    assert admin_client.get("/en/admin/marketing/campaigncount/add/").status_code == 403
    row = CampaignCount.objects.first()
    response = admin_client.get(f"/en/admin/marketing/campaigncount/{row.pk}/delete/")
    assert response.status_code == 403


# Campaign links


BUILDER = "/en/admin/marketing/campaigncount/builder/"


def test_builder_gives_the_absolute_campaign_link(admin_client, tour_page):
    response = admin_client.get(
        BUILDER, {"language": "he", "source": "newsletter", "medium": "email", "campaign": "סתיו"}
    )
    link = (
        "http://testserver/he/tour/?utm_source=newsletter&utm_medium=email"
        "&utm_campaign=%D7%A1%D7%AA%D7%99%D7%95"
    )
    assert response.context["link"] == link
    assert f'value="{link.replace("&", "&amp;")}"' in response.content.decode()


def test_the_campaign_link_is_counted_under_its_names(admin_client, browser_client, tour_page):
    link = admin_client.get(
        BUILDER, {"language": "tr", "source": "print", "campaign": "fuar 2026"}
    ).context["link"]
    assert browser_client.get(link).status_code == 200
    assert counts() == [("visit", "tr", "print", "", "fuar 2026", 0, 1)]


def test_builder_warns_when_the_tour_page_lacks_the_language(admin_client, tour_page):
    TourPage.objects.update(text_en="")
    response = admin_client.get(BUILDER, {"language": "en", "source": "newsletter"})
    assert response.context["tour_missing"] is True


@pytest.mark.parametrize(
    ("field", "value"),
    [("source", "<script>"), ("campaign", "a" * 101), ("medium", "e-mail\x00"), ("source", "")],
)
def test_builder_refuses_junk_values(admin_client, tour_page, field, value):
    data = {"language": "tr", "source": "newsletter", field: value}
    response = admin_client.get(BUILDER, data)
    assert field in response.context["form"].errors
    assert "link" not in response.context


def qr_url(**changes):
    return f"{BUILDER}qr/", {
        "language": "tr",
        "source": "newsletter",
        "campaign": "spring",
        **changes,
    }


def test_qr_code_is_an_svg_of_the_campaign_link(admin_client, tour_page):
    url, data = qr_url()
    response = admin_client.get(url, data)
    assert response["Content-Type"] == "image/svg+xml"
    assert response["Content-Disposition"] == (
        'attachment; filename="tour-newsletter-spring-tr.svg"'
    )
    link = "http://testserver/tr/tour/?utm_source=newsletter&utm_campaign=spring"
    # The same link gives the same symbol: compare with segno's own rendering of it.
    buffer = io.BytesIO()
    segno.make_qr(link, error="m").save(
        buffer, kind="svg", scale=8, border=4, dark="#000", light="#fff"
    )
    assert response.content == buffer.getvalue()


def test_qr_code_as_png(admin_client, tour_page):
    url, data = qr_url(format="png")
    response = admin_client.get(url, data)
    assert response["Content-Type"] == "image/png"
    assert response.content.startswith(b"\x89PNG\r\n\x1a\n")
    assert response["Content-Disposition"].endswith('.png"')


def test_qr_code_of_junk_parameters_is_a_bad_request(admin_client, tour_page):
    url, data = qr_url(source="https://evil.example")
    assert admin_client.get(url, data).status_code == 400


@pytest.mark.parametrize(
    "url",
    [
        "/en/admin/marketing/campaigncount/",
        "/en/admin/marketing/campaigncount/export.csv",
        BUILDER,
        f"{BUILDER}qr/?language=tr&source=newsletter",
    ],
)
def test_campaign_pages_are_for_logged_in_editors_only(client, db, url):
    response = client.get(url)
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]


def test_campaign_pages_need_the_permission_to_view_counts(client, django_user_model, db):
    editor = django_user_model.objects.create_user("editor", password="x", is_staff=True)
    client.force_login(editor)
    assert client.get("/en/admin/marketing/campaigncount/").status_code == 403
    assert client.get(BUILDER).status_code == 403


def test_tour_page_admin_links_to_the_results_and_the_builder(admin_client, tour_page):
    for url in [
        "/he/admin/articles/tourpage/",
        f"/he/admin/articles/tourpage/{tour_page.pk}/change/",
    ]:
        html = admin_client.get(url).content.decode()
        assert 'href="/he/admin/marketing/campaigncount/"' in html
        assert 'href="/he/admin/marketing/campaigncount/builder/"' in html
