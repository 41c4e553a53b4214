"""A booth's bundle from `ingest booth add`, installed the way deploy/booth/install.sh does,
but with the bundle's own folder standing in for /etc/booth."""

from pathlib import Path

from ingest.fleet.provisioning import ON_BOOTH


def installed_config(bundle: Path) -> Path:
    """The bundle's booth.toml with its file paths pointing into the bundle; its path."""
    config = bundle / "installed.toml"
    config.write_text((bundle / "booth.toml").read_text().replace(str(ON_BOOTH), str(bundle)))
    return config
