"""After the caller hung up: trim the silence, encode, and spool one message.

Runs on its own thread, so the next caller can lift the receiver at once. The message is
read from its tape in chunks: memory stays flat however long the caller talked.
"""

import logging
import uuid
from collections import deque
from dataclasses import dataclass
from datetime import datetime

from booth import codec, vad
from booth.settings import BoothSettings
from booth.sounds import RATE
from booth.spool import Spool
from booth.tape import Tape
from shared.clip import ClipMeta, sha256_hex

log = logging.getLogger(__name__)


@dataclass
class Message:
    """What one caller recorded, with what the clip's metadata needs."""

    call: int
    theme: str
    neighborhood: str
    config_version: int
    started_at: datetime
    receipt: str
    tape: Tape
    clock_synced: bool | None = None  # had NTP set the wall clock when the call began?


class Processor:
    def __init__(self, settings: BoothSettings, spool: Spool) -> None:
        self.settings = settings
        self.spool = spool
        self.recent: deque[ClipMeta] = deque(maxlen=50)  # for the simulator's report

    def process(self, message: Message) -> ClipMeta | None:
        """Spool the message; None if it held too little speech. Raises SpoolFull."""
        tape = message.tape
        tape.close()
        try:
            speech = vad.find_speech(tape.read(), tape.samples)
            speech_s = speech.speech_s if speech else 0.0
            if speech is None or not vad.is_message(speech_s, self.settings.min_speech_s):
                log.info("call %d: %.2f s of speech; nothing kept", message.call, speech_s)
                return None
            audio = codec.encode_chunks(tape.read(speech.start, speech.end), self.settings.codec)
        finally:
            tape.discard()
        meta = ClipMeta(
            clip_id=uuid.uuid4(),
            booth_id=self.settings.id,
            neighborhood=message.neighborhood,
            theme=message.theme,
            recorded_at=message.started_at,
            duration_ms=(speech.end - speech.start) * 1000 // RATE,
            sha256=sha256_hex(audio),
            content_type=self.settings.codec.content_type,
            config_version=message.config_version,
            receipt=message.receipt,
            clock_synced=message.clock_synced,
            speech=speech.regions_ms(),  # found once: ingest need not look again
        )
        self.spool.put(meta, audio)
        self.recent.append(meta)
        log.info("call %d: clip %s spooled (%d bytes)", message.call, meta.clip_id, len(audio))
        return meta
