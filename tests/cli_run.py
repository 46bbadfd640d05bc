"""Running the command line inside a test: its status (argparse's exit included) and output."""

from __future__ import annotations

from establishment.cli.main import main


def run(capsys, *args: str) -> tuple[int, str, str]:
    """``establishment ARGS``: (exit status, stdout, stderr); an argparse error's SystemExit
    is its status, as the shell would see it."""
    try:
        code = main(list(args))
    except SystemExit as exit_:  # argparse errors
        code = exit_.code
    out, err = capsys.readouterr()
    return code, out, err
