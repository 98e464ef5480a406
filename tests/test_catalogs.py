"""The desk's gettext catalogs (issue 13, part 1): every entry of the template translated in
every language, none fuzzy, the same placeholders as the English, a plural entry with as many
forms as the language counts, and the catalogs in step with the template (what `make catalogs`
keeps so). Babel reads and compiles each, as it does at run time."""

from __future__ import annotations

import io
import string

import pytest
from babel.messages.catalog import Catalog
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

from disputedesk.web import i18n


def _template():
    with open(i18n.LOCALE_DIR / f"{i18n.DOMAIN}.pot", "rb") as file:
        return read_po(file)


def _catalog(locale: str):
    with open(i18n.po_path(locale), "rb") as file:
        return read_po(file, locale=locale)


def _names(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


TRANSLATED = [locale for locale in i18n.LOCALES if locale != "en"]


def test_the_desk_speaks_seven_languages() -> None:
    assert set(i18n.LOCALES) == {"en", "zh_CN", "es", "pt_BR", "ru", "fr", "pl"}
    assert set(i18n.LOCALE_NAMES) == set(i18n.LOCALES)
    for locale in TRANSLATED:
        assert i18n.po_path(locale).is_file(), locale


def test_every_template_entry_has_a_key_and_english() -> None:
    keys = [message.context for message in _template() if message.id]
    assert all(keys), "an entry without msgctxt (its key)"
    assert len(keys) == len(set(keys)), "a key twice in desk.pot"
    assert len(keys) > 1000


@pytest.mark.parametrize("locale", TRANSLATED)
def test_no_entry_missing_fuzzy_or_with_other_placeholders(locale: str) -> None:
    template = {m.context: m for m in _template() if m.id}
    catalog = _catalog(locale)
    seen: set[str] = set()
    problems: list[str] = []
    for message in catalog:
        if not message.id:
            continue
        key = message.context
        seen.add(key)
        source = template.get(key)
        if source is None:
            problems.append(f"{key}: not in desk.pot (obsolete: run make catalogs)")
            continue
        if message.id != source.id:
            problems.append(f"{key}: translated from other English (run make catalogs)")
        if message.fuzzy:
            problems.append(f"{key}: fuzzy")
        english = source.id if isinstance(source.id, str) else source.id[-1]
        forms = [message.string] if isinstance(message.string, str) else list(message.string)
        if isinstance(source.id, tuple) and len(forms) != catalog.num_plurals:
            problems.append(f"{key}: {len(forms)} forms, the language has {catalog.num_plurals}")
        for form in forms:
            if not form:
                problems.append(f"{key}: missing")
                continue
            try:
                names = _names(form)
            except ValueError as error:
                problems.append(f"{key}: {error}")
                continue
            wanted = _names(english)
            if isinstance(source.id, tuple):
                ok = names <= wanted | _names(source.id[0])
            else:
                ok = names == wanted
            if not ok:
                problems.append(f"{key}: placeholders {sorted(names)}, English {sorted(wanted)}")
    problems += [f"{key}: missing" for key in set(template) - seen]
    assert not problems, "\n".join(sorted(problems))


@pytest.mark.parametrize("locale", TRANSLATED)
def test_each_catalog_compiles(locale: str) -> None:
    """Babel compiles it, and its Plural-Forms are the language's (CLDR's, as Babel writes
    them). (Babel's own `check()` is not used: it reads "90% of" as a %-format placeholder,
    while these catalogs use `str.format` braces, checked above.)"""
    catalog = _catalog(locale)
    buffer = io.BytesIO()
    write_mo(buffer, catalog)
    assert len(buffer.getvalue()) > 10_000
    expected = Catalog(locale=locale)
    assert (catalog.num_plurals, catalog.plural_expr) == (
        expected.num_plurals,
        expected.plural_expr,
    )


def test_plural_forms_follow_each_language() -> None:
    assert i18n.plural("en", "unit.day", 1) == "1 day"
    assert i18n.plural("en", "unit.day", 3) == "3 days"
    russian = [i18n.plural("ru", "unit.day", n) for n in (1, 3, 5, 21, 22, 25, 111)]
    assert len({text.split(" ", 1)[1] for text in russian[:3]}) == 3  # день, дня, дней
    assert russian[3].split(" ", 1)[1] == russian[0].split(" ", 1)[1]  # 21 like 1
    assert russian[4].split(" ", 1)[1] == russian[1].split(" ", 1)[1]  # 22 like 3
    assert russian[6].split(" ", 1)[1] == russian[2].split(" ", 1)[1]  # 111 like 5
    polish = {n: i18n.plural("pl", "unit.hour", n).split(" ", 1)[1] for n in (1, 2, 5, 12, 22)}
    assert polish[1] != polish[2] != polish[5]
    assert polish[12] == polish[5] and polish[22] == polish[2]
    assert i18n.plural("zh_CN", "unit.day", 1).startswith("1")
    assert i18n.plural("fr", "unit.day", 0) == "0 jour"  # French counts 0 as one
    assert i18n.plural("fr", "unit.day", 2) == "2 jours"


def test_the_browser_counts_as_the_server() -> None:
    """countdown.js picks a form by the CLDR category Intl.PluralRules gives; each category
    maps to the form the server would use for its numbers."""
    for locale in i18n.LOCALES:
        categories = i18n.plural_categories(locale)
        words = i18n.words(locale)
        for n in range(0, 130):
            from babel import Locale

            category = Locale.parse(i18n.babel_locale(locale)).plural_form(n)
            assert categories[category] == min(words.form_of(n), words.plural_forms - 1)
        assert set(categories) >= {"one"} or locale == "zh_CN"


def test_text_in_each_language_with_english_for_an_unknown_locale() -> None:
    assert i18n.text("en", "login.title") == "Sign in"
    assert i18n.text("xx", "login.title") == "Sign in"
    for locale in TRANSLATED:
        assert i18n.text(locale, "login.title") != "Sign in", locale
        assert "7" in i18n.text(locale, "login.throttled", seconds=7)
    with pytest.raises(KeyError):
        i18n.text("en", "unit.day")  # a plural entry
    with pytest.raises(KeyError):
        i18n.text("en", "no.such.key")


@pytest.mark.parametrize(
    ("header", "locale"),
    [
        ("pt-BR,pt;q=0.9,en;q=0.8", "pt_BR"),
        ("pt", "pt_BR"),
        ("es-MX,es;q=0.9", "es"),
        ("de-DE,de;q=0.9,fr;q=0.5", "fr"),
        ("en;q=0.3,ru;q=0.9", "ru"),
        ("zh-CN,zh;q=0.9", "zh_CN"),
        ("zh-TW", "en"),  # a Traditional Chinese reader: not a script they may not read
        ("zh-HK,zh;q=0.9", "zh_CN"),  # ...unless they accept any Chinese
        ("pl;q=0,fr", "fr"),
        ("xx, ;q=abc, *", "en"),
        ("", "en"),
    ],
)
def test_the_browser_language_before_sign_in(header: str, locale: str) -> None:
    from disputedesk.web.render import browser_locale

    assert browser_locale(header) == locale


def test_a_page_before_sign_in_speaks_the_browser_language(db, tmp_path) -> None:
    from web_support import make_web_desk

    desk = make_web_desk(db, tmp_path)
    page = desk.client().get("/desk/login", headers={"Accept-Language": "ru-RU,ru;q=0.9"})
    assert page.status_code == 200
    assert 'lang="ru"' in page.text
    assert i18n.text("ru", "login.title") in page.text
    polish = desk.client().get("/desk/login?lang=pl", headers={"Accept-Language": "ru"})
    assert i18n.text("pl", "login.title") in polish.text and 'lang="pl"' in polish.text
    # signed in, the language chosen at sign-in (the browser's), in every page's words
    seller = desk.login("seller", locale="ru")
    inbox = seller.get("/desk/inbox")
    assert inbox.status_code == 200 and 'lang="ru"' in inbox.text
    assert i18n.text("ru", "nav.sign_out") in inbox.text
