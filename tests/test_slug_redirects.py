"""A changed slug keeps the old address working: it redirects (301) to the new one."""

from datetime import timedelta

import pytest
from django.utils import timezone

from articles.models import Article, SlugRedirect


def test_old_hebrew_address_redirects_to_the_new_one(admin_client, client, article, save_in_admin):
    old_url = article.get_absolute_url("he")

    save_in_admin(article, slug_he="דרך-חדשה")

    response = client.get(old_url)
    assert response.status_code == 301
    assert response["Location"] == "/he/articles/%D7%93%D7%A8%D7%9A-%D7%97%D7%93%D7%A9%D7%94/"
    assert client.get(response["Location"]).status_code == 200


def test_old_turkish_address_redirects_to_the_new_one(admin_client, client, article, save_in_admin):
    save_in_admin(article, slug_tr="isigin-yolu")
    response = client.get("/tr/articles/isik-yolu/")
    assert (response.status_code, response["Location"]) == (301, "/tr/articles/isigin-yolu/")


def test_every_former_slug_lands_on_the_current_address_in_one_step(
    admin_client, client, article, save_in_admin
):
    save_in_admin(article, slug_tr="ikinci")
    save_in_admin(article, slug_tr="ucuncu")
    for old in ("isik-yolu", "ikinci"):
        response = client.get(f"/tr/articles/{old}/")
        assert (response.status_code, response["Location"]) == (301, "/tr/articles/ucuncu/")


def test_a_slug_changed_outside_the_admin_redirects_too(client, article, edit):
    edit(article, slug_he="שם-אחר")
    assert client.get("/he/articles/דרך-האור/").status_code == 301


def test_an_unknown_slug_is_still_not_found(admin_client, client, article, save_in_admin):
    save_in_admin(article, slug_tr="ikinci")
    assert client.get("/tr/articles/hic-olmayan/").status_code == 404


def test_a_former_slug_redirects_only_in_its_own_language(
    admin_client, client, article, save_in_admin
):
    save_in_admin(article, slug_he="דרך-חדשה")
    # The article is read in Turkish too, but this was never its Turkish address.
    assert client.get("/tr/articles/דרך-האור/").status_code == 404


@pytest.mark.parametrize("unpublish", ["is_published_he", "published_later"])
def test_the_redirect_does_not_reveal_an_unpublished_version(
    admin_client, client, article, unpublish, save_in_admin
):
    save_in_admin(article, slug_he="דרך-חדשה")
    if unpublish == "is_published_he":
        article.is_published_he = False
    else:
        article.published_at = timezone.now() + timedelta(days=1)
    article.save()

    assert client.get("/he/articles/דרך-האור/").status_code == 404


def test_editors_are_led_to_the_preview_of_an_unpublished_version(
    admin_client, article, save_in_admin
):
    save_in_admin(article, slug_he="דרך-חדשה")
    article.is_published_he = False
    article.save()
    response = admin_client.get("/he/articles/דרך-האור/")
    assert response.status_code == 301


def test_another_article_taking_a_former_slug_wins_over_the_redirect(
    admin_client, client, article, save_in_admin, edit
):
    save_in_admin(article, slug_tr="ikinci")
    edit(
        Article(),
        title_tr="Yeni Yazı",
        slug_tr="isik-yolu",
        body_tr="Yeni metin.",
        is_published_tr=True,
    )

    response = client.get("/tr/articles/isik-yolu/")

    assert response.status_code == 200
    assert "<h1>Yeni Yazı</h1>" in response.content.decode()
    assert not SlugRedirect.objects.filter(language="tr", slug="isik-yolu").exists()


def test_taking_a_former_slug_back_drops_its_redirect(admin_client, client, article, save_in_admin):
    save_in_admin(article, slug_tr="ikinci")
    save_in_admin(article, slug_tr="isik-yolu")

    assert client.get("/tr/articles/isik-yolu/").status_code == 200
    assert client.get("/tr/articles/ikinci/")["Location"] == "/tr/articles/isik-yolu/"
    assert list(SlugRedirect.objects.values_list("slug", flat=True)) == ["ikinci"]


def test_a_deleted_article_takes_its_redirects_with_it(
    admin_client, client, article, save_in_admin
):
    save_in_admin(article, slug_tr="ikinci")
    article.delete()
    assert client.get("/tr/articles/isik-yolu/").status_code == 404
    assert not SlugRedirect.objects.exists()
