"""`flask pabulib export ROUND` and `flask pabulib import FILE.pb`, through the CLI."""

from pathlib import Path

import sqlalchemy as sa

from pdvsolutions.extensions import db
from pdvsolutions.models import Ballot, Role, Round
from pdvsolutions.rules.pabulib import read_pb
from pdvsolutions.services import voting

from .. import factories
from ..factories_voting import vote_world

PABULIB = Path(__file__).resolve().parents[1] / "data" / "pabulib"


def _closed_round(app) -> int:
    with app.app_context():
        world = vote_world(members=3)
        round_, proposals = world["round"], world["proposals"]
        for member, chosen in zip(world["members"], ([0, 2], [1], [0, 1, 2]), strict=True):
            voting.cast_ballot(round_, member, {proposals[i].id: 1 for i in chosen})
        voting.close_vote(round_, world["staff"])
        db.session.commit()
        return round_.id


def test_export_writes_the_closed_rounds_anonymous_ballots(app, tmp_path):
    round_id = _closed_round(app)
    target = tmp_path / "round.pb"
    done = app.test_cli_runner().invoke(args=["pabulib", "export", str(round_id), "-o",
                                              str(target)])
    assert done.exit_code == 0, done.output
    election = read_pb(target.read_text(encoding="utf-8"))
    assert len(election.voters) == 3
    assert sorted(len(v.vote) for v in election.voters) == [1, 2, 3]
    # Anonymous: no e-mail, name or account id of the members in the file.
    assert "@" not in target.read_text(encoding="utf-8")


def test_export_of_an_open_vote_is_refused(app):
    with app.app_context():
        round_id = vote_world()["round"].id
        db.session.commit()
    done = app.test_cli_runner().invoke(args=["pabulib", "export", str(round_id)])
    assert done.exit_code != 0 and "not closed" in done.output


def test_import_creates_a_published_round_from_a_real_election(app):
    path = PABULIB / "Poland_Gdynia_2020_Babie_Doly__small.pb"
    election = read_pb(path.read_text(encoding="utf-8"))
    with app.app_context():
        factories.make_user(Role.STAFF)
        before = db.session.scalar(sa.select(sa.func.count(Round.id)))
        db.session.commit()
    done = app.test_cli_runner().invoke(args=["pabulib", "import", str(path)])
    assert done.exit_code == 0, done.output
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count(Round.id))) == before + 1
        round_ = db.session.scalar(sa.select(Round).order_by(Round.id.desc()).limit(1))
        assert db.session.scalar(sa.select(sa.func.count(Ballot.id)).where(
            Ballot.round_id == round_.id)) == len(election.voters)
        assert voting.result_of(round_).published


def test_import_of_a_broken_file_says_why_and_creates_nothing(app, tmp_path):
    broken = tmp_path / "broken.pb"
    broken.write_text("META\nkey;value\nnum_projects;two\n", encoding="utf-8")
    with app.app_context():
        before = db.session.scalar(sa.select(sa.func.count(Round.id)))
    done = app.test_cli_runner().invoke(args=["pabulib", "import", str(broken)])
    assert done.exit_code != 0 and "broken.pb" in done.output
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count(Round.id))) == before
