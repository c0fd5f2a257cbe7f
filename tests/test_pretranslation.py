"""Pre-translation: a new translation's missing segments filled from the memory's 100 %
matches, then by machine translation, each waiting for a person's review, and the
language not published until then, whoever saves it."""

import pytest
from django.core.exceptions import ValidationError

from articles.models import Article, MemoryUnit
from articles.text.segments import Status, article_segments
from articles.translating import pretranslate
from articles.writing import editing

from .machine_servers import Server, configure


@pytest.fixture
def deepl(settings):
    server = Server("deepl")
    configure(settings, "deepl", server)
    yield server
    server.stop()


def statuses(article, language):
    article.refresh_from_db()
    return {s.key: s.status for s in article_segments(article, language).segments}


def test_new_english_translation_is_filled_by_the_machine_for_review(launch, deepl):
    before = statuses(launch, "en")
    missing = [key for key, status in before.items() if status == Status.MISSING]
    result = pretranslate.pretranslate(launch, "en")
    after = statuses(launch, "en")
    assert result.from_machine == missing and not result.left
    assert all(after[key] == Status.NEEDS_REVIEW for key in missing)
    segments = article_segments(launch, "en").by_key()
    assert segments["lede"].target.startswith("[EN-US] ")
    assert segments["lede"].review["origin"] == "machine"
    assert segments["lede"].review["detail"] == "DeepL"


def test_machine_text_is_never_counted_as_translated(launch, deepl):
    done_before, total = article_segments(launch, "en").progress()
    pretranslate.pretranslate(launch, "en")
    launch.refresh_from_db()
    assert article_segments(launch, "en").progress() == (done_before, total)
    assert launch.translation_state_en == Article.TranslationStatus.NEEDS_REVIEW


def test_language_waiting_for_review_cannot_be_published_through_the_write_path(launch, deepl):
    pretranslate.pretranslate(launch, "en")
    launch.refresh_from_db()
    launch.is_published_en = True
    with pytest.raises(ValidationError) as raised:
        editing.save(launch)
    assert "is_published_en" in raised.value.message_dict
    assert not Article.objects.get(pk=launch.pk).is_published_en


def test_language_waiting_for_review_cannot_be_published_by_a_script(launch, deepl):
    pretranslate.pretranslate(launch, "en")
    launch.refresh_from_db()
    launch.is_published_en = True
    with pytest.raises(ValidationError):
        launch.save()
    assert not Article.objects.get(pk=launch.pk).is_published_en


def test_publishing_in_the_change_form_is_refused_with_a_form_error(
    launch, deepl, admin_client, change_url, change_form
):
    pretranslate.pretranslate(launch, "en")
    launch.refresh_from_db()
    response = admin_client.post(change_url(launch), change_form(launch, is_published_en="on"))
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert "no one has confirmed" in str(errors["is_published_en"])
    assert not Article.objects.get(pk=launch.pk).is_published_en


def test_confirmed_translation_can_be_published_and_feeds_the_memory(launch, deepl):
    pretranslate.pretranslate(launch, "en")
    launch.refresh_from_db()
    assert not MemoryUnit.objects.filter(target_language="en", target__startswith="[EN-US]")
    pretranslate.confirm(launch, "en")
    launch.is_published_en = True
    editing.save(launch)
    assert Article.objects.get(pk=launch.pk).is_published_en
    assert MemoryUnit.objects.filter(target_language="en", target__startswith="[EN-US]").exists()


def test_text_a_person_changed_is_theirs(launch, deepl, save_in_admin):
    pretranslate.pretranslate(launch, "en")
    launch.refresh_from_db()
    save_in_admin(launch, lede_en="What is the difference?")
    assert statuses(launch, "en")["lede"] == Status.TRANSLATED
    assert statuses(launch, "en")["meta_description"] == Status.NEEDS_REVIEW


def test_memory_fills_first_with_its_origin(article, deepl, edit):
    other = editing.save(
        Article(title_tr="Başka", title_en="Other", body_tr="Giriş paragrafı.", body_en="Opening.")
    ).obj
    result = pretranslate.pretranslate(article, "en")
    segments = article_segments(Article.objects.get(pk=article.pk), "en").by_key()
    assert segments["body.1"].target == "Opening."
    assert segments["body.1"].review["origin"] == "memory"
    assert segments["body.1"].review["detail"] == str(other)
    assert "body.1" in result.from_memory and "body.1" not in result.from_machine


def test_without_a_service_the_memory_alone_fills(article, settings):
    settings.MACHINE_TRANSLATION = ""
    editing.save(
        Article(title_tr="Başka", title_en="Other", body_tr="Giriş paragrafı.", body_en="Opening.")
    )
    result = pretranslate.pretranslate(article, "en")
    assert result.from_memory == ["body.1"] and result.from_machine == [] and result.error is None
    assert "lede" in result.left


def test_a_failing_service_leaves_the_rest_missing_and_says_why(article, deepl):
    deepl.service.quota = 0
    result = pretranslate.pretranslate(article, "en")
    assert result.error.kind == "quota" and result.from_machine == []
    assert statuses(article, "en")["lede"] == Status.MISSING


def test_published_language_is_not_pretranslated(article, deepl):
    with pytest.raises(ValidationError):
        pretranslate.pretranslate(article, "he")


def test_inline_markup_comes_back_as_markdown(db, deepl):
    article = editing.save(
        Article(title_tr="Bağlar", body_tr="Bu **önemli** bir [bağlantı](https://example.com/a).")
    ).obj
    pretranslate.pretranslate(article, "en")
    article.refresh_from_db()
    assert article.body_en == "[EN-US] Bu **önemli** bir [bağlantı](https://example.com/a)."
    assert 'href="https://example.com/a"' in article.body_html_en


OVERVIEW = "/en/admin/articles/translationoverview/"


def test_the_overview_asks_which_languages_to_pretranslate(admin_client, article, deepl):
    response = admin_client.post(
        OVERVIEW, {"action": "pretranslate", "_selected_action": [article.pk]}
    )
    assert response.status_code == 200
    assert 'name="languages"' in response.content.decode()
    assert statuses(article, "en")["lede"] == Status.MISSING


def test_the_overview_pretranslates_the_chosen_articles_and_languages(
    admin_client, article, draft, deepl
):
    response = admin_client.post(
        OVERVIEW,
        {
            "action": "pretranslate",
            "_selected_action": [article.pk, draft.pk],
            "apply": "1",
            "languages": ["en", "he"],
        },
        follow=True,
    )
    html = response.content.decode()
    assert "2 translations pre-translated for review." in html
    # The published Hebrew of `article` is refused, with the reason.
    assert "is published" in html
    assert statuses(article, "en")["lede"] == Status.NEEDS_REVIEW
    assert statuses(draft, "en")["title"] == Status.NEEDS_REVIEW


def test_imported_memory_pairs_are_found_by_like_sources(article, deepl):
    from articles.models import MemoryUnit
    from articles.models import memory as stored
    from articles.translating import memory

    unit = MemoryUnit(
        source_language="tr",
        target_language="en",
        source="Giriş paragrafları.",
        target="Opening paragraphs.",
        origin="agency.tmx",
    )
    unit.set_keys()
    unit.save()
    stored.index([unit])
    (suggestion,) = memory.suggestions({"x": "Giriş paragrafı."}, {}, "tr", "en")["x"]
    assert suggestion.target == "Opening paragraphs." and suggestion.imported == "agency.tmx"
