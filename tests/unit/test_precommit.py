"""The pre-commit hooks run what `make lint` runs, so a commit meets CI's lint."""

import re
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[2]


def lint_commands() -> list[str]:
    makefile = (ROOT / "Makefile").read_text()
    recipe = re.search(r"^lint:.*\n((?:\t.*\n)+)", makefile, re.MULTILINE)
    assert recipe, "no lint target in the Makefile"
    return [line.strip().replace("$(BIN)/", ".venv/bin/") for line in recipe.group(1).splitlines()]


def hook_commands() -> list[str]:
    config = yaml.safe_load((ROOT / ".pre-commit-config.yaml").read_text())
    return [
        hook["entry"].replace(" --force-exclude", "")
        for repo in config["repos"]
        for hook in repo["hooks"]
    ]


def test_each_lint_command_is_a_hook() -> None:
    hooks = hook_commands()
    for command in lint_commands():
        # make runs over the tree ("."); pre-commit hands over the changed files instead
        assert command.removesuffix(" .") in hooks, f"{command!r} is not a pre-commit hook"
