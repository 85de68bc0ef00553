"""Who is signed in as an administrator: a local sign-in kept in the session, or an
OpenID Connect account on the allow-list; and the settings that decide it.

Why: every page asks `ui.access.admin()` who is asking, and the sign-in page
(`ui.admin`) both asks and changes it; keeping the answer here lets both import it
without importing each other. Cheap: no database (storage checks a local grant
again on every use).
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from typing import Any

import streamlit as st

from storage import Grant, allowed_by_list, split_list
from ui import state

__all__ = ["allow_list", "current_admin", "oidc_email", "providers", "secrets_section",
           "signed_in_elsewhere"]  # fmt: skip


def current_admin() -> Grant | None:
    """This session's administrator grant: a local sign-in, or an allow-listed OIDC one.

    Cheap (no database): storage checks a local grant again on every use, so an
    account removed since signing in opens nothing.
    """
    local = state.ADMIN_GRANT.get()
    if isinstance(local, Grant) and local.kind == "admin":
        return local
    email = oidc_email()
    if email is not None and allowed_by_list(email, *allow_list()):
        return Grant("admin", admin=email, via="oidc")
    return None


def oidc_email() -> str | None:
    """The address of whoever signed in through OpenID Connect in this browser, lower-cased;
    None if nobody did, the provider sent no address, or said it is not verified."""
    user = st.user
    if user.get("is_logged_in") is not True:
        return None
    email = user.get("email")
    if not isinstance(email, str) or not email.strip():
        return None
    if str(user.get("email_verified", True)).strip().lower() in {"false", "0", "no"}:
        return None
    return email.strip().lower()


def signed_in_elsewhere() -> str | None:
    """The OIDC account's address as the provider gave it, whatever the allow-list says."""
    user = st.user
    if user.get("is_logged_in") is not True:
        return None
    email = user.get("email")
    return email if isinstance(email, str) and email.strip() else ""


def secrets_section(section: str) -> Mapping[str, Any]:
    """A section of the secrets file; empty when there is no file or no such section."""
    try:
        value = st.secrets.get(section)
    except FileNotFoundError:  # no secrets file at all (StreamlitSecretNotFoundError)
        return {}
    return value if isinstance(value, Mapping) else {}


def allow_list() -> tuple[list[str], list[str]]:
    """(addresses, domains) allowed to administer: the secrets' ``[ladder]`` settings and
    the environment's, together."""
    section = secrets_section("ladder")
    emails = split_list(section.get("admin_emails"))
    emails += split_list(os.environ.get("LADDER_ADMIN_EMAILS"))
    domains = split_list(section.get("admin_domains"))
    domains += split_list(os.environ.get("LADDER_ADMIN_DOMAINS"))
    return emails, domains


def providers() -> list[str]:
    """The OpenID Connect providers ``[auth]`` sets up: ``"default"`` for one given in
    ``[auth]`` itself, then each ``[auth.NAME]``; none without redirect_uri and
    cookie_secret (Streamlit would refuse them)."""
    auth = secrets_section("auth")
    if not (auth.get("redirect_uri") and auth.get("cookie_secret")):
        return []
    named = [
        name
        for name, value in auth.items()
        if isinstance(value, Mapping) and ("client_id" in value or "server_metadata_url" in value)
    ]
    return (["default"] if auth.get("client_id") else []) + named
