"""The command line's entry point: `replay` runs without typer (its start-up counts when a
corpus is replayed file by file), `--help` without Rich, and `replay` reached through the typer
application (as CliRunner and `python -m disputedesk.cli` reach it) behaves the same."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from typer.testing import CliRunner

from disputedesk.cli import app

SCENARIOS = Path(__file__).parent / "scenarios"
ONE = sorted(SCENARIOS.glob("*.json"))[0]


def _modules_after(argv: list[str]) -> set[str]:
    """The modules loaded by running `disputedesk ARGV` in a fresh interpreter."""
    probe = (
        "import sys, json\n"
        f"sys.argv = ['disputedesk', *{argv!r}]\n"
        "from disputedesk.cli import main\n"
        "try:\n"
        "    main()\n"
        "except SystemExit:\n"
        "    pass\n"
        "sys.stderr.write('\\n' + json.dumps(sorted(sys.modules)))\n"
    )
    run = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, timeout=60, check=True
    )
    return set(json.loads(run.stderr.strip().splitlines()[-1]))


def test_replay_loads_neither_typer_nor_the_store() -> None:
    loaded = _modules_after(["replay", str(ONE)])
    assert "disputedesk.replay" in loaded
    assert not {m for m in loaded if m.split(".")[0] in {"typer", "rich", "sqlalchemy", "click"}}


def test_help_is_plain_text_without_rich() -> None:
    loaded = _modules_after(["--help"])
    assert "typer" in loaded and "rich" not in loaded


def test_replay_through_the_typer_application_is_the_same_command() -> None:
    direct = subprocess.run(
        [sys.executable, "-m", "disputedesk.cli", "replay", str(ONE)],
        capture_output=True,
        text=True,
        timeout=60,
    )
    runner = CliRunner()
    via_typer = runner.invoke(app, ["replay", str(ONE)])
    assert direct.returncode == via_typer.exit_code == 0
    assert json.loads(direct.stdout) == json.loads(via_typer.stdout)
    helped = runner.invoke(app, ["replay", "--help"])
    assert helped.exit_code == 0 and "--overrides FILE" in helped.stdout
    bad = runner.invoke(app, ["replay", "--format", "xml", str(ONE)])
    assert bad.exit_code == 2
    assert "replay" in runner.invoke(app, ["--help"]).stdout


def test_a_missing_file_is_one_line_and_status_2(tmp_path: Path) -> None:
    run = subprocess.run(
        [sys.executable, "-m", "disputedesk.cli", "replay", str(tmp_path / "nope.json")],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert run.returncode == 2
    assert run.stderr.count("\n") == 1 and "cannot read" in run.stderr
