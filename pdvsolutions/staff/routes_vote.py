"""Staff pages of a round's vote: open, paper ballots, close, count, publish."""

from flask import abort, flash, make_response, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy.exc import IntegrityError

from ..auth.forms import EmptyForm
from ..committee.forms import parse_choices
from ..errors import DomainError
from ..extensions import db
from ..models import BallotType, Round, User
from ..rules.phases import Phase
from ..services import phases, voting
from . import bp
from .forms_voting import PaperBallotForm


@bp.get("/appels/<int:round_id>/vote")
def vote_show(round_id: int):
    round_ = db.get_or_404(Round, round_id)
    return render_template(
        "staff/voting/vote.html", round=round_, roll=voting.roll_of(round_),
        ballots=voting.ballot_count(round_), participation=voting.participation(round_),
        result=voting.result_of(round_), form=EmptyForm(), Phase=Phase)


def _vote_action(round_id: int, action, success: str):
    """POST button: run ``action(round)``, commit, or show the refusal; back to the vote page."""
    round_ = db.get_or_404(Round, round_id)
    if not EmptyForm().validate_on_submit():
        abort(400)
    try:
        action(round_)
    except DomainError as error:
        db.session.rollback()
        flash(error.message, "error")
    else:
        db.session.commit()
        flash(success, "success")
    return redirect(url_for("staff.vote_show", round_id=round_id))


@bp.post("/appels/<int:round_id>/vote/ouverture")
def vote_open(round_id: int):
    return _vote_action(round_id, lambda r: phases.change_phase(r, Phase.VOTE, current_user),
                        _("Le vote est ouvert et la liste des votants arrêtée."))


@bp.post("/appels/<int:round_id>/vote/cloture")
def vote_close(round_id: int):
    return _vote_action(round_id, lambda r: phases.change_phase(r, Phase.RESULTS, current_user),
                        _("Le vote est clos ; le tableau des bulletins est public."))


@bp.post("/appels/<int:round_id>/vote/depouillement")
def result_compute(round_id: int):
    return _vote_action(round_id, lambda r: voting.tally_round(r, current_user),
                        _("Dépouillement effectué : relisez le résultat avant de le publier."))


@bp.post("/appels/<int:round_id>/vote/publication")
def result_publish(round_id: int):
    return _vote_action(round_id, lambda r: voting.publish_results(r, current_user),
                        _("Résultats publiés."))


def _paper_form(round_: Round) -> PaperBallotForm:
    form = PaperBallotForm()
    form.member.choices = [(u.id, f"{u.first_name} {u.last_name}".strip())
                           for u in voting.members_yet_to_vote(round_)]
    return form


@bp.route("/appels/<int:round_id>/vote/papier", methods=["GET", "POST"])
def paper_ballot_new(round_id: int):
    """Assisted entry of a paper ballot handed in by a member (audited, one per member)."""
    round_ = db.get_or_404(Round, round_id)
    form = _paper_form(round_)
    cumulative = round_.ballot_type is BallotType.CUMULATIVE
    choices: dict[int, int] = {}
    error = None
    if form.validate_on_submit():
        member = db.get_or_404(User, form.member.data)
        try:
            choices = parse_choices(request.form, cumulative)
            ballot = voting.cast_ballot(round_, member, choices, recorded_by=current_user)
            db.session.commit()
        except IntegrityError:
            db.session.rollback()
            error = _("Ce membre a déjà voté : un bulletin est définitif.")
        except DomainError as refusal:
            db.session.rollback()
            error = refusal.message
        else:
            response = make_response(render_template(
                "staff/voting/paper_receipt.html", round=round_, tracker=ballot.tracker))
            response.headers["Cache-Control"] = "no-store"
            return response
    return render_template(
        "staff/voting/paper_ballot.html", round=round_, form=form, choices=choices,
        error=error, proposals=voting.ballot_proposals(round_), cumulative=cumulative,
        open=voting.vote_refusal_for_round(round_) is None,
    ), (422 if error or form.errors else 200)
