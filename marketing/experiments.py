"""Call-to-action experiments: which variant a page view gets, and how it travels.

A page that shows an article's call to action during an experiment is made
once, holding every variant between markers; each response keeps one of
them, drawn by weight (`choose_variant`). So the page cache keeps one copy
of the page, and no response needs a render of its own. The variant rides in
the links it makes (the tour link, the read count) as a value the server
signed (`variant_token`), so a visit or a click is counted for the variant
that was shown, and one whose value does not verify as unattributed (`credit`).
"""

import random
import re
import time
from dataclasses import dataclass

from django.core import signing
from django.db import transaction
from django.utils import timezone

from articles.languages import localized
from articles.models import TourPage
from articles.writing import editing
from operations.page_cache import current_generation

from .models import Experiment, Variant

START = b"<!--cxcs:variants-->"
END = b"<!--/cxcs:variants-->"
VARIANT = re.compile(rb"<!--cxcs:variant (\d+)-->(.*?)<!--/cxcs:variant-->", re.S)
CODE = re.compile(r"(\d{1,9})([abcd])")
SIGNER = signing.Signer(salt="marketing.experiments.variant")
# How long a variant's value keeps counting after its page was replaced by a
# newer one: a reader may click a day after opening the page.
TOKEN_GRACE_SECONDS = 24 * 3600

# What a promoted variant replaces: the tour page's texts in the experiment's language.
PROMOTED_FIELDS = {
    Experiment.Place.ARTICLE: ("text", "button_label"),
    Experiment.Place.TOUR: ("text", "button_label"),
}

_running = {"generation": None, "experiments": {}}


def running(language):
    """The experiment running in `language`, with its variants, or None.

    Looked up once per page-cache generation: starting or stopping an
    experiment drops the cached pages, and with them this.
    """
    generation = current_generation()
    if _running["generation"] != generation:
        experiments = Experiment.objects.filter(status=Experiment.Status.RUNNING)
        _running["experiments"] = {
            experiment.language: experiment
            for experiment in experiments.prefetch_related("variants")
        }
        _running["generation"] = generation
    return _running["experiments"].get(language)


def variant_token(variant):
    """The value a link carries for `variant` (its `variant` parameter): its code and
    the page-cache generation of the page showing it, signed with the site's
    secret key, so no one can name a variant the server did not show."""
    return SIGNER.sign(f"{variant.code}.{current_generation().number}")


def credit(value, language):
    """What a count is credited to, from the `variant` value its link carried: (the
    Variant, its code) when the server signed it, for the experiment running in
    `language`, on a page still current or replaced less than TOKEN_GRACE_SECONDS
    ago; (None, the experiment's unattributed code) for any other value; (None,
    "") without a value, or where no experiment runs."""
    experiment = running(language)
    if not value or experiment is None:
        return None, ""
    variant = verified_variant(value, experiment)
    return (variant, variant.code) if variant else (None, experiment.unattributed_code)


def verified_variant(value, experiment):
    try:
        code, generation = SIGNER.unsign(value).split(".")
        generation = int(generation)
    except (signing.BadSignature, ValueError):
        return None
    match = CODE.fullmatch(code)
    if match is None or int(match[1]) != experiment.pk:
        return None
    # Generations are numbered by the time they started: the page's was current
    # until the current one started, or is it.
    current = current_generation().number
    if generation < current and time.time_ns() - current > TOKEN_GRACE_SECONDS * 10**9:
        return None
    return next((v for v in experiment.variants.all() if v.key == match[2]), None)


def draw(variants, rng=random):
    """One of `variants`, each with the chance its weight gives it."""
    return rng.choices(list(variants), weights=[variant.weight for variant in variants])[0]


def mark_variants(blocks):
    """HTML holding each of `blocks` ((weight, html) pairs) between markers, for
    `choose_variant` to keep one per response."""
    parts = [f"<!--cxcs:variant {weight}-->{html}<!--/cxcs:variant-->" for weight, html in blocks]
    return "<!--cxcs:variants-->" + "".join(parts) + "<!--/cxcs:variants-->"


def alternatives(body):
    """The versions of a page `body` (bytes) a response may get, as (weight, bytes)
    pairs: one per variant where the page holds an experiment's markers, else None."""
    start = body.find(START)
    if start == -1:
        return None
    end = body.find(END, start)
    if end == -1:
        return None
    before, marked, after = body[:start], body[start + len(START) : end], body[end + len(END) :]
    return [
        (int(match[1]), before + match[2] + after) for match in VARIANT.finditer(marked)
    ] or None


def choose_variant(body, rng=random):
    """`body` with one of the variants it holds, drawn by weight; as it was without any."""
    versions = alternatives(body)
    if not versions:
        return body
    return rng.choices([html for _w, html in versions], weights=[w for w, _h in versions])[0]


# Starting and stopping save the experiment, which drops the cached pages
# (page_cache.shown_on_pages, in MarketingConfig.ready).


def start(experiment):
    with transaction.atomic():
        experiment.status = Experiment.Status.RUNNING
        experiment.started_at = experiment.started_at or timezone.now()
        experiment.stopped_at = None
        experiment.full_clean()
        experiment.save()


def stop(experiment):
    experiment.status = Experiment.Status.STOPPED
    experiment.stopped_at = timezone.now()
    experiment.save()


def promote(variant, user):
    """End the experiment with `variant`'s words as the tour page's own, in its language.

    The tour page is saved through the write path, so its history shows the
    change and who made it.
    """
    experiment = variant.experiment
    page = TourPage.load()
    for name, value in zip(
        PROMOTED_FIELDS[experiment.place], (variant.text, variant.button_label), strict=True
    ):
        setattr(page, localized(name, experiment.language), value)
    editing.save(page, user=user, note={"promoted": {"experiment": experiment.name}})
    experiment.promoted = variant
    stop(experiment)


@dataclass
class Shown:
    """The words a view gets, and the variant they come from (None outside experiments)."""

    text: str
    button_label: str
    variant: Variant | None = None

    @property
    def code(self):
        return self.variant.code if self.variant else ""


def tour_page_words(page, language, rng=random):
    """The tour page's headline and button for one view: a drawn variant while an
    experiment on the tour page runs in `language`."""
    experiment = running(language)
    if experiment is not None and experiment.place == Experiment.Place.TOUR:
        variant = draw(experiment.variants.all(), rng)
        return Shown(variant.text, variant.button_label, variant)
    return Shown(page.text, page.button_label)
