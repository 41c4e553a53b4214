"""Transcription through the database queue with the real model: no invented words on
silence, retries, failures that keep the audio, crash recovery, safe claims."""

import concurrent.futures
import threading
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from booth import codec, vad
from ingest.receive.intake import InboundClip
from ingest.service import IngestService
from ingest.settings import IngestSettings
from ingest.store.models import Clip, ClipStatus, TranscriptVersion
from ingest.transcribe.worker import TranscriptionWorker
from shared.clip import SpeechMap, format_speech_map
from shared.topics import Channel, Topics
from tests.conftest import BOOTH
from tests.integration.conftest import register
from tests.support.clips import encode_file, encode_samples, meta_for, room_tone
from tests.support.speech import speak, word_error_rate
from tests.support.waiting import wait_until

pytestmark = pytest.mark.slow


@pytest.fixture
def service(tmp_path: Path, database_url: str | None) -> Iterator[IngestService]:
    """Ingest without a broker and with no worker threads: the test drives the worker;
    on SQLite and on PostgreSQL."""
    settings = IngestSettings(
        data_dir=tmp_path / "ingest",
        database_url=database_url,
        transcribe_workers=0,
        transcribe_retry_s=0.05,
    )
    svc = IngestService(settings, receive=False)
    svc.start()
    register(svc, BOOTH)
    yield svc
    svc.stop()


def worker(service: IngestService) -> TranscriptionWorker:
    assert service.transcriber is not None
    return TranscriptionWorker(
        service.settings, service.sessions, service.store, service.transcriber
    )


def receive(service: IngestService, payload: bytes, ms: int, **meta: object) -> str:
    clip = meta_for(payload, BOOTH, ms, **meta)
    topic = Topics().booth(BOOTH, Channel.CLIPS)
    ack = service.intake.accept(InboundClip(topic, payload, clip.to_dict()))
    assert ack.status == "stored", ack
    return str(clip.clip_id)


def get(service: IngestService, clip_id: str) -> Clip:
    with service.sessions() as session:
        clip = session.get(Clip, clip_id)
        assert clip is not None
        return clip


def test_speech_is_transcribed_with_segments_and_history(
    service: IngestService, speech_wav: Path, caplog: pytest.LogCaptureFixture
) -> None:
    clip_id = receive(service, *encode_file(speech_wav))
    with caplog.at_level("DEBUG"):
        assert worker(service).work_once()
    clip = get(service, clip_id)
    assert clip.text and "benches" in clip.text
    assert "benches" not in caplog.text  # journald would keep what callers said
    assert clip.status == ClipStatus.TRANSCRIBED
    assert clip.language == "en" and clip.model == "tiny.en"
    assert clip.processing_s is not None and clip.processing_s > 0
    with service.sessions() as session:
        versions = session.query(TranscriptVersion).filter_by(clip_id=clip_id).all()
        segments = session.get(Clip, clip_id).segments  # type: ignore[union-attr]
        assert [v.text for v in versions] == [clip.text]
        # The sentence starts after 1 s of silence and ends 1 s before the clip does.
        assert segments and 0.3 <= segments[0].start_s <= 1.5
        assert segments[-1].end_s <= clip.duration_ms / 1000


@pytest.mark.parametrize(
    "samples",
    [
        room_tone(8.0),  # an empty booth
        (np.random.default_rng(3).normal(0, 2500, 16000 * 6)).astype(np.int16),  # street noise
        np.zeros(16000 * 5, np.int16),  # dead line
    ],
    ids=["room tone", "loud noise", "digital silence"],
)
def test_no_speech_never_becomes_text(service: IngestService, samples: np.ndarray) -> None:
    clip_id = receive(service, *encode_samples(samples))
    assert worker(service).work_once()
    clip = get(service, clip_id)
    assert (clip.status, clip.text) == (ClipStatus.NO_SPEECH, "")


def booth_clip(samples: np.ndarray) -> tuple[bytes, int, SpeechMap]:
    """A message as the booth sends it: trimmed by its VAD, Ogg Opus, with its speech map."""
    speech = vad.find_speech([samples], len(samples))
    assert speech is not None
    payload = codec.encode(samples[speech.start : speech.end], codec.Codec.OPUS)
    return payload, (speech.end - speech.start) * 1000 // 16000, speech.regions_ms()


def silero_passes(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Counts the passes of Silero VAD (the real one runs), batched path and single alike."""
    import faster_whisper.transcribe

    from ingest.transcribe import batching

    passes: list[int] = []
    for module in (batching, faster_whisper.transcribe):
        real = module.get_speech_timestamps

        def counted(*args: Any, _real: Any = real, **kwargs: Any) -> Any:
            passes.append(1)
            return _real(*args, **kwargs)

        monkeypatch.setattr(module, "get_speech_timestamps", counted)
    return passes


def said(path: Path) -> np.ndarray:
    import soundfile as sf

    return np.asarray(sf.read(path, dtype="int16")[0])


@pytest.mark.parametrize("clips", [1, 3], ids=["one clip", "a batch"])
def test_the_booths_speech_map_stands_in_for_silero(
    service: IngestService, speech_wav: Path, monkeypatch: pytest.MonkeyPatch, clips: int
) -> None:
    message = np.concatenate([room_tone(1.0), said(speech_wav), room_tone(1.5, seed=2)])
    payload, ms, speech = booth_clip(message)
    ids = [receive(service, payload, ms, speech=speech) for _ in range(clips)]
    assert get(service, ids[0]).speech_map == format_speech_map(speech)  # kept with the clip
    passes = silero_passes(monkeypatch)
    assert worker(service).work_once()
    for clip_id in ids:
        clip = get(service, clip_id)
        assert clip.status == ClipStatus.TRANSCRIBED and "benches" in (clip.text or "")
    assert passes == [], "the booth found the speech; ingest must not look again"


def test_clips_without_a_speech_map_still_go_through_silero(
    service: IngestService, speech_wav: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    clip_id = receive(service, *encode_file(speech_wav))
    assert get(service, clip_id).speech_map is None
    passes = silero_passes(monkeypatch)
    assert worker(service).work_once()
    assert "benches" in (get(service, clip_id).text or "") and passes


@pytest.mark.parametrize(
    "claimed",
    [((0, 99_000),), ((2000, 2500), (1000, 1500)), ((0, 1500), (1000, 3000))],
    ids=["past the end", "unsorted", "overlapping"],
)
def test_a_speech_map_that_does_not_fit_the_audio_is_set_aside(
    service: IngestService,
    speech_wav: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    claimed: SpeechMap,
) -> None:
    """Checked again against the decoded audio (a stored map may predate a re-encode, or
    come from another source): one that does not fit is not used; Silero finds the speech."""
    assert service.transcriber is not None
    clip = tmp_path / "clip.ogg"
    clip.write_bytes(encode_file(speech_wav)[0])
    passes = silero_passes(monkeypatch)
    single = service.transcriber.transcribe(clip, speech=claimed)
    assert "benches" in single.text and len(passes) == 1
    batched = service.transcriber.transcribe_many([(clip, None)] * 2, speech=[claimed] * 2)
    assert all("benches" in r.text for r in batched if not isinstance(r, Exception))
    assert len(passes) == 3


NO_SPEECH = [
    room_tone(8.0),  # an empty booth
    (np.random.default_rng(3).normal(0, 2500, 16000 * 6)).astype(np.int16),  # street noise
    np.zeros(16000 * 5, np.int16),  # dead line
]
NO_SPEECH_IDS = ["room tone", "loud noise", "digital silence"]


@pytest.mark.parametrize("samples", NO_SPEECH, ids=NO_SPEECH_IDS)
def test_a_speech_map_claiming_silence_or_noise_never_becomes_text(
    service: IngestService, samples: np.ndarray, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A booth whose VAD took hiss for speech (WebRTC does) claims the whole clip: no
    Silero pass stands between the claim and Whisper, so ingest's own guards must hold (a
    claimed region whose loudest 30 ms stays under -50 dBFS is silence; Whisper's no-speech
    probability with a low log-probability for the rest)."""
    payload, ms = encode_samples(samples)
    clip_id = receive(service, payload, ms, speech=((0, ms),))
    passes = silero_passes(monkeypatch)
    assert worker(service).work_once()  # one clip: the single path
    assert (get(service, clip_id).status, get(service, clip_id).text) == (ClipStatus.NO_SPEECH, "")
    assert passes == []


def test_claims_of_silence_and_noise_stay_empty_in_a_batch(
    service: IngestService, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, speech_wav: Path
) -> None:
    assert service.transcriber is not None
    jobs: list[tuple[Path, str | None]] = []
    maps: list[SpeechMap | None] = []
    for n, samples in enumerate(NO_SPEECH):
        path = tmp_path / f"{n}.ogg"
        payload, ms = encode_samples(samples)
        path.write_bytes(payload)
        jobs.append((path, None))
        maps.append(((0, ms),))
    # A real message whose map claims only the room tone before the caller spoke.
    message = np.concatenate([room_tone(2.0), said(speech_wav)])
    path = tmp_path / "misplaced.ogg"
    path.write_bytes(encode_samples(message)[0])
    jobs.append((path, None))
    maps.append(((0, 1800),))
    passes = silero_passes(monkeypatch)
    results = service.transcriber.transcribe_many(jobs, speech=maps)
    assert [r.text for r in results if not isinstance(r, Exception)] == [""] * 4
    assert passes == []


def test_unreadable_audio_fails_after_retries_and_keeps_audio_and_error(
    service: IngestService, speech_wav: Path
) -> None:
    clip_id = receive(service, *encode_file(speech_wav))
    path = service.store.path(get(service, clip_id).audio_key or "")
    path.write_bytes(b"bit rot" * 100)  # the disk under the store went bad
    w = worker(service)
    # Each try fails; the retry delay is short here, so a few turns reach the last attempt.
    assert wait_until(lambda: not w.work_once() and get(service, clip_id).status == "failed", 30)
    clip = get(service, clip_id)
    assert clip.status == ClipStatus.FAILED
    assert clip.attempts == service.settings.transcribe_max_attempts
    attempts = service.settings.transcribe_max_attempts
    # How often it was tried, and the decoder's word.
    assert clip.error is not None and clip.error.startswith(
        f"failed {attempts} times; last: EOFError"
    )
    assert path.exists(), "a failed clip keeps its audio for a later try"


def test_a_clip_a_crashed_worker_left_is_taken_up_again(
    service: IngestService, speech_wav: Path
) -> None:
    stale = receive(service, *encode_file(speech_wav))
    fresh = receive(service, *encode_file(speech_wav))
    lease = timedelta(seconds=service.settings.transcribe_lease_s)
    with service.sessions.begin() as session:
        for clip_id, claimed in (
            (stale, datetime.now(UTC) - 2 * lease),
            (fresh, datetime.now(UTC)),
        ):
            clip = session.get(Clip, clip_id)
            assert clip is not None
            clip.status, clip.claimed_at, clip.attempts = ClipStatus.TRANSCRIBING, claimed, 1
    w = worker(service)
    assert w.work_once()
    assert not w.work_once(), "a live worker's claim must not be taken"
    assert get(service, stale).status == ClipStatus.TRANSCRIBED
    assert get(service, fresh).status == ClipStatus.TRANSCRIBING


def test_concurrent_claims_never_share_a_clip(service: IngestService, speech_wav: Path) -> None:
    payload, ms = encode_file(speech_wav)
    ids = {receive(service, payload, ms) for _ in range(8)}
    workers = [worker(service) for _ in range(4)]

    def claim_all(w: TranscriptionWorker) -> list[str]:
        taken = []
        while (clip := w.claim()) is not None:
            taken.append(clip.id)
        return taken

    with concurrent.futures.ThreadPoolExecutor(4) as pool:
        results = list(pool.map(claim_all, workers))
    claimed = [clip_id for taken in results for clip_id in taken]
    assert sorted(claimed) == sorted(ids)


def test_a_batch_transcribes_speech_keeps_silence_empty_and_isolates_a_broken_clip(
    service: IngestService, speech_wav: Path, tmp_path: Path
) -> None:
    assert service.transcriber is not None
    quiet = tmp_path / "quiet.ogg"
    quiet.write_bytes(encode_samples(room_tone(6.0))[0])
    broken = tmp_path / "broken.ogg"
    broken.write_bytes(b"OggS" + b"\x00" * 100)
    long_talk = speak(LONG_TALK, tmp_path / "long.wav", lead_s=0.5, tail_s=0.5)  # ~ 40 s
    results = service.transcriber.transcribe_many(
        [(speech_wav, None), (quiet, None), (broken, None), (long_talk, None)]
    )
    speech, silence, failure, long_result = results
    assert not isinstance(speech, Exception) and "benches" in speech.text
    assert not isinstance(silence, Exception) and silence.text == ""
    assert isinstance(failure, Exception)
    assert not isinstance(long_result, Exception)
    assert word_error_rate(LONG_TALK, long_result.text) <= 0.25, long_result.text
    assert len(long_result.segments) >= 2  # more than one 30 s window's worth
    assert long_result.segments[-1].end_s <= long_result.audio_s


def test_two_single_threaded_replicas_hear_what_one_model_hears(
    speech_wav: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from ingest.transcribe import batching
    from ingest.transcribe.transcriber import Transcriber

    talk = speak(LONG_TALK, tmp_path / "long.wav", lead_s=0.5, tail_s=0.5)
    clips: list[tuple[Path, str | None]] = [(speech_wav, None), (talk, None)] * 3
    one = Transcriber(None, threads=2, replicas=1, beam_size=2)
    two = Transcriber(None, threads=2, replicas=2, beam_size=2)
    assert two.replicas == 2 and two._model.model.num_workers == 2
    threads: set[str] = set()
    decode = batching._decode_batch

    def watched(*args: Any) -> None:
        threads.add(threading.current_thread().name)
        decode(*args)

    monkeypatch.setattr(batching, "_decode_batch", watched)
    heard = [r.text for r in two.transcribe_many(clips, 8)]  # type: ignore[union-attr]
    monkeypatch.undo()
    assert len(threads) == 2  # both replicas worked
    assert heard == [r.text for r in one.transcribe_many(clips, 8)]  # type: ignore[union-attr]


def test_a_batch_is_encoded_in_a_window_as_long_as_its_longest_piece(
    speech_wav: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """CTranslate2 takes log-mel windows shorter than Whisper's 30 s (as faster-whisper's
    `chunk_length` does); a short message pays for its own length and a tail of silence,
    not for 30 s, and is heard all the same. A piece near 28 s still gets the full window.
    A model of its own: the service's may be busy with other clips on other threads."""
    from ingest.transcribe import batching
    from ingest.transcribe.transcriber import Transcriber

    transcriber = Transcriber(None, threads=2, replicas=1, beam_size=2)
    model = transcriber._model
    widths: list[int] = []
    encode = model.encode

    def watched(features: np.ndarray) -> Any:
        widths.append(features.shape[-1])
        return encode(features)

    monkeypatch.setattr(model, "encode", watched)
    talk = speak(LONG_TALK, tmp_path / "long.wav", lead_s=0.5, tail_s=0.5)
    short, long = transcriber.transcribe_many([(speech_wav, None), (talk, None)], 1)
    assert not isinstance(short, Exception) and "benches" in short.text
    assert not isinstance(long, Exception)
    assert word_error_rate(LONG_TALK, long.text) <= 0.25, long.text
    speech_s = short.audio_s  # at most: the piece is the speech within the clip
    limit = speech_s * 100 + batching.TAIL_FRAMES + batching.WINDOW_STEP
    assert widths[0] <= limit and widths[0] % 2 == 0
    assert max(widths) == batching.FRAMES


def test_what_a_clip_is_heard_to_say_does_not_depend_on_its_batch_mates(
    speech_wav: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Each batch is encoded in one window; were it as wide as its longest piece, a short
    clip batched with a long one would be heard in a wider window than alone, and Whisper
    once heard 'about the new playground' as 'A behind-emoutment who play around' that way.
    A batch holds pieces of one window width only: the short clip's window is the same
    alone and beside a long clip, and so is what it is heard to say."""
    from ingest.transcribe.transcriber import Transcriber

    transcriber = Transcriber(None, threads=2, replicas=1, beam_size=2)
    model = transcriber._model
    windows: list[tuple[int, ...]] = []
    encode = model.encode

    def watched(features: np.ndarray) -> Any:
        windows.append(features.shape)
        return encode(features)

    monkeypatch.setattr(model, "encode", watched)
    talk = speak(LONG_TALK, tmp_path / "long.wav", lead_s=0.5, tail_s=0.5)
    (alone,) = transcriber.transcribe_many([(speech_wav, None)], 8)
    short_window = windows[-1][-1]
    together, _ = transcriber.transcribe_many([(speech_wav, None), (talk, None)], 8)
    assert not isinstance(alone, Exception) and not isinstance(together, Exception)
    assert short_window in [shape[-1] for shape in windows[1:]]  # batched apart, same width
    assert together.text == alone.text


LONG_TALK = (
    "The bus to the city center should come every ten minutes in the morning. "
    "Please keep the library open on Sundays, it is the only quiet place for students. "
    "The bicycle lane on the main road ends suddenly and that is dangerous for children. "
    "I would like a playground for older kids with a basketball court. "
    "There is too much litter around the shopping center after the weekend. "
    "Our neighborhood needs a place where young and old people can meet. "
    "The street lights in the tunnel under the railway are broken again. "
    "Make the harbour front a place for swimming in the summer."
)


def test_the_worker_takes_a_batch_from_the_queue(service: IngestService, speech_wav: Path) -> None:
    ids = [receive(service, *encode_file(speech_wav)) for _ in range(3)]
    assert worker(service).work_once()
    assert [get(service, clip_id).status for clip_id in ids] == [ClipStatus.TRANSCRIBED] * 3


def test_clips_load_the_same_through_libsndfile_and_pyav(speech_wav: Path, tmp_path: Path) -> None:
    """Booth formats take libsndfile's fast path; another rate or layout (a 48 kHz stereo
    recording, as a USB card makes) goes through PyAV, resampled; both give Whisper the
    same 16 kHz mono signal."""
    import soundfile as sf
    from faster_whisper.audio import decode_audio

    from ingest.transcribe.batching import RATE, load

    opus = tmp_path / "clip.ogg"
    opus.write_bytes(encode_file(speech_wav)[0])
    fast, reference = load(str(opus)), decode_audio(str(opus), sampling_rate=RATE)
    assert fast.dtype == np.float32 and fast.ndim == 1 and len(fast) == len(reference)
    # PyAV decodes Opus at 48 kHz and resamples, libsndfile decodes at 16 kHz: not the same
    # samples, the same signal.
    assert np.corrcoef(fast, reference)[0, 1] > 0.99

    mono, _ = sf.read(speech_wav, dtype="float32")
    card = tmp_path / "card.wav"
    sf.write(
        card,
        np.repeat(
            np.interp(np.arange(0, len(mono), 1 / 3), np.arange(len(mono)), mono)[:, None],
            2,
            axis=1,
        ),
        48_000,
    )
    resampled = load(str(card))
    assert resampled.ndim == 1 and abs(len(resampled) - len(mono)) <= RATE // 100
    # The same speech after a round trip through 48 kHz stereo: the signals line up.
    n = min(len(resampled), len(mono))
    assert np.corrcoef(resampled[:n], mono[:n])[0, 1] > 0.95

    with pytest.raises(OSError):  # neither decoder finds it: PyAV's error is the one seen
        load(str(tmp_path / "missing.ogg"))
