"""Public pages of a vote: explained results, bulletin board (and its JSON), receipt lookup."""


from flask import abort, current_app, render_template
from flask_babel import gettext as _

from ..auth.forms import query_text, requested_page
from ..extensions import db
from ..models import Round, TallyRule, VoterRoll
from ..pagination import RowPage
from ..rules.phases import ORDER, Phase
from ..services import board, followup, voting
from . import bp
from .explanations import explain, explain_completion


def _load_voted_round(round_id: int) -> tuple[Round, VoterRoll]:
    """A round whose vote has opened, and its roll (read once for the page); earlier rounds
    have nothing to show here (404)."""
    round_ = db.get_or_404(Round, round_id)
    roll = voting.roll_of(round_) if ORDER.index(round_.phase) >= ORDER.index(Phase.VOTE) \
        else None
    if roll is None:
        abort(404)
    return round_, roll


@bp.get("/appels/<int:round_id>/resultats")
def round_results(round_id: int):
    round_, roll = _load_voted_round(round_id)
    result = voting.result_of(round_)
    if result is None or not result.published:
        return render_template("public/vote/results_pending.html", round=round_, roll=roll,
                               closed=roll.closed_at is not None)
    proposals = voting.ballot_proposals(round_)
    scores = result.score_by_id
    selected = set(result.selected_ids)
    rows = sorted(proposals, key=lambda p: (-scores.get(p.id, 0), p.title))
    names = {str(p.id): p.title for p in proposals}
    figures = voting.participation(round_, roll)
    voters = figures["voted"]  # one ballot per sign-in
    method = (explain_completion(result.completion_info, voters,
                                 round_.envelope_cents // voters if voters else 0)
              if result.rule is TallyRule.EQUAL_SHARES else [])
    return render_template(
        "public/vote/results.html", round=round_, roll=roll, result=result, rows=rows,
        scores=scores, selected=selected, top=max(scores.values(), default=0) or 1,
        steps=[explain(step, names) for step in result.steps], method=method,
        participation=figures,
        remaining=round_.envelope_cents - result.spent_cents,
        followed=round_.phase in followup.FOLLOWED_PHASES,
    )


@bp.get("/appels/<int:round_id>/bulletins")
def board_show(round_id: int):
    round_, roll = _load_voted_round(round_id)
    if roll.closed_at is None:
        return render_template("public/vote/board_pending.html", round=round_, roll=roll)
    # One page of ballots: a city-wide vote's board is too long for one page on a phone, and
    # the whole document is the JSON download below.
    per_page = current_app.config["BOARD_PAGE_SIZE"]
    total = voting.ballot_count(round_)
    page = RowPage(min(requested_page(), board.page_of(total, per_page)), per_page, total)
    return render_template("public/vote/board.html", round=round_,
                           board=board.board_summary(round_, roll), total=total, page=page,
                           ballots=board.board_page(round_, page.page, per_page))


@bp.get("/appels/<int:round_id>/bulletins.json")
def board_download(round_id: int):
    round_, roll = _load_voted_round(round_id)
    if roll.closed_at is None:
        abort(404)
    body = board.board_json(board.build_board(round_, roll))
    return body, 200, {
        "Content-Type": "application/json; charset=utf-8",
        "Content-Disposition": f'attachment; filename="tableau-bulletins-appel-{round_.id}.json"',
    }


@bp.get("/appels/<int:round_id>/recu")
def receipt_lookup(round_id: int):
    """Anyone may look a receipt up once the vote is closed (a GET: nothing changes)."""
    round_, roll = _load_voted_round(round_id)
    code = query_text("code", 80).lower()
    ballot = message = None
    if code and roll.closed_at is None:
        message = _("Les reçus se vérifient après la clôture du vote.")
    elif code:
        ballot = board.find_receipt(round_, code)
        if ballot is None:
            message = _("Aucun bulletin ne porte ce reçu dans cet appel. Vérifiez le code saisi.")
    titles = {p.id: p.title for p in voting.ballot_proposals(round_)}
    board_page = (board.page_of(ballot.position, current_app.config["BOARD_PAGE_SIZE"])
                  if ballot is not None else None)
    return render_template("public/vote/receipt_lookup.html", round=round_, code=code,
                           ballot=ballot, message=message, titles=titles, board_page=board_page)
