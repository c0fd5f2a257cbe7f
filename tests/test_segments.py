"""An article cut into segments, and each translated segment's status as the source moves."""

from pathlib import Path

import pytest

from articles.text.diffs import text_diff, word_diff
from articles.text.segments import (
    Block,
    Segmented,
    Status,
    join_body,
    segment_texts,
    split_body,
    translated_fields,
)

LAUNCH = Path(__file__).resolve().parents[1] / "articles" / "launch"
SOURCE_BODY = (
    "Birinci paragraf.\n\n## Başlık\n\nİkinci paragraf.\n\n> Alıntı.\n\n[figure]\n\nSon paragraf."
)
TARGET_BODY = "פסקה ראשונה.\n\n## כותרת\n\nפסקה שנייה.\n\n> ציטוט.\n\n[figure]\n\nפסקה אחרונה."


def statuses(source_body, target_body=TARGET_BODY, kept_body=SOURCE_BODY):
    segments, dropped = segment_texts(
        {"title": "Başlık", "body": source_body},
        {"title": "כותרת", "body": target_body},
        {"title": "Başlık", "body": kept_body},
    )
    return [(segment.key, segment.status) for segment in segments], segments, dropped


def replaced(body, old, new):
    assert old in body
    return body.replace(old, new)


@pytest.mark.parametrize("language", ["tr", "he"])
def test_launch_body_splits_into_its_thirteen_blocks_and_joins_back(language):
    body = (LAUNCH / f"body.{language}.md").read_text(encoding="utf-8").strip()
    blocks = split_body(body)
    assert [block.kind for block in blocks] == [
        "paragraph", "heading", "paragraph", "quote", "paragraph", "quote", "figure",
        "heading", "paragraph", "heading", "paragraph", "quote", "paragraph",
    ]  # fmt: skip
    assert join_body(blocks) == body


def test_block_text_leaves_its_markup_out():
    blocks = split_body("## Başlık\n\n> Bir\n> iki\n\n- birinci\n- ikinci\n\n1. sıra")
    assert [(block.kind, block.prefix, block.text) for block in blocks] == [
        ("heading", "## ", "Başlık"),
        ("quote", "> ", "Bir\niki"),
        ("item", "- ", "birinci"),
        ("item", "- ", "ikinci"),
        ("item", "1. ", "sıra"),
    ]


def test_items_of_one_list_join_on_consecutive_lines():
    body = "Giriş.\n\n- birinci\n- ikinci\n\n- başka liste"
    assert join_body(split_body(body)) == body


def test_fenced_code_is_one_fixed_block_even_with_blank_lines():
    blocks = split_body("Önce.\n\n```\nkod\n\nkod\n```\n\nSonra.")
    assert [block.kind for block in blocks] == ["paragraph", "code", "paragraph"]
    assert blocks[1].is_fixed


def test_unchanged_source_leaves_every_segment_translated():
    shown, _segments, dropped = statuses(SOURCE_BODY)
    assert {status for key, status in shown if key != "body.5"} == {Status.TRANSLATED}
    assert dict(shown)["body.5"] == Status.FIXED
    assert dropped == []


def test_editing_one_source_paragraph_marks_exactly_its_translation():
    shown, segments, _dropped = statuses(
        replaced(SOURCE_BODY, "İkinci paragraf.", "İkinci, yeni paragraf.")
    )
    assert [key for key, status in shown if status == Status.NEEDS_UPDATE] == ["body.3"]
    segment = next(segment for segment in segments if segment.key == "body.3")
    assert segment.target == "פסקה שנייה."
    assert segment.source_diff() == [
        ("removed", "İkinci"),
        ("added", "İkinci, yeni"),
        ("context", " paragraf."),
    ]


def test_inserting_a_source_paragraph_adds_one_missing_segment_in_its_place():
    source = replaced(SOURCE_BODY, "İkinci paragraf.", "Araya giren paragraf.\n\nİkinci paragraf.")
    shown, segments, dropped = statuses(source)
    assert [key for key, status in shown if status == Status.MISSING] == ["body.3"]
    assert [key for key, status in shown if status == Status.NEEDS_UPDATE] == []
    assert segments[3].target == "" and segments[4].target == "פסקה שנייה."
    assert dropped == []


def test_deleting_a_source_paragraph_drops_its_translation():
    shown, segments, dropped = statuses(replaced(SOURCE_BODY, "İkinci paragraf.\n\n", ""))
    assert {status for key, status in shown} <= {Status.TRANSLATED, Status.FIXED}
    assert "פסקה שנייה." not in [segment.target for segment in segments]
    assert dropped == ["פסקה שנייה."]


def test_reordered_source_blocks_keep_their_translations():
    source = replaced(SOURCE_BODY, "İkinci paragraf.\n\n> Alıntı.", "> Alıntı.\n\nİkinci paragraf.")
    shown, segments, dropped = statuses(source)
    assert {status for key, status in shown} <= {Status.TRANSLATED, Status.FIXED}
    targets = {segment.source: segment.target for segment in segments}
    assert targets["Alıntı."] == "ציטוט." and targets["İkinci paragraf."] == "פסקה שנייה."
    assert dropped == []


def test_saved_translation_follows_the_reordered_source():
    source = replaced(SOURCE_BODY, "İkinci paragraf.\n\n> Alıntı.", "> Alıntı.\n\nİkinci paragraf.")
    _shown, segments, dropped = statuses(source)
    segmented = Segmented("he", segments, dropped, {"body": source}, {"body": TARGET_BODY})
    fields, kept = translated_fields(segmented, {})
    assert fields["body"] == TARGET_BODY.replace(
        "פסקה שנייה.\n\n> ציטוט.", "> ציטוט.\n\nפסקה שנייה."
    )
    assert kept["body"] == source


def test_translation_made_elsewhere_with_a_block_less_is_paired_by_kind():
    target = TARGET_BODY.replace("> ציטוט.\n\n", "")
    shown, _segments, _dropped = statuses(SOURCE_BODY, target_body=target)
    assert [key for key, status in shown if status == Status.MISSING] == ["body.4"]


def test_untouched_segment_needing_an_update_keeps_what_it_was_made_from():
    source = replaced(SOURCE_BODY, "Son paragraf.", "Son, değişmiş paragraf.")
    _shown, segments, dropped = statuses(source)
    segmented = Segmented("he", segments, dropped, {"body": source}, {"body": TARGET_BODY})
    _fields, kept = translated_fields(segmented, {"body.2": "כותרת חדשה"})
    assert split_body(kept["body"])[-1].text == "Son paragraf."
    assert split_body(kept["body"])[1].text == "Başlık"


def test_marked_as_still_correct_takes_todays_source():
    source = replaced(SOURCE_BODY, "Son paragraf.", "Son paragraf!")
    _shown, segments, dropped = statuses(source)
    segmented = Segmented("he", segments, dropped, {"body": source}, {"body": TARGET_BODY})
    fields, kept = translated_fields(segmented, {}, confirmed=["body.6"])
    assert kept["body"] == source
    assert fields["body"] == TARGET_BODY


def test_segment_left_empty_stays_missing_and_out_of_the_body():
    _shown, segments, dropped = statuses(SOURCE_BODY)
    segmented = Segmented("he", segments, dropped, {"body": SOURCE_BODY}, {"body": TARGET_BODY})
    fields, kept = translated_fields(segmented, {"body.3": ""})
    assert "פסקה שנייה." not in fields["body"]
    assert "İkinci paragraf." not in kept["body"]
    again, _dropped = segment_texts({"body": SOURCE_BODY}, fields, kept)
    assert [segment.key for segment in again if segment.status == Status.MISSING] == ["body.3"]


def test_block_keeps_its_markup_when_given_a_translation():
    assert Block("heading", "## ", "Başlık").with_text("כותרת").markdown() == "## כותרת"
    assert Block("quote", "> ", "a").with_text("א\nב").markdown() == "> א\n> ב"


def test_word_diff_gives_back_both_texts():
    before, after = "Müşteri desteği bir parçadır.", "Müşteri desteği, bütünün bir parçasıdır."
    runs = word_diff(before, after)
    assert "".join(text for kind, text in runs if kind != "removed") == after
    assert "".join(text for kind, text in runs if kind != "added") == before


def test_word_diff_marks_a_rewritten_phrase_as_one_change():
    assert word_diff("Know Your Terminology", "Terminolojinizi Bilin") == [
        ("removed", "Know Your Terminology"),
        ("added", "Terminolojinizi Bilin"),
    ]


def test_text_diff_marks_the_words_of_an_edited_line_and_keeps_whole_lines_whole():
    assert text_diff("Bir.\n\nİki üç dört.\nBeş.", "Bir.\n\nİki altı dört.\nBeş.\nYedi.") == [
        ("context", [("context", "")]),
        (
            "changed",
            [("context", "İki "), ("removed", "üç"), ("added", "altı"), ("context", " dört.")],
        ),
        ("context", [("context", "Beş.")]),
        ("added", [("added", "Yedi.")]),
    ]


def test_rewriting_a_source_paragraph_entirely_still_marks_its_translation():
    shown, _segments, _dropped = statuses(
        replaced(SOURCE_BODY, "İkinci paragraf.", "Bambaşka bir metin.")
    )
    assert [key for key, status in shown if status == Status.NEEDS_UPDATE] == ["body.3"]
    assert [key for key, status in shown if status == Status.MISSING] == []
