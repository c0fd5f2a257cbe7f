"""What search engines and link previews read: canonical, alternates, sitemap, feeds, metadata."""

import json
import re
import xml.etree.ElementTree as ET

import pytest

from articles.models import Article, Author, Brand, Topic

SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
XHTML = "{http://www.w3.org/1999/xhtml}"
ATOM = "{http://www.w3.org/2005/Atom}"


def head(response):
    return re.search(r"<head>.*</head>", response.content.decode(), re.S).group(0)


def alternates(html):
    return dict(re.findall(r'<link rel="alternate" hreflang="([^"]+)" href="([^"]+)">', html))


def meta(html, name):
    return re.findall(rf'<meta (?:property|name)="{re.escape(name)}" content="([^"]*)">', html)


def json_ld(html):
    block = re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    return json.loads(block.group(1))


def sitemap_urls(client):
    root = ET.fromstring(client.get("/sitemap.xml").content)
    return {
        url.find(f"{SITEMAP}loc").text: {
            link.get("hreflang"): link.get("href") for link in url.findall(f"{XHTML}link")
        }
        for url in root.findall(f"{SITEMAP}url")
    }


@pytest.fixture
def hebrew_only(db):
    return Article.objects.create(is_published_he=True, title_he="רק בעברית", body_he="טקסט.")


def test_article_has_an_absolute_canonical_url(client, article):
    html = head(client.get(article.get_absolute_url("he")))
    canonical = f"http://testserver{article.get_absolute_url('he')}"
    assert f'<link rel="canonical" href="{canonical}">' in html


def test_canonical_url_leaves_out_the_query_string(client, article):
    html = head(client.get(article.get_absolute_url("tr"), {"utm_source": "mail"}))
    assert '<link rel="canonical" href="http://testserver/tr/articles/isik-yolu/">' in html


def test_article_alternates_are_its_languages_and_the_turkish_default(client, article):
    links = alternates(head(client.get(article.get_absolute_url("tr"))))
    assert links == {
        "tr": "http://testserver/tr/articles/isik-yolu/",
        "he": f"http://testserver{article.get_absolute_url('he')}",
        "x-default": "http://testserver/tr/articles/isik-yolu/",
    }


def test_article_without_turkish_has_no_default_alternate(client, hebrew_only):
    links = alternates(head(client.get(hebrew_only.get_absolute_url("he"))))
    assert set(links) == {"he"}


def test_list_alternates_are_the_languages_with_articles(client, article):
    links = alternates(head(client.get("/he/")))
    assert links == {
        "tr": "http://testserver/tr/",
        "he": "http://testserver/he/",
        "x-default": "http://testserver/tr/",
    }


def test_404_has_no_canonical_or_alternates(client, article):
    html = head(client.get("/en/articles/the-way-of-light/"))
    assert "canonical" not in html
    assert "hreflang" not in html


def test_article_has_a_meta_description_from_its_lede(client, article):
    html = head(client.get(article.get_absolute_url("he")))
    assert '<meta name="description" content="פתיח בעברית.">' in html


def test_meta_description_prefers_the_editors_one(client, article):
    article.meta_description_tr = "Arama motorları için özet."
    article.save()
    html = head(client.get(article.get_absolute_url("tr")))
    assert meta(html, "description") == ["Arama motorları için özet."]


def test_open_graph_names_the_locale_and_the_other_languages(client, article):
    html = head(client.get(article.get_absolute_url("he")))
    assert meta(html, "og:locale") == ["he_IL"]
    assert meta(html, "og:locale:alternate") == ["tr_TR"]


def test_open_graph_describes_the_article(client, article):
    html = head(client.get(article.get_absolute_url("tr")))
    assert meta(html, "og:type") == ["article"]
    assert meta(html, "og:title") == ["Işık Yolu"]
    assert meta(html, "og:url") == ["http://testserver/tr/articles/isik-yolu/"]


def test_open_graph_and_twitter_show_the_figure(client, launch):
    html = head(client.get(launch.get_absolute_url("tr")))
    image = f"http://testserver{launch.image.url}"
    assert meta(html, "og:image") == [image]
    assert meta(html, "twitter:image") == [image]
    assert meta(html, "twitter:card") == ["summary_large_image"]
    assert meta(html, "og:image:alt") == [launch.image_alt_tr]


def test_json_ld_describes_the_article_in_its_language(client, article):
    data = json_ld(client.get(article.get_absolute_url("he")).content.decode())
    assert data["@type"] == "Article"
    assert data["inLanguage"] == "he"
    assert data["headline"] == "דרך האור"
    assert data["url"] == f"http://testserver{article.get_absolute_url('he')}"


def test_json_ld_cannot_be_closed_by_an_editors_title(client, article):
    article.title_tr = "</script><script>alert(1)</script>"
    article.save()
    html = client.get(article.get_absolute_url("tr")).content.decode()
    assert "<script>alert(1)" not in html
    assert json_ld(html)["headline"] == "</script><script>alert(1)</script>"


def test_sitemap_lists_each_article_in_its_languages_only(client, article):
    urls = sitemap_urls(client)
    article_urls = {url for url in urls if "/articles/" in url}
    assert article_urls == {
        "http://testserver/tr/articles/isik-yolu/",
        f"http://testserver{article.get_absolute_url('he')}",
    }


def test_sitemap_leaves_out_a_language_written_but_not_published(client, article, edit):
    edit(article, is_published_he=False)
    urls = sitemap_urls(client)
    assert not [url for url in urls if "/he/articles/" in url]
    assert "he" not in urls["http://testserver/tr/articles/isik-yolu/"]


def test_sitemap_alternates_never_name_a_missing_language(client, article):
    links = sitemap_urls(client)["http://testserver/tr/articles/isik-yolu/"]
    assert links == {
        "tr": "http://testserver/tr/articles/isik-yolu/",
        "he": f"http://testserver{article.get_absolute_url('he')}",
        "x-default": "http://testserver/tr/articles/isik-yolu/",
    }


def test_sitemap_gives_no_default_to_an_article_without_turkish(client, hebrew_only):
    links = sitemap_urls(client)[f"http://testserver{hebrew_only.get_absolute_url('he')}"]
    assert set(links) == {"he"}


def test_sitemap_lists_the_article_list_in_every_language_with_articles(client, article):
    urls = sitemap_urls(client)
    assert {"http://testserver/tr/", "http://testserver/he/"} <= set(urls)
    assert "http://testserver/en/" not in urls
    assert urls["http://testserver/he/"]["x-default"] == "http://testserver/tr/"


def test_sitemap_leaves_out_drafts(client, draft):
    assert not any("/articles/" in url for url in sitemap_urls(client))


def test_robots_txt_is_plain_text_pointing_to_the_sitemap(client, db):
    response = client.get("/robots.txt")
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    assert "Sitemap: http://testserver/sitemap.xml" in response.content.decode()


def test_robots_txt_keeps_crawlers_out_of_search_results(client, db):
    assert "Disallow: /he/search/" in client.get("/robots.txt").content.decode()


def feed_entries(client, language):
    root = ET.fromstring(client.get(f"/{language}/feed/").content)
    return root, [entry.find(f"{ATOM}title").text for entry in root.findall(f"{ATOM}entry")]


def test_feed_lists_the_articles_of_its_language(client, article):
    root, titles = feed_entries(client, "he")
    assert titles == ["דרך האור"]
    assert root.get("{http://www.w3.org/XML/1998/namespace}lang") == "he"


def test_feed_leaves_out_articles_not_available_in_its_language(client, article):
    assert feed_entries(client, "en")[1] == []


def test_feed_leaves_out_drafts(client, draft):
    assert feed_entries(client, "tr")[1] == []


def test_feed_links_to_the_articles_page_in_its_language(client, article):
    root = ET.fromstring(client.get("/tr/feed/").content)
    links = [link.get("href") for link in root.iter(f"{ATOM}link")]
    assert "http://testserver/tr/articles/isik-yolu/" in links


def test_pages_point_to_the_feed_of_their_language(client, db):
    html = head(client.get("/he/"))
    assert '<link rel="alternate" type="application/atom+xml" href="/he/feed/"' in html


def test_the_feeds_stay_well_formed_with_noncharacters_already_stored(
    client, article, author, topic, edit
):
    edit(article, author=author, topic=topic)
    # Stored before they were refused, or by a writer that checks nothing.
    Article.objects.update(title_tr="Başlık\uffff", lede_tr="Giriş\ufffe\x0b")
    Author.objects.update(name_tr="Ayşe\uffff")
    Topic.objects.update(name_tr="İletişim\ufdd0", description_tr="Açıklama\U0001fffe")
    Brand.objects.create(name="Notlar\uffff")
    for url in ("/tr/feed/", topic.get_feed_url("tr")):
        response = client.get(url)
        assert response.status_code == 200
        root = ET.fromstring(response.content)
        text = "".join(root.itertext())
        assert "Başlık" in text and "Ayşe" in text and "Notlar" in text
        assert not {"\uffff", "\ufffe", "\ufdd0", "\U0001fffe"} & set(text)
