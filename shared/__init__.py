"""Wire protocol v1 between booths and the ingest service (see docs/protocol.md)."""

from shared.errors import ProtocolError, RejectReason

PROTOCOL_VERSION = 1

__all__ = ["PROTOCOL_VERSION", "ProtocolError", "RejectReason"]
