"""Broker addresses: where a broker is and how to log in (the connection is shared.mqtt)."""

from dataclasses import dataclass, replace
from pathlib import Path
from urllib.parse import unquote, urlsplit


@dataclass(frozen=True)
class BrokerAddress:
    host: str
    port: int
    username: str | None = None
    password: str | None = None
    tls: bool = False

    @classmethod
    def from_url(cls, url: str) -> "BrokerAddress":
        """Parse `mqtt://user:pass@host:port` or `mqtts://...` (TLS)."""
        parts = urlsplit(url)
        if parts.scheme not in ("mqtt", "mqtts"):
            raise ValueError(f"broker URL must start with mqtt:// or mqtts://, got {url!r}")
        tls = parts.scheme == "mqtts"
        return cls(
            host=parts.hostname or "127.0.0.1",
            port=parts.port or (8883 if tls else 1883),
            username=unquote(parts.username) if parts.username else None,
            password=unquote(parts.password) if parts.password else None,
            tls=tls,
        )

    def with_password_file(self, path: Path | None, username: str | None = None) -> "BrokerAddress":
        """The password read from `path` (a file holding only the secret), so it need not
        sit in a URL, an environment variable or a process listing."""
        if path is None:
            return self
        secret = path.read_text(encoding="utf-8").strip()
        return replace(self, username=self.username or username, password=secret)

    def __str__(self) -> str:
        scheme = "mqtts" if self.tls else "mqtt"
        user = f"{self.username}@" if self.username else ""
        return f"{scheme}://{user}{self.host}:{self.port}"
