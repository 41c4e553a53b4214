"""Themes: the questions put to citizens. Every change republishes the affected booths'
configs. Prompt audio is uploaded here and served to booths under /prompts."""

import io
from datetime import UTC, datetime
from typing import Annotated, Any

import soundfile as sf
from fastapi import APIRouter, Body, HTTPException, Response
from sqlalchemy import select

from ingest.city_time import today as city_today
from ingest.http.deps import AUTH_ERRORS, Planner, Reader, ServiceDep, SessionDep
from ingest.http.params import ThemeSlug
from ingest.http.schemas import ThemeIn, ThemeNew, ThemeOut
from ingest.review.audit import record
from ingest.store.models import Prompt, Theme
from shared.clip import sha256_hex

router = APIRouter(prefix="/api/themes", tags=["themes"], responses=AUTH_ERRORS)
prompts = APIRouter(tags=["booths"])
NOT_FOUND: dict[int | str, dict[str, Any]] = {404: {"description": "no such theme"}}


@router.get("", response_model=list[ThemeOut])
def list_themes(session: SessionDep, _who: Reader) -> list[ThemeOut]:
    today = city_today()
    return [ThemeOut.of(t, today) for t in session.scalars(select(Theme).order_by(Theme.slug))]


@router.post(
    "", response_model=ThemeOut, status_code=201, responses={409: {"description": "exists"}}
)
def create_theme(
    body: ThemeNew, session: SessionDep, service: ServiceDep, who: Planner
) -> ThemeOut:
    if session.get(Theme, body.slug) is not None:
        raise HTTPException(409, "theme already exists")
    now = datetime.now(UTC)
    theme = Theme(**body.model_dump(), created_at=now, updated_at=now)
    session.add(theme)
    record(session, who, "theme_create", None, {"theme": body.slug})
    session.commit()
    service.fleet.publish_configs()
    return ThemeOut.of(theme, city_today())


@router.put("/{slug}", response_model=ThemeOut, responses=NOT_FOUND)
def update_theme(
    slug: ThemeSlug, body: ThemeIn, session: SessionDep, service: ServiceDep, who: Planner
) -> ThemeOut:
    theme = session.get(Theme, slug)
    if theme is None:
        raise HTTPException(404, "no such theme")
    for key, value in body.model_dump().items():
        setattr(theme, key, value)
    theme.updated_at = datetime.now(UTC)
    record(session, who, "theme_update", None, {"theme": slug})
    session.commit()
    service.fleet.publish_configs()
    return ThemeOut.of(theme, city_today())


@router.delete("/{slug}", response_model=ThemeOut, responses=NOT_FOUND)
def retire_theme(
    slug: ThemeSlug, session: SessionDep, service: ServiceDep, who: Planner
) -> ThemeOut:
    """Retire: booths stop offering it; its clips stay."""
    theme = session.get(Theme, slug)
    if theme is None:
        raise HTTPException(404, "no such theme")
    theme.retired_at = theme.retired_at or datetime.now(UTC)
    record(session, who, "theme_retire", None, {"theme": slug})
    session.commit()
    service.fleet.publish_configs()
    return ThemeOut.of(theme, city_today())


@router.put(
    "/{slug}/prompt",
    response_model=ThemeOut,
    responses={**NOT_FOUND, 422: {"description": "not 16 kHz audio"}},
    openapi_extra={
        "requestBody": {
            "required": True,
            "content": {
                "application/octet-stream": {
                    "schema": {"type": "string", "format": "binary", "maxLength": 5_000_000}
                }
            },
        }
    },
)
def upload_prompt(
    slug: ThemeSlug,
    session: SessionDep,
    service: ServiceDep,
    who: Planner,
    audio: Annotated[bytes, Body(media_type="application/octet-stream")] = b"",
) -> ThemeOut:
    """The recorded question, as a 16 kHz mono (or stereo: first channel used) audio file."""
    theme = session.get(Theme, slug)
    if theme is None:
        raise HTTPException(404, "no such theme")
    limit = service.settings.max_prompt_bytes
    if not audio or len(audio) > limit:
        raise HTTPException(422, f"prompt must be 1..{limit} bytes of audio")
    longest = service.settings.max_prompt_s
    try:
        # The header first: a small file may decode to a huge one (FLAC of silence).
        with sf.SoundFile(io.BytesIO(audio)) as header:
            rate, frames, channels = header.samplerate, header.frames, header.channels
            if rate != 16000 or frames <= 0:
                raise HTTPException(422, f"prompt must be 16 kHz audio, not {rate} Hz")
            if frames > longest * rate or channels > 2:
                raise HTTPException(
                    422, f"prompt must be at most {longest:.0f} s of mono or stereo audio"
                )
            samples = header.read(dtype="int16", always_2d=True)
    except (sf.LibsndfileError, RuntimeError, TypeError) as exc:
        raise HTTPException(422, f"not audio: {exc}") from exc
    if len(samples) == 0:
        raise HTTPException(422, "prompt holds no audio")
    wav = io.BytesIO()
    sf.write(wav, samples[:, 0], 16000, format="WAV", subtype="PCM_16")
    data = wav.getvalue()
    digest = sha256_hex(data)
    # In the database, with the theme that names it: the process that publishes configs
    # may run on another host, and a backup of the database holds it.
    if session.get(Prompt, digest) is None:
        session.add(Prompt(sha256=digest, wav=data, created_at=datetime.now(UTC)))
    theme.prompt_sha256 = digest
    theme.updated_at = datetime.now(UTC)
    record(session, who, "theme_prompt", None, {"theme": slug, "sha256": digest})
    session.commit()
    service.fleet.publish_configs()
    return ThemeOut.of(theme, city_today())


@prompts.get(
    "/prompts/{sha256}.wav",
    response_class=Response,
    responses={
        200: {"content": {"audio/wav": {}}, "description": "the prompt"},
        404: {"description": "no such prompt"},
    },
)
def get_prompt(sha256: str, session: SessionDep, service: ServiceDep) -> Response:
    """Theme prompt audio, fetched by booths (public: it is what every caller hears)."""
    if len(sha256) != 64 or any(c not in "0123456789abcdef" for c in sha256):
        raise HTTPException(404, "no such prompt")
    wav = service.fleet.prompt(session, sha256)
    if wav is None:
        raise HTTPException(404, "no such prompt")
    session.commit()  # a prompt of an older install, copied into the database
    return Response(wav, media_type="audio/wav")
