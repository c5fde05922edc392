"""Staff pages of a round's committee: members by college, invitations, open vote, conflicts."""

import sqlalchemy as sa
from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ..auth.forms import EmptyForm
from ..errors import DomainError
from ..extensions import db
from ..models import CommitteeMember, Round
from ..services import accounts, committee
from ..services.territories import qpv_choices
from . import bp
from .forms_voting import DEFAULT_COLLEGES, MemberAddForm, MemberNewForm
from .routes import _no_store


@bp.get("/votes")
def vote_round_list():
    rounds = db.session.scalars(sa.select(Round).order_by(Round.id.desc())).all()
    return render_template("staff/voting/round_list.html", rounds=rounds)


def _committee_page(round_: Round, add_form=None, new_form=None, status=200):
    add_form = add_form or MemberAddForm(prefix="add")
    new_form = new_form or _new_form(round_)
    rows = committee.members(round_)
    colleges = sorted({str(c) for c in DEFAULT_COLLEGES} | {m.college for m in rows})
    return render_template(
        "staff/voting/committee.html", round=round_, members=rows, add_form=add_form,
        new_form=new_form, colleges=colleges, conflicts=committee.conflicts(round_),
        empty_form=EmptyForm(),
    ), status


def _new_form(round_: Round) -> MemberNewForm:
    form = MemberNewForm(prefix="new")
    form.qpv_code.choices = [(q.code, q.label) for q in round_.territory.qpvs] or qpv_choices()
    return form


@bp.get("/appels/<int:round_id>/comite")
def committee_show(round_id: int):
    return _committee_page(db.get_or_404(Round, round_id))


@bp.post("/appels/<int:round_id>/comite/membres")
def committee_member_add(round_id: int):
    round_ = db.get_or_404(Round, round_id)
    form = MemberAddForm(prefix="add")
    if form.validate_on_submit():
        user = accounts.find_by_login(form.login.data)
        try:
            if user is None:
                raise DomainError(_("Aucun compte ne porte cet identifiant."), field="login")
            committee.add_member(round_, user, form.college.data, current_user)
        except DomainError as error:
            db.session.rollback()
            getattr(form, error.field or "login").errors.append(error.message)
        else:
            db.session.commit()
            flash(_("Membre ajouté au comité."), "success")
            return redirect(url_for("staff.committee_show", round_id=round_.id))
    return _committee_page(round_, add_form=form, status=422)


@bp.post("/appels/<int:round_id>/comite/nouveau")
def committee_member_new(round_id: int):
    round_ = db.get_or_404(Round, round_id)
    form = _new_form(round_)
    if form.validate_on_submit():
        try:
            user, code = committee.create_member(
                round_, current_user, form.college.data, first_name=form.first_name.data,
                last_name=form.last_name.data or "", email=form.email.data,
                username=form.username.data, qpv_code=form.qpv_code.data or None)
        except DomainError as error:
            db.session.rollback()
            getattr(form, error.field or "username").errors.append(error.message)
        else:
            db.session.commit()
            return _no_store(render_template("staff/invitation.html", user=user, code=code))
    return _committee_page(round_, new_form=form, status=422)


def _committee_action(round_: Round, action, success: str):
    """POST button: run ``action()``, commit, or flash the refusal; back to the committee."""
    if not EmptyForm().validate_on_submit():
        abort(400)
    try:
        action()
    except DomainError as error:
        db.session.rollback()
        flash(error.message, "error")
    else:
        db.session.commit()
        flash(success, "success")
    return redirect(url_for("staff.committee_show", round_id=round_.id))


@bp.post("/appels/<int:round_id>/comite/membres/<int:member_id>/retrait")
def committee_member_remove(round_id: int, member_id: int):
    round_ = db.get_or_404(Round, round_id)
    member = db.get_or_404(CommitteeMember, member_id)
    if member.round_id != round_.id:
        abort(404)
    return _committee_action(round_, lambda: committee.remove_member(round_, member, current_user),
                             _("Membre retiré du comité."))


@bp.post("/appels/<int:round_id>/comite/vote-ouvert")
def committee_open_vote_set(round_id: int):
    round_ = db.get_or_404(Round, round_id)
    return _committee_action(
        round_, lambda: committee.set_open_vote(round_, not round_.open_vote, current_user),
        _("Réglage du vote enregistré."))
