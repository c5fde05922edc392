"""Staff views on needs: assisted entry, moderation (hide, merge, reword), retaining."""

import sqlalchemy as sa
from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ..auth.forms import safe_int
from ..extensions import db
from ..formflow import commit_or_show
from ..models import Need, NeedStatus, Round
from ..pagination import RowPage, page_and_size
from ..residents.forms import NeedForm, need_fields
from ..services import needs
from . import bp
from .forms_needs import AssistedNeedForm, HideForm, MergeForm, RetainForm

STATUS_FILTERS = [s.value for s in NeedStatus]


@bp.get("/appels/<int:round_id>/solutions")
def need_moderation(round_id: int):
    round_ = db.get_or_404(Round, round_id)
    status = request.args.get("statut")
    statuses = [NeedStatus(status)] if status in STATUS_FILTERS else list(NeedStatus)
    page, per_page = page_and_size()
    rows, total, more = needs.page_rows(round_, "recent", page, per_page, statuses=statuses)
    status = status if status in STATUS_FILTERS else None
    return render_template("staff/need_moderation.html", round=round_, rows=rows,
                           status=status, page=RowPage(page, per_page, total, more),
                           params={"statut": status} if status else {},
                           labels={f.id: f.label for f in round_.fields})


@bp.route("/appels/<int:round_id>/solutions/saisie", methods=["GET", "POST"])
def need_assisted_new(round_id: int):
    round_ = db.get_or_404(Round, round_id)
    form = AssistedNeedForm()
    form.set_fields(round_)
    if form.validate_on_submit() and (need := commit_or_show(form, lambda: needs.post_need(
            round_, needs.resident_or_error(form.resident.data), assisted_by=current_user,
            **need_fields(form)))):
        flash(_("Solution attendue enregistrée pour le compte de l'habitant·e."), "success")
        return redirect(url_for("staff.need_manage", need_id=need.id))
    return render_template("staff/need_assisted.html", form=form, round=round_)


def _forms(need: Need) -> dict:
    edit = NeedForm(obj=need, prefix="edit")
    edit.set_fields(need.round)
    merge = MergeForm(prefix="merge")
    merge.kept_id.choices = [("", _("— Choisissez —"))] + [
        (str(other.id), f"n° {other.id} – {other.title}")
        for other in db.session.scalars(sa.select(Need).where(
            Need.round_id == need.round_id, Need.id != need.id,
            Need.status.in_([NeedStatus.PUBLISHED, NeedStatus.RETAINED])).order_by(Need.id))]
    return {"edit": edit, "hide": HideForm(prefix="hide"), "merge": merge,
            "retain": RetainForm(prefix="retain")}


def _render(need: Need, forms: dict, status: int = 200):
    return render_template("staff/need_manage.html", need=need, forms=forms,
                           supports=need.support_count), status


@bp.get("/solutions/<int:need_id>")
def need_manage(need_id: int):
    need = db.get_or_404(Need, need_id)
    return _render(need, _forms(need))


def _moderate(need_id: int, name: str, act, done: str):
    """Validate the form ``name`` of the manage page, run ``act``, commit or re-render."""
    need = db.get_or_404(Need, need_id)
    forms = _forms(need)
    form = forms[name]
    if form.validate_on_submit() and commit_or_show(form, lambda: act(need, form)):
        flash(done, "success")
        return redirect(url_for("staff.need_moderation", round_id=need.round_id))
    return _render(need, forms, 422)


@bp.post("/solutions/<int:need_id>/modifier")
def need_moderate_edit(need_id: int):
    def act(need, form):
        return needs.edit_need(need, current_user, **need_fields(form))

    return _moderate(need_id, "edit", act, _("Solution attendue modifiée ; l'auteur est prévenu."))


@bp.post("/solutions/<int:need_id>/masquer")
def need_hide(need_id: int):
    def act(need, form):
        return needs.hide(need, current_user, form.reason.data.strip())

    return _moderate(need_id, "hide", act, _("Solution attendue masquée ; l'auteur voit le motif."))


@bp.post("/solutions/<int:need_id>/fusionner")
def need_merge(need_id: int):
    def act(need, form):
        return needs.merge(need, safe_int(form.kept_id.data), current_user)

    return _moderate(need_id, "merge", act, _("Doublon fusionné ; les soutiens sont reportés."))


@bp.post("/solutions/<int:need_id>/retenir")
def need_retain(need_id: int):
    def act(need, form):
        return needs.retain(need, current_user, (form.call_title.data or "").strip(),
                     (form.call_description.data or "").strip())

    return _moderate(need_id, "retain", act, _("Solution attendue retenue pour l'appel."))
