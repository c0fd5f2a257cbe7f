import pytest
from .test_translation_jobs import hebrew_draft, job_in_review  # noqa
from .conftest import ARTIFACTS
pytestmark = pytest.mark.browser

@pytest.mark.parametrize("lang", ["tr", "he"])
def test_shots(admin_page, job_in_review, lang, launch):
    page = admin_page
    page.set_viewport_size({"width": 1280, "height": 900})
    ARTIFACTS.mkdir(exist_ok=True)
    for name, path in {
        "overview": "admin/articles/translationoverview/",
        "mine": "admin/articles/job/mine/",
        "job": f"admin/articles/job/{job_in_review.pk}/change/",
        "review": f"admin/articles/job/{job_in_review.pk}/review/",
        "workspace": f"admin/articles/article/{job_in_review.article.pk}/translate/he/",
        "change": f"admin/articles/article/{job_in_review.article.pk}/change/",
        "source": f"admin/articles/article/{job_in_review.article.pk}/source-language/",
    }.items():
        page.goto(f"/{lang}/{path}")
        page.screenshot(path=ARTIFACTS / f"shot-{name}-{lang}.png", full_page=name != "workspace")
