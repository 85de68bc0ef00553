"""The nginx configuration councils copy is the one the replica test runs (issue 13, item 7).

docs/deploy.md shows ``deploy/nginx/ladder.conf`` byte for byte, and no other page carries a
second nginx configuration that could drift from it. The file's upload limit follows
Streamlit's, its security headers are on every reply, and without nginx the replica test
skips locally but fails in CI.
"""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import httpx
import pytest

from tests.support import nginx

ROOT = Path(__file__).resolve().parents[2]
DOCS = ROOT / "docs"


def config() -> str:
    return nginx.CONFIG.read_text(encoding="utf-8")


def nginx_blocks(page: Path) -> list[str]:
    return re.findall(r"^```nginx\n(.*?)^```$", page.read_text(encoding="utf-8"), re.M | re.S)


def test_deploy_md_shows_the_shipped_config_byte_for_byte() -> None:
    assert nginx_blocks(DOCS / "deploy.md") == [config()]


def test_no_other_page_carries_an_nginx_config_of_its_own() -> None:
    others = {p.name: nginx_blocks(p) for p in DOCS.glob("*.md") if p.name != "deploy.md"}
    assert not {name: blocks for name, blocks in others.items() if blocks}


def test_the_upload_limit_is_a_little_above_streamlits() -> None:
    streamlit = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8"))
    upload_mb = streamlit["server"]["maxUploadSize"]
    (body_mb,) = re.findall(r"^\s*client_max_body_size (\d+)m;", config(), re.M)
    assert upload_mb < int(body_mb) <= upload_mb + 2


def _server_level_lines(text: str) -> list[str]:
    """Directives one block deep: in ``server { }`` (or another top block), not in a location."""
    depth, found = 0, []
    for line in text.splitlines():
        code = line.split("#", 1)[0].strip()
        if depth == 1 and code and not code.endswith("{"):
            found.append(code)
        depth += code.count("{") - code.count("}")
    return found


def test_security_headers_are_on_every_reply_of_the_https_server() -> None:
    headers = [line for line in _server_level_lines(config()) if line.startswith("add_header")]
    security = [h for h in headers if "Set-Cookie" not in h]
    assert [h.split()[1] for h in security] == [
        "Strict-Transport-Security", "Content-Security-Policy", "X-Frame-Options",
        "Referrer-Policy", "X-Content-Type-Options",
    ]  # fmt: skip
    assert all(h.endswith(" always;") for h in security)
    # nginx drops the server's add_header lines in a location that has one of its own.
    assert len(headers) == len(re.findall(r"^\s*add_header ", config(), re.M))


def test_the_access_log_never_records_query_strings() -> None:
    (log_format,) = re.findall(r"^log_format ladder (.*?);$", config(), re.M | re.S)
    assert "$uri" in log_format
    assert not {"$request", "$request_uri", "$args", "$query_string"} & set(
        re.findall(r"\$\w+", log_format)
    )


def test_missing_nginx_skips_unless_the_browser_tests_are_required(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setattr(nginx, "NGINX", tmp_path / "no-nginx")
    monkeypatch.delenv("LADDER_REQUIRE_BROWSER", raising=False)
    with pytest.raises(pytest.skip.Exception, match="nginx"):
        nginx.require_nginx()
    monkeypatch.setenv("LADDER_REQUIRE_BROWSER", "1")
    with pytest.raises(pytest.fail.Exception, match=r"nginx.*LADDER_REQUIRE_BROWSER=1 requires it"):
        nginx.require_nginx()


def test_scripts_styles_and_json_go_out_compressed(tmp_path: Path) -> None:
    """Through the shipped configuration, in front of a server that sends everything
    uncompressed (as Streamlit sends its scripts): scripts, styles and JSON arrive gzipped,
    an image as it was."""
    import threading
    from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

    script = b"function drawTheCharts(){return 1}\n" * 2000
    bodies = {
        "/_stcore/health": (b"ok", "text/plain"),
        "/static/js/PlotlyChart.js": (script, "application/javascript"),
        "/static/css/index.css": (b".stApp{color:#000}\n" * 200, "text/css"),
        "/_stcore/host-config": (b'{"allowedOrigins": []}' * 100, "application/json"),
        "/favicon.png": (b"\x89PNG" + bytes(4000), "image/png"),
    }

    class Upstream(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            body, kind = bodies[self.path]
            self.send_response(200)
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: object) -> None:
            pass

    upstream = ThreadingHTTPServer(("127.0.0.1", 0), Upstream)
    threading.Thread(target=upstream.serve_forever, daemon=True).start()
    try:
        replica = f"127.0.0.1:{upstream.server_port}"
        with nginx.proxying(nginx.require_nginx(), tmp_path, [replica]) as proxy:
            got = {
                path: httpx.get(
                    proxy.https + path, verify=False, headers={"Accept-Encoding": "gzip"}
                )
                for path in bodies
            }
    finally:
        upstream.shutdown()
    encodings = {path: reply.headers.get("content-encoding") for path, reply in got.items()}
    assert encodings == {
        "/_stcore/health": None,  # under 1 KB: not worth it
        "/static/js/PlotlyChart.js": "gzip",
        "/static/css/index.css": "gzip",
        "/_stcore/host-config": "gzip",
        "/favicon.png": None,
    }
    script_reply = got["/static/js/PlotlyChart.js"]
    assert script_reply.content == script  # httpx undoes the gzip: the same script
    assert script_reply.num_bytes_downloaded < len(script) / 10  # what crossed the wire
    assert "Accept-Encoding" in script_reply.headers.get("vary", "")
