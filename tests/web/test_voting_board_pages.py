"""The public bulletin board in pages (issue 9): a city-wide vote's board is not one page.

Before, the page listed every ballot with its lines: 81 ms of CPU at 600 ballots in
``bench/inprocess.py``, growing with the vote. Each page now reads one range of positions.
"""

import json
import re

import pytest

from pdvsolutions.extensions import db
from pdvsolutions.models import BallotType
from pdvsolutions.rules.phases import Phase
from pdvsolutions.services import phases, voting

from ..factories_voting import vote_world

ROW_RE = re.compile(r'<th scope="row">(\d+)</th>\s*<td><code>([0-9a-f]{64})</code></td>\s*'
                    r'<td>([^<]*)</td>')


def _closed_vote(app, ballots: int) -> int:
    """A round whose ``ballots`` members voted, then closed (the board is public)."""
    with app.app_context():
        world = vote_world(members=ballots)
        proposals = world["proposals"]
        for i, member in enumerate(world["members"]):
            voting.cast_ballot(world["round"], member, {proposals[i % len(proposals)].id: 1})
        phases.change_phase(world["round"], Phase.RESULTS, world["staff"])
        db.session.commit()
        return world["round"].id


@pytest.fixture
def board_round(app):
    app.config["BOARD_PAGE_SIZE"] = 2
    return _closed_vote(app, 5)


def _rows(client, path: str) -> list[tuple[int, str, str]]:
    """(position, tracker, choices as shown) of the board's rows on the page at ``path``."""
    response = client.get(path)
    assert response.status_code == 200
    return [(int(n), tracker, choices)
            for n, tracker, choices in ROW_RE.findall(response.get_data(as_text=True))]


def _shown(choices: dict) -> str:
    return ", ".join(pid if points == 1 else f"{pid} ({points})"
                     for pid, points in choices.items())


def test_board_pages_show_every_ballot_once_in_chain_order(client, board_round):
    document = json.loads(client.get(f"/appels/{board_round}/bulletins.json").data)
    expected = [(b["position"], b["tracker"], _shown(b["choices"]))
                for b in document["ballots"]]
    pages = [_rows(client, f"/appels/{board_round}/bulletins?page={n}") for n in (1, 2, 3)]
    assert [len(rows) for rows in pages] == [2, 2, 1]
    assert [row for rows in pages for row in rows] == expected


def test_board_page_counts_the_whole_vote_and_links_its_neighbours(client, board_round):
    html = client.get(f"/appels/{board_round}/bulletins?page=2").get_data(as_text=True)
    assert "Bulletins : 5" in html and "Page 2 sur 3" in html
    assert "Bulletins n° 3 à 4, dans l'ordre de la chaîne" in html
    assert f'href="/appels/{board_round}/bulletins?page=1" rel="prev"' in html
    assert f'href="/appels/{board_round}/bulletins?page=3" rel="next"' in html
    assert f'href="/appels/{board_round}/recu"' in html


@pytest.mark.parametrize(("asked", "shown"), [
    ("99", [5]), ("0", [1, 2]), ("-4", [1, 2]), ("abc", [1, 2]), ("9" * 40, [1, 2]),
])
def test_board_page_out_of_range_or_tampered_shows_a_real_page(client, board_round, asked,
                                                                shown):
    rows = _rows(client, f"/appels/{board_round}/bulletins?page={asked}")
    assert [row[0] for row in rows] == shown


def test_one_page_board_has_no_pagination(app, client):
    round_id = _closed_vote(app, 3)
    html = client.get(f"/appels/{round_id}/bulletins").get_data(as_text=True)
    assert len(ROW_RE.findall(html)) == 3
    assert 'aria-label="Pagination"' not in html and "Bulletins : 3" in html


def test_receipt_lookup_links_to_the_board_page_of_the_ballot(client, board_round):
    third = _rows(client, f"/appels/{board_round}/bulletins?page=2")[0]
    assert third[0] == 3
    html = client.get(f"/appels/{board_round}/recu?code={third[1]}").get_data(as_text=True)
    assert "Bulletin n° 3 trouvé" in html
    assert f'href="/appels/{board_round}/bulletins?page=2"' in html
    assert "Voir ce bulletin sur le tableau public (page 2)" in html


def test_cumulative_board_shows_the_points_of_each_choice(app, client):
    with app.app_context():
        world = vote_world(members=1, ballot_type=BallotType.CUMULATIVE)
        a, b, _c = world["proposals"]
        voting.cast_ballot(world["round"], world["members"][0], {a.id: 3, b.id: 1})
        phases.change_phase(world["round"], Phase.RESULTS, world["staff"])
        db.session.commit()
        round_id, a_id, b_id = world["round"].id, a.id, b.id
    points = {str(a_id): 3, str(b_id): 1}
    [(position, _tracker, choices)] = _rows(client, f"/appels/{round_id}/bulletins")
    # The sealed content's order: ids sorted as text.
    assert (position, choices) == (1, _shown({pid: points[pid] for pid in sorted(points)}))
    assert f"{a_id} (3)" in choices and f"{b_id} (" not in choices


def test_board_page_size_does_not_grow_with_the_vote(app, client):
    app.config["BOARD_PAGE_SIZE"] = 4
    small, large = _closed_vote(app, 5), _closed_vote(app, 15)
    assert len(_rows(client, f"/appels/{small}/bulletins")) == 4
    assert len(_rows(client, f"/appels/{large}/bulletins")) == 4
    assert len(_rows(client, f"/appels/{large}/bulletins?page=4")) == 3
