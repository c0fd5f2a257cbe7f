"""Upgrading a site made before the campaign counts had an app of their own keeps its data."""

import pytest
from django.contrib.auth.models import User
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from articles.models import Article, search_index
from marketing.models import CampaignCount

BEFORE = [("articles", "0001_initial"), ("marketing", None)]


def migrate(targets):
    """Bring the database to `targets`; the models of every app as they are there."""
    executor = MigrationExecutor(connection)
    executor.migrate(targets)
    moved = {app for app, _name in targets}
    others = [node for node in executor.loader.graph.leaf_nodes() if node[0] not in moved]
    return executor.loader.project_state([*others, *(n for n in targets if n[1])]).apps


def latest():
    return MigrationExecutor(connection).loader.graph.leaf_nodes()


def upgrade():
    """As a deploy upgrades: `migrate`, and what runs after it (the search index is
    made again where a migration rebuilt the article table)."""
    call_command("migrate", verbosity=0)


@pytest.fixture
def site_before_the_move(transactional_db):
    """A database at the schema of the round before, with an article and campaign counts."""
    apps = migrate(BEFORE)
    apps.get_model("articles", "Article").objects.create(
        title_tr="Eski Yazı",
        slug_tr="eski-yazi",
        body_tr="## Başlık\n\nMetin.",
        is_published_tr=True,
    )
    count = apps.get_model("articles", "CampaignCount")
    count.objects.create(day="2026-11-20", language="he", kind="click", source="mail", count=7)
    content_type = apps.get_model("contenttypes", "ContentType").objects.get_or_create(
        app_label="articles", model="campaigncount"
    )[0]
    permission = apps.get_model("auth", "Permission").objects.get_or_create(
        content_type=content_type, codename="view_campaigncount", name="Can view"
    )[0]
    marketer = apps.get_model("auth", "User").objects.create(username="marketer", is_staff=True)
    marketer.user_permissions.add(permission)
    yield
    # Whatever the test did, the next one finds the schema of today.
    migrate(latest())


def test_campaign_counts_survive_the_move_to_the_marketing_app(site_before_the_move):
    upgrade()
    count = CampaignCount.objects.get()
    assert (count.language, count.kind, count.source, count.count) == ("he", "click", "mail", 7)


def test_who_could_see_the_campaign_results_still_can(site_before_the_move):
    upgrade()
    ContentType.objects.clear_cache()
    marketer = User.objects.get(username="marketer")
    assert marketer.has_perm("marketing.view_campaigncount")


def test_articles_saved_before_are_rendered_after_the_upgrade(site_before_the_move, client):
    upgrade()
    call_command("render_articles", verbosity=0)
    article = Article.objects.get()
    assert '<h2 id="baslik">Başlık</h2>' in article.body_html_tr
    assert "Metin." in client.get("/tr/articles/eski-yazi/").content.decode()


def test_articles_saved_before_are_in_the_search_index_after_the_upgrade(
    site_before_the_move, client
):
    upgrade()
    assert search_index.matching(Article.objects.all(), "eski").exists()
    call_command("render_articles", verbosity=0)
    assert "Eski Yazı" in client.get("/tr/search/", {"q": "metinler"}).content.decode()


@pytest.fixture
def site_before_the_translation_flags(transactional_db):
    """A database before each language's "needs a translation" flag: one article whose
    Hebrew is complete, one whose Hebrew is outdated."""
    apps = migrate([("articles", "0013_article_published_indexes")])
    stored = apps.get_model("articles", "Article").objects
    for slug, hebrew in (("tam", "complete"), ("eski", "outdated")):
        stored.create(
            title_tr=slug,
            slug_tr=slug,
            body_tr="Metin.",
            is_published_tr=True,
            translation_state_tr="complete",
            translation_state_he=hebrew,
            translation_state_en="missing",
        )
    yield
    migrate(latest())


def test_outdated_articles_stay_under_the_admin_filter_after_the_upgrade(
    site_before_the_translation_flags, admin_client
):
    upgrade()
    response = admin_client.get("/en/admin/articles/article/?needs_translation=he")
    assert [article.slug_tr for article in response.context["cl"].result_list] == ["eski"]
