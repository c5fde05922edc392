"""Views of the residents blueprint: a need, its edition, supports, the resident's own needs."""

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy.exc import IntegrityError

from ..auth.forms import EmptyForm
from ..auth.routes import safe_next
from ..errors import DomainError
from ..extensions import db
from ..formflow import commit_or_show
from ..models import Need, Round
from ..services import needs
from . import bp
from .forms import NeedForm, need_fields


@bp.route("/appels/<int:round_id>/solutions/nouvelle", methods=["GET", "POST"])
def need_new(round_id: int):
    round_ = db.get_or_404(Round, round_id)
    if not needs.in_territory(current_user, round_):
        abort(403)
    form = NeedForm()
    form.set_fields(round_)
    if round_.phase.value != "needs":
        return render_template("residents/need_closed.html", round=round_), 409
    if form.validate_on_submit() and (need := commit_or_show(form, lambda: needs.post_need(
            round_, current_user, **need_fields(form)))):
        flash(_("Votre solution attendue est publiée. Merci !"), "success")
        return redirect(url_for("public.need_detail", need_id=need.id))
    return render_template("residents/need_form.html", form=form, round=round_, need=None)


@bp.route("/solutions/<int:need_id>/modifier", methods=["GET", "POST"])
def need_edit(need_id: int):
    need = db.get_or_404(Need, need_id)
    if need.author_id != current_user.id:
        abort(403)
    if not needs.can_edit(current_user, need):
        flash(_("Cette solution attendue ne peut plus être modifiée."), "warning")
        return redirect(url_for("residents.need_mine"))
    form = NeedForm(obj=need)
    form.set_fields(need.round)
    if form.validate_on_submit() and commit_or_show(form, lambda: needs.edit_need(
            need, current_user, **need_fields(form))):
        flash(_("Votre solution attendue est modifiée."), "success")
        return redirect(url_for("public.need_detail", need_id=need.id))
    return render_template("residents/need_form.html", form=form, round=need.round, need=need)


def _support_action(need_id: int, action, done: str):
    # Read once, under the lock the support takes anyway (released by the rollback of a
    # refused request).
    need = needs.locked_for_count(need_id)
    if need is None:
        abort(404)
    if not needs.in_territory(current_user, need.round):
        abort(403)
    if not EmptyForm().validate_on_submit():
        abort(400)
    back = request.form.get("next")
    target = safe_next(back) if back else url_for("public.need_detail", need_id=need.id)
    try:
        action(need, current_user, locked=True)
        db.session.commit()
    except DomainError as error:
        db.session.rollback()
        flash(error.message, "error")
    except IntegrityError:
        # Two clicks at once: the database's unique constraint refused the second support.
        db.session.rollback()
        flash(_("Vous soutenez déjà cette solution attendue."), "error")
    else:
        flash(done, "success")
    return redirect(target)


@bp.post("/solutions/<int:need_id>/soutien")
def support_add(need_id: int):
    return _support_action(need_id, needs.support, _("Votre soutien est enregistré."))


@bp.post("/solutions/<int:need_id>/soutien/retrait")
def support_remove(need_id: int):
    return _support_action(need_id, needs.withdraw, _("Votre soutien est retiré."))


@bp.get("/mes-solutions")
def need_mine():
    return render_template("residents/need_mine.html", rows=needs.needs_of(current_user))
