"""`booth` command: run the booth, check its hardware, or simulate calls."""

import argparse
import contextlib
import logging
import sys
from pathlib import Path

from pydantic import ValidationError

from booth.pins import EX_CONFIG
from booth.settings import BoothSettings, config_file


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="booth", description=__doc__)
    parser.add_argument("--log-level", default="INFO")
    commands = parser.add_subparsers(dest="command", required=True)

    sim = commands.add_parser("simulate", help="place calls on simulated hardware")
    sim.add_argument(
        "--audio",
        type=Path,
        action="append",
        default=[],
        help="what a caller says (once per call); none: only deliver what the spool holds",
    )
    sim.add_argument("--digit", help="theme digit the caller dials")
    sim.add_argument("--speed", type=float, default=1.0, help="run faster than real time")
    sim.add_argument("--timeout", type=float, default=120.0)

    commands.add_parser("run", help="run the booth on its hardware (config: BOOTH_CONFIG_FILE)")
    check_parser = commands.add_parser(
        "check", help="self-test: config, pins, speaker, microphone, broker, clock, spool"
    )
    check_parser.add_argument(
        "--interactive", action="store_true", help="also walk through the hook, keys and LED"
    )
    check_parser.add_argument(
        "--boot",
        action="store_true",
        help="as at start-up: only what a restart cannot fix fails; broker, sound card, clock "
        "and free space are reported, since the booth copes without them",
    )

    wiring = commands.add_parser(
        "set-hardware",
        help="replace /etc/booth/hardware.toml with a hardware profile, checked first",
    )
    wiring.add_argument(
        "profile", help="a shipped profile (keypad-usb-handset, ...) or the path of a .toml file"
    )

    args = parser.parse_args(argv)
    if args.command == "set-hardware":  # before the settings: the file in use may be broken
        from booth.hardware_file import set_hardware

        return set_hardware(args.profile)
    logging.basicConfig(
        level=args.log_level.upper(), format="%(asctime)s %(levelname)s %(name)s: %(message)s"
    )
    try:
        settings = BoothSettings()
    except (ValidationError, ValueError) as exc:  # a bad file or variable, said plainly
        print(f"error: bad booth settings:\n{exc}", file=sys.stderr)
        return EX_CONFIG

    if args.command == "simulate":
        from booth import simulate

        missing = [str(p) for p in args.audio if not p.is_file()]
        if missing:
            print(f"error: no such audio file: {', '.join(missing)}", file=sys.stderr)
            return 2
        return simulate.run(
            settings, args.audio, digit=args.digit, speed=args.speed, timeout=args.timeout
        )
    if args.command == "check":
        from booth import check

        return check.run(settings, interactive=args.interactive, boot=args.boot)
    return _run(settings)


def _run(settings: BoothSettings) -> int:
    import signal

    from booth.errors import AudioDeviceError, BoothError
    from booth.lock import AgentLock
    from booth.pins import PinFactoryError, PinPlanError
    from booth.soundcard import SoundDeviceAudio
    from booth.station import Station

    if not settings.configured:
        print(
            f"error: no booth id: {config_file()} is missing or sets no `id`; "
            "copy the booth's bundle there (docs/technician.md)",
            file=sys.stderr,
        )
        return EX_CONFIG
    _report_start(settings)
    lock = AgentLock(settings.state_dir)
    if not lock.acquire():
        print(
            f"error: another booth agent is running ({lock.path} is held): "
            "`systemctl status booth`",
            file=sys.stderr,
        )
        return 1
    try:
        audio = SoundDeviceAudio(
            settings.output_device, settings.input_device, gain_db=settings.output_gain_db
        )
        station = Station(settings, audio)
    except (PinPlanError, PinFactoryError, AudioDeviceError) as exc:
        print(f"error: {exc}", file=sys.stderr)  # restarting cannot fix these
        return EX_CONFIG
    except (BoothError, OSError, RuntimeError) as exc:
        # gpiozero raises its own errors (pin busy): name them for the technician.
        print(f"error: cannot start the booth: {type(exc).__name__}: {exc}", file=sys.stderr)
        print("run `booth check` for a full report", file=sys.stderr)
        return 1
    signal.signal(signal.SIGTERM, lambda *_: station.stop())
    with station, contextlib.suppress(KeyboardInterrupt):
        station.wait()
    if station.crashed is not None:
        print(f"error: the booth agent stopped: {station.crashed}", file=sys.stderr)
        return 1
    return 0


def _report_start(settings: BoothSettings) -> None:
    """The start-up report in the journal: config, clock, spool. Nothing here plays a sound
    or claims a pin (the agent claims them once, right after), and nothing here stops the
    start: a clock not yet set or a full card only degrade the booth."""
    from booth.check import check_clock, check_config, check_spool

    for finding in (check_config(settings), check_clock(settings), check_spool(settings)):
        print(finding.line(boot=True), flush=True)


if __name__ == "__main__":
    sys.exit(main())
