"""A source language per article: an article written in Hebrew and translated into
Turkish works as the launch article does the other way, and changing an article's
source asks for confirmation and is recorded in its history."""

import re

import polib
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from articles.models import Article, Concept, Job
from articles.text.segments import Status, article_segments
from articles.translating import handoff
from articles.writing import editing

HEBREW_BODY = """פסקת פתיחה על חוויית לקוח.

## כותרת ביניים

פרק ראשון.
"""


@pytest.fixture
def hebrew_article(db):
    return editing.save(
        Article(
            source_language="he",
            title_he="חוויית לקוח",
            lede_he="פתיח קצר.",
            body_he=HEBREW_BODY,
            is_published_he=True,
        )
    ).obj


def workspace_url(article, language, admin_language="en"):
    return f"/{admin_language}/admin/articles/article/{article.pk}/translate/{language}/"


def stored(article):
    return Article.objects.get(pk=article.pk)


def translate_into_turkish(client, article):
    data = {"version": article.version}
    turkish = {
        "title": "Müşteri deneyimi",
        "lede": "Kısa bir giriş.",
        "body.1": "Müşteri deneyimi üzerine bir giriş paragrafı.",
        "body.2": "Ara başlık",
        "body.3": "Birinci bölüm.",
    }
    data.update({f"target-{key}": text for key, text in turkish.items()})
    return client.post(workspace_url(article, "tr"), data)


def test_a_new_article_may_be_written_in_any_language(admin_client, db, change_form):
    article = Article(source_language="he", title_he="מאמר", body_he="גוף.")
    response = admin_client.post("/en/admin/articles/article/add/", change_form(article))
    assert response.status_code == 302
    assert Article.objects.get().source_language == "he"


def test_the_workspace_translates_hebrew_into_turkish_side_by_side(admin_client, hebrew_article):
    html = admin_client.get(workspace_url(hebrew_article, "tr")).content.decode()
    assert '<div class="segment-text" lang="he" dir="rtl">חוויית לקוח</div>' in html
    textarea = re.search(r'<textarea id="target-title"[^>]*>', html).group(0)
    assert 'lang="tr"' in textarea and 'dir="ltr"' in textarea


def test_the_source_language_has_no_workspace(admin_client, hebrew_article):
    assert admin_client.get(workspace_url(hebrew_article, "he")).status_code == 404


def test_a_turkish_translation_of_hebrew_becomes_complete(admin_client, hebrew_article):
    assert translate_into_turkish(admin_client, hebrew_article).status_code == 302
    article = stored(hebrew_article)
    assert article.translation_status("tr") == Article.TranslationStatus.COMPLETE
    assert article.translation_status("he") == Article.TranslationStatus.COMPLETE
    assert article.progress("tr") == (5, 5)


def test_a_hebrew_change_marks_exactly_its_turkish_segment(
    admin_client, hebrew_article, save_in_admin
):
    translate_into_turkish(admin_client, hebrew_article)
    article = stored(hebrew_article)
    save_in_admin(article, body_he=article.body_he.replace("פרק ראשון.", "פרק ראשון ויחיד."))
    article = stored(article)
    statuses = {s.key: s.status for s in article_segments(article, "tr").segments}
    assert [key for key, status in statuses.items() if status != Status.TRANSLATED] == ["body.3"]
    assert article.translation_status("tr") == Article.TranslationStatus.OUTDATED
    assert article.progress("tr") == (4, 5)
    page = admin_client.get(f"/en/admin/articles/article/{article.pk}/change/").content.decode()
    assert "Hebrew changed since this translation was last saved" in page


def test_the_translation_file_carries_hebrew_and_comes_back(admin_client, hebrew_article):
    url = f"/en/admin/articles/article/{hebrew_article.pk}/translation/tr"
    po = polib.pofile(admin_client.get(f"{url}/export/").content.decode())
    assert po.metadata["X-Cxcs-Source-Language"] == "he"
    assert po.metadata["Language"] == "tr"
    assert po.find("title", by="msgctxt").msgid == "חוויית לקוח"
    po.find("title", by="msgctxt").msgstr = "Müşteri deneyimi"
    upload = SimpleUploadedFile("article.po", str(po).encode())
    assert admin_client.post(f"{url}/import/", {"file": upload}).status_code == 302
    assert stored(hebrew_article).title_tr == "Müşteri deneyimi"


def test_a_turkish_file_is_not_imported_into_the_hebrew_source(admin_client, hebrew_article):
    url = f"/en/admin/articles/article/{hebrew_article.pk}/translation/he/import/"
    assert admin_client.get(url).status_code == 404


def test_terms_are_checked_from_hebrew_into_turkish(admin_client, hebrew_article):
    Concept.objects.create(terms_he="חוויית לקוח", terms_tr="müşteri deneyimi")
    data = {"version": hebrew_article.version, "target-title": "Bir başlık"}
    admin_client.post(workspace_url(hebrew_article, "tr"), data)
    html = admin_client.get(workspace_url(hebrew_article, "tr")).content.decode()
    title = html.split('data-key="title"')[1].split("</section>")[0]
    assert "müşteri deneyimi" in title
    assert "not found here" in title


def test_the_change_list_marks_hebrew_as_the_source(admin_client, hebrew_article):
    html = admin_client.get("/en/admin/articles/article/").content.decode()
    assert re.search(r'class="language-badge translation-complete published"[^>]*>he ✓', html)
    assert f"/articles/article/{hebrew_article.pk}/translate/tr/" in html


def source_url(article):
    return f"/en/admin/articles/article/{article.pk}/source-language/"


def test_changing_the_source_asks_for_confirmation_first(admin_client, article):
    response = admin_client.post(
        source_url(article), {"language": "he", "version": article.version}
    )
    assert response.status_code == 200
    assert "Yes, change the source language" in response.content.decode()
    assert stored(article).source_language == "tr"


def test_a_confirmed_change_of_source_is_recorded_in_the_history(admin_client, article):
    data = {"language": "he", "version": article.version, "confirmed": "on"}
    response = admin_client.post(source_url(article), data)
    assert response.status_code == 302
    article = stored(article)
    assert article.source_language == "he"
    # Turkish is now a translation of the Hebrew as it is, up to date.
    assert article.translation_status("tr") == Article.TranslationStatus.COMPLETE
    history = admin_client.get(f"/en/admin/articles/article/{article.pk}/history/")
    assert "Changed the source language from Turkish to Hebrew." in history.content.decode()


def test_a_source_without_texts_is_refused(admin_client, article):
    data = {"language": "en", "version": article.version, "confirmed": "on"}
    response = admin_client.post(source_url(article), data)
    assert response.status_code == 200
    assert "no title or body in English" in response.content.decode()
    assert stored(article).source_language == "tr"


def test_a_source_with_a_translation_job_is_refused(admin_client, article, admin_user):
    Job.objects.create(article=article, language="he", assignee=admin_user, due_date="2030-01-01")
    data = {"language": "he", "version": article.version, "confirmed": "on"}
    response = admin_client.post(source_url(article), data)
    assert "Hebrew has a translation job" in response.content.decode()
    assert stored(article).source_language == "tr"


def test_the_change_form_links_to_the_source_change_and_cannot_change_it(
    admin_client, article, save_in_admin
):
    page = admin_client.get(f"/en/admin/articles/article/{article.pk}/change/").content.decode()
    assert source_url(article) in page
    assert 'name="source_language"' not in page
    save_in_admin(article, source_language="he")
    assert stored(article).source_language == "tr"


def test_a_translator_limited_to_a_language_cannot_change_the_source(
    client_of, translator, article
):
    assert client_of(translator).get(source_url(article)).status_code == 403


def test_the_stored_progress_follows_any_save_a_script_included(hebrew_article):
    article = stored(hebrew_article)
    article.title_tr = "Başlık"
    article.save()
    assert stored(article).progress("tr") == (1, 5)
    assert handoff.build_po(stored(article), "tr")
