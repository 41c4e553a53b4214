"""Prometheus metrics of the ingest service, served at `/metrics`: what this process counted.
What the whole deployment is doing (queue, failures, booths, neighborhoods) is read from the
database at each scrape (ingest.store.gauges), by whichever process serves `/metrics`."""

from prometheus_client import Counter, Histogram

CLIPS_STORED = Counter("ingest_clips_stored_total", "Clips stored and acked")
CLIPS_DUPLICATE = Counter("ingest_clips_duplicate_total", "Clips received again and re-acked")
CLIPS_REJECTED = Counter("ingest_clips_rejected_total", "Clips rejected", ["reason"])
CLIPS_DEFERRED = Counter(
    "ingest_clips_deferred_total", "Clips not acked for a fault of ours; the booth resends"
)
CLIPS_RECEIVED = Counter("ingest_clips_received_total", "Clip messages handed to this receiver")
CLIPS_RETIMED = Counter(
    "ingest_clips_retimed_total",
    "Clips stored at their receive time: the booth's clock was not set, or far off",
)
TRANSCRIPTIONS = Counter("ingest_transcriptions_total", "Transcriptions finished", ["outcome"])
TRANSCRIPTION_SECONDS = Histogram(
    "ingest_transcription_seconds",
    "Wall time spent transcribing one clip",
    buckets=(0.1, 0.25, 0.5, 1, 2, 4, 8, 16, 32, 64),
)
REAL_TIME_FACTOR = Histogram(
    "ingest_real_time_factor",
    "Audio seconds transcribed per wall second",
    buckets=(0.5, 1, 2, 4, 8, 16, 32, 64),
)
