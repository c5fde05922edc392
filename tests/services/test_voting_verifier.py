"""The stand-alone verifier recounts a closed demo round from its public board."""

import json
import subprocess
import sys
from importlib import resources
from pathlib import Path

import sqlalchemy as sa

from pdvsolutions.extensions import db
from pdvsolutions.models import Ballot, BallotLine, Completion, Role
from pdvsolutions.rules.pabulib import read_pb
from pdvsolutions.services import board, voting
from pdvsolutions.services.voting_pabulib import import_election

from .. import factories

VERIFIER = Path(__file__).resolve().parents[2] / "tools" / "verify_board.py"


def _imported_round():
    text = resources.files("pdvsolutions").joinpath(
        "data/pabulib/Netherlands_Assen_2024.pb").read_text(encoding="utf-8-sig")
    staff = factories.make_user(Role.STAFF)
    round_ = import_election(read_pb(text), factories.territory(), staff)
    voting.tally_round(round_, staff)
    voting.publish_results(round_, staff)
    return round_


def _verify(round_, tmp_path, *receipts):
    path = tmp_path / "board.json"
    path.write_text(json.dumps(board.build_board(round_)), encoding="utf-8")
    args = [sys.executable, str(VERIFIER), str(path), "--lang", "en"]
    for receipt in receipts:
        args += ["--receipt", receipt]
    return subprocess.run(args, capture_output=True, text=True, timeout=120, check=False)


def test_verifier_agrees_with_the_published_result_of_a_real_election(app_ctx, tmp_path):
    round_ = _imported_round()
    first = db.session.scalar(sa.select(Ballot.tracker).where(Ballot.position == 1))
    run = _verify(round_, tmp_path, first)
    assert run.returncode == 0, run.stdout + run.stderr
    assert "All checks passed" in run.stdout
    # Assen's META rule is equalshares/add1: the platform and the verifier both complete it.
    assert round_.completion is Completion.ADD1
    assert voting.result_of(round_).completion_info["increments"] == 843
    assert "Completion add1: each voter's share raised from 1190.47 € to 2033.47 € (843 steps)" \
        in run.stdout
    expected = json.loads((Path(__file__).resolve().parents[1] / "data" / "pabulib"
                           / "expected.json").read_text(encoding="utf-8"))
    assen = next(i for i in expected["instances"] if i["file"] == "Netherlands_Assen_2024.pb")
    pabulib_id = {p["name"]: pid for pid, p in assen["project_table"].items()}
    titles = {p.id: p.title for p in voting.ballot_proposals(round_)}
    # The published selection is the reference one (pabutools' MES with Add1, Assen's own).
    assert sorted(pabulib_id[titles[pid]] for pid in voting.result_of(round_).selected_ids) \
        == sorted(assen["mes_selected"])


def test_verifier_detects_a_ballot_altered_in_the_database(app_ctx, tmp_path):
    round_ = _imported_round()
    ballot = db.session.scalar(sa.select(Ballot).where(Ballot.position == 5))
    old = ballot.lines[0].proposal_id
    other = next(p.id for p in voting.ballot_proposals(round_)
                 if p.id not in {ln.proposal_id for ln in ballot.lines})
    # An attacker with database access rewrites a choice, keeping the stored hashes.
    db.session.execute(sa.update(BallotLine).where(BallotLine.ballot_id == ballot.id,
                                                   BallotLine.proposal_id == old)
                       .values(proposal_id=other))
    content = json.loads(ballot.content)
    content[str(other)] = content.pop(str(old))
    db.session.execute(sa.update(Ballot).where(Ballot.id == ballot.id)
                       .values(content=json.dumps(content, sort_keys=True,
                                                  separators=(",", ":"))))
    db.session.expire_all()
    run = _verify(round_, tmp_path)
    assert run.returncode == 1
    assert "5" in run.stdout and "FAILED" in run.stdout


def test_pabulib_export_names_the_completion_and_import_takes_it_back(app_ctx):
    from pdvsolutions.services.voting_pabulib import export_round

    round_ = _imported_round()
    text = export_round(round_)
    assert "rule;equalshares/add1" in text
    again = import_election(read_pb(text), factories.territory(),
                            factories.make_user(Role.STAFF), title="Assen (réimport)")
    assert again.completion is Completion.ADD1
    assert len(again_ballots := board.build_board(again)["ballots"]) == 84
    assert [b["position"] for b in again_ballots] == list(range(1, 85))
