"""Every page of the admin, logged in, has no accessibility violation in axe-core, in
the Turkish admin (light) and the Hebrew one (dark); and the pages editors work in
most (the change form, the workspace, an experiment's results) leave screenshots at
390 and 1280 px, light and dark, in test-artifacts/admin/.

The pages are found from the admin's own URLs, so a page added later is checked
too: each address's parameters come from SAMPLES, and an address whose parameters
it cannot fill fails the test until a sample is added.
"""

import pytest
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.contrib import admin
from django.contrib.auth.models import Group
from django.urls import URLPattern, reverse
from django.utils import timezone
from playwright.sync_api import expect
from reversion.models import Version

from articles.models import Article, Author, Topic
from articles.writing import editing
from marketing import experiments
from marketing.models import CampaignCount, Experiment, Variant

from .conftest import ARTIFACTS, AXE_OPTIONS

pytestmark = pytest.mark.browser

# Django's login page names the site in a <div>, not a heading: its only finding,
# and not ours to change without copying Django's template.
LOGIN_EXCEPTION = "page-has-heading-one"

# Addresses that answer no page to look at: files, scripts, data and redirects.
NOT_PAGES = {
    "jsi18n",
    "autocomplete",
    "view_on_site",
    "logout",
    "login",
    "articles_article_translation_export",
    "articles_article_xliff_export",
    "articles_memoryunit_exchange_export",
    "articles_concept_exchange_export",
    "articles_article_workspace_preview",
    "articles_article_pretranslate",
    "marketing_experiment_export",
    "marketing_campaigncount_export",
    "marketing_campaigncount_qr",
}


@pytest.fixture
def admin_site(launch, article, admin_user, django_capture_on_commit_callbacks):
    """Something on every admin page: the launch content, a group, login records,
    a draft and a running experiment with counts, deleted content to recover."""
    Group.objects.create(name="Editors")
    now = timezone.now()
    login = {"user_agent": "Firefox", "ip_address": "192.0.2.1", "http_accept": "text/html"}
    AccessAttempt.objects.create(
        **login, username="someone", path_info="/tr/admin/login/", get_data="", post_data="",
        failures_since_start=3, attempt_time=now,
    )  # fmt: skip
    AccessLog.objects.create(**login, username="admin", path_info="/tr/admin/login/")
    AccessFailureLog.objects.create(**login, username="someone", path_info="/tr/admin/login/")
    draft = Experiment.objects.create(name="Taslak", language="tr", place="tour")
    running = Experiment.objects.create(name="Sözler", language="he", place="article")
    for experiment in (draft, running):
        for key, text in [("a", "נסו את הסיור"), ("b", "ראו איך זה עובד")]:
            Variant.objects.create(
                experiment=experiment, key=key, text=text, button_label="לסיור", weight=50
            )
    with django_capture_on_commit_callbacks(execute=True):
        experiments.start(running)
    for key, views, clicks in [("a", 400, 20), ("b", 420, 35)]:
        for kind, count in [("read", views), ("visit", clicks)]:
            CampaignCount.objects.create(
                day=timezone.localdate(), language="he", kind=kind, source="mail",
                variant=f"{running.pk}{key}", article_pk=launch.pk, count=count,
            )  # fmt: skip
    for model, values in [
        (Topic, {"name_tr": "Silinen konu"}),
        (Author, {"name_tr": "Silinen yazar"}),
        (Article, {"title_tr": "Silinen makale", "body_tr": "Metin."}),
    ]:
        editing.delete(editing.save(model(**values)).obj)
    return {"draft": draft, "running": running}


def sample_kwargs(model, name, parameters, samples):
    """Every set of parameters to visit the admin URL `name` of `model` with."""
    obj = model._default_manager.order_by("pk").first()
    if not parameters:
        return [{}]
    if name.endswith("_recover"):
        deleted = Version.objects.get_deleted(model).first()
        return [{"version_id": deleted.pk}] if deleted else []
    if obj is None:
        return []
    values = {"object_id": str(obj.pk), "id": str(obj.pk), "pk": obj.pk, "language": "he"}
    if name.endswith("_revision"):
        values["version_id"] = Version.objects.get_for_object(obj).first().pk
    if name == "marketing_experiment_action":
        return [
            {"pk": samples["draft"].pk, "action": "start"},
            {"pk": samples["running"].pk, "action": "stop"},
        ]
    if name == "marketing_experiment_results":
        return [{"pk": samples["running"].pk}]
    missing = [parameter for parameter in parameters if parameter not in values]
    assert not missing, f"No sample for {name}({', '.join(missing)}): add one to SAMPLES"
    return [{parameter: values[parameter] for parameter in parameters}]


def parameters_of(pattern):
    regex = pattern.pattern.regex
    return list(pattern.pattern.converters or regex.groupindex)


def admin_addresses(language, samples):
    """The address of every page of the admin, in `language`."""
    addresses = [f"/{language}/admin/"]
    addresses += [
        f"/{language}/admin/{app_label}/"
        for app_label in sorted({model._meta.app_label for model in admin.site._registry})
    ]
    addresses += [f"/{language}/admin/password_change/", f"/{language}/admin/password_change/done/"]
    for model, model_admin in admin.site._registry.items():
        for pattern in model_admin.get_urls():
            if not isinstance(pattern, URLPattern) or not pattern.name:
                continue
            if pattern.name in NOT_PAGES:
                continue
            for kwargs in sample_kwargs(model, pattern.name, parameters_of(pattern), samples):
                path = reverse(f"admin:{pattern.name}", kwargs=kwargs)
                addresses.append(f"/{language}{path[3:]}" if path[3] == "/" else path)
    return addresses


def violations(page, axe, *, ignore=()):
    results = axe.run(page, options=AXE_OPTIONS)
    found = [rule for rule in results.response["violations"] if rule["id"] not in ignore]
    return [f"{rule['id']}: {[node['target'] for node in rule['nodes']][:3]}" for rule in found]


@pytest.mark.parametrize(("language", "scheme"), [("tr", "light"), ("he", "dark")])
def test_every_admin_page_has_no_accessibility_violations(
    admin_page, admin_site, axe, language, scheme
):
    page = admin_page
    page.emulate_media(color_scheme=scheme)
    found, checked = {}, 0
    for address in admin_addresses(language, admin_site):
        response = page.goto(address)
        status = response.status
        assert status in (200, 403), f"{address}: {status}"
        if status != 200 or "text/html" not in response.headers.get("content-type", ""):
            continue
        checked += 1
        if problems := violations(page, axe):
            found[address] = problems
    assert checked > 60
    assert found == {}, "\n".join(f"{address}: {problems}" for address, problems in found.items())


@pytest.mark.parametrize("language", ["tr", "he"])
def test_the_login_page_has_no_violation_but_djangos_own_heading(page, axe, db, language):
    page.goto(f"/{language}/admin/login/")
    assert violations(page, axe, ignore=[LOGIN_EXCEPTION]) == []


WIDTHS = {"phone": 390, "desk": 1280}


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("width", list(WIDTHS))
@pytest.mark.parametrize("language", ["tr", "he"])
def test_the_pages_editors_work_in_fit_the_screen(
    admin_page, admin_site, launch, language, width, scheme
):
    page = admin_page
    page.set_viewport_size({"width": WIDTHS[width], "height": 900})
    page.emulate_media(color_scheme=scheme)
    folder = ARTIFACTS / "admin"
    folder.mkdir(parents=True, exist_ok=True)
    screens = {
        "change-form": f"/{language}/admin/articles/article/{launch.pk}/change/",
        "workspace": f"/{language}/admin/articles/article/{launch.pk}/translate/he/",
        "experiment-results": (
            f"/{language}/admin/marketing/experiment/{admin_site['running'].pk}/results/"
        ),
    }
    for screen, address in screens.items():
        assert page.goto(address).status == 200
        page.screenshot(path=folder / f"{screen}-{language}-{width}-{scheme}.png", full_page=True)
    # The change form's inputs take the form's width on a desk.
    page.goto(screens["change-form"])
    expect(page.locator("#language-switch")).to_be_visible()
    if width == "desk":
        title = page.locator(f"#id_title_{language}").bounding_box()
        row = page.locator(f".field-title_{language}").bounding_box()
        assert title["width"] > 0.6 * row["width"]
        tools = page.locator(".object-tools").bounding_box()
        first_tool = page.locator(".object-tools a").first.bounding_box()
        # Every tool on one line.
        assert tools["height"] < 2 * first_tool["height"]
