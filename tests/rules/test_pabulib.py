"""Tests of the Pabulib .pb reader and writer."""

from __future__ import annotations

import json
import os
from fractions import Fraction
from pathlib import Path

import pytest

from pdvsolutions.rules.pabulib import (
    PbFormatError,
    format_number,
    parse_number,
    read_pb,
    write_pb,
)

REPO = Path(__file__).resolve().parents[2]
SHARED = Path(os.environ.get("PDV_SHARED_DIR", REPO / "tests" / "data"))

SAMPLE = '''META
key;value
description;"Quartier ""Nord""; test"
num_projects;3
num_votes;3
budget;1000.50
vote_type;cumulative
rule;greedy
PROJECTS
project_id;cost;votes;name;selected
10;500.25;2;"Jardin; partagé";1
9;300;1;Bancs;0
L18/11/X;200;1;"Fresque ""murale""";0
VOTES
voter_id;vote;points;age
v1;10,9;2,1;34
v2;10;3;
v3;L18/11/X;3;71
'''


def test_read_pb_keeps_ids_as_strings_and_numbers_exact():
    election = read_pb(SAMPLE)
    assert [p.id for p in election.projects] == ["10", "9", "L18/11/X"]
    assert election.budget == Fraction("1000.5")
    assert election.projects[0].cost == Fraction("500.25")
    assert election.projects[1].cost == 300 and isinstance(election.projects[1].cost, int)


def test_read_pb_handles_quoted_semicolons_and_doubled_quotes():
    election = read_pb(SAMPLE)
    assert election.meta["description"] == 'Quartier "Nord"; test'
    assert election.projects[0].fields["name"] == "Jardin; partagé"
    assert election.projects[2].fields["name"] == 'Fresque "murale"'


def test_read_pb_cumulative_ballots_carry_points():
    election = read_pb(SAMPLE)
    assert election.vote_type == "cumulative"
    assert election.ballots() == [{"10": 2, "9": 1}, {"10": 3}, {"L18/11/X": 3}]


def test_read_pb_ordinal_ballots_get_positional_points():
    text = SAMPLE.replace("vote_type;cumulative", "vote_type;ordinal")
    assert read_pb(text).ballots()[0] == {"10": 2, "9": 1}


def test_read_pb_approval_and_choose_1_ballots_give_one_point():
    for vote_type in ("approval", "choose-1"):
        text = SAMPLE.replace("vote_type;cumulative", f"vote_type;{vote_type}")
        assert read_pb(text).ballots()[0] == {"10": 1, "9": 1}


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("hello;world\n" + SAMPLE, "before the META"),
        (SAMPLE.replace("v2;10;3;", "v2;99;3;"), "unknown project"),
        (SAMPLE.replace("budget;1000.50", "budget;lots"), "not a number"),
        (SAMPLE.replace("vote_type;cumulative", "vote_type;quadratic"), "unsupported vote_type"),
        (SAMPLE.replace("v1;10,9;2,1;34", "v1;10,9;2;34"), "points do not match"),
        (SAMPLE.replace("9;300;1;Bancs;0", "10;300;1;Bancs;0"), "duplicate project"),
    ],
)
def test_read_pb_rejects_malformed_files_with_a_clear_message(text, message):
    with pytest.raises(PbFormatError, match=message):
        read_pb(text)


def test_write_pb_round_trips_a_sample_exactly():
    assert write_pb(read_pb(SAMPLE)) == SAMPLE


def test_write_pb_formats_changed_numbers_as_plain_decimals():
    election = read_pb(SAMPLE)
    election.projects[1].cost = Fraction(1234567, 100)
    election.voters[1].points = [Fraction(5, 2)]
    again = read_pb(write_pb(election))
    assert again.projects[1].cost == Fraction("12345.67")
    assert again.voters[1].points == [Fraction(5, 2)]


def test_number_helpers_are_exact():
    assert parse_number("2917710.16") == Fraction(291771016, 100)
    assert format_number(Fraction(291771016, 100)) == "2917710.16"
    assert format_number(7) == "7"
    with pytest.raises(ValueError):
        format_number(Fraction(1, 3))


def _shared_files() -> list[Path]:
    return sorted((SHARED / "pabulib").glob("*.pb"))


@pytest.mark.parametrize(
    "path", _shared_files() or [None], ids=lambda p: p.name if p else "missing"
)
def test_write_pb_round_trips_every_shared_file(path):
    if path is None:
        reason = f"shared Pabulib files not found in {SHARED} (set PDV_SHARED_DIR)"
        if os.environ.get("CI") == "true":
            pytest.fail(reason)
        pytest.skip(reason)
    election = read_pb(path.read_text(encoding="utf-8"))
    again = read_pb(write_pb(election))
    assert again == election
    assert len(election.voters) == int(election.meta["num_votes"])
    assert len(election.projects) == int(election.meta["num_projects"])


def _cli_runner():
    from flask import Flask

    from pdvsolutions.cli_pabulib import pabulib_cli

    app = Flask("pabulib-cli-test")
    app.cli.add_command(pabulib_cli)
    return app.test_cli_runner()


def test_cli_pabulib_tally_prints_sorted_ids_cost_and_budget(tmp_path):
    text = SAMPLE.replace("vote_type;cumulative", "vote_type;approval")
    path = tmp_path / "sample.pb"
    path.write_text(text, encoding="utf-8")
    done = _cli_runner().invoke(args=["pabulib", "tally", str(path), "--rule", "greedy"])
    assert done.exit_code == 0, done.output
    assert json.loads(done.output) == {
        "rule": "greedy",
        "selected": ["10", "9", "L18/11/X"],
        "cost": "1000.25",
        "budget": "1000.5",
    }


def test_cli_pabulib_tally_equal_shares_follows_meta_completion_unless_told(tmp_path):
    text = SAMPLE.replace("rule;greedy", "rule;equalshares/add1")
    path = tmp_path / "sample.pb"
    path.write_text(text, encoding="utf-8")
    runner = _cli_runner()
    done = runner.invoke(args=["pabulib", "tally", str(path), "--rule", "equal-shares"])
    assert done.exit_code == 0, done.output
    assert json.loads(done.output)["completion"] == "add1"
    done = runner.invoke(
        args=["pabulib", "tally", str(path), "--rule", "equal-shares", "--completion", "none"]
    )
    assert "completion" not in json.loads(done.output)


def test_cli_pabulib_tally_reports_a_malformed_file(tmp_path):
    path = tmp_path / "bad.pb"
    path.write_text("META\nkey;value\n", encoding="utf-8")
    done = _cli_runner().invoke(args=["pabulib", "tally", str(path), "--rule", "greedy"])
    assert done.exit_code != 0
    assert "missing or empty section" in done.output
