"""Translation memory: finished translations kept by every save, offered for the same or
a like source with their match, origin and difference, never what an editor replaced."""

from django.contrib.auth import get_user_model

from articles.models import Article, MemoryUnit
from articles.text.segments import article_segments
from articles.translating import memory
from articles.writing import editing


def other_article(**texts):
    return editing.save(Article(**texts)).obj


def offered(article, language, key):
    article.refresh_from_db()
    segmented = article_segments(article, language)
    return memory.for_segments(article, segmented).get(key, [])


def first_block(article):
    return next(
        s.key for s in article_segments(article, "he").segments if s.key.startswith("body.")
    )


def test_identical_source_in_another_article_is_offered_at_100_with_its_origin(article):
    other = other_article(
        title_tr="Başka Yazı", title_he="מאמר אחר", body_tr="Giriş paragrafı.", body_he="פסקת מבוא."
    )
    suggestions = offered(article, "he", first_block(article))
    assert [(s.target, s.percent, s.article) for s in suggestions] == [
        ("פסקת מבוא.", 100, "Başka Yazı")
    ]
    assert (
        suggestions[0].saved_at
        == MemoryUnit.objects.get(article=other, target="פסקת מבוא.").saved_at
    )


def test_suggestion_shows_how_it_differs_from_the_translation_now(article):
    other_article(
        title_tr="Başka Yazı", title_he="מאמר אחר", body_tr="Giriş paragrafı.", body_he="פסקת מבוא."
    )
    (suggestion,) = offered(article, "he", first_block(article))
    assert ("removed", "פתיחה.") in suggestion.diff
    assert ("added", "מבוא.") in suggestion.diff


def test_close_source_is_offered_with_its_match_percentage(article):
    other_article(
        title_tr="Başka Yazı",
        title_he="מאמר אחר",
        body_tr="Giriş paragrafları.",
        body_he="פסקאות מבוא.",
    )
    suggestions = offered(article, "he", first_block(article))
    assert [s.target for s in suggestions] == ["פסקאות מבוא."]
    assert 75 <= suggestions[0].percent < 100


def test_unlike_source_is_not_offered(article):
    other_article(
        title_tr="Başka Yazı",
        title_he="מאמר אחר",
        body_tr="Tamamen başka bir cümle.",
        body_he="משפט אחר לגמרי.",
    )
    assert offered(article, "he", first_block(article)) == []


def test_current_translation_is_not_offered_again(article):
    assert offered(article, "he", "title") == []


def test_text_an_editor_replaced_is_never_offered_for_that_article(article, edit):
    edit(article, lede_he="פתיח מתוקן.")
    assert offered(article, "he", "lede") == []
    assert MemoryUnit.objects.get(article=article, target="פתיח בעברית.").is_replaced


def test_text_replaced_in_another_article_is_offered_marked_with_who_and_when(article, edit):
    editor = get_user_model().objects.create(username="dana", first_name="Dana", last_name="Kaya")
    other = other_article(title_tr="Başka", title_he="אחר", body_tr="Kısa.", body_he="קצר.")
    edit(other, user=editor, lede_tr="Türkçe giriş.", lede_he="גרסה ראשונה.")
    edit(other, user=editor, lede_he="גרסה שנייה.")
    suggestions = {s.target: s for s in offered(article, "he", "lede")}
    assert suggestions["גרסה ראשונה."].is_replaced
    assert suggestions["גרסה ראשונה."].replaced_by == "Dana Kaya"
    assert not suggestions["גרסה שנייה."].is_replaced
    assert list(suggestions) == ["גרסה שנייה.", "גרסה ראשונה."]


def test_translation_brought_back_is_offered_again(article, edit):
    edit(article, lede_he="פתיח מתוקן.")
    edit(article, lede_he="פתיח בעברית.")
    assert not MemoryUnit.objects.get(article=article, target="פתיח בעברית.").is_replaced
    assert MemoryUnit.objects.get(article=article, target="פתיח מתוקן.").is_replaced


def test_launch_article_never_offers_what_the_editor_corrected(launch):
    segments = {s.key: s for s in article_segments(launch, "he").segments}
    assert "מסבירה" in segments["body.3"].target
    assert segments["body.8"].target.startswith("מהי")
    offered_texts = [
        s.target for key in ("body.3", "body.8", "body.13") for s in offered(launch, "he", key)
    ]
    assert not any("מסביר " in text or text.endswith("מסביר זאת כך:") for text in offered_texts)
    assert not any(text.startswith("מהו") for text in offered_texts)
    assert not any("כולם ריבועים" in text for text in offered_texts)


def test_text_waiting_for_review_does_not_feed_the_memory(article, edit):
    article.body_en = "Opening paragraph."
    article.unconfirmed = {
        "en": [{"field": "body", "text": "Opening paragraph.", "origin": "machine"}]
    }
    editing.save(article)
    assert not MemoryUnit.objects.filter(target_language="en", target="Opening paragraph.").exists()
    article.unconfirmed = {}
    editing.save(article)
    assert MemoryUnit.objects.filter(target_language="en", target="Opening paragraph.").exists()


def test_a_script_saving_the_model_feeds_the_memory(db):
    Article(title_tr="Betik", body_tr="Bir cümle.", title_he="סקריפט", body_he="משפט.").save()
    assert MemoryUnit.objects.filter(source="Bir cümle.", target="משפט.").exists()


def test_translation_needing_an_update_is_remembered_with_the_source_it_translates(article, edit):
    edit(article, title_tr="Işığın Yolu")
    assert MemoryUnit.objects.filter(source="Işık Yolu", target="דרך האור").exists()
    suggestions = offered(article, "he", "title")
    assert suggestions == []


def test_memory_of_a_deleted_article_stays(article, draft):
    editing.delete(draft)
    (suggestion,) = memory.suggestions({"x": "Henüz yayında değil."}, {}, "tr", "he")["x"]
    assert suggestion.target == "עדיין לא פורסם." and suggestion.article == ""


def test_exact_match_is_never_a_replaced_text(article, edit):
    edit(article, lede_he="פתיח מתוקן.")
    unit = memory.exact_match("Türkçe giriş.", "tr", "he")
    assert unit.target == "פתיח מתוקן."


def test_memory_built_from_the_history_knows_what_the_editor_corrected(launch):
    from django.core.management import call_command

    from articles.models import MemoryStemCount

    call_command("build_memory", "--rebuild", verbosity=0)
    assert MemoryStemCount.objects.exists()
    replaced = MemoryUnit.objects.get(
        article=launch, target_language="he", target__contains="בלייק מורגן מסביר זאת"
    )
    assert replaced.is_replaced and replaced.replaced_by.username == "launch-editor"
    assert not any("מסביר זאת" in s.target for s in offered(launch, "he", "body.3"))


def test_a_translation_under_review_feeds_the_memory_once_approved(
    article, edit, django_user_model
):
    from articles.models import Job
    from articles.translating import jobs

    translator = django_user_model.objects.create_user("tr1", is_staff=True)
    reviewer = django_user_model.objects.create_superuser("rev1")
    job = Job.objects.create(
        article=article,
        language="he",
        assignee=translator,
        reviewer=reviewer,
        due_date="2030-01-01",
        state=Job.State.IN_REVIEW,
    )
    edit(article, lede_he="פתיח חדש לבדיקה.")
    assert not MemoryUnit.objects.filter(target="פתיח חדש לבדיקה.").exists()
    jobs.review(job, reviewer, article, approve=True, comments={})
    assert MemoryUnit.objects.filter(target="פתיח חדש לבדיקה.").exists()
