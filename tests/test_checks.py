"""Quality checks of a translated segment: numbers, links, marks, untranslated paste."""

from articles.translating.quality import check


def codes(source, target):
    return [issue.code for issue in check(source, target)]


def test_faithful_translation_passes():
    source = "**Önemli:** 3 adım, [rehber](https://example.com/a) ve `kod`."
    target = "**חשוב:** 3 צעדים, [מדריך](https://example.com/a) ו-`kod`."
    assert codes(source, target) == []


def test_number_left_out_or_changed_is_flagged():
    assert codes("Müşterilerin 80%'i 2024'te", "80% מהלקוחות ב-2023") == ["numbers"]


def test_thousands_written_either_way_are_the_same_number():
    assert codes("1.000 müşteri", "1,000 לקוחות") == []


def test_missing_link_is_flagged():
    assert codes("[Guru](https://getguru.com) ile", "עם Guru") == ["link_count"]


def test_link_to_another_target_is_flagged():
    issues = check("[Guru](https://getguru.com)", "[Guru](https://example.com)")
    assert [issue.code for issue in issues] == ["link_targets"]
    assert "https://getguru.com" in issues[0].message


def test_lost_bold_emphasis_and_code_marks_are_flagged():
    source = "**kalın** ve *eğik* ve `kod`"
    assert codes(source, "מודגש ונטוי וקוד") == ["marks_bold", "marks_emphasis", "marks_code"]


def test_pasted_source_is_flagged_as_untranslated():
    source = "Bu paragraf henüz çevrilmedi."
    assert codes(source, source) == ["untranslated"]


def test_short_source_may_stay_as_it_is():
    assert codes("SaaS", "SaaS") == []
    assert codes("Genius Bar", "Genius Bar") == []


def test_empty_translation_is_not_checked():
    assert check("Bir metin 3 kez.", "") == []
