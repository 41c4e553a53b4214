"""The server's reverse proxy config (deploy/caddy/Caddyfile), as docs/server.md installs it."""

import json
import os
import shutil
import ssl
import subprocess
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import httpx
import pytest

from tests.support.broker import free_port
from tests.support.waiting import wait_until

CADDYFILE = Path(__file__).parents[2] / "deploy" / "caddy" / "Caddyfile"


@pytest.fixture
def caddy() -> str:
    found = shutil.which("caddy")
    if found is None:
        pytest.skip("needs Debian's caddy (make system-deps installs it)")
    return found


def test_the_caddyfile_is_valid_and_keeps_tokens_out_of_the_log(caddy: str, tmp_path: Path) -> None:
    checked = subprocess.run(
        [caddy, "validate", "--config", str(CADDYFILE), "--adapter", "caddyfile"],
        capture_output=True,
        text=True,
        cwd=tmp_path,
    )
    assert checked.returncode == 0 and "Valid configuration" in checked.stdout + checked.stderr
    adapted = subprocess.run(
        [caddy, "adapt", "--config", str(CADDYFILE), "--adapter", "caddyfile"],
        capture_output=True,
        text=True,
        check=True,
    )
    config = json.loads(adapted.stdout)
    logs = config["logging"]["logs"]
    encoder = next(log["encoder"] for log in logs.values() if "encoder" in log)
    # The whole query cut from the URI (the `query` filter only deletes named parameters).
    assert encoder["fields"]["request>uri"] == {
        "filter": "regexp",
        "regexp": "\\?.*$",
        "value": "?",
    }
    assert encoder["fields"]["request>headers>Authorization"]["filter"] == "delete"
    route = config["apps"]["http"]["servers"]["srv0"]["routes"][0]
    assert "127.0.0.1:8000" in json.dumps(route)


class _Backend(BaseHTTPRequestHandler):
    """Stands for ingest behind the proxy: answers every path with 200, but a path with a
    trailing slash with a redirect that keeps the query, as Starlette does."""

    def do_GET(self) -> None:
        path, _, query = self.path.partition("?")
        if path != "/" and path.endswith("/"):
            self.send_response(307)
            self.send_header("Location", f"http://{self.headers['Host']}{path[:-1]}?{query}")
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        body = b'{"ok": true}'
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *_args: object) -> None:
        pass


def test_the_real_caddy_logs_no_query_string_and_hides_the_internals(
    caddy: str, tmp_path: Path
) -> None:
    """The shipped Caddyfile run by Debian's caddy, with TLS from its internal CA for
    localhost and a global block that keeps the test to itself (no admin port, no trust
    store changes, free ports); the caller here is outside the operator's network."""
    backend = ThreadingHTTPServer(("127.0.0.1", 0), _Backend)
    threading.Thread(target=backend.serve_forever, daemon=True).start()
    http_port, https_port = free_port(), free_port()
    config = tmp_path / "Caddyfile"
    config.write_text(
        f"{{\n\tadmin off\n\tskip_install_trust\n\thttp_port {http_port}\n"
        f"\thttps_port {https_port}\n}}\n\n" + CADDYFILE.read_text()
    )
    log = tmp_path / "access.log"
    env = {
        **os.environ,
        "HOME": str(tmp_path),
        "XDG_DATA_HOME": str(tmp_path / "data"),
        "XDG_CONFIG_HOME": str(tmp_path / "config"),
        "DN_SITE": "localhost",
        "DN_INGEST": f"127.0.0.1:{backend.server_port}",
        "DN_ACCESS_LOG": str(log),
        "DN_OPERATOR_NETWORKS": "192.0.2.0/24",  # TEST-NET-1: not this caller
    }
    errors = (tmp_path / "caddy.err").open("wb")
    proxy = subprocess.Popen(
        [caddy, "run", "--config", str(config), "--adapter", "caddyfile"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=errors,
    )
    root = tmp_path / "data" / "caddy" / "pki" / "authorities" / "local" / "root.crt"
    base = f"https://localhost:{https_port}"
    try:
        assert wait_until(lambda: root.exists(), 30), (tmp_path / "caddy.err").read_text()
        tls = ssl.create_default_context(cafile=str(root))

        def up() -> bool:
            try:
                return httpx.get(f"{base}/", verify=tls, timeout=2).status_code == 200
            except httpx.HTTPError:
                return False

        assert wait_until(up, 30), (tmp_path / "caddy.err").read_text()
        secret_query = "/public/clips?q=hemmeligtnavn&token=dn_querysecret"
        headers = {"Authorization": "Bearer dn_headersecret", "Cookie": "session=cookiesecret"}
        assert httpx.get(base + secret_query, headers=headers, verify=tls).status_code == 200
        redirected = httpx.get(base + "/public/clips/?q=omdirigeretnavn", verify=tls)
        assert redirected.status_code == 307 and "omdirigeretnavn" in redirected.headers["location"]
        for internal in ("/metrics", "/openapi.json", "/readyz", "/docs", "/docs/oauth2-redirect"):
            response = httpx.get(base + internal, verify=tls)
            assert response.status_code == 404, internal
    finally:
        proxy.terminate()
        proxy.wait(10)
        errors.close()
        backend.shutdown()
        backend.server_close()
    written = log.read_text()
    assert "/public/clips?" in written  # the request is logged, its query is not
    secrets = ("hemmeligtnavn", "dn_querysecret", "dn_headersecret", "cookiesecret")
    for secret in (*secrets, "omdirigeretnavn"):
        assert secret not in written, secret
