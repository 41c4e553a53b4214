"""`booth` command: run the booth, check its hardware, or simulate calls."""

import argparse
import logging
import sys
from pathlib import Path

from pydantic import ValidationError

from booth.settings import BoothSettings


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="booth", description=__doc__)
    parser.add_argument("--log-level", default="INFO")
    commands = parser.add_subparsers(dest="command", required=True)

    sim = commands.add_parser("simulate", help="place calls on simulated hardware")
    sim.add_argument(
        "--audio", type=Path, action="append", required=True, help="what the caller says"
    )
    sim.add_argument("--digit", help="theme digit the caller dials")
    sim.add_argument("--speed", type=float, default=1.0, help="run faster than real time")
    sim.add_argument("--timeout", type=float, default=120.0)

    args = parser.parse_args(argv)
    logging.basicConfig(
        level=args.log_level.upper(), format="%(asctime)s %(levelname)s %(name)s: %(message)s"
    )
    try:
        settings = BoothSettings()
    except ValidationError as exc:
        print(f"error: bad booth settings:\n{exc}", file=sys.stderr)
        return 2

    if args.command == "simulate":
        from booth import simulate

        missing = [str(p) for p in args.audio if not p.is_file()]
        if missing:
            print(f"error: no such audio file: {', '.join(missing)}", file=sys.stderr)
            return 2
        return simulate.run(
            settings, args.audio, digit=args.digit, speed=args.speed, timeout=args.timeout
        )
    return 2


if __name__ == "__main__":
    sys.exit(main())
