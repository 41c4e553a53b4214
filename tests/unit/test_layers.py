"""The rooms of ingest/ import downwards only, and the two halves of the system stay apart.

A room may import from rooms ranked below it and from itself, never from one ranked
above it or beside it: the HTTP layer uses the domain, never the reverse; the store knows
no page; the booth and the ingest service share only `shared/`.
"""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

# Bottom to top. Rooms on one rank are siblings and may not import each other.
RANKS: list[set[str]] = [
    {"base"},  # ingest/__init__, errors, settings, metrics, logs, city_time, roles, watchdog
    {"language"},
    {"store"},
    {"review"},
    {"publish", "fleet", "transcribe"},
    {"receive"},
    {"sessions"},
    {"service"},
    {"http"},
    {"cli"},
]
RANK = {room: n for n, rooms in enumerate(RANKS) for room in rooms}
TOP_LEVEL_ROOMS = {"sessions", "service", "cli"}


def room_of(module: str) -> str:
    """The room of a dotted module name inside ingest."""
    parts = module.split(".")
    if len(parts) == 1:
        return "base"
    name = parts[1]
    if name in RANK and name not in {"base"}:
        return name
    return "base"


def imports_of(path: Path) -> list[tuple[int, str]]:
    """(line, dotted module) of every import in a file, lazy ones inside functions too."""
    found: list[tuple[int, str]] = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.append((node.lineno, node.module))
            # `from ingest import city_time` imports the module ingest.city_time
            found += [(node.lineno, f"{node.module}.{alias.name}") for alias in node.names]
    return found


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def package_files(package: str) -> list[Path]:
    return sorted((ROOT / package).rglob("*.py"))


def is_module(dotted: str) -> bool:
    path = ROOT.joinpath(*dotted.split("."))
    return path.with_suffix(".py").exists() or (path / "__init__.py").exists()


def test_every_ingest_module_lives_in_a_known_room() -> None:
    for path in package_files("ingest"):
        parts = path.relative_to(ROOT / "ingest").parts
        if len(parts) == 1:
            stem = path.stem
            assert stem in TOP_LEVEL_ROOMS or stem in {
                "__init__",
                "errors",
                "settings",
                "metrics",
                "logs",
                "city_time",
                "roles",
                "watchdog",
            }, f"{path}: a new top-level module; put it in a room or add it to the base"
        else:
            assert parts[0] in RANK, f"{path}: room {parts[0]!r} has no rank"


def test_ingest_imports_point_down_only() -> None:
    wrong: list[str] = []
    for path in package_files("ingest"):
        if "migrations" in path.parts:
            continue  # checked below: migrations import nothing of the application
        here = room_of(module_name(path))
        for line, target in imports_of(path):
            if not target.startswith("ingest.") or not is_module(target):
                continue
            there = room_of(target)
            if there != here and RANK[there] >= RANK[here]:
                wrong.append(f"{path.relative_to(ROOT)}:{line} ({here}) imports {target} ({there})")
    assert not wrong, "imports that point up or sideways:\n" + "\n".join(wrong)


def test_migrations_import_nothing_of_the_application() -> None:
    # A later change of the code must not change what an old migration does; derived data
    # comes from the rules the caller hands over (ingest.store.database.Derived).
    versions = ROOT / "ingest" / "store" / "migrations" / "versions"
    wrong = [
        f"{path.name}:{line} imports {target}"
        for path in sorted(versions.glob("*.py"))
        for line, target in imports_of(path)
        if target.split(".")[0] in {"ingest", "booth", "shared"}
    ]
    assert not wrong, "\n".join(wrong)


@pytest.mark.parametrize(
    ("package", "forbidden"),
    [("booth", {"ingest"}), ("ingest", {"booth"}), ("shared", {"booth", "ingest"})],
)
def test_the_two_halves_share_only_the_protocol(package: str, forbidden: set[str]) -> None:
    wrong = [
        f"{path.relative_to(ROOT)}:{line} imports {target}"
        for path in package_files(package)
        for line, target in imports_of(path)
        if target.split(".")[0] in forbidden
    ]
    assert not wrong, "\n".join(wrong)


def test_room_of_reads_dotted_names() -> None:
    # The rule above is only as good as this mapping.
    assert room_of("ingest.store.models") == "store"
    assert room_of("ingest.http.routes.clips") == "http"
    assert room_of("ingest.settings") == "base"
    assert room_of("ingest.cli") == "cli"
    assert RANK["store"] < RANK["publish"] < RANK["http"]
