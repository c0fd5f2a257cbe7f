"""Call-to-action experiments: a variant per view, drawn at random, no cookie; clicks
counted for the variant shown; the page still made and cached once."""

import gzip
import random
import re
import time
from collections import Counter
from html import unescape

import pytest
from django.core.cache import caches
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from marketing import experiments
from marketing.models import CampaignCount, Experiment, Variant
from operations import page_cache

CHROME = (
    "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/156.0.0.0 Safari/537.36"
)
# What Lighthouse sent when it audited a page here (mobile emulation).
LIGHTHOUSE = {
    "HTTP_USER_AGENT": (
        "Mozilla/5.0 (Linux; Android 11; moto g power (2022)) AppleWebKit/537.36 "
        "(KHTML, like Gecko) Chrome/136.0.0.0 Mobile Safari/537.36"
    ),
    "HTTP_SEC_CH_UA": '"Chromium";v="136", "Google Chrome";v="136"',
    "HTTP_SEC_FETCH_MODE": "navigate",
    "HTTP_ACCEPT_LANGUAGE": "en-US,en;q=0.9",
}
# What a person's Chromium sends to a site on https or localhost.
PERSON = {
    "HTTP_USER_AGENT": CHROME,
    "HTTP_SEC_CH_UA": '"Not:A-Brand";v="8", "Chromium";v="156"',
    "HTTP_SEC_FETCH_MODE": "navigate",
    "HTTP_ACCEPT_LANGUAGE": "he-IL,he;q=0.9",
}


@pytest.fixture
def visitor(settings):
    settings.ALLOWED_HOSTS = ["localhost", "testserver"]
    return Client(HTTP_HOST="localhost", **PERSON)


def start_experiment(place, language="he", weights=(60, 40), capture=None):
    experiment = Experiment.objects.create(name=f"Words {place}", language=language, place=place)
    for key, weight in zip(Variant.KEYS, weights, strict=False):
        Variant.objects.create(
            experiment=experiment,
            key=key,
            text=f"טקסט {key}",
            button_label=f"כפתור {key}",
            weight=weight,
        )
    with capture(execute=True):
        experiments.start(experiment)
    return experiment


@pytest.fixture
def article_experiment(article, django_capture_on_commit_callbacks):
    return start_experiment(Experiment.Place.ARTICLE, capture=django_capture_on_commit_callbacks)


@pytest.fixture
def tour_experiment(tour_page, django_capture_on_commit_callbacks):
    return start_experiment(Experiment.Place.TOUR, capture=django_capture_on_commit_callbacks)


def cta_link(html):
    return unescape(
        re.search(r'<aside class="tour-cta".*?<a class="button" href="([^"]+)"', html, re.S).group(
            1
        )
    )


def read_count_link(html):
    return unescape(re.search(r'<img class="read-count" src="([^"]+)"', html).group(1))


def shown_variant(html):
    return re.search(r"variant=(\d+[abcd])", cta_link(html)).group(1)


def text_of(html):
    """`html` without its tags: the words a reader sees (Latin letters come isolated)."""
    return re.sub(r"<[^>]+>", "", html)


def test_each_view_shows_one_variant_and_its_link_names_it(visitor, article, article_experiment):
    html = visitor.get(article.get_absolute_url("he")).content.decode()
    assert html.count('class="tour-cta"') == 1
    code = shown_variant(html)
    variant = Variant.objects.get(experiment=article_experiment, key=code[-1])
    assert variant.text in text_of(html)
    assert f"variant={code}" in read_count_link(html)
    assert "cxcs:variant" not in html


@pytest.fixture
def seeded_random():
    """The draws of the module-level random generator, the same on every run."""
    state = random.getstate()
    random.seed(20)
    yield
    random.setstate(state)


def test_views_get_each_variant_in_its_share(visitor, article, article_experiment, seeded_random):
    views = 1000
    shown = Counter(
        shown_variant(visitor.get(article.get_absolute_url("he")).content.decode())[-1]
        for _ in range(views)
    )
    # Three standard deviations of a 60% share over 1,000 views: about 4.6 points.
    tolerance = 3 * (0.6 * 0.4 / views) ** 0.5
    assert abs(shown["a"] / views - 0.6) < tolerance
    assert shown["a"] + shown["b"] == views


def test_drawing_a_variant_follows_the_weights_exactly_over_many_draws():
    body = experiments.mark_variants([(70, "A"), (20, "B"), (10, "C")]).encode()
    rng = random.Random(7)
    draws = Counter(experiments.choose_variant(body, rng) for _ in range(20_000))
    assert draws[b"A"] / 20_000 == pytest.approx(0.7, abs=0.01)
    assert draws[b"C"] / 20_000 == pytest.approx(0.1, abs=0.01)


def test_the_page_is_made_once_and_served_from_the_cache_with_every_variant(
    site, article, article_experiment
):
    url = article.get_absolute_url("he")
    site.get(url)
    seen = set()
    with CaptureQueriesContext(connection) as queries:
        for _ in range(60):
            response = site.get(url)
            assert response.is_from_cache
            seen.add(shown_variant(response.text())[-1])
    assert len(queries) == 0
    assert seen == {"a", "b"}


def test_a_compressed_page_from_django_shows_one_variant(visitor, article, article_experiment):
    response = visitor.get(article.get_absolute_url("he") + "?ref=x", HTTP_ACCEPT_ENCODING="gzip")
    html = gzip.decompress(response.content).decode()
    assert html.count('class="tour-cta"') == 1


def test_a_cached_page_is_sent_compressed_with_one_variant(site, article, article_experiment):
    url = article.get_absolute_url("he")
    site.get(url)
    html = gzip.decompress(site.get(url, accept_encoding="gzip").content).decode()
    assert html.count('class="tour-cta"') == 1
    assert "cxcs:variant" not in html


def test_a_click_counts_for_the_variant_shown(visitor, article, article_experiment):
    page = article.get_absolute_url("he") + "?utm_source=mail&utm_campaign=spring"
    html = visitor.get(page).content.decode()
    code = shown_variant(html)

    visitor.get(read_count_link(html), HTTP_REFERER=f"http://localhost{page}")
    tour = visitor.get(cta_link(html), HTTP_REFERER=f"http://localhost{page}")
    go = unescape(re.search(r'href="([^"]*/tour/go/[^"]*)"', tour.content.decode()).group(1))
    visitor.get(go)

    rows = {
        (row.kind, row.variant, row.campaign, row.article_pk) for row in CampaignCount.objects.all()
    }
    assert rows == {
        ("read", code, "spring", article.pk),
        ("visit", code, "spring", article.pk),
        ("click", code, "spring", article.pk),
    }


def test_the_tour_page_experiment_shows_a_drawn_headline_and_counts_its_click(
    visitor, tour_experiment
):
    html = visitor.get("/he/tour/").content.decode()
    headline = text_of(re.search(r"<h1>(.*?)</h1>", html).group(1))
    key = headline[-1]
    go = unescape(re.search(r'href="([^"]*/tour/go/[^"]*)"', html).group(1))
    visitor.get(go)
    assert {(row.kind, row.variant) for row in CampaignCount.objects.all()} == {
        ("visit", f"{tour_experiment.pk}{key}"),
        ("click", f"{tour_experiment.pk}{key}"),
    }


def test_no_cookie_is_set_and_nothing_about_the_visitor_is_kept(
    visitor, article, article_experiment
):
    page = visitor.get(article.get_absolute_url("he"))
    responses = [
        page,
        visitor.get(read_count_link(page.content.decode())),
        visitor.get(cta_link(page.content.decode())),
    ]
    assert all(not response.cookies for response in responses)
    assert not visitor.cookies
    stored = {field.name for field in CampaignCount._meta.get_fields()}
    assert stored == {
        "id", "day", "language", "kind", "source", "medium", "campaign", "article_pk",
        "variant", "count",
    }  # fmt: skip


@pytest.mark.parametrize(
    "value",
    ["{pk}b", "999a", "{pk}b.1:forged", "{token}x", "{other_language_token}"],
    ids=["bare-code", "other-experiment", "forged-signature", "altered", "other-language"],
)
def test_a_variant_the_server_did_not_show_is_counted_as_unattributed(
    visitor, article, article_experiment, value
):
    variant = article_experiment.variants.get(key="b")
    tr_experiment = Experiment.objects.create(name="tr", language="tr", place="article")
    tr_variant = Variant.objects.create(
        experiment=tr_experiment, key="b", text="t", button_label="b"
    )
    value = value.format(
        pk=article_experiment.pk,
        token=experiments.variant_token(variant),
        other_language_token=experiments.variant_token(tr_variant),
    )
    visitor.get("/he/tour/", {"variant": value})
    visitor.get(f"/he/read/{article.pk}/", {"variant": value})
    assert set(CampaignCount.objects.values_list("variant", flat=True)) == {
        f"{article_experiment.pk}?"
    }


def test_a_variant_value_where_no_experiment_runs_is_ignored(visitor, article, article_experiment):
    variant = article_experiment.variants.get(key="a")
    visitor.get("/tr/tour/", {"variant": experiments.variant_token(variant)})
    assert set(CampaignCount.objects.values_list("variant", flat=True)) == {""}


def test_a_variant_from_a_page_replaced_long_ago_is_unattributed(
    visitor, article, article_experiment
):
    variant = article_experiment.variants.get(key="a")
    # The current generation started two days ago; the page came from the one before.
    started = time.time_ns() - 2 * 24 * 3600 * 10**9
    caches["default"].set(page_cache.GENERATION_KEY, (started, None), timeout=None)
    page_cache._known_generation.update(value=None, until=0.0)
    current = experiments.SIGNER.sign(f"{variant.code}.{started}")
    stale = experiments.SIGNER.sign(f"{variant.code}.{started - 1}")
    visitor.get("/he/tour/", {"variant": current})
    visitor.get("/he/tour/", {"variant": stale}, REMOTE_ADDR="192.0.2.1")
    assert sorted(CampaignCount.objects.values_list("variant", "count")) == [
        (f"{article_experiment.pk}?", 1),
        (variant.code, 1),
    ]


def test_reading_an_article_is_counted_once_per_reader_and_day(visitor, article):
    html = visitor.get(article.get_absolute_url("he")).content.decode()
    response = visitor.get(read_count_link(html))
    assert response["Content-Type"] == "image/gif"
    assert "no-store" in response["Cache-Control"]
    visitor.get(read_count_link(html))
    visitor.get(read_count_link(html), REMOTE_ADDR="192.0.2.1")
    assert CampaignCount.objects.get(kind="read").count == 2


@pytest.mark.parametrize(
    "headers",
    [
        LIGHTHOUSE,
        {**PERSON, "HTTP_USER_AGENT": CHROME.replace("Chrome/", "HeadlessChrome/")},
        {**PERSON, "HTTP_SEC_FETCH_MODE": ""},
        {key: value for key, value in PERSON.items() if key != "HTTP_ACCEPT_LANGUAGE"},
        {**PERSON, "HTTP_SEC_CH_UA": '"Chromium";v="156"'},
    ],
    ids=["lighthouse", "headless", "no-fetch-metadata", "no-language", "hints-without-grease"],
)
def test_audit_and_headless_browsers_are_not_counted(article, settings, headers):
    settings.ALLOWED_HOSTS = ["localhost", "testserver"]
    headers = {name: value for name, value in headers.items() if value}
    robot = Client(HTTP_HOST="localhost", **headers)
    html = robot.get(article.get_absolute_url("he")).content.decode()
    robot.get(read_count_link(html))
    robot.get("/he/tour/")
    assert not CampaignCount.objects.exists()


def test_a_person_with_firefox_is_counted(article, settings):
    settings.ALLOWED_HOSTS = ["localhost", "testserver"]
    firefox = Client(
        HTTP_HOST="localhost",
        HTTP_USER_AGENT="Mozilla/5.0 (X11; Linux x86_64; rv:140.0) Gecko/20100101 Firefox/140.0",
        HTTP_ACCEPT_LANGUAGE="he",
    )
    firefox.get("/he/tour/")
    assert CampaignCount.objects.get().kind == "visit"


def experiment_form(**changes):
    data = {
        "name": "Kısa sözler",
        "language": "he",
        "place": "article",
        "minimum_views": "100",
        "variants-TOTAL_FORMS": "2",
        "variants-INITIAL_FORMS": "0",
        "variants-MIN_NUM_FORMS": "0",
        "variants-MAX_NUM_FORMS": "4",
        "variants-0-text": "נסו את הסיור",
        "variants-0-button_label": "לסיור",
        "variants-0-weight": "50",
        "variants-1-text": "ראו איך זה עובד",
        "variants-1-button_label": "הראו לי",
        "variants-1-weight": "50",
    }
    data.update(changes)
    return data


def test_an_experiment_is_defined_in_the_admin_with_its_variants(admin_client, db):
    response = admin_client.post("/en/admin/marketing/experiment/add/", experiment_form())
    assert response.status_code == 302
    experiment = Experiment.objects.get()
    assert [(v.key, v.weight) for v in experiment.variants.all()] == [("a", 50), ("b", 50)]
    assert experiment.status == Experiment.Status.DRAFT


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"variants-1-weight": "40"}, "add up to 100%"),
        ({"variants-TOTAL_FORMS": "1", "variants-0-weight": "100"}, "two to four variants"),
    ],
)  # fmt: skip
def test_variants_must_be_two_to_four_sharing_every_view(admin_client, db, changes, message):
    response = admin_client.post("/en/admin/marketing/experiment/add/", experiment_form(**changes))
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Experiment.objects.exists()


@pytest.mark.parametrize("text", ["נסו\x1bאת הסיור", "נסו את \u202eהסיור", "נסו\nאת הסיור"])
def test_a_variant_text_an_article_could_not_hold_is_refused(admin_client, db, text):
    response = admin_client.post(
        "/en/admin/marketing/experiment/add/", experiment_form(**{"variants-0-text": text})
    )
    assert response.status_code == 200
    assert response.context["inline_admin_formsets"][0].formset.errors[0]["text"]
    assert not Experiment.objects.exists()


def test_only_one_experiment_runs_per_language(admin_client, article_experiment):
    admin_client.post("/en/admin/marketing/experiment/add/", experiment_form(place="tour"))
    draft = Experiment.objects.get(status="draft")
    response = admin_client.post(f"/en/admin/marketing/experiment/{draft.pk}/start/", follow=True)
    assert "Another experiment is running in this language." in response.content.decode()
    draft.refresh_from_db()
    assert draft.status == Experiment.Status.DRAFT


def test_a_stopped_experiment_leaves_the_default_words(
    admin_client, visitor, article, article_experiment, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        admin_client.post(f"/en/admin/marketing/experiment/{article_experiment.pk}/stop/")
    html = visitor.get(article.get_absolute_url("he")).content.decode()
    assert "variant=" not in cta_link(html)
    assert "חוו את הפלטפורמה" in html


def add_counts(experiment, key, kind, count):
    CampaignCount.objects.create(
        day="2026-11-28", language=experiment.language, kind=kind,
        variant=f"{experiment.pk}{key}", count=count,
    )  # fmt: skip


def test_the_results_show_rates_intervals_and_the_chance_to_beat_the_control(
    admin_client, article_experiment
):
    add_counts(article_experiment, "a", "read", 1000)
    add_counts(article_experiment, "a", "visit", 30)
    add_counts(article_experiment, "b", "read", 1000)
    add_counts(article_experiment, "b", "visit", 60)
    html = admin_client.get(
        f"/en/admin/marketing/experiment/{article_experiment.pk}/results/"
    ).content.decode()
    assert "Variant b wins, with 95% certainty." in html
    assert "3.0%" in html and "6.0%" in html
    assert "99.9%" in html  # b's chance of beating a


@pytest.mark.parametrize("admin_language", ["en", "he", "tr"])
def test_the_results_page_renders_and_flags_more_clicks_than_views(
    admin_client, article_experiment, admin_language
):
    add_counts(article_experiment, "a", "read", 400)
    add_counts(article_experiment, "a", "visit", 20)
    add_counts(article_experiment, "b", "read", 10)
    add_counts(article_experiment, "b", "visit", 30)
    add_counts(article_experiment, "?", "visit", 7)
    response = admin_client.get(
        f"/{admin_language}/admin/marketing/experiment/{article_experiment.pk}/results/"
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert 'class="experiment-anomaly"' in html
    assert 'class="experiment-unattributed"' in html
    if admin_language == "en":
        assert "Variant b has more clicks than views (30 clicks, 10 views)" in html
        assert "7 views" not in html and "0 views and 7 clicks" in html
        assert "No winner yet" in html or "No variant is ahead" in html


def test_the_results_csv_flags_more_clicks_than_views_and_the_unattributed(
    admin_client, article_experiment
):
    add_counts(article_experiment, "b", "read", 10)
    add_counts(article_experiment, "b", "visit", 30)
    add_counts(article_experiment, "?", "read", 3)
    response = admin_client.get(
        f"/en/admin/marketing/experiment/{article_experiment.pk}/results.csv"
    )
    assert response.status_code == 200
    lines = response.content.decode("utf-8-sig").splitlines()
    assert lines[0].endswith(",note")
    assert lines[2].startswith("b,0,10,30,") and lines[2].endswith(",more_clicks_than_views")
    assert lines[3].startswith("unattributed,,3,0,")


def test_the_results_csv_holds_every_variant(admin_client, article_experiment):
    add_counts(article_experiment, "a", "read", 400)
    add_counts(article_experiment, "a", "visit", 20)
    response = admin_client.get(
        f"/en/admin/marketing/experiment/{article_experiment.pk}/results.csv"
    )
    lines = response.content.decode("utf-8-sig").splitlines()
    assert lines[0].startswith("variant,control,views,clicks,rate")
    assert lines[1].startswith("a,1,400,20,0.0500,")
    assert lines[2].startswith("b,0,0,0,,")


def test_promoting_a_variant_gives_the_tour_page_its_words_with_history(
    admin_client, article_experiment, tour_page, revisions
):
    response = admin_client.post(
        f"/en/admin/marketing/experiment/{article_experiment.pk}/promote/", {"variant": "b"}
    )
    assert response.status_code == 302
    tour_page.refresh_from_db()
    assert (tour_page.text_he, tour_page.button_label_he) == ("טקסט b", "כפתור b")
    assert tour_page.text_tr == "Platformu ilk elden deneyimleyin"
    article_experiment.refresh_from_db()
    assert article_experiment.status == Experiment.Status.STOPPED
    assert article_experiment.promoted.key == "b"
    assert (
        "won the experiment"
        in admin_client.get(f"/en/admin/articles/tourpage/{tour_page.pk}/history/").content.decode()
    )


def test_promoting_needs_a_post(admin_client, article_experiment):
    url = f"/en/admin/marketing/experiment/{article_experiment.pk}/promote/"
    assert admin_client.get(url).status_code == 405


def test_stopping_asks_first_and_changes_nothing_until_confirmed(admin_client, article_experiment):
    url = f"/en/admin/marketing/experiment/{article_experiment.pk}/stop/"
    response = admin_client.get(url)
    html = response.content.decode()
    assert response.status_code == 200
    assert "a stopped experiment cannot start again" in html
    assert f'<form method="post" action="{url}">' in html
    article_experiment.refresh_from_db()
    assert article_experiment.status == Experiment.Status.RUNNING


def test_starting_a_draft_asks_first_and_names_its_variants(admin_client, article_experiment):
    draft = Experiment.objects.create(name="Taslak", language="tr", place="tour")
    Variant.objects.create(experiment=draft, key="a", text="Bir", button_label="Git", weight=50)
    response = admin_client.get(f"/en/admin/marketing/experiment/{draft.pk}/start/")
    html = response.content.decode()
    assert "the variants' words cannot be changed" in html
    assert "Bir · Git" in html
    draft.refresh_from_db()
    assert draft.status == Experiment.Status.DRAFT


def test_asking_to_start_a_running_experiment_leads_back_to_its_results(
    admin_client, article_experiment
):
    response = admin_client.get(f"/en/admin/marketing/experiment/{article_experiment.pk}/start/")
    assert response.status_code == 302
    assert response["Location"].endswith(f"/experiment/{article_experiment.pk}/results/")


def test_the_experiments_change_form_opens(admin_client, article_experiment):
    response = admin_client.get(f"/en/admin/marketing/experiment/{article_experiment.pk}/change/")
    assert response.status_code == 200


def test_no_chance_to_beat_the_control_is_told_below_the_minimum_of_views(
    admin_client, article_experiment
):
    add_counts(article_experiment, "a", "read", 10)
    add_counts(article_experiment, "b", "read", 10)
    response = admin_client.get(f"/en/admin/marketing/experiment/{article_experiment.pk}/results/")
    [control, variant] = response.context["rows"]
    assert variant["beats"] is None
    assert "50.0%" not in response.content.decode()


def test_the_funnel_shows_each_step_and_what_was_lost(admin_client, article):
    for kind, source, count in [
        ("read", "mail", 200),
        ("visit", "article", 50),
        ("click", "article", 10),
    ]:
        CampaignCount.objects.create(
            day=timezone.localdate(), language="he", kind=kind, source=source,
            campaign="spring", article_pk=article.pk, count=count,
        )  # fmt: skip
    html = admin_client.get("/en/admin/marketing/campaigncount/").content.decode()
    funnel = html.split('class="campaign-funnel"')[1].split("</section>")[0]
    assert re.search(r"Article read.*?200.*?Call to action clicked.*?50.*?75.0% lost", funnel, re.S)
    assert re.search(r"Tour button clicked.*?10.*?80.0% lost", funnel, re.S)
    numbers = r'\s*<td class="number">'.join(["spring</td>", "200</td>", "50</td>", "10</td>"])
    assert re.search(numbers, funnel)


def test_a_marketer_limited_to_turkish_cannot_promote_hebrew_words(
    client_of, article_experiment, tour_page
):
    from .conftest import staff_member

    marketer = staff_member(
        "marketer", "change_experiment", "view_experiment", languages=[("translates", "tr")]
    )
    response = client_of(marketer).post(
        f"/en/admin/marketing/experiment/{article_experiment.pk}/promote/",
        {"variant": "b"},
        follow=True,
    )
    assert "you may change only the Turkish texts" in response.content.decode()
    tour_page.refresh_from_db()
    assert tour_page.text_he == "חוו את הפלטפורמה ממקור ראשון"
    article_experiment.refresh_from_db()
    assert article_experiment.promoted is None


def test_each_input_of_the_variants_table_is_labelled(admin_client, article_experiment):
    html = admin_client.get("/en/admin/marketing/experiment/add/").content.decode()
    for name, label in [("text", "Text"), ("button_label", "Button label")]:
        tag = re.search(rf'<input[^>]*name="variants-0-{name}"[^>]*>', html).group(0)
        assert f'aria-label="{label}"' in tag
    assert '<th class="original"><span class="visually-hidden">Variant</span></th>' in html
