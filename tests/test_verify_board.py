"""Tests of the stand-alone board verifier (tools/verify_board.py), run as residents would."""

from __future__ import annotations

import copy
import json
import random
import subprocess
import sys
from fractions import Fraction
from pathlib import Path

import pytest

from pdvsolutions.rules.board import (
    GENESIS,
    board_ballots,
    canonical_content,
    chain_hash,
    voter_roll_fingerprint,
)
from pdvsolutions.rules.tally import Project, TallyInput, equal_shares, greedy

REPO = Path(__file__).resolve().parents[1]
VERIFIER = REPO / "tools" / "verify_board.py"

COSTS = {"1": 40_00, "2": 40_00, "3": 40_00, "10": 5_00}
CHOICES = [{"1": 1, "2": 1}] * 6 + [{"3": 1}] * 4 + [{"10": 1, "3": 1}]


def in_euros(costs: dict, budget: int, choices: list, vote_type: str = "approval"):
    """The platform's input to equal shares: amounts in euros (Add1 steps by one euro)."""
    return TallyInput([Project(p, Fraction(c, 100)) for p, c in costs.items()],
                      Fraction(budget, 100), choices, vote_type)


def make_board(rule: str = "equal-shares", completion: str = "none") -> dict:
    ballots = board_ballots((c, f"{i * 7919:032x}") for i, c in enumerate(CHOICES, start=1))
    if rule == "equal-shares":
        result = equal_shares(in_euros(COSTS, 100_00, CHOICES), completion)
    else:
        result = greedy(TallyInput([Project(p, c) for p, c in COSTS.items()], 100_00, CHOICES))
    settings = {"id": 1, "title": "Test", "budget_cents": 100_00, "rule": rule,
                "ballot_type": "approval"}
    published = {"rule": rule, "selected": sorted(result.selected)}
    if rule == "equal-shares":
        settings.update(completion=completion, completion_step_cents=100)
        published["completion"] = completion
    return {
        "round": settings,
        "projects": [{"id": p, "title": f"Projet {p}", "cost_cents": c} for p, c in COSTS.items()],
        "roll": {"size": 12, "fingerprint": voter_roll_fingerprint([f"m{i}" for i in range(12)])},
        "signins": len(CHOICES),
        "signins_on_paper": 0,
        "ballots": ballots,
        "head": ballots[-1]["hash"],
        "result": published,
    }


def run_verifier(tmp_path: Path, board: dict, *args: str) -> subprocess.CompletedProcess:
    path = tmp_path / "board.json"
    path.write_text(json.dumps(board), encoding="utf-8")
    return subprocess.run(
        [sys.executable, str(VERIFIER), str(path), *args],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def test_verify_board_passes_on_an_intact_equal_shares_board(tmp_path):
    board = make_board("equal-shares")
    receipt = board["ballots"][3]["tracker"]
    done = run_verifier(tmp_path, board, "--receipt", receipt)
    assert done.returncode == 0, done.stdout
    assert "Toutes les vérifications sont réussies." in done.stdout
    assert "ÉCHEC" not in done.stdout


def test_verify_board_passes_on_an_intact_greedy_board_in_english(tmp_path):
    done = run_verifier(tmp_path, make_board("greedy"), "--lang", "en")
    assert done.returncode == 0, done.stdout
    assert "All checks passed." in done.stdout


def test_verify_board_detects_an_altered_choice(tmp_path):
    board = make_board()
    board["ballots"][2]["choices"] = {"1": 1, "3": 1}
    done = run_verifier(tmp_path, board)
    assert done.returncode == 1
    assert "[ÉCHEC] Reçus (trackers) recalculés" in done.stdout
    assert "[ÉCHEC] Chaîne de hachage intacte" in done.stdout


def test_verify_board_detects_a_removed_ballot(tmp_path):
    board = make_board()
    del board["ballots"][4]
    done = run_verifier(tmp_path, board)
    assert done.returncode == 1
    assert "[ÉCHEC] Chaîne de hachage intacte" in done.stdout
    assert "[ÉCHEC] Nombre de bulletins (10) = nombre d'émargements (11)" in done.stdout


def test_verify_board_detects_a_wrong_published_result(tmp_path):
    board = make_board()
    board["result"]["selected"] = ["1", "2"]
    done = run_verifier(tmp_path, board)
    assert done.returncode == 1
    assert "[ÉCHEC] Résultat recalculé" in done.stdout


def test_verify_board_reports_an_unknown_receipt(tmp_path):
    board = make_board()
    done = run_verifier(tmp_path, board, "--receipt", "ab" * 32)
    assert done.returncode == 1
    assert f"[ÉCHEC] Reçu {'ab' * 32} présent sur le tableau" in done.stdout


def _verifier_module():
    sys.path.insert(0, str(VERIFIER.parent))
    try:
        import verify_board  # noqa: PLC0415 - the tool is a script, not a package
    finally:
        sys.path.pop(0)
    return verify_board


def test_verify_board_recomputes_like_the_platform_rules(tmp_path):
    verify_board = _verifier_module()
    board = make_board()
    costs = {p["id"]: p["cost_cents"] for p in board["projects"]}
    ballots = [copy.deepcopy(c) for c in CHOICES]
    data = TallyInput([Project(p, c) for p, c in COSTS.items()], 100_00, CHOICES, "approval")
    selected, _ = verify_board.equal_shares(costs, 100_00, ballots, True)
    assert sorted(selected) == sorted(equal_shares(data).selected)
    assert sorted(verify_board.greedy(costs, 100_00, ballots)) == sorted(greedy(data).selected)


def _random_election(rng: random.Random, cumulative: bool):
    # Small amounts (5 to 60 euros, odd cents): Add1 takes at most a few dozen euro steps.
    projects = {str(p): rng.randrange(500, 6000) for p in range(1, rng.randint(3, 9))}
    budget = rng.randrange(4000, 16000)
    ballots = []
    for _ in range(rng.randint(3, 40)):
        chosen = rng.sample(sorted(projects), rng.randint(0, len(projects)))
        ballots.append({p: (rng.randint(1, 5) if cumulative else 1) for p in chosen})
    return projects, budget, ballots


@pytest.mark.parametrize("completion", ["none", "add1", "add1-comparison"])
@pytest.mark.parametrize("cumulative", [False, True], ids=["approval", "cumulative"])
def test_verify_board_completion_agrees_with_the_platform_on_random_elections(completion,
                                                                              cumulative):
    """The verifier's plain step-by-one-euro Add1 selects what rules/tally.py's jumps select."""
    verify_board = _verifier_module()
    rng = random.Random(f"{completion}-{cumulative}")
    applied = switched = 0
    for _ in range(60):
        costs, budget, ballots = _random_election(rng, cumulative)
        vote_type = "cumulative" if cumulative else "approval"
        ours = equal_shares(in_euros(costs, budget, ballots, vote_type), completion)
        theirs, report = verify_board.equal_shares(costs, budget, ballots, not cumulative,
                                                   completion, 100)
        assert sorted(theirs) == sorted(ours.selected), (costs, budget, ballots)
        if report is not None:
            assert report["steps"] == ours.completion.increments
            applied += report["applied"] and report["steps"] > 0
            switched += report.get("prefer_greedy", 0) > report.get("prefer_mes", 0)
    if completion != "none":
        assert applied > 5  # the completion really raised the shares in these elections
    if completion == "add1-comparison":
        assert switched > 0  # and greedy was kept in some of them


@pytest.mark.parametrize("completion", ["add1", "add1-comparison"])
def test_verify_board_passes_with_a_completion_and_reports_it(tmp_path, completion):
    done = run_verifier(tmp_path, make_board("equal-shares", completion))
    assert done.returncode == 0, done.stdout
    assert f"Complément {completion}" in done.stdout


def test_verify_board_keeps_greedy_when_more_voters_prefer_it(tmp_path):
    board = make_board("equal-shares", "add1-comparison")
    assert board["result"]["selected"] == ["1", "10", "2"]  # greedy's outcome
    done = run_verifier(tmp_path, board)
    assert done.returncode == 0, done.stdout
    assert "part de chaque votant portée de 9,09 € à 13,09 € (4 pas)" in done.stdout
    assert ("5 votants préfèrent les parts égales, 6 le glouton ; retenu : glouton"
            in done.stdout)


def test_verify_board_detects_a_result_published_without_its_completion(tmp_path):
    board = make_board("equal-shares", "add1")
    plain = make_board("equal-shares", "none")["result"]["selected"]
    assert (plain, board["result"]["selected"]) == (["1", "3"], ["1", "10", "3"])
    board["result"]["selected"] = plain
    done = run_verifier(tmp_path, board)
    assert done.returncode == 1
    assert "[ÉCHEC] Résultat recalculé (equal-shares)" in done.stdout


def test_verify_board_detects_ballots_in_the_order_of_arrival(tmp_path):
    board = make_board()
    # Same ballots chained by their (deterministic) nonces, as they "arrived": every link right.
    arrived = sorted(board["ballots"], key=lambda b: b["nonce"])
    prev = GENESIS
    for position, ballot in enumerate(arrived, start=1):
        content = canonical_content(ballot["choices"])
        ballot.update(position=position, prev=prev,
                      hash=chain_hash(prev, ballot["tracker"], content))
        prev = ballot["hash"]
    board["ballots"], board["head"] = arrived, prev
    done = run_verifier(tmp_path, board)
    assert done.returncode == 1
    assert "[OK] Chaîne de hachage intacte" in done.stdout
    assert "[ÉCHEC] Bulletins rangés par reçu croissant" in done.stdout


def test_verify_board_detects_a_wrong_head(tmp_path):
    board = make_board()
    board["head"] = "0" * 64
    done = run_verifier(tmp_path, board)
    assert done.returncode == 1
    assert "[ÉCHEC] La chaîne se termine par l'empreinte publiée" in done.stdout


def test_verify_board_recounts_before_the_result_is_published(tmp_path):
    board = make_board()
    board["result"] = None
    done = run_verifier(tmp_path, board)
    assert done.returncode == 0, done.stdout
    assert "pas encore de résultat publié" in done.stdout


def test_verify_board_fails_cleanly_on_an_incomplete_board(tmp_path):
    board = make_board()
    del board["signins"]
    done = run_verifier(tmp_path, board)
    assert done.returncode == 1
    assert "Tableau illisible ou incomplet" in done.stdout
    assert "Traceback" not in done.stderr
