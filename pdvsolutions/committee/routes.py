"""Views of the committee blueprint: my rounds, ballot, review, confirmation with a receipt."""

import sqlalchemy as sa
from flask import abort, flash, make_response, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy.exc import IntegrityError

from ..auth.forms import EmptyForm
from ..errors import DomainError
from ..extensions import db
from ..models import BallotType, CommitteeMember, Round, VoterRoll, VoterRollEntry
from ..services import committee, followup, voting
from . import bp
from .forms import parse_choices


def _my_rounds() -> list[Round]:
    on_roll = sa.select(VoterRoll.round_id).join(VoterRollEntry).where(
        VoterRollEntry.user_id == current_user.id)
    in_committee = sa.select(CommitteeMember.round_id).where(
        CommitteeMember.user_id == current_user.id)
    return list(db.session.scalars(
        sa.select(Round).where(sa.or_(Round.id.in_(on_roll), Round.id.in_(in_committee)))
        .order_by(Round.id.desc())))


def _require_roll_or_committee(round_: Round, on_roll: bool) -> None:
    """403 unless the person is on the roll or sits on the committee."""
    if not on_roll and not committee.is_member(round_, current_user):
        abort(403)


def _load_round(round_id: int) -> Round:
    """Load → 404 if missing → 403 unless the person is on the roll or the committee."""
    round_ = db.get_or_404(Round, round_id)
    _require_roll_or_committee(round_, voting.roll_entry(round_, current_user) is not None)
    return round_


def _refuse_if_cannot_vote(round_: Round):
    refusal = voting.vote_refusal(round_, current_user)
    if refusal:
        flash(refusal, "warning")
        return redirect(url_for("committee.round_list"))
    return None


def _ballot_page(round_: Round, choices: dict[int, int], error: str | None = None, status=200):
    proposals = voting.ballot_proposals(round_)
    conflicted = voting.conflicted_organization_ids(round_, current_user)
    return render_template(
        "committee/ballot.html", round=round_, proposals=proposals, choices=choices,
        conflicted=conflicted, error=error, form=EmptyForm(),
        cumulative=round_.ballot_type is BallotType.CUMULATIVE,
        knapsack=round_.ballot_type is BallotType.KNAPSACK,
    ), status


def _posted_ballot(round_: Round) -> tuple[EmptyForm, bool]:
    """Check the CSRF token of a posted ballot (400 otherwise); say whether it has points."""
    form = EmptyForm()
    if not form.validate_on_submit():
        abort(400)
    return form, round_.ballot_type is BallotType.CUMULATIVE


@bp.get("/")
def round_list():
    rounds = _my_rounds()
    return render_template("committee/round_list.html", rounds=rounds,
                           refusals=voting.vote_refusals(rounds, current_user),
                           followed={r.id for r in rounds
                                     if followup.can_read_all_reports(current_user, r)})


@bp.get("/appels/<int:round_id>/bilans")
def report_list(round_id: int):
    """Every report the operators sent on the round's funded actions, acknowledged or not:
    the committee follows what it chose before staff validate it for the public."""
    round_ = db.get_or_404(Round, round_id)
    if round_.phase not in followup.FOLLOWED_PHASES:
        abort(404)
    if not followup.can_read_all_reports(current_user, round_):
        abort(403)
    return render_template("committee/report_list.html", round=round_,
                           actions=followup.followed_actions(round_, acknowledged_only=False))


@bp.get("/appels/<int:round_id>/bulletin")
def ballot_new(round_id: int):
    round_ = _load_round(round_id)
    refused = _refuse_if_cannot_vote(round_)
    if refused:
        return refused
    # "Modifier" on the review page comes back here with the choices in the query string.
    try:
        choices = parse_choices(request.args, round_.ballot_type is BallotType.CUMULATIVE)
    except DomainError:
        choices = {}
    return _ballot_page(round_, choices)


@bp.post("/appels/<int:round_id>/bulletin/relecture")
def ballot_review(round_id: int):
    """Check the choices and show them back; nothing is written."""
    round_ = _load_round(round_id)
    refused = _refuse_if_cannot_vote(round_)
    if refused:
        return refused
    form, cumulative = _posted_ballot(round_)
    choices: dict[int, int] = {}
    try:
        choices = parse_choices(request.form, cumulative)
        voting.check_choices(round_, current_user, choices)
    except DomainError as error:
        return _ballot_page(round_, choices, error=error.message, status=422)
    chosen = [p for p in voting.ballot_proposals(round_) if p.id in choices]
    return render_template("committee/ballot_review.html", round=round_, chosen=chosen,
                           choices=choices, cumulative=cumulative, form=form,
                           total=sum(p.requested_cents for p in chosen))


@bp.post("/appels/<int:round_id>/bulletin")
def ballot_cast(round_id: int):
    """The whole ballot in one POST, written in one transaction with the sign-in."""
    # Both locks of a ballot are taken here, first thing, and serve the access check too.
    round_ = voting.lock_round(round_id)
    if round_ is None:
        abort(404)
    standing = voting.lock_roll(round_, current_user)
    _require_roll_or_committee(round_, standing.on_roll)
    _form, cumulative = _posted_ballot(round_)
    choices: dict[int, int] = {}
    try:
        choices = parse_choices(request.form, cumulative)
        ballot = voting.cast_ballot(round_, current_user, choices, standing=standing,
                                    email_receipt=True)
        # The receipt is shown once, in this answer: it is stored nowhere tied to the person.
        # It is rendered before the commit (the objects are still loaded: no query again) and
        # sent only once the commit succeeded.
        receipt = render_template("committee/receipt.html", round=round_,
                                  tracker=ballot.tracker, emailed=bool(current_user.email))
        db.session.commit()
    except IntegrityError:
        # Another request of the same member signed in first (two tabs, two workers).
        db.session.rollback()
        flash(_("Vous avez déjà voté dans cet appel : un bulletin est définitif."), "warning")
        return redirect(url_for("committee.round_list"))
    except voting.NotAllowed as error:
        db.session.rollback()
        flash(error.message, "warning")
        return redirect(url_for("committee.round_list"))
    except DomainError as error:
        db.session.rollback()
        return _ballot_page(round_, choices, error=error.message, status=422)
    response = make_response(receipt)
    response.headers["Cache-Control"] = "no-store"
    return response
