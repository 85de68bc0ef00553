"""The administrator sign-in page in AppTest: the set-up link, local sign-in and its back-off,
signing out, and OpenID Connect sign-ins with the allow-list."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from argon2 import PasswordHasher
from streamlit.testing.v1 import AppTest

import ui.admin
from storage import database_url, make_engine, migrate
from storage.core import admins
from storage.core.access import Grant
from storage.core.admins import LOCK_AFTER, add_admin, list_admins, remove_admin, setup_token
from tests.app.conftest import APP, as_read, button, open_page, rerun_on

PAGE = "app_pages/admin.py"
PASS = "correct horse battery staple"
SIGNED_IN = "You are signed in as an administrator"
SECRETS = {
    "auth": {
        "redirect_uri": "http://localhost:8501/oauth2callback",
        "cookie_secret": "not-a-real-secret-for-tests-only",
        "client_id": "ladder",
        "client_secret": "shh",
        "server_metadata_url": "http://127.0.0.1:1/.well-known/openid-configuration",
    },
    "ladder": {"admin_emails": ["Chief@council.gov.uk"], "admin_domains": ["it.council.gov.uk"]},
}


@pytest.fixture(autouse=True)
def quick_hashes(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(
        admins, "_HASHER", PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)
    )
    admins._dummy_hash.cache_clear()
    admins._UNKNOWN.clear()
    monkeypatch.delenv("LADDER_ADMIN_EMAILS", raising=False)
    monkeypatch.delenv("LADDER_ADMIN_DOMAINS", raising=False)


@pytest.fixture
def engine() -> Iterator[Any]:
    """The same database the app uses in these tests (tests/app/conftest.py)."""
    made = make_engine(database_url())
    migrate(made)
    yield made
    made.dispose()


class Clock:
    def __init__(self) -> None:
        self.at = 1000.0

    def __call__(self) -> float:
        return self.at


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> Clock:
    made = Clock()
    monkeypatch.setattr(ui.admin, "_clock", made)
    return made


def texts(at: AppTest) -> str:
    """Everything the page shows in words, one element a line."""
    parts = [
        e.value for kind in ("title", "subheader", "markdown", "caption") for e in at.get(kind)
    ]
    parts += [e.value for e in at.text]
    parts += [e.value for kind in ("success", "info", "warning", "error") for e in at.get(kind)]
    return "\n".join(str(p) for p in parts)


def fill(at: AppTest, **fields: str) -> None:
    by_label = {t.label: t for t in at.text_input}
    for label, value in fields.items():
        by_label[label].input(value)


def sign_in(at: AppTest, name: str, passphrase: str) -> AppTest:
    fill(at, **{"E-mail address or user name": name, "Passphrase": passphrase})
    button(at, "Sign in").click()
    return rerun_on(at, PAGE)


def oidc_page(user: dict[str, Any], secrets: dict[str, Any] | None = None) -> AppTest:
    at = AppTest.from_file(str(APP), default_timeout=60)
    at.secrets = dict(SECRETS if secrets is None else secrets)
    at.user = user
    at.switch_page(PAGE)
    return at.run()


# --- The set-up link ---------------------------------------------------------------------


def test_the_set_up_link_makes_the_first_administrator_once(engine: Any) -> None:
    token = setup_token(engine)
    assert token
    at = open_page(PAGE, setup=token)
    assert "Create the first administrator" in texts(at)
    fill(
        at,
        **{
            "E-mail address or user name": " First@Council.gov.uk ",
            "Passphrase (at least 12 characters)": PASS,
            "The same passphrase again": PASS,
        },
    )
    button(at, "Create administrator").click()
    rerun_on(at, PAGE)
    assert not at.exception, [e.value for e in at.exception]
    assert SIGNED_IN in texts(at)
    assert "Signed in as: first@council.gov.uk" in [t.value for t in at.text]
    assert "setup" not in at.query_params  # the link is gone from the address bar
    assert at.session_state["admin_grant"] == Grant(
        "admin", admin="first@council.gov.uk", via="local"
    )
    assert list_admins(engine) == ["first@council.gov.uk"]

    again = open_page(PAGE, setup=token)  # the same link, in a new tab
    shown = texts(again)
    assert "This set-up link cannot be used" in shown
    assert "Create the first administrator" not in shown
    assert not [b for b in again.button if b.label == "Create administrator"]
    assert SIGNED_IN not in shown
    sign_in(again, "first@council.gov.uk", PASS)
    assert SIGNED_IN in texts(again)


def test_the_set_up_form_refuses_bad_input_and_keeps_the_link(engine: Any) -> None:
    token = setup_token(engine)
    at = open_page(PAGE, setup=token)
    fill(
        at,
        **{
            "E-mail address or user name": "ops",
            "Passphrase (at least 12 characters)": PASS,
            "The same passphrase again": PASS + "?",
        },
    )
    button(at, "Create administrator").click()
    rerun_on(at, PAGE)
    assert [e.value for e in at.error] == [
        "Passphrase: the two passphrases differ; please type the same one twice."
    ]
    fill(
        at,
        **{
            "Passphrase (at least 12 characters)": "too short",
            "The same passphrase again": "too short",
        },
    )
    button(at, "Create administrator").click()
    rerun_on(at, PAGE)
    assert [as_read(e.value) for e in at.error] == [
        "Passphrase: is too short: at least 12 characters, please (a few words you will "
        "remember make a good one)"
    ]
    assert list_admins(engine) == []
    assert "Create the first administrator" in texts(open_page(PAGE, setup=token))


def test_a_made_up_link_makes_nobody(engine: Any) -> None:
    setup_token(engine)
    at = open_page(PAGE, setup="A" * 22)
    assert "This set-up link cannot be used" in texts(at)
    assert not [b for b in at.button if b.label == "Create administrator"]


def test_with_no_administrator_the_page_says_how_to_make_one() -> None:
    at = open_page(PAGE)
    assert "There is no administrator yet" in texts(at)
    assert "python -m storage admin add" in texts(at)


# --- Local sign-in -----------------------------------------------------------------------------


def test_a_wrong_passphrase_is_refused(engine: Any) -> None:
    add_admin(engine, "ops", PASS)
    at = open_page(PAGE)
    assert "There is no administrator yet" not in texts(at)
    sign_in(at, "ops", PASS + "x")
    assert [e.value for e in at.error] == [
        "That e-mail address or user name and passphrase do not match an administrator. "
        "Check both and try again."
    ]
    assert SIGNED_IN not in texts(at)
    assert "admin_grant" not in at.session_state
    sign_in(at, "nobody", PASS)
    assert "do not match an administrator" in at.error[0].value  # the same words
    sign_in(at, "OPS", PASS)
    assert SIGNED_IN in texts(at)


def test_blank_fields_are_asked_for(engine: Any) -> None:
    at = open_page(PAGE)
    sign_in(at, "ops", "")
    assert [e.value for e in at.error] == [
        "Please give your e-mail address or user name and your passphrase."
    ]


def test_the_session_backs_off_after_three_wrong_tries(engine: Any, clock: Clock) -> None:
    add_admin(engine, "ops", PASS)
    at = open_page(PAGE)
    for _ in range(3):
        sign_in(at, "ops", "wrong passphrase!")
        assert "do not match" in at.error[0].value
    sign_in(at, "ops", PASS)  # even the right one waits, unchecked
    assert [e.value for e in at.error] == [
        "Too many wrong tries from this browser: please wait 5 seconds, then try again. "
        "Your passphrase was not checked."
    ]
    assert SIGNED_IN not in texts(at)
    clock.at += 3
    sign_in(at, "ops", PASS)
    assert "please wait 2 seconds" in at.error[0].value
    clock.at += 2
    sign_in(at, "ops", "wrong passphrase!")  # the fourth wrong try doubles the wait
    assert "do not match" in at.error[0].value
    sign_in(at, "ops", PASS)
    assert "please wait 10 seconds" in at.error[0].value
    clock.at += 10
    sign_in(at, "ops", PASS)
    assert SIGNED_IN in texts(at)


def test_a_locked_account_says_when_to_try_again(engine: Any) -> None:
    add_admin(engine, "ops", PASS)
    for _ in range(LOCK_AFTER):  # many browsers, one wrong try each
        sign_in(open_page(PAGE), "ops", "wrong passphrase!")
    at = sign_in(open_page(PAGE), "ops", PASS)
    assert len(at.error) == 1
    assert at.error[0].value.startswith(
        "Too many failed sign-ins for this name: please wait 30 seconds and try again"
    )
    assert SIGNED_IN not in texts(at)


def test_sign_out(engine: Any) -> None:
    add_admin(engine, "ops", PASS)
    at = sign_in(open_page(PAGE), "ops", PASS)
    assert SIGNED_IN in texts(at)
    button(at, "Sign out").click()
    rerun_on(at, PAGE)
    assert SIGNED_IN not in texts(at)
    assert "admin_grant" not in at.session_state
    assert [b.label for b in at.button if b.label == "Sign in"] == ["Sign in"]


def test_a_removed_account_is_signed_out(engine: Any) -> None:
    add_admin(engine, "ops", PASS)
    at = sign_in(open_page(PAGE), "ops", PASS)
    assert SIGNED_IN in texts(at)
    remove_admin(engine, "ops")
    rerun_on(at, PAGE)
    assert SIGNED_IN not in texts(at)
    assert "admin_grant" not in at.session_state


def test_names_are_shown_as_typed_never_as_markdown(engine: Any) -> None:
    token = setup_token(engine)
    at = open_page(PAGE, setup=token)
    name = "**ops**_[x](http://example.com)"
    fill(
        at,
        **{
            "E-mail address or user name": name,
            "Passphrase (at least 12 characters)": PASS,
            "The same passphrase again": PASS,
        },
    )
    button(at, "Create administrator").click()
    rerun_on(at, PAGE)
    assert f"Signed in as: {name}" in [t.value for t in at.text]
    markdown = [str(e.value) for kind in ("markdown", "success", "caption") for e in at.get(kind)]
    assert not any("ops" in m for m in markdown)


# --- OpenID Connect -------------------------------------------------------------------------------


def test_the_organisations_sign_in_is_offered_when_auth_is_set_up() -> None:
    at = oidc_page({})
    labels = [b.label for b in at.button]
    assert "Sign in with your organisation's account" in labels
    assert "Sign in" in labels  # local accounts still work
    named = {
        "auth": {
            "redirect_uri": "http://localhost:8501/oauth2callback",
            "cookie_secret": "x" * 32,
            "microsoft": {"client_id": "a", "server_metadata_url": "https://example/m"},
            "google": {"client_id": "b", "server_metadata_url": "https://example/g"},
        }
    }
    labels = [b.label for b in oidc_page({}, named).button]
    assert "Sign in with Microsoft" in labels
    assert "Sign in with Google" in labels
    assert "Sign in with your organisation's account" not in labels
    half = {"auth": {"client_id": "a", "server_metadata_url": "https://example/m"}}
    assert "Sign in with your organisation's account" not in [
        b.label for b in oidc_page({}, half).button
    ]  # no redirect_uri or cookie_secret: Streamlit would refuse it


def test_what_st_login_needs_is_installed() -> None:
    """st.login's routes import Authlib's Starlette client, which needs httpx: without it
    every sign-in through the organisation's account fails with a server error."""
    import importlib

    assert importlib.import_module("authlib.integrations.starlette_client").OAuth


def test_without_auth_no_organisation_sign_in_is_offered() -> None:
    at = open_page(PAGE)
    assert not [b for b in at.button if "organisation" in b.label]


@pytest.mark.parametrize(
    "email", ["chief@council.gov.uk", "CHIEF@Council.gov.uk", "anyone@it.council.gov.uk"]
)
def test_an_allow_listed_account_is_an_administrator(email: str) -> None:
    at = oidc_page({"is_logged_in": True, "email": email, "email_verified": True})
    assert not at.exception, [e.value for e in at.exception]
    assert SIGNED_IN in texts(at)
    assert "with your organisation's account" in at.success[0].value
    assert f"Signed in as: {email.lower()}" in [t.value for t in at.text]
    assert [b.label for b in at.button if b.label == "Sign out"] == ["Sign out"]


@pytest.mark.parametrize(
    "user",
    [
        {"is_logged_in": True, "email": "someone@elsewhere.org", "email_verified": True},
        {"is_logged_in": True, "email": "x@sub.it.council.gov.uk"},
        {"is_logged_in": True, "email": "chief@council.gov.uk", "email_verified": False},
        {"is_logged_in": True, "email": "chief@council.gov.uk", "email_verified": "false"},
        {"is_logged_in": True, "name": "No Address"},
    ],
)
def test_anyone_else_is_signed_in_but_not_an_administrator(user: dict[str, Any]) -> None:
    at = oidc_page(user)
    shown = texts(at)
    assert SIGNED_IN not in shown
    assert "You are signed in, but this account is not one of Ladder's administrators" in shown
    assert [b.label for b in at.button].count("Sign out") == 1
    assert not [b for b in at.button if b.label == "Sign in"]  # no grant, no other way in here


def test_a_user_not_signed_in_gets_nothing() -> None:
    at = oidc_page({"is_logged_in": False, "email": "chief@council.gov.uk"})
    assert SIGNED_IN not in texts(at)
    at = oidc_page({"email": "chief@council.gov.uk"})  # AppTest's default user shape
    assert SIGNED_IN not in texts(at)


def test_the_allow_list_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LADDER_ADMIN_EMAILS", "a@x.org, b@y.org")
    monkeypatch.setenv("LADDER_ADMIN_DOMAINS", "partner.org.uk")
    no_list = {"auth": SECRETS["auth"]}
    for email in ("b@y.org", "anyone@partner.org.uk"):
        at = oidc_page({"is_logged_in": True, "email": email}, no_list)
        assert SIGNED_IN in texts(at), email
    at = oidc_page({"is_logged_in": True, "email": "c@x.org"}, no_list)
    assert SIGNED_IN not in texts(at)


def test_signing_out_of_the_organisations_account() -> None:
    at = oidc_page({"is_logged_in": True, "email": "chief@council.gov.uk"})
    assert SIGNED_IN in texts(at)
    button(at, "Sign out").click()
    rerun_on(at, PAGE)  # st.logout: the browser is sent to clear its identity cookie
    assert at.user.get("is_logged_in") is False
    rerun_on(at, PAGE)  # and comes back
    assert SIGNED_IN not in texts(at)
    assert "Sign in with your organisation's account" in [b.label for b in at.button]
