"""What a reader gets: the article list, the article page and their languages."""

import re
from datetime import timedelta
from urllib.parse import quote

import pytest
from django.utils import timezone

from articles.models import Article


def html_tag(response):
    return re.search(r"<html[^>]*>", response.content.decode()).group(0)


@pytest.mark.parametrize(("language", "direction"), [("tr", "ltr"), ("he", "rtl"), ("en", "ltr")])
def test_article_list_has_the_language_and_direction_of_its_prefix(
    client, article, language, direction
):
    response = client.get(f"/{language}/")
    assert response.status_code == 200
    assert html_tag(response) == f'<html lang="{language}" dir="{direction}">'


@pytest.mark.parametrize(("language", "direction"), [("tr", "ltr"), ("he", "rtl")])
def test_article_page_has_the_language_and_direction_of_its_prefix(
    client, article, language, direction
):
    response = client.get(article.get_absolute_url(language))
    assert response.status_code == 200
    assert html_tag(response) == f'<html lang="{language}" dir="{direction}">'


def test_article_urls_use_each_languages_own_slug(article):
    assert article.get_absolute_url("tr") == "/tr/articles/isik-yolu/"
    assert (
        article.get_absolute_url("he")
        == "/he/articles/%D7%93%D7%A8%D7%9A-%D7%94%D7%90%D7%95%D7%A8/"
    )


def test_hebrew_article_page_shows_the_hebrew_texts(client, article):
    response = client.get(article.get_absolute_url("he"))
    assert "<h1>דרך האור</h1>" in response.content.decode()
    assert "פתיח בעברית." in response.content.decode()


def test_list_shows_articles_available_in_its_language(client, article):
    assert article.title_he in client.get("/he/").content.decode()


def test_list_leaves_out_an_article_not_available_in_its_language(client, article):
    response = client.get("/en/")
    assert article.title_en not in response.content.decode()
    assert list(response.context["article_list"]) == []


def test_list_leaves_out_drafts(client, draft):
    assert draft.title_tr not in client.get("/tr/").content.decode()


def test_list_leaves_out_articles_scheduled_for_later(client, article):
    article.published_at = timezone.now() + timedelta(days=1)
    article.save()
    assert article.title_tr not in client.get("/tr/").content.decode()


def test_article_without_a_body_in_a_language_is_not_available_there(article):
    assert not Article.objects.published().available_in("en").exists()
    assert Article.objects.published().available_in("he").get() == article


def test_empty_list_says_so_in_its_language(client, tour_page):
    response = client.get("/en/")
    assert "No articles in this language yet." in response.content.decode()


def test_table_of_contents_links_to_the_headings(client, article):
    html = client.get(article.get_absolute_url("tr")).content.decode()
    toc = re.search(r'<nav class="toc".*?</nav>', html, re.S).group(0)
    targets = re.findall(r'href="#([^"]+)"', toc)
    assert targets == ["isik-ve-icindekiler", "cozum"]
    for target in targets:
        assert f'id="{target}"' in html


def test_hebrew_table_of_contents_links_to_hebrew_heading_ids(client, article):
    html = client.get(article.get_absolute_url("he")).content.decode()
    assert '<a href="#מהי-חווית-הלקוח-cx">' in html
    assert '<h2 id="מהי-חווית-הלקוח-cx">' in html


def test_switcher_leads_to_the_same_article_in_the_other_language(client, article):
    html = client.get(article.get_absolute_url("tr")).content.decode()
    switcher = re.search(r'<nav class="language-switcher".*?</nav>', html, re.S).group(0)
    assert f'href="{article.get_absolute_url("he")}" lang="he" dir="rtl" hreflang="he"' in switcher


def test_switcher_offers_only_languages_the_article_is_available_in(client, article):
    html = client.get(article.get_absolute_url("tr")).content.decode()
    switcher = re.search(r'<nav class="language-switcher".*?</nav>', html, re.S).group(0)
    assert "/en/" not in switcher


def test_switcher_on_the_list_leads_to_every_languages_list_with_articles(client, article):
    html = client.get("/tr/").content.decode()
    switcher = re.search(r'<nav class="language-switcher".*?</nav>', html, re.S).group(0)
    assert 'href="/tr/"' in switcher and 'href="/he/"' in switcher
    assert 'href="/en/"' not in switcher


@pytest.mark.parametrize("language", ["tr", "he"])
def test_article_ends_with_the_call_to_action_to_the_tour_in_its_language(
    client, article, language
):
    html = client.get(article.get_absolute_url(language)).content.decode()
    cta = re.search(r'<aside class="tour-cta".*?</aside>', html, re.S).group(0)
    slug = quote(getattr(article, f"slug_{language}"))
    assert (
        f'href="/{language}/tour/?utm_source=article&amp;utm_medium=cta&amp;utm_content={slug}"'
        in cta
    )
    assert html.rindex("tour-cta") > html.rindex("article-body")


def test_call_to_action_shows_the_tour_texts_of_the_page_language(client, article, tour_page):
    html = client.get(article.get_absolute_url("he")).content.decode()
    assert tour_page.text_he in html
    assert tour_page.button_label_he in html


def test_figure_has_alt_text_and_dimensions(client, launch):
    html = client.get(launch.get_absolute_url("he")).content.decode()
    image = re.search(
        r'<figure class="article-figure">\s*<picture>.*?<img[^>]*>', html, re.S
    ).group(0)
    assert f'alt="{launch.image_alt_he}"' in image
    assert 'width="1200" height="675"' in image


def test_slug_of_another_language_redirects_to_this_languages_version(client, article):
    response = client.get("/he/articles/isik-yolu/")
    assert response.status_code == 301
    assert response["Location"] == article.get_absolute_url("he")
