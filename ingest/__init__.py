"""Ingest service: receives booth clips over MQTT, stores them, transcribes them, serves the API."""

__version__ = "0.1.0"
