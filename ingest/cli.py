"""`ingest` command: serve the service, manage the booth registry."""

import argparse
import logging
import sys
from datetime import UTC, datetime

from sqlalchemy import select

from ingest.database import make_engine, migrate, session_factory
from ingest.models import Booth
from ingest.settings import IngestSettings
from shared.topics import check_slug


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="ingest", description=__doc__)
    parser.add_argument("--log-level", default="INFO")
    commands = parser.add_subparsers(dest="command", required=True)

    serve = commands.add_parser("serve", help="API, MQTT receiver and transcription in one process")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8000)

    booth = commands.add_parser("booth", help="the registry of booths allowed to send clips")
    booth_commands = booth.add_subparsers(dest="booth_command", required=True)
    add = booth_commands.add_parser("add")
    add.add_argument("booth_id")
    add.add_argument("--neighborhood", required=True)
    add.add_argument("--location")
    add.add_argument("--notes")
    booth_commands.add_parser("list")
    remove = booth_commands.add_parser("remove")
    remove.add_argument("booth_id")

    args = parser.parse_args(argv)
    logging.basicConfig(
        level=args.log_level.upper(), format="%(asctime)s %(levelname)s %(name)s: %(message)s"
    )
    settings = IngestSettings()
    if args.command == "serve":
        return _serve(settings, args.host, args.port)
    return _booth(settings, args)


def _serve(settings: IngestSettings, host: str, port: int) -> int:
    import uvicorn

    from ingest.app import create_app

    uvicorn.run(create_app(settings), host=host, port=port, log_config=None)
    return 0


def _booth(settings: IngestSettings, args: argparse.Namespace) -> int:
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    engine = make_engine(settings.sqlalchemy_url)
    migrate(engine)
    sessions = session_factory(engine)
    with sessions.begin() as session:
        if args.booth_command == "add":
            try:
                booth_id = check_slug(args.booth_id, "booth id")
                neighborhood = check_slug(args.neighborhood, "neighborhood")
            except ValueError as exc:
                print(f"error: {exc}", file=sys.stderr)
                return 2
            booth = session.get(Booth, booth_id) or Booth(id=booth_id, created_at=datetime.now(UTC))
            booth.neighborhood = neighborhood
            booth.location = args.location
            booth.notes = args.notes
            session.add(booth)
            print(f"booth {booth_id} registered in {neighborhood}")
        elif args.booth_command == "list":
            for booth in session.scalars(select(Booth).order_by(Booth.id)):
                print(f"{booth.id}\t{booth.neighborhood}\t{booth.location or ''}")
        else:
            found = session.get(Booth, args.booth_id)
            if found is None:
                print(f"error: no booth {args.booth_id}", file=sys.stderr)
                return 1
            session.delete(found)
            print(f"booth {args.booth_id} removed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
