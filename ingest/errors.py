"""The one exception root of the ingest service."""


class IngestError(Exception):
    """Something the ingest service cannot do, with a message fit for an operator."""


class StorageError(IngestError):
    """Audio could not be written or read."""


class TranscriptionError(IngestError):
    """The model failed on a clip."""
