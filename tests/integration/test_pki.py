"""The broker's certificates: a CA made once, server certificates renewed under it."""

import subprocess
from pathlib import Path

SCRIPT = Path(__file__).parents[2] / "deploy" / "pki" / "make-certs.sh"


def make(directory: Path, host: str) -> None:
    subprocess.run(["sh", str(SCRIPT), str(directory), host], check=True, capture_output=True)


def text_of(certificate: Path) -> str:
    return subprocess.run(
        ["openssl", "x509", "-in", str(certificate), "-noout", "-text"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout


def test_renewal_keeps_the_ca_so_booths_need_nothing_new(tmp_path: Path) -> None:
    make(tmp_path, "broker.aarhus.example")
    ca = (tmp_path / "ca.crt").read_bytes()
    first = (tmp_path / "server.crt").read_bytes()
    assert "DNS:broker.aarhus.example" in text_of(tmp_path / "server.crt")
    assert (tmp_path / "ca.key").stat().st_mode & 0o077 == 0  # private
    make(tmp_path, "broker.aarhus.example")
    assert (tmp_path / "ca.crt").read_bytes() == ca
    assert (tmp_path / "server.crt").read_bytes() != first
    verified = subprocess.run(
        ["openssl", "verify", "-CAfile", str(tmp_path / "ca.crt"), str(tmp_path / "server.crt")],
        capture_output=True,
        text=True,
    )
    assert verified.returncode == 0, verified.stderr


def test_an_ip_address_gets_an_ip_subject_alt_name(tmp_path: Path) -> None:
    make(tmp_path, "10.20.30.40")
    assert "IP Address:10.20.30.40" in text_of(tmp_path / "server.crt")
