"""Views of the accounts blueprint."""

import hashlib
from urllib.parse import urlsplit

from flask import current_app, flash, g, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user, logout_user

from ..errors import DomainError
from ..extensions import db, limiter
from ..services import accounts, audit, second_factor
from ..services.territories import qpv_choices
from ..timeutil import utcnow
from . import bp
from .forms import (
    ActivationForm,
    EmptyForm,
    ForgotForm,
    LanguageForm,
    LoginForm,
    PasswordChangeForm,
    ResetForm,
    SignupForm,
)


def safe_next(target: str | None, default: str = "public.home") -> str:
    """Return ``target`` when it is a path on this site, else the default page (no open redirect)."""
    if target:
        parts = urlsplit(target)
        if (
            not parts.scheme
            and not parts.netloc
            and target.startswith("/")
            and not target.startswith(("//", "/\\"))
            and "\\" not in target
            and all(ord(ch) >= 32 for ch in target)
        ):
            return target
    return url_for(default)


def _failures_limit() -> str:
    return f"{current_app.config['LOGIN_FAILURES_PER_MINUTE']}/minute"


def _account_key() -> str:
    """Limit key of the account tried; hashed, since Flask-Limiter logs keys it refuses."""
    login = accounts.normalise_login(request.form.get("identifier", ""))[:254]
    return "account:" + hashlib.sha256(login.encode()).hexdigest()[:32]


def _failed(response) -> bool:
    return bool(g.get("auth_failed"))


def limit_failures(view=None, *, account_key=_account_key):
    """Rate-limit failed attempts per address and per account (Flask-Limiter, shared storage)."""
    if view is None:
        return lambda decorated: limit_failures(decorated, account_key=account_key)
    view = limiter.limit(_failures_limit, methods=["POST"], deduct_when=_failed)(view)
    return limiter.limit(
        _failures_limit, key_func=account_key, methods=["POST"], deduct_when=_failed
    )(view)


def _fresh_session() -> None:
    """Clear the session but keep the chosen language."""
    locale = session.get("locale")
    session.clear()
    if locale:
        session["locale"] = locale


def begin_second_step(user, next_url: str | None) -> None:
    """Remember, in a fresh session, who gave the right password (for a few minutes)."""
    _fresh_session()
    session["mfa_pending"] = {"user": user.get_id(), "at": utcnow().timestamp(),
                              "next": next_url or "", "tries": 0}


def _start_session(user) -> None:
    """A fresh session at login: nothing from the anonymous session survives but the locale."""
    _fresh_session()
    login_user(user)
    session.permanent = True
    session["login_at"] = session["seen_at"] = utcnow().timestamp()
    user.last_login_at = utcnow()


@bp.route("/connexion", methods=["GET", "POST"])
@limit_failures
def login():
    if current_user.is_authenticated:
        return redirect(url_for("public.home"))
    form = LoginForm(next=request.args.get("next", ""))
    if form.validate_on_submit():
        user = accounts.authenticate(form.identifier.data, form.password.data)
        if user is None:
            g.auth_failed = True
            known = accounts.find_by_login(form.identifier.data)
            audit.record("auth.login", outcome="failure", object_type="User",
                         object_id=known.id if known else None)
            db.session.commit()
            form.password.errors.append(_("Identifiant ou mot de passe incorrect."))
        elif second_factor.required_for(user):
            # Staff and admin: the session stays anonymous until the second step.
            begin_second_step(user, form.next.data)
            return redirect(url_for("auth.login_code"))
        else:
            _start_session(user)
            audit.record("auth.login", user, actor=user)
            db.session.commit()
            flash(_("Vous êtes connecté·e."), "success")
            return redirect(safe_next(form.next.data))
    return render_template("auth/login.html", form=form)


@bp.post("/deconnexion")
@login_required
def logout():
    form = EmptyForm()
    if form.validate_on_submit():
        user = current_user._get_current_object()
        accounts.end_sessions(user)
        audit.record("auth.logout", user)
        db.session.commit()
        logout_user()
        _fresh_session()
        flash(_("Vous êtes déconnecté·e."), "info")
    return redirect(url_for("public.home"))


@bp.route("/inscription", methods=["GET", "POST"])
def signup():
    if current_user.is_authenticated:
        return redirect(url_for("public.home"))
    form = SignupForm()
    form.qpv_code.choices = [("", _("— Choisissez —"))] + qpv_choices()
    if form.validate_on_submit():
        try:
            user = accounts.sign_up_resident(
                form.email.data, form.password.data, form.first_name.data, form.last_name.data,
                form.qpv_code.data, form.name_public.data,
            )
        except DomainError as error:
            db.session.rollback()
            getattr(form, error.field or "email").errors.append(error.message)
        else:
            _start_session(user)
            db.session.commit()
            flash(_("Bienvenue ! Votre compte est créé."), "success")
            return redirect(url_for("public.home"))
    return render_template("auth/signup.html", form=form)


@bp.route("/activation", methods=["GET", "POST"])
@limit_failures
def activate():
    form = ActivationForm()
    if form.validate_on_submit():
        try:
            user = accounts.redeem_invitation(
                form.identifier.data, form.code.data, form.password.data
            )
        except DomainError as error:
            if error.field == "code":
                g.auth_failed = True
                audit.record("auth.invitation_redeemed", outcome="failure")
                db.session.commit()  # keeps the failed try counted against the code
            else:
                db.session.rollback()
            getattr(form, error.field or "code").errors.append(error.message)
        else:
            _start_session(user)
            db.session.commit()
            flash(_("Votre compte est activé. Bienvenue !"), "success")
            return redirect(url_for("public.home"))
    return render_template("auth/activate.html", form=form)


@bp.route("/mot-de-passe-oublie", methods=["GET", "POST"])
@limiter.limit("5/minute", methods=["POST"])
def password_forgot():
    form = ForgotForm()
    if form.validate_on_submit():
        accounts.request_password_reset(form.identifier.data)
        db.session.commit()
        flash(
            _("Si un compte correspond à cette adresse, un lien vient d'y être envoyé."), "info"
        )
        return redirect(url_for("auth.login"))
    return render_template("auth/password_forgot.html", form=form)


@bp.route("/mot-de-passe/nouveau/<token>", methods=["GET", "POST"])
def password_reset(token: str):
    if accounts.find_reset_token(token[:100]) is None:
        return render_template("auth/password_reset_invalid.html"), 404
    form = ResetForm()
    if form.validate_on_submit():
        try:
            accounts.reset_password(token, form.password.data)
        except DomainError as error:
            db.session.rollback()
            form.password.errors.append(error.message)
        else:
            db.session.commit()
            logout_user()
            flash(_("Votre mot de passe est changé. Connectez-vous."), "success")
            return redirect(url_for("auth.login"))
    return render_template("auth/password_reset.html", form=form)


@bp.route("/compte", methods=["GET", "POST"])
@login_required
def account():
    form = PasswordChangeForm()
    if form.validate_on_submit():
        user = current_user._get_current_object()
        try:
            accounts.change_password(user, form.current_password.data, form.password.data)
        except DomainError as error:
            db.session.rollback()
            getattr(form, error.field or "password").errors.append(error.message)
        else:
            # This session continues with the new token; every other session ends.
            login_user(user)
            db.session.commit()
            flash(_("Votre mot de passe est changé. Vos autres sessions sont fermées."), "success")
            return redirect(url_for("auth.account"))
    return render_template("auth/account.html", form=form)


@bp.post("/langue")
def language_set():
    form = LanguageForm()
    if form.validate_on_submit():
        session["locale"] = form.language.data
        if current_user.is_authenticated:
            current_user.locale = form.language.data
            db.session.commit()
    return redirect(safe_next(form.next.data))
