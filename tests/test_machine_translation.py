"""Machine translation behind one interface: each service against a local server that
answers as the real one documents (its translations, a refused key, a used-up
quota, a slow answer), the term base sent to DeepL as a glossary, inline markup
carried as codes, and no service at all."""

import os

import pytest

from articles.models import Concept
from articles.translating import machine
from articles.translating.machine import argos
from articles.translating.machine.deepl_api import GLOSSARY_PREFIX

from .machine_servers import Server, configure

SERVICES = ["deepl", "google", "libretranslate"]
# How each service names the target in the stand-in's answers.
TARGET = {"deepl": "EN-US", "google": "en", "libretranslate": "en"}


@pytest.fixture
def service(request, settings):
    server = Server(request.param)
    configure(settings, request.param, server)
    yield server
    server.stop()


@pytest.mark.parametrize("service", SERVICES, indirect=True)
def test_service_translates_texts_in_order(service, db):
    kind = service.service.kind
    assert machine.translate(["Merhaba", "Dünya"], "tr", "en") == [
        f"[{TARGET[kind]}] Merhaba",
        f"[{TARGET[kind]}] Dünya",
    ]


@pytest.mark.parametrize("service", SERVICES, indirect=True)
def test_service_says_which_languages_it_translates(service):
    assert machine.can_translate("tr", "he")
    assert not machine.can_translate("tr", "xx")


@pytest.mark.parametrize("service", SERVICES, indirect=True)
def test_refused_key_is_a_clear_error(service, settings, db):
    configure(settings, service.service.kind, service, key="wrong-key")
    with pytest.raises(machine.MachineTranslationError) as raised:
        machine.translate(["Merhaba"], "tr", "en")
    assert raised.value.kind == "key"
    assert "key" in raised.value.message
    # LibreTranslate lists its languages to anyone; the others only to a good key.
    assert machine.can_translate("tr", "en") == (service.service.kind == "libretranslate")


@pytest.mark.parametrize("service", SERVICES, indirect=True)
def test_used_up_quota_is_a_clear_error(service, db):
    service.service.quota = 3
    with pytest.raises(machine.MachineTranslationError) as raised:
        machine.translate(["Merhaba"], "tr", "en")
    assert raised.value.kind == "quota"
    assert "quota" in raised.value.message


@pytest.mark.parametrize("service", SERVICES, indirect=True)
def test_slow_service_times_out(service, settings, db):
    settings.MACHINE_TRANSLATION_TIMEOUT = 0.3
    service.service.delay = 2.5
    with pytest.raises(machine.MachineTranslationError) as raised:
        machine.translate(["Merhaba"], "tr", "en")
    assert raised.value.kind == "timeout"


@pytest.mark.parametrize("service", SERVICES, indirect=True)
def test_unreachable_service_is_a_clear_error(service, settings, db):
    service.stop()
    with pytest.raises(machine.MachineTranslationError) as raised:
        machine.translate(["Merhaba"], "tr", "en")
    assert raised.value.kind == "unavailable"


@pytest.mark.parametrize("service", ["deepl"], indirect=True)
def test_deepl_is_sent_the_term_base_as_a_glossary(service, db):
    Concept.objects.create(terms_tr="müşteri deneyimi\nCX", terms_en="customer experience")
    translated = machine.translate(["müşteri deneyimi nedir?"], "tr", "en")
    assert translated == ["[EN-US] customer experience nedir?"]
    (glossary,) = service.service.glossaries.values()
    assert glossary["entries"] == {
        "müşteri deneyimi": "customer experience",
        "CX": "customer experience",
    }
    assert glossary["name"].startswith(GLOSSARY_PREFIX)


@pytest.mark.parametrize("service", ["deepl"], indirect=True)
def test_changed_term_base_replaces_the_deepl_glossary(service, db):
    concept = Concept.objects.create(terms_tr="deneyim", terms_en="experience")
    machine.translate(["deneyim"], "tr", "en")
    machine.translate(["deneyim"], "tr", "en")
    assert len(service.service.glossaries) == 1
    concept.terms_en = "experiences"
    concept.save()
    assert machine.translate(["deneyim"], "tr", "en") == ["[EN-US] experiences"]
    (glossary,) = service.service.glossaries.values()
    assert glossary["entries"] == {"deneyim": "experiences"}


def test_without_a_service_nothing_is_machine_translated(settings):
    settings.MACHINE_TRANSLATION = ""
    assert machine.backend() is None
    assert not machine.can_translate("tr", "en")
    with pytest.raises(machine.MachineTranslationError) as raised:
        machine.translate(["Merhaba"], "tr", "en")
    assert raised.value.kind == "none"


@pytest.mark.skipif(argos.installed(), reason="argostranslate is installed here")
def test_argos_without_its_package_translates_nothing_and_the_site_runs(settings):
    settings.MACHINE_TRANSLATION = "argos"
    assert not machine.can_translate("tr", "en")
    with pytest.raises(machine.MachineTranslationError):
        machine.translate(["Merhaba"], "tr", "en")


@pytest.mark.skipif(
    not (argos.installed() and os.environ.get("ARGOS_TEST_MODEL")),
    reason="needs argostranslate and ARGOS_TEST_MODEL, a .argosmodel file for tr→en",
)
def test_argos_translates_offline_with_a_model_installed_from_a_file(settings):
    argos.install_model(os.environ["ARGOS_TEST_MODEL"])
    settings.MACHINE_TRANSLATION = "argos"
    assert machine.can_translate("tr", "en")
    assert machine.translate(["Merhaba"], "tr", "en")[0]


LIVE = {
    "deepl": "DEEPL_AUTH_KEY",
    "google": "GOOGLE_TRANSLATE_API_KEY",
    "libretranslate": "LIBRETRANSLATE_URL",
}


@pytest.mark.parametrize("kind", list(LIVE))
def test_live_service_translates(kind, settings, db):
    if not os.environ.get(LIVE[kind]):
        pytest.skip(f"{LIVE[kind]} is not set: the live service is not called")
    settings.MACHINE_TRANSLATION = kind
    (translated,) = machine.translate(["Merhaba dünya"], "tr", "en")
    assert translated and translated != "Merhaba dünya"
