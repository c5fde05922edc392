"""Views of the evaluation blueprint: the list of funded actions and the evaluation form."""

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy.exc import IntegrityError

from ..errors import DomainError
from ..extensions import db
from ..forms_followup import EvaluationFields
from ..models import Proposal, Round
from ..rules.phases import Phase
from ..services import evaluation, followup
from . import bp

#: Rounds whose evaluation pages exist; other phases are 404.
VISIBLE_PHASES = (Phase.EVALUATION, Phase.CLOSED)


@bp.before_request
@login_required
def require_login():
    """Every page of the blueprint needs an account."""


def _round(round_id: int) -> Round:
    round_ = db.get_or_404(Round, round_id)
    if round_.phase not in VISIBLE_PHASES:
        abort(404)
    return round_


def _refused(round_: Round, reason):
    return render_template("evaluation/refused.html", round=round_,
                           message=evaluation.REFUSAL_MESSAGES[reason]), 403


@bp.get("/<int:round_id>")
def evaluation_list(round_id: int):
    round_ = _round(round_id)
    reason = evaluation.refusal(current_user, round_)
    if reason is not None:
        return _refused(round_, reason)
    return render_template("evaluation/list.html", round=round_,
                           proposals=evaluation.funded(round_),
                           done=evaluation.evaluated_ids(current_user, round_))


@bp.route("/<int:round_id>/actions/<int:proposal_id>", methods=["GET", "POST"])
def evaluation_new(round_id: int, proposal_id: int):
    round_ = _round(round_id)
    proposal = db.get_or_404(Proposal, proposal_id)
    if proposal.round_id != round_.id or proposal.funded_at is None:
        abort(404)
    reason = evaluation.refusal(current_user, round_)
    if reason is not None:
        return _refused(round_, reason)
    if proposal.id in evaluation.evaluated_ids(current_user, round_):
        flash(_("Vous avez déjà évalué cette action : une seule évaluation par action."), "info")
        return redirect(url_for("evaluation.evaluation_list", round_id=round_.id))
    form = EvaluationFields()
    if form.validate_on_submit():
        try:
            evaluation.submit_evaluation(proposal, current_user,
                                         evaluation.Answers(**form.answers_data()))
        except DomainError as error:
            db.session.rollback()
            flash(str(error.message), "error")
        except IntegrityError:
            db.session.rollback()
            flash(_("Vous avez déjà évalué cette action : une seule évaluation par action."),
                  "info")
            return redirect(url_for("evaluation.evaluation_list", round_id=round_.id))
        else:
            db.session.commit()
            flash(_("Merci : votre évaluation est enregistrée."), "success")
            return redirect(url_for("evaluation.evaluation_list", round_id=round_.id))
    return render_template("evaluation/form.html", round=round_, proposal=proposal, form=form,
                           reports=followup.reports_of(proposal))
