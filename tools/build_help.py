"""Store the top-level ``propgen --help`` text that ``propgen/__main__.py`` prints.

Run after changing the commands or their one-line descriptions:
``python tools/build_help.py`` (tests/test_cli.py fails until you do).
"""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from propgen.__main__ import CLICK_WIDTH, HELP_FILE
from propgen.cli import cli


def click_help() -> str:
    """What click prints for ``propgen --help`` on a terminal 80 columns or wider."""
    runner = CliRunner(env={"COLUMNS": str(CLICK_WIDTH)})
    result = runner.invoke(cli, ["--help"], prog_name="propgen")
    assert result.exit_code == 0, result.output
    return result.output


if __name__ == "__main__":
    Path(HELP_FILE).write_text(click_help(), encoding="utf-8")
    print(f"wrote {HELP_FILE}")
