"""Pure rules of the needs area: euros, markup, who takes part, merges, phases, iCalendar."""

from datetime import UTC, date, datetime

import pytest

from pdvsolutions.rules import needs
from pdvsolutions.rules.calendar import CalendarEvent, to_ical
from pdvsolutions.rules.money import parse_euros
from pdvsolutions.rules.phases import Phase, RoundFacts, blockers


@pytest.mark.parametrize("text, cents", [
    ("1 234,50", 123_450), ("1234.50", 123_450), ("120000", 12_000_000),
    ("12\u202f000 €", 1_200_000), ("0,5", 50), ("7", 700),
])
def test_parse_euros_reads_french_and_dotted_amounts(text, cents):
    assert parse_euros(text) == cents


@pytest.mark.parametrize("text", ["", "abc", "-5", "1,234.50", "1.005", "1e3", "12,"])
def test_parse_euros_refuses_anything_else(text):
    with pytest.raises(ValueError):
        parse_euros(text)


@pytest.mark.parametrize("text, expected", [
    ("<script>alert(1)</script>", True), ("<b>gras</b>", True), ("<!-- x -->", True),
    ("3 < 5 et 5 > 3", False), ("On ne veut plus de cafards", False), (None, False),
])
def test_has_markup_spots_tags_only(text, expected):
    assert needs.has_markup(text) is expected


def test_can_take_part_only_in_territory_during_needs():
    assert needs.can_take_part(Phase.NEEDS, True)
    assert not needs.can_take_part(Phase.NEEDS, False)
    assert not needs.can_take_part(Phase.CALL, True)


def test_can_edit_only_author_while_published_during_needs():
    assert needs.can_edit(Phase.NEEDS, "published", True)
    assert not needs.can_edit(Phase.NEEDS, "retained", True)
    assert not needs.can_edit(Phase.NEEDS, "published", False)
    assert not needs.can_edit(Phase.CALL, "published", True)


def test_merged_supporters_counts_a_double_supporter_once():
    moved, twice = needs.merged_supporters(kept=[1, 2], duplicate=[2, 3])
    assert moved == {3} and twice == {2}


@pytest.mark.parametrize("phase, target, reason", [
    (Phase.NEEDS, Phase.DRAFT, "backwards"),
    (Phase.NEEDS, Phase.REVIEW, "skip"),
    (Phase.NEEDS, Phase.CALL, "no_retained_need"),
    (Phase.DRAFT, Phase.NEEDS, "envelope_missing"),
])
def test_phase_blockers_refuse_illegal_transitions(phase, target, reason):
    facts = RoundFacts(phase=phase, envelope_cents=0, retained_needs=0)
    assert reason in blockers(facts, target)


def test_phase_blockers_allow_opening_the_call_with_a_retained_need():
    facts = RoundFacts(phase=Phase.NEEDS, envelope_cents=100, retained_needs=1)
    assert blockers(facts, Phase.CALL) == []


def test_to_ical_escapes_and_folds_lines():
    long_title = "Appel à solutions, Grand Saint-Barthélemy; Malpassé " * 3
    text = to_ical("Cal", [CalendarEvent(uid="u1@x", day=date(2026, 3, 1), summary=long_title)],
                   datetime(2026, 1, 1, tzinfo=UTC))
    lines = text.split("\r\n")
    assert all(len(line.encode()) <= 75 for line in lines)
    unfolded = text.replace("\r\n ", "")
    assert "SUMMARY:Appel à solutions\\, Grand Saint-Barthélemy\\; Malpassé" in unfolded
    assert "DTEND;VALUE=DATE:20260302" in unfolded
