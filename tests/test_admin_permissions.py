"""Every admin page asks for the model permission it needs: a member of staff
without it is refused, whatever the address or the method."""

import pytest
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.contrib import admin
from django.contrib.auth.models import Group, Permission, User
from django.urls import URLPattern, reverse
from reversion.models import Version

from articles.models import (
    Article,
    Author,
    Brand,
    Concept,
    Job,
    MemoryUnit,
    Topic,
    TourPage,
    TranslationOverview,
)
from articles.writing import editing
from marketing.models import CampaignCount, Experiment


@pytest.fixture
def staff_client(client, django_user_model):
    """A member of staff with no permission at all."""
    user = django_user_model.objects.create_user("staff", password="x", is_staff=True)
    client.force_login(user)
    return client


@pytest.fixture
def objects(launch, revisions):
    """An object of every registered model, and a revision and a deleted article to recover."""
    deleted = launch.__class__.objects.create(title_tr="Silinen", body_tr="Metin.")
    reversion_delete = Version.objects.create(
        revision=revisions(launch)[0].revision,
        object_id=str(deleted.pk + 1000),
        content_type=revisions(launch)[0].content_type,
        db="default",
        format="json",
        serialized_data=revisions(launch)[0].serialized_data,
        object_repr="Silinen",
    )
    CampaignCount.objects.create(day="2026-11-20", language="he", kind="visit", count=1)
    attempt = {"ip_address": "192.0.2.1", "username": "someone", "user_agent": "browser"}
    brand = editing.save(Brand(name="Marka")).obj
    translator = User.objects.create_user("translator")
    job = Job.objects.create(
        article=launch, language="en", assignee=translator, due_date="2026-12-24"
    )
    return {
        Article: launch,
        Job: job,
        TranslationOverview: launch,
        TourPage: TourPage.objects.get(),
        Concept: Concept.objects.first(),
        MemoryUnit: MemoryUnit.objects.create(
            source_language="tr", target_language="he", source="Merhaba.", target="שלום."
        ),
        Author: launch.author,
        Topic: launch.topic,
        Brand: brand,
        CampaignCount: CampaignCount.objects.get(),
        Experiment: Experiment.objects.create(name="Sözler", language="he", place="article"),
        Group: Group.objects.create(name="editors"),
        User: User.objects.create_user("other"),
        AccessAttempt: AccessAttempt.objects.create(failures_since_start=1, **attempt),
        AccessLog: AccessLog.objects.create(**attempt),
        AccessFailureLog: AccessFailureLog.objects.create(**attempt),
        "versions": {
            Article: revisions(launch)[0],
            TourPage: revisions(TourPage.objects.get())[0],
            Author: revisions(launch.author)[0],
            Topic: revisions(launch.topic)[0],
            Brand: revisions(brand)[0],
        },
        "deleted_version": reversion_delete,
    }


def admin_addresses(objects):
    """(name, address) of every page each registered model admin adds to the admin."""
    for model, model_admin in admin.site._registry.items():
        obj = objects[model]
        for pattern in model_admin.get_urls():
            if not isinstance(pattern, URLPattern) or not pattern.name:
                continue
            kwargs = {}
            # A path's converters, or a regular expression's named groups.
            for name in pattern.pattern.converters or pattern.pattern.regex.groupindex:
                if name == "version_id":
                    recover = pattern.name.endswith("_recover")
                    version = objects["deleted_version"] if recover else objects["versions"][model]
                    kwargs[name] = version.pk
                else:
                    kwargs[name] = {
                        "object_id": obj.pk,
                        "id": obj.pk,
                        "pk": obj.pk,
                        "language": "he",
                        "action": "start",
                        "version": "2.0",
                    }[name]
            yield pattern.name, reverse(f"admin:{pattern.name}", kwargs=kwargs)


# Pages every member of staff has, showing only what is theirs.
PERSONAL = {"articles_job_mine"}


def test_every_admin_page_refuses_staff_without_the_permission(staff_client, objects):
    checked = []
    for name, address in admin_addresses(objects):
        if name in PERSONAL:
            continue
        for method in ("get", "post"):
            response = getattr(staff_client, method)(address)
            refused = response.status_code == 403 or (
                response.status_code == 302 and "/login/" in response["Location"]
            )
            assert refused, (method, name, address, response.status_code)
        checked.append(name)
    # The walk covers the custom pages too, not only Django's own.
    assert {
        "articles_article_translation_export",
        "articles_article_translation_import",
        "articles_article_xliff_export",
        "articles_memoryunit_exchange_import",
        "articles_concept_exchange_export",
        "articles_article_workspace",
        "articles_article_workspace_preview",
        "articles_article_revision",
        "articles_article_recover",
        "marketing_campaigncount_export",
        "marketing_campaigncount_builder",
        "marketing_campaigncount_qr",
        "articles_tourpage_add",
        "articles_author_revision",
        "articles_topic_change",
        "articles_brand_change",
        "marketing_experiment_results",
        "marketing_experiment_export",
        "marketing_experiment_action",
        "articles_article_source_language",
        "articles_job_change",
        "articles_job_review",
        "articles_translationoverview_changelist",
    } <= set(checked)


def test_my_work_shows_staff_only_their_own_jobs(staff_client, objects):
    response = staff_client.get("/en/admin/articles/job/mine/")
    assert response.status_code == 200
    assert "No translation job is waiting for you." in response.content.decode()


def test_view_permission_alone_shows_but_never_saves(staff_client, objects, django_user_model):
    user = django_user_model.objects.get(username="staff")
    user.user_permissions.add(Permission.objects.get(codename="view_article"))
    article = objects[Article]
    change = f"/en/admin/articles/article/{article.pk}/change/"
    assert staff_client.get(change).status_code == 200
    response = staff_client.post(change, {"title_tr": "Başka"})
    assert response.status_code == 403
    article.refresh_from_db()
    assert article.title_tr != "Başka"


def test_the_tour_page_cannot_be_added_without_the_add_permission(staff_client, db):
    assert staff_client.get("/en/admin/articles/tourpage/add/").status_code == 403
    assert not TourPage.objects.exists()


def test_the_admin_index_shows_staff_without_permissions_nothing_to_edit(staff_client, db):
    response = staff_client.get("/en/admin/")
    assert response.status_code == 200
    assert response.context["app_list"] == []
