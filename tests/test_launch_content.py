"""Loading the launch content: the command `make run` calls."""

import json
import re
from io import StringIO

import pytest
import reversion
from django.contrib.auth import get_user_model
from django.core.management import call_command
from PIL import Image

from articles.launch import editor
from articles.launch import loader as launch_content
from articles.models import Article, Brand, TourPage
from articles.text.segments import Status, article_segments
from articles.writing import editing, history


def load():
    out = StringIO()
    call_command("load_launch_content", stdout=out)
    return out.getvalue()


def test_launch_article_is_published_in_turkish_and_hebrew_only(db):
    load()
    assert Article.objects.published().get().languages == ["tr", "he"]


def test_english_has_the_title_only(db):
    load()
    article = Article.objects.get()
    assert article.title_en and not article.body_en


def test_body_holds_one_copy_of_the_text(launch):
    for body in (launch.body_tr, launch.body_he):
        assert body.count("[figure]") == 1
        assert body.count("\n## ") == 3


def test_quotations_are_block_quotations(client, launch):
    html = client.get(launch.get_absolute_url("tr")).content.decode()
    assert html.count("<blockquote>") == 3
    assert "<blockquote>\n<p>[Müşteri deneyimi] tek seferlik" in html


def test_table_of_contents_has_the_three_sections(client, launch):
    html = client.get(launch.get_absolute_url("he")).content.decode()
    toc = re.search(r'<nav class="toc".*?</nav>', html, re.S).group(0)
    assert toc.count("<li") == 3
    assert 'מהי חוויית הלקוח (<bdi dir="ltr">CX</bdi>)?' in toc


def test_figure_is_a_real_png_image(launch):
    with Image.open(launch.image.path) as image:
        assert image.format == "PNG"
        assert image.size == (1200, 675)


def test_figure_has_alt_text_in_every_language(launch):
    assert launch.image_alt_tr and launch.image_alt_he and launch.image_alt_en


def test_tour_page_keeps_the_call_to_action_of_the_source_as_its_first_revision(db, revisions):
    load()
    first = revisions(TourPage.objects.get())[0].field_dict
    assert first["button_label_tr"] == "Tur yapın"
    assert first["button_label_he"] == "קח סיור"
    assert first["text_he"].startswith("חוויית הפלטפורמה של Guru")


def test_editor_rewrites_the_call_to_action_for_the_brand_in_the_plural(db, revisions):
    load()
    page = TourPage.objects.get()
    assert page.text_tr.startswith("Guru platformunun gücünü ilk elden deneyimleyin – ")
    assert page.text_he == "התנסו בפלטפורמה של Guru ממקור ראשון – צאו לסיור האינטראקטיבי במוצר"
    assert page.button_label_he == "התחילו את הסיור"
    assert page.destination_url == "https://www.getguru.com/"
    [_first, second] = revisions(page)
    assert second.revision.user.username == "launch-editor"


def test_loading_twice_adds_nothing(db):
    load()
    output = load()
    assert Article.objects.count() == 1
    assert TourPage.objects.count() == 1
    assert "none added" in output


def test_loading_again_keeps_an_editors_changes(db):
    load()
    article = Article.objects.get()
    article.title_he = "דע את המונחים"
    article.save()
    page = TourPage.objects.get()
    page.button_label_tr = "Hemen başla"
    page.save()
    load()
    assert Article.objects.get().title_he == "דע את המונחים"
    assert TourPage.objects.get().button_label_tr == "Hemen başla"


def test_local_admin_is_created_with_a_password_printed_once(db, client):
    out = StringIO()
    call_command("create_local_admin", stdout=out)
    password = re.search(r"Password: (\S+)", out.getvalue()).group(1)
    response = client.post(
        "/en/admin/login/?next=/en/admin/", {"username": "admin", "password": password}
    )
    assert response.status_code == 302
    assert response["Location"] == "/en/admin/"


def test_local_admin_is_not_recreated(db):
    call_command("create_local_admin", stdout=StringIO())
    out = StringIO()
    call_command("create_local_admin", stdout=out)
    assert "already exists" in out.getvalue()
    assert "Password:" not in out.getvalue()
    assert get_user_model().objects.count() == 1


# The editor's sign-off: the source as the first revision, the editor's corrections
# as the second.


def source_lines(language):
    """The translators' file as it reached us (a copy in articles/launch/received/)."""
    received = launch_content.LAUNCH_DIR / "received" / f"article-{language}.txt"
    return received.read_text(encoding="utf-8").split("\n")


def words(text):
    """`text`'s words without Markdown's marks and the quotation marks that became them."""
    text = re.sub(r"^(## |> )", "", text, flags=re.M).replace("[figure]", "")
    return re.sub(r"[“”\"]", "", text).split()


@pytest.mark.parametrize("language", ["tr", "he"])
def test_first_revision_holds_the_translators_words_exactly(db, revisions, language):
    load()
    first = revisions(Article.objects.get())[0].field_dict
    lines = source_lines(language)
    assert first[f"title_{language}"] == lines[0]
    assert first[f"lede_{language}"] == lines[2]
    # Lines 6 to 24, the body once; the figure's file name marks where it stands.
    body = [line for line in lines[5:24] if not line.endswith(".png")]
    assert words(first[f"body_{language}"]) == words("\n".join(body))


def changed_texts(before, after):
    """The fields one revision changed in the one before, besides the bookkeeping
    every save does: the version, the time, and what each translation was made from."""
    bookkeeping = ("version", "updated_at", "translation_sources")
    return {
        name
        for name, value in after.field_dict.items()
        if before.field_dict.get(name) != value and name not in bookkeeping
    }


def test_second_revision_is_the_editors_and_changes_titles_slugs_and_bodies_only(db, revisions):
    load()
    first, second, _third = revisions(Article.objects.get())
    assert first.revision.user is None
    assert second.revision.user.username == "launch-editor"
    texts = ("title", "slug", "body")
    assert changed_texts(first, second) == {
        f"{name}_{code}" for name in texts for code in ("tr", "he")
    }


def test_third_revision_is_the_editors_house_style_and_changes_nothing_else(db, revisions):
    load()
    _first, second, third = revisions(Article.objects.get())
    assert third.revision.user.username == "launch-editor"
    assert changed_texts(second, third) == {
        "body_tr",
        "body_he",
        "lede_he",
        "meta_description_he",
        "image_alt_he",
    }


def test_the_hebrew_article_speaks_to_readers_in_the_plural(launch):
    texts = " ".join([launch.lede_he, launch.body_he])
    for singular in ("גלה את", " שלך", "אתה ", "למדת "):
        assert singular not in texts
    assert "גלו את ההשפעה" in launch.lede_he


@pytest.mark.parametrize(
    ("language", "lead_in"),
    [
        ("tr", "Yael McCue CX'i şöyle tanımlar:\n\n> Birçok kişi"),
        ("he", "מתארת את CX כך:\n\n> תיאום ארוך טווח"),
        ("he", "ריצ'רדסון, אוהבת להדגיש:\n\n> מותג הוא"),
    ],
)
def test_a_lead_in_ends_in_a_colon_before_its_quotation(launch, language, lead_in):
    assert lead_in in getattr(launch, f"body_{language}")


def test_editor_translates_the_titles(launch):
    assert launch.title_tr == "Terminolojinizi Bilin: Müşteri Desteği ve Müşteri Deneyimi"
    assert launch.title_he == "הכירו את המונחים: תמיכת לקוחות מול חוויית לקוח"


def test_the_english_slug_of_the_source_leads_to_the_translated_title(client, launch):
    response = client.get(
        "/he/articles/know-your-terminology-customer-support-vs-customer-experience/"
    )
    assert (response.status_code, response["Location"]) == (301, launch.get_absolute_url("he"))


def test_editor_repairs_the_garbled_turkish_and_the_square_and_rectangle(launch):
    assert "Başkannte" not in launch.body_tr
    assert "Marka Başkanımız Christine Richardson" in launch.body_tr
    assert "her karenin bir dikdörtgen olduğunu ama her dikdörtgenin bir kare olmadığını" in (
        launch.body_tr
    )


@pytest.mark.parametrize(
    ("received", "corrected"),
    [
        ("בלייק מורגן מסביר", "בלייק מורגן, מסבירה"),
        ("## מהו תמיכת הלקוחות", "## מהי תמיכת הלקוחות"),
        ("שכולם ריבועים", "שכל הריבועים"),
        ("לקוח נוסע עם בעיה", "לקוח פונה עם בעיה"),
        ("שהאפל", "שאפל"),
    ],
)
def test_editor_repairs_the_hebrew_that_misgenders_or_garbles(launch, received, corrected):
    assert received not in launch.body_he
    assert corrected in launch.body_he


def test_the_signed_off_hebrew_is_up_to_date_segment_by_segment(launch):
    statuses = {segment.status for segment in article_segments(launch, "he").segments}
    assert statuses == {Status.TRANSLATED, Status.FIXED}
    assert launch.translation_status("he") == Article.TranslationStatus.COMPLETE


def test_history_names_the_editor_and_what_they_changed(admin_client, launch):
    html = admin_client.get(f"/en/admin/articles/article/{launch.pk}/history/").content.decode()
    assert "launch-editor" in html
    assert "Changed: Turkish (title, slug, body); Hebrew (title, slug, body)." in html
    changes = re.search(r'<details class="revision-changes">.*?</details>', html, re.S).group(0)
    removed = re.findall(r"<del>(.*?)</del>", changes)
    added = re.findall(r"<ins>(.*?)</ins>", changes)
    assert "Know Your Terminology: Customer Support vs Customer Experience" in removed
    assert "Terminolojinizi Bilin: Müşteri Desteği ve Müşteri Deneyimi" in added
    assert "Kendi Markamızın Başkannte," in removed
    assert "Marka Başkanımız" in added
    # Only the word the editor changed is marked in its sentence.
    assert "רגע שבו לקוח <del>נוסע</del><ins>פונה</ins> עם בעיה" in changes


def test_a_launch_article_loaded_before_the_sign_off_is_signed_off_once(db, revisions):
    with reversion.create_revision():
        editing.save(launch_content.new_article(), note=history.LAUNCH)
    load()
    load()
    article = Article.objects.get()
    assert len(revisions(article)) == 3
    assert article.title_tr == launch_content.SIGNED_OFF_TITLES["tr"]
    assert "חוויית הלקוח היא כל מסעו" in article.body_he


def test_a_launch_article_signed_off_before_the_house_style_gets_it_once(db, revisions):
    with reversion.create_revision():
        article = editing.save(launch_content.new_article(), note=history.LAUNCH).obj
    editor.ARTICLE_REVISIONS[0].apply(article)
    editing.save(article, user=launch_content.editor())
    output = load()
    load()
    article.refresh_from_db()
    assert len(revisions(article)) == 3
    assert article.lede_he == editor.HOUSE_STYLE_LEDE_HE
    assert "article" in output


def test_the_house_style_never_touches_an_article_someone_saved_after_the_sign_off(
    db, edit, revisions
):
    with reversion.create_revision():
        article = editing.save(launch_content.new_article(), note=history.LAUNCH).obj
    editor.ARTICLE_REVISIONS[0].apply(article)
    editing.save(article, user=launch_content.editor())
    edit(article, lede_tr="Editörün girişi.")
    load()
    article.refresh_from_db()
    assert article.lede_he == launch_content.LEDES["he"]
    assert len(revisions(article)) == 3


def test_a_tour_page_loaded_before_the_editors_revision_gets_it_once(db, revisions):
    editing.save(launch_content.new_tour_page(), note=history.LAUNCH)
    load()
    load()
    page = TourPage.objects.get()
    assert page.button_label_he == "התחילו את הסיור"
    assert len(revisions(page)) == 2


def test_the_editors_revision_never_touches_a_tour_page_someone_saved(db, edit, revisions):
    page = editing.save(launch_content.new_tour_page(), note=history.LAUNCH).obj
    edit(page, destination_url="https://tour.example.com/")
    load()
    page.refresh_from_db()
    assert page.button_label_he == "קח סיור"
    assert len(revisions(page)) == 2


def test_an_author_loaded_as_the_cxcs_team_is_named_for_the_brand_and_keeps_its_address(
    db, revisions
):
    author = editing.save(launch_content.first_author(), note=history.LAUNCH).obj
    address = author.get_absolute_url("tr")
    load()
    load()
    author.refresh_from_db()
    assert (author.name_tr, author.name_he) == ("Guru Yayın Ekibi", "צוות המערכת של Guru")
    assert author.get_absolute_url("tr") == address
    _first, renamed = revisions(author)
    assert renamed.revision.user.username == "launch-editor"


def test_the_sign_off_never_touches_a_launch_article_an_editor_saved_since(db, edit, revisions):
    with reversion.create_revision():
        article = editing.save(launch_content.new_article(), note=history.LAUNCH).obj
    edit(article, lede_tr="Editörün girişi.")
    load()
    article.refresh_from_db()
    assert article.title_tr == launch_content.TITLE
    assert "Başkannte" in article.body_tr
    assert len(revisions(article)) == 2


def test_launch_article_has_its_topic_and_author(launch):
    assert launch.topic.name_he == "חוויית לקוח"
    assert launch.author.is_team
    assert launch.author.name_tr == "Guru Yayın Ekibi"


# One brand: the site speaks as the company whose article and tour it publishes.


def test_the_launch_brand_is_the_company_whose_tour_it_is(launch):
    assert Brand.objects.get().name == "Guru"
    assert TourPage.objects.get().destination_url.startswith("https://www.getguru.com/")


@pytest.mark.parametrize("language", ["tr", "he"])
def test_header_title_feed_manifest_and_publisher_name_one_brand(client, launch, language):
    html = client.get(launch.get_absolute_url(language)).content.decode()
    header = re.search(r'<header class="site-header">.*?</header>', html, re.S).group(0)
    assert '<span class="site-name">Guru</span>' in header
    assert "<img" not in header
    assert re.search(r"<title>[^<]* · Guru</title>", html)
    json_ld = json.loads(re.search(r'application/ld\+json">(.*?)</script>', html, re.S).group(1))
    assert json_ld["publisher"]["name"] == "Guru"
    assert json.loads(client.get(f"/{language}/manifest.webmanifest").content)["name"] == "Guru"
    feed = client.get(f"/{language}/feed/").content.decode()
    assert re.search(r"<title>\u200f?Guru: ", feed)
    cta = re.search(r'<aside class="tour-cta".*?</aside>', html, re.S).group(0)
    assert "Guru" in cta
    assert "cxcs" not in html


def test_loading_again_keeps_the_brand_an_editor_renamed(db, edit):
    load()
    edit(Brand.objects.get(), name="Guru Blog")
    load()
    assert Brand.objects.get().name == "Guru Blog"
