"""Views of the public blueprint."""

from flask import render_template

from . import bp


@bp.get("/")
def home():
    return render_template("public/home.html")


@bp.get("/accessibilite")
def accessibility():
    return render_template("public/accessibility.html")


@bp.get("/donnees-personnelles")
def privacy():
    return render_template("public/privacy.html")
