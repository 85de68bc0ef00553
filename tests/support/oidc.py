"""A small OpenID Connect provider on 127.0.0.1, for the sign-in tests.

Why: administrators of a council's Ladder sign in through the council's own provider
(Microsoft Entra ID, Google ...) by Streamlit's ``st.login``. The browser tests run that
whole path, discovery, redirects, the code exchange, a signed ID token, without the
internet, against this provider: the authorisation code flow with PKCE (S256), a client
secret, and ID tokens signed RS256 with a fresh key (joserfc, the JOSE library Authlib
uses). It approves whoever `Provider.user` names without asking, and checks what a real
provider checks: the client, its secret, the redirect URI, the code (once), the PKCE
verifier.

Use::

    with serve_provider("ladder-test", "secret") as provider:
        provider.user = {"sub": "1", "email": "chief@council.example", "email_verified": True}
        ... provider.metadata_url ...
"""

from __future__ import annotations

import base64
import hashlib
import json
import secrets
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit

from joserfc import jwt
from joserfc.jwk import RSAKey

__all__ = ["Provider", "serve_provider"]


@dataclass
class _Grant:
    user: dict[str, Any]
    client_id: str
    redirect_uri: str
    nonce: str | None
    challenge: str | None
    method: str | None


@dataclass
class Provider:
    """The provider's state: its client, the user it approves, and what it has issued."""

    client_id: str
    client_secret: str
    issuer: str = ""
    user: dict[str, Any] = field(default_factory=dict)
    key: RSAKey = field(default_factory=lambda: RSAKey.generate_key(2048, {"kid": "test-key"}))
    codes: dict[str, _Grant] = field(default_factory=dict)
    access: dict[str, dict[str, Any]] = field(default_factory=dict)
    log: list[str] = field(default_factory=list)  # "/authorize", "/token" ... in order
    lock: threading.Lock = field(default_factory=threading.Lock)

    @property
    def metadata_url(self) -> str:
        return f"{self.issuer}/.well-known/openid-configuration"

    def metadata(self) -> dict[str, Any]:
        return {
            "issuer": self.issuer,
            "authorization_endpoint": f"{self.issuer}/authorize",
            "token_endpoint": f"{self.issuer}/token",
            "jwks_uri": f"{self.issuer}/jwks",
            "userinfo_endpoint": f"{self.issuer}/userinfo",
            "response_types_supported": ["code"],
            "subject_types_supported": ["public"],
            "id_token_signing_alg_values_supported": ["RS256"],
            "scopes_supported": ["openid", "email", "profile"],
            "token_endpoint_auth_methods_supported": ["client_secret_basic", "client_secret_post"],
            "code_challenge_methods_supported": ["S256"],
            "claims_supported": ["sub", "email", "email_verified", "name"],
        }

    def jwks(self) -> dict[str, Any]:
        return {"keys": [self.key.as_dict(private=False) | {"use": "sig", "alg": "RS256"}]}

    def id_token(self, grant: _Grant) -> str:
        at = int(time.time())
        claims = {
            "iss": self.issuer,
            "aud": grant.client_id,
            "iat": at,
            "exp": at + 300,
            **grant.user,
        }
        if grant.nonce is not None:
            claims["nonce"] = grant.nonce
        return jwt.encode({"alg": "RS256", "kid": "test-key"}, claims, self.key)


class _Handler(BaseHTTPRequestHandler):
    server: _Server

    def log_message(self, format: str, *args: Any) -> None:  # quiet
        return

    def _reply(
        self, status: int, body: dict[str, Any], headers: dict[str, str] | None = None
    ) -> None:
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Cache-Control", "no-store")
        self.send_header("Content-Length", str(len(data)))
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(data)

    def _error(self, status: int, error: str, description: str) -> None:
        self._reply(status, {"error": error, "error_description": description})

    def do_GET(self) -> None:
        provider = self.server.provider
        parts = urlsplit(self.path)
        query = {k: v[-1] for k, v in parse_qs(parts.query).items()}
        with provider.lock:
            provider.log.append(parts.path)
        if parts.path == "/.well-known/openid-configuration":
            self._reply(200, provider.metadata())
        elif parts.path == "/jwks":
            self._reply(200, provider.jwks())
        elif parts.path == "/authorize":
            self._authorize(query)
        elif parts.path == "/userinfo":
            token = self.headers.get("Authorization", "").removeprefix("Bearer ").strip()
            with provider.lock:
                claims = provider.access.get(token)
            if claims is None:
                self._error(401, "invalid_token", "unknown access token")
            else:
                self._reply(200, claims)
        else:
            self._error(404, "not_found", parts.path)

    def _authorize(self, query: dict[str, str]) -> None:
        provider = self.server.provider
        if query.get("client_id") != provider.client_id:
            self._error(400, "unauthorized_client", "unknown client_id")
            return
        if query.get("response_type") != "code" or "openid" not in query.get("scope", "").split():
            self._error(400, "invalid_request", "response_type=code and scope openid, please")
            return
        redirect_uri = query.get("redirect_uri", "")
        if not redirect_uri.startswith(("http://127.0.0.1:", "http://localhost:")):
            self._error(400, "invalid_request", "redirect_uri is not registered")
            return
        code = secrets.token_urlsafe(24)
        with provider.lock:
            provider.codes[code] = _Grant(
                user=dict(provider.user),
                client_id=provider.client_id,
                redirect_uri=redirect_uri,
                nonce=query.get("nonce"),
                challenge=query.get("code_challenge"),
                method=query.get("code_challenge_method"),
            )
        back = {"code": code, "state": query.get("state", "")}
        self.send_response(302)
        self.send_header("Location", f"{redirect_uri}?{urlencode(back)}")
        self.send_header("Content-Length", "0")
        self.end_headers()

    def do_POST(self) -> None:
        provider = self.server.provider
        parts = urlsplit(self.path)
        with provider.lock:
            provider.log.append(parts.path)
        if parts.path != "/token":
            self._error(404, "not_found", parts.path)
            return
        length = int(self.headers.get("Content-Length") or 0)
        form = {k: v[-1] for k, v in parse_qs(self.rfile.read(length).decode()).items()}
        client_id, secret = form.get("client_id"), form.get("client_secret")
        basic = self.headers.get("Authorization", "")
        if basic.startswith("Basic "):
            decoded = base64.b64decode(basic[6:]).decode()
            client_id, _, secret = decoded.partition(":")
        if client_id != provider.client_id or secret != provider.client_secret:
            self._error(401, "invalid_client", "wrong client id or secret")
            return
        if form.get("grant_type") != "authorization_code":
            self._error(400, "unsupported_grant_type", "authorization_code only")
            return
        with provider.lock:
            grant = provider.codes.pop(form.get("code", ""), None)  # a code works once
        if grant is None or grant.redirect_uri != form.get("redirect_uri"):
            self._error(400, "invalid_grant", "unknown or used code, or another redirect_uri")
            return
        if grant.challenge is not None:
            verifier = form.get("code_verifier", "")
            digest = hashlib.sha256(verifier.encode()).digest()
            expected = base64.urlsafe_b64encode(digest).rstrip(b"=").decode()
            if grant.method != "S256" or expected != grant.challenge:
                self._error(400, "invalid_grant", "PKCE verifier does not match")
                return
        access_token = secrets.token_urlsafe(24)
        with provider.lock:
            provider.access[access_token] = dict(grant.user)
        self._reply(
            200,
            {
                "access_token": access_token,
                "token_type": "Bearer",
                "expires_in": 300,
                "scope": "openid email profile",
                "id_token": provider.id_token(grant),
            },
        )


class _Server(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, provider: Provider) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.provider = provider


@contextmanager
def serve_provider(client_id: str, client_secret: str) -> Iterator[Provider]:
    """Serve a provider on 127.0.0.1 on a free port, in a thread, for the ``with`` block."""
    provider = Provider(client_id, client_secret)
    server = _Server(provider)
    provider.issuer = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, name="oidc-provider", daemon=True)
    thread.start()
    try:
        yield provider
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)
