"""Tests of the stand-alone board verifier (tools/verify_board.py), run as residents would."""

from __future__ import annotations

import copy
import json
import subprocess
import sys
from pathlib import Path

from pdvsolutions.rules.board import board_ballots, voter_roll_fingerprint
from pdvsolutions.rules.tally import Project, TallyInput, equal_shares, greedy

REPO = Path(__file__).resolve().parents[1]
VERIFIER = REPO / "tools" / "verify_board.py"

COSTS = {"1": 40_00, "2": 40_00, "3": 40_00, "10": 25_00}
CHOICES = [{"1": 1, "2": 1}] * 6 + [{"3": 1}] * 4 + [{"10": 1, "3": 1}]


def make_board(rule: str = "equal-shares") -> dict:
    ballots = board_ballots((c, f"{i * 7919:032x}") for i, c in enumerate(CHOICES, start=1))
    data = TallyInput([Project(p, c) for p, c in COSTS.items()], 100_00, CHOICES, "approval")
    result = equal_shares(data) if rule == "equal-shares" else greedy(data)
    return {
        "round": {
            "id": 1,
            "title": "Test",
            "budget_cents": 100_00,
            "rule": rule,
            "ballot_type": "approval",
        },
        "projects": [{"id": p, "title": f"Projet {p}", "cost_cents": c} for p, c in COSTS.items()],
        "roll": {"size": 12, "fingerprint": voter_roll_fingerprint([f"m{i}" for i in range(12)])},
        "signins": len(CHOICES),
        "ballots": ballots,
        "result": {"rule": rule, "selected": sorted(result.selected)},
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
    board["ballots"][2]["choices"] = {"3": 1}
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


def test_verify_board_recomputes_like_the_platform_rules(tmp_path):
    sys.path.insert(0, str(VERIFIER.parent))
    try:
        import verify_board  # noqa: PLC0415 - the tool is a script, not a package
    finally:
        sys.path.pop(0)
    board = make_board()
    costs = {p["id"]: p["cost_cents"] for p in board["projects"]}
    ballots = [copy.deepcopy(c) for c in CHOICES]
    data = TallyInput([Project(p, c) for p, c in COSTS.items()], 100_00, CHOICES, "approval")
    assert sorted(verify_board.equal_shares(costs, 100_00, ballots, True)) == sorted(
        equal_shares(data).selected
    )
    assert sorted(verify_board.greedy(costs, 100_00, ballots)) == sorted(greedy(data).selected)


def test_verify_board_fails_cleanly_on_an_incomplete_board(tmp_path):
    board = make_board()
    del board["signins"]
    done = run_verifier(tmp_path, board)
    assert done.returncode == 1
    assert "Tableau illisible ou incomplet" in done.stdout
    assert "Traceback" not in done.stderr
