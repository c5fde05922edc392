"""Views of the admin blueprint."""

from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from wtforms import BooleanField, SelectField
from wtforms.validators import InputRequired

from ..auth.forms import AppForm
from ..extensions import db
from ..models import Role, User
from ..services import accounts, audit
from ..staff.forms import ROLE_LABELS
from . import bp


class UserAdminForm(AppForm):
    role = SelectField(
        _l("Rôle"),
        choices=[(r.value, ROLE_LABELS[r]) for r in Role],
        validators=[InputRequired()],
    )
    is_enabled = BooleanField(_l("Compte actif"))


@bp.route("/comptes/<int:user_id>", methods=["GET", "POST"])
def user_edit(user_id: int):
    user = db.get_or_404(User, user_id)
    form = UserAdminForm(obj=user)
    if form.validate_on_submit():
        if user.id == current_user.id and (
            form.role.data != Role.ADMIN.value or not form.is_enabled.data
        ):
            form.role.errors.append(_("Vous ne pouvez pas retirer vos propres droits."))
        else:
            before = {"role": user.role.value, "enabled": user.is_enabled}
            user.role = Role(form.role.data)
            user.is_enabled = form.is_enabled.data
            if not user.is_enabled or before["role"] != user.role.value:
                accounts.end_sessions(user)
            audit.record("account.admin_update", user, details={
                "before": before, "after": {"role": user.role.value, "enabled": user.is_enabled}})
            db.session.commit()
            flash(_("Compte mis à jour."), "success")
            return redirect(url_for("staff.account_list"))
    return render_template("admin/user_edit.html", form=form, user=user)
