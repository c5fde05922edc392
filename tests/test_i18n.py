"""Every French string has an English translation, and every catalog compiles."""

import io

from babel.messages.mofile import read_mo, write_mo
from babel.messages.pofile import read_po

from scripts import i18n


def test_i18n_every_french_string_has_an_english_translation():
    assert i18n.missing() == []


def test_i18n_catalogs_compile_without_fuzzy_or_errors():
    paths = sorted(i18n.I18N.glob("*/en/LC_MESSAGES/messages.po"))
    assert paths, "no English catalog found"
    for path in paths:
        with path.open("rb") as handle:
            catalog = read_po(handle, locale="en")
        fuzzy = [m.id for m in catalog if m.id and m.fuzzy]
        assert not fuzzy, f"{path}: fuzzy entries {fuzzy[:5]}"
        errors = [(m.id, err) for m, err in catalog.check()]
        assert not errors, f"{path}: {errors[:5]}"
        buffer = io.BytesIO()
        write_mo(buffer, catalog, use_fuzzy=False)
        buffer.seek(0)
        compiled = read_mo(buffer)
        assert len([m for m in compiled if m.id]) == len([m for m in catalog if m.id])


def test_i18n_english_page_is_translated(client):
    html = client.get("/connexion", headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert "<h1>Log in</h1>" in html or ">Log in</h1>" in html
    assert 'lang="en"' in html


def test_i18n_french_plural_rule_says_zero_in_the_singular(app):
    """French is the source language, but its plural rule is not English's: 0 soutien, 2 soutiens."""
    from flask_babel import force_locale, ngettext

    with app.test_request_context(), force_locale("fr"):
        said = [ngettext("%(num)d soutien", "%(num)d soutiens", n) for n in (0, 1, 2)]
    assert said == ["0 soutien", "1 soutien", "2 soutiens"]
    with app.test_request_context(), force_locale("en"):
        assert ngettext("%(num)d soutien", "%(num)d soutiens", 0) == "0 supports"
