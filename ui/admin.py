"""Administrator sign-in: the organisation's own sign-in (OpenID Connect), or a local account.

Why: administrators see every area's results (Compare, Areas, imports, the demo data,
comparison groups, whole-area exports, deleting by name), so who is one must be decided
by something stronger than a page. Two ways in:

- **OpenID Connect**, through Streamlit's own ``st.login`` when ``[auth]`` is set in
  ``.streamlit/secrets.toml`` (Microsoft Entra ID, Google, any OIDC provider). Signing in
  proves who someone is; the **allow-list** decides whether they are an administrator:
  ``[ladder] admin_emails`` / ``admin_domains`` in the secrets, and the environment's
  ``LADDER_ADMIN_EMAILS`` / ``LADDER_ADMIN_DOMAINS`` (comma separated); both are read.
  A provider that says the address is *not* verified (``email_verified`` false) gets no
  grant; one that does not say (Microsoft Entra ID sends no such claim for its own
  accounts) is trusted, so name the tenant in ``server_metadata_url``.
- **Local accounts** (`storage.core.admins`): an e-mail address or user name and a
  passphrase. The first is made with the one-time set-up link ``make run`` prints
  (``/admin?setup=...``) or ``python -m storage admin add``.

Failed sign-ins back off twice over: per account in the database (`storage.core.admins`), and
per browser session here (after `FREE_TRIES` wrong tries, a wait before the next is even
checked). The grant is kept in the session on the server, never in the browser. Text
people typed is shown with ``st.text`` (never as Markdown).
"""

from __future__ import annotations

import time
from typing import Final

import streamlit as st
from sqlalchemy.engine import Engine

from storage import (
    EMAIL_LENGTH,
    MIN_PASSPHRASE,
    Grant,
    InputError,
    LockedOut,
    Throttle,
    has_admins,
    list_admins,
    redeem_setup,
    setup_valid,
    sign_in,
)
from ui import state
from ui.access import session_throttle
from ui.signin import current_admin, providers, signed_in_elsewhere
from ui.text import literal

__all__ = [
    "FREE_TRIES",
    "render",
    "sign_out",
]

FREE_TRIES: Final = 3  # wrong tries a session may make before it has to wait
LONGEST_WAIT: Final = 60  # seconds
_clock = time.monotonic  # tests move time on

_NAME_LABEL: Final = "E-mail address or user name"
_LABELS: Final = {
    "email": _NAME_LABEL,
    "passphrase": "Passphrase",
    "setup": "Set-up link",
}


# --- Who is signed in -------------------------------------------------------------------


def sign_out() -> None:
    """End this session's administrator sign-in, local and OpenID Connect."""
    state.ADMIN_GRANT.pop()
    _tries().succeeded("admin")
    if signed_in_elsewhere() is not None:
        # The browser goes on to clear the identity cookie, then comes back in a new
        # session. Not st.rerun(): a rerun clears the messages not yet sent to the browser,
        # the redirect among them.
        st.logout()
        st.stop()
    st.rerun()


# --- The page --------------------------------------------------------------------------------


def render(engine: Engine) -> None:
    """The administrator sign-in page: who is signed in, or the ways to sign in."""
    st.title("Administrator sign-in")
    grant = current_admin()
    if grant is not None and grant.via == "local" and grant.admin not in list_admins(engine):
        state.ADMIN_GRANT.pop()  # the account was removed since signing in
        grant = current_admin()
    if grant is not None:
        _signed_in(grant)
        return
    elsewhere = signed_in_elsewhere()
    if elsewhere is not None:
        _not_an_administrator(elsewhere)
        return
    st.write(
        "Administrators can compare areas, look after the list of areas, import results, "
        "load the demo data, make comparison groups, export everything about an area and "
        "delete workshops and assessments by name. Everyone else needs no sign-in: use the "
        "code you were given."
    )
    token = state.SETUP.get()
    if token and _setup(engine, token):
        return
    names = providers()
    for name in names:
        _login_button(name)
    if names:
        st.caption("Or sign in with a local administrator account:")
    if not has_admins(engine) and not names:
        st.info(
            "There is no administrator yet. Whoever runs Ladder makes the first one: "
            "`make run` prints a one-time set-up link in its terminal, or they can run "
            "`.venv/bin/python -m storage admin add you@council.gov.uk`."
        )
    _local_form(engine)


def _signed_in(grant: Grant) -> None:
    how = "your organisation's account" if grant.via == "oidc" else "a local account"
    st.success(
        f"You are signed in as an administrator, with {literal(how)}.", icon=":material/key:"
    )
    st.text(f"Signed in as: {grant.admin}")
    st.page_link("app_pages/compare.py", label="Compare areas", icon=":material/compare_arrows:")
    st.page_link("app_pages/areas.py", label="Areas", icon=":material/account_tree:")
    if st.button("Sign out", key="admin_sign_out"):
        sign_out()


def _not_an_administrator(email: str) -> None:
    st.warning(
        "You are signed in, but this account is not one of Ladder's administrators, so "
        "nothing more is open to it. If you should be one, ask whoever runs Ladder to add "
        "your address to the list of administrators. (An address your organisation has not "
        "verified is never accepted.)",
        icon=":material/lock:",
    )
    if email:
        st.text(f"Signed in as: {email}")
    else:
        st.text("Your organisation's sign-in did not give Ladder an e-mail address.")
    if st.button("Sign out", key="admin_sign_out"):
        sign_out()


def _login_button(name: str) -> None:
    label = (
        "Sign in with your organisation's account"
        if name == "default"
        else f"Sign in with {name[:1].upper()}{name[1:]}"
    )
    if st.button(label, key=f"admin_login_{name}", type="primary", icon=":material/login:"):
        st.login(None if name == "default" else name)


def _tries() -> Throttle:
    """This session's wrong sign-ins (`ui.access.session_throttle`): after `FREE_TRIES`,
    5 seconds' wait, doubling up to `LONGEST_WAIT`."""
    return session_throttle("admin", FREE_TRIES, 5, LONGEST_WAIT, clock=lambda: _clock())


def _local_form(engine: Engine) -> None:
    with st.form("admin_sign_in"):
        name = st.text_input(_NAME_LABEL, max_chars=EMAIL_LENGTH, autocomplete="username")
        passphrase = st.text_input(
            "Passphrase", type="password", max_chars=1024, autocomplete="current-password"
        )
        pressed = st.form_submit_button("Sign in", type="primary")
    if not pressed:
        return
    if not name.strip() or not passphrase:
        st.error("Please give your e-mail address or user name and your passphrase.")
        return
    wait = _tries().wait("admin")
    if wait:
        st.error(
            f"Too many wrong tries from this browser: please wait {wait} seconds, then try "
            "again. Your passphrase was not checked."
        )
        return
    try:
        grant = sign_in(engine, name, passphrase)
    except LockedOut as exc:
        st.error(exc.message)
        return
    if grant is None:
        _tries().failed("admin")
        st.error(
            "That e-mail address or user name and passphrase do not match an administrator. "
            "Check both and try again."
        )
        return
    state.ADMIN_GRANT.set(grant)
    _tries().succeeded("admin")
    st.rerun()


def _setup(engine: Engine, token: str) -> bool:
    """The form that makes the first administrator; False (after saying why) when the
    link cannot be used, so the ordinary sign-in shows instead."""
    if not setup_valid(engine, token):
        st.warning(
            "This set-up link cannot be used: it has been used already, has expired (links "
            "last 24 hours), or an administrator exists. Sign in below, or ask whoever runs "
            "Ladder for a new link (restarting `make run` prints one while there is no "
            "administrator).",
            icon=":material/link_off:",
        )
        return False
    st.subheader("Create the first administrator", anchor=False)
    st.write(
        "Nobody administers this Ladder yet. This link was printed in the terminal where "
        "Ladder was started, and works once. Choose the e-mail address or user name you will "
        f"sign in with, and a passphrase of at least {MIN_PASSPHRASE} characters (a few "
        "words you will remember make a good one)."
    )
    with st.form("admin_setup"):
        name = st.text_input(_NAME_LABEL, max_chars=EMAIL_LENGTH, autocomplete="username")
        first = st.text_input(
            f"Passphrase (at least {MIN_PASSPHRASE} characters)",
            type="password",
            max_chars=1024,
            autocomplete="new-password",
        )
        second = st.text_input(
            "The same passphrase again", type="password", max_chars=1024, autocomplete="off"
        )
        pressed = st.form_submit_button("Create administrator", type="primary")
    if pressed:
        if first != second:
            st.error("Passphrase: the two passphrases differ; please type the same one twice.")
            return True
        try:
            grant = redeem_setup(engine, token, name, first)
        except InputError as exc:
            st.error(literal(f"{_LABELS.get(exc.field, exc.field)}: {exc.message}"))
            return True
        state.ADMIN_GRANT.set(grant)
        state.SETUP.pop()
        st.rerun()
    return True
