"""Authors and topics: their pages, bylines, feeds, slugs and history."""

import json
import re
import xml.etree.ElementTree as ET

import pytest
from django.core.files.base import ContentFile
from django.utils import translation

from articles.launch.loader import draw_figure
from articles.models import Author, Topic
from articles.writing import editing, history

ATOM = "{http://www.w3.org/2005/Atom}"


@pytest.fixture
def written(article, author, topic, edit):
    """The `article`, by `author`, on `topic`."""
    return edit(article, author=author, topic=topic).obj


def json_ld(html):
    block = re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    return json.loads(block.group(1))


def test_author_slugs_follow_each_languages_slug_policy(author):
    assert author.slug_tr == "ayse-yilmaz"
    assert author.slug_he == "איילת-לוי"


def test_topic_slugs_turn_dotted_and_dotless_turkish_i_into_i(topic):
    assert topic.slug_tr == "iletisim-ve-isik"
    assert topic.slug_he == "תקשורת"


def test_article_byline_links_to_its_author_in_the_pages_language(client, written):
    html = client.get(written.get_absolute_url("he")).content.decode()
    byline = re.search(r'<p class="byline-text">.*?</p>', html, re.S).group(0)
    assert f'<a href="{written.author.get_absolute_url("he")}" rel="author">איילת לוי</a>' in byline


def test_json_ld_names_the_author_as_a_person(client, written):
    data = json_ld(client.get(written.get_absolute_url("tr")).content.decode())
    assert data["author"] == {
        "@type": "Person",
        "name": "Ayşe Yılmaz",
        "url": "http://testserver/tr/authors/ayse-yilmaz/",
    }


def test_json_ld_names_a_team_as_an_organization(client, written, edit):
    edit(written.author, is_team=True)
    data = json_ld(client.get(written.get_absolute_url("tr")).content.decode())
    assert data["author"]["@type"] == "Organization"


def test_author_page_shows_their_name_bio_and_articles(client, written):
    html = client.get(written.author.get_absolute_url("tr")).content.decode()
    assert "<h1>Ayşe Yılmaz</h1>" in html
    assert "Destek ekiplerini yönetir." in html
    assert written.title_tr in html


def test_author_page_lists_only_articles_in_its_language(client, written, draft, edit):
    edit(draft, author=written.author, is_published_tr=True)
    html = client.get(written.author.get_absolute_url("he")).content.decode()
    assert written.title_he in html
    assert draft.title_he not in html


def test_author_without_a_name_in_a_language_has_no_page_there(client, written):
    response = client.get("/en/authors/ayse-yilmaz/")
    assert response.status_code == 404
    assert 'href="/tr/authors/ayse-yilmaz/"' in response.content.decode()


def test_an_authors_slug_in_another_language_leads_to_this_languages_page(client, written):
    response = client.get("/he/authors/ayse-yilmaz/")
    assert response.status_code == 301
    assert response["Location"] == written.author.get_absolute_url("he")


def test_unknown_author_answers_404(client, db):
    assert client.get("/tr/authors/nobody/").status_code == 404


def test_author_photo_is_offered_in_small_renditions(client, written, edit):
    edit(written.author, photo=ContentFile(draw_figure(), name="ayse.png"))
    html = client.get(written.author.get_absolute_url("tr")).content.decode()
    photo = re.search(r'<span class="profile-photo">.*?</span>', html, re.S).group(0)
    widths = sorted({int(width) for width in re.findall(r" (\d+)w", photo)})
    assert widths == [96, 192, 384]


def test_author_changes_are_kept_with_a_summary(author, edit, revisions):
    edit(author, bio_he="מנהלת את צוותי התמיכה.")
    last = revisions(author)[-1]
    with translation.override("en"):
        assert history.describe(last.revision.comment, type(author)) == "Changed: Hebrew (bio)."
    assert last.field_dict["bio_he"] == "מנהלת את צוותי התמיכה."


def test_topic_page_lists_the_articles_on_it(client, written, draft):
    html = client.get(written.topic.get_absolute_url("tr")).content.decode()
    assert "<h1>İletişim ve Işık</h1>" in html
    assert written.title_tr in html
    assert draft.title_tr not in html


def test_topic_page_points_to_its_feed(client, written):
    html = client.get(written.topic.get_absolute_url("he")).content.decode()
    feed = written.topic.get_feed_url("he")
    assert f'<link rel="alternate" type="application/atom+xml" href="{feed}"' in html


def test_topic_feed_lists_only_the_articles_on_it_in_its_language(client, written, edit, draft):
    edit(draft, is_published_he=True)
    root = ET.fromstring(client.get(written.topic.get_feed_url("he")).content)
    titles = [entry.find(f"{ATOM}title").text for entry in root.findall(f"{ATOM}entry")]
    assert titles == ["דרך האור"]
    assert root.find(f"{ATOM}entry/{ATOM}author/{ATOM}name").text == "איילת לוי"


def test_feed_of_a_topic_without_a_name_in_the_language_answers_404(client, written):
    assert client.get("/en/topics/iletisim-ve-isik/feed/").status_code == 404


def test_cards_show_the_topic_author_and_image(client, written, launch):
    html = client.get("/tr/").content.decode()
    cards = re.findall(r'<article class="card[^"]*">.*?</article>', html, re.S)
    [card] = [card for card in cards if "Işık Yolu" in card]
    assert '<p class="card-topic"><a href="/tr/topics/iletisim-ve-isik/">' in card
    assert '<span class="card-author">Ayşe Yılmaz</span>' in card
    [launch_card] = [card for card in cards if "Terminolojinizi" in card]
    assert "<picture>" in launch_card


def test_article_page_names_its_topic_above_the_title(client, written):
    html = client.get(written.get_absolute_url("tr")).content.decode()
    assert '<p class="article-topic"><a href="/tr/topics/iletisim-ve-isik/">' in html


def test_header_sections_are_the_topics_with_articles_in_the_language(client, written):
    editing.save(Topic(name_tr="Boş Konu"))
    nav = re.search(r'<nav class="site-nav".*?</nav>', client.get("/tr/").content.decode(), re.S)
    assert 'href="/tr/topics/iletisim-ve-isik/"' in nav.group(0)
    assert "Boş Konu" not in nav.group(0)


def test_article_admin_saves_the_author_and_topic_with_history(
    save_in_admin, article, author, topic, revisions
):
    save_in_admin(article, author=author.pk, topic=topic.pk)
    assert (article.author, article.topic) == (author, topic)
    last = revisions(article)[-1]
    assert (last.field_dict["author_id"], last.field_dict["topic_id"]) == (author.pk, topic.pk)
    with translation.override("en"):
        assert history.describe(last.revision.comment, type(article)) == "Changed: author, topic."


def test_restoring_a_revision_brings_back_the_topic(
    save_in_admin, restore_in_admin, article, topic, revisions
):
    before = revisions(article)[-1]
    save_in_admin(article, topic=topic.pk)
    restore_in_admin(article, before)
    assert article.topic is None


def test_a_topic_in_use_cannot_be_deleted(admin_client, written):
    url = f"/en/admin/articles/topic/{written.topic.pk}/delete/"
    response = admin_client.post(url, {"post": "yes"})
    assert response.status_code == 200
    assert "Cannot delete" in response.content.decode()
    written.topic.refresh_from_db()


@pytest.mark.parametrize("model", ["author", "topic", "brand"])
def test_admin_forms_type_hebrew_right_to_left(admin_client, db, model):
    html = admin_client.get(f"/en/admin/articles/{model}/add/").content.decode()
    field = {"author": "name_he", "topic": "name_he", "brand": "tagline_he"}[model]
    tag = re.search(rf'<input[^>]*name="{field}"[^>]*>', html).group(0)
    assert 'dir="rtl"' in tag and 'lang="he"' in tag


def test_an_author_is_added_in_the_admin_with_slugs_made_from_the_names(admin_client, db):
    data = {"name_tr": "Işıl Çelik", "name_he": "אילנה", "version": ""}
    response = admin_client.post("/en/admin/articles/author/add/", data)
    assert response.status_code == 302
    author = Author.objects.get()
    assert (author.slug_tr, author.slug_he) == ("isil-celik", "אילנה")


def test_sitemap_lists_author_and_topic_pages_where_they_have_articles(client, written, db):
    editing.save(Topic(name_tr="Boş Konu", name_he="נושא ריק"))
    root = ET.fromstring(client.get("/sitemap.xml").content)
    sitemap = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
    locations = {url.find(f"{sitemap}loc").text for url in root.findall(f"{sitemap}url")}
    for owner in (written.author, written.topic):
        assert {f"http://testserver{owner.get_absolute_url(code)}" for code in ("tr", "he")} <= (
            locations
        )
    assert not [location for location in locations if "bos-konu" in location]
