"""Booth agent: the software inside a telephone booth (hook, dial, audio, spool, uplink)."""

__version__ = "0.1.0"
