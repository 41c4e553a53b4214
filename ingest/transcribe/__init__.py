"""Transcribe: from stored audio to text, in worker processes that pull jobs from the queue.

`worker` claims clips and records results; `worker_process` runs it as a child process;
`transcriber` wraps faster-whisper, `batching` prepares and batches clips for it;
`whisper_models` checks the shipped weights; `transcripts` records a new version of a text;
`retranscribe` sends chosen clips through a model again.
"""
