"""The one exception root of the protocol and the machine-readable reasons it carries."""

from enum import StrEnum


class RejectReason(StrEnum):
    """Why ingest refused a clip; sent back to the booth in the `rejected` ack."""

    UNSUPPORTED_SCHEMA = "unsupported_schema"
    MALFORMED_METADATA = "malformed_metadata"
    BOOTH_MISMATCH = "booth_mismatch"
    UNKNOWN_BOOTH = "unknown_booth"
    NEIGHBORHOOD_MISMATCH = "neighborhood_mismatch"  # the registry places the booth elsewhere
    UNKNOWN_THEME = "unknown_theme"
    UNSUPPORTED_CONTENT_TYPE = "unsupported_content_type"
    EMPTY_PAYLOAD = "empty_payload"
    OVERSIZE = "oversize"
    CHECKSUM_MISMATCH = "checksum_mismatch"
    UNDECODABLE_AUDIO = "undecodable_audio"
    DURATION_OUT_OF_BOUNDS = "duration_out_of_bounds"
    BAD_TIMESTAMP = "bad_timestamp"
    # Not the clip's fault: the booth sent faster than ingest takes from one booth. The
    # booth keeps the clip and sends it again after a pause.
    RATE_LIMITED = "rate_limited"


class ProtocolError(ValueError):
    """A message that does not follow the wire protocol."""

    def __init__(self, reason: RejectReason, detail: str) -> None:
        super().__init__(f"{reason}: {detail}")
        self.reason = reason
        self.detail = detail
