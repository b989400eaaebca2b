"""The ``minecase`` command line.

Each command module is registered below with one line. Commands build ``Settings()`` when they run,
never at import. To report bad user input, raise a ``models.errors.MinecaseError`` (subclass): the
root group prints its bilingual message on one line to stderr and exits with code 2, no traceback.
Click's own usage errors (unknown option, not an integer, …) get the same one-line treatment.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence
from typing import Any, NoReturn

import typer
from typer.core import TyperGroup

try:  # typer ≥ 0.2x carries its own copy of click
    from typer._click.exceptions import ClickException
except ImportError:  # pragma: no cover - older typer on the click package
    from click.exceptions import ClickException

from pydantic import ValidationError

from cli import calendar_commands, case_commands, db_commands, dossier_commands, report_commands, townships_commands, users_commands
from models.errors import MinecaseError

USAGE_ERROR = 2


def fail(message: str, code: int = USAGE_ERROR) -> NoReturn:
    """Print ``message`` as one line on stderr and exit with ``code``."""
    typer.echo(f"错误 error: {' '.join(message.split())}", err=True)
    sys.exit(code)


class MinecaseGroup(TyperGroup):
    """Root group: turns user errors into one line on stderr and an exit code, never a traceback."""

    def main(
        self,
        args: Sequence[str] | None = None,
        prog_name: str | None = None,
        complete_var: str | None = None,
        standalone_mode: bool = True,
        **extra: Any,
    ) -> Any:
        if not standalone_mode:
            return super().main(args, prog_name, complete_var, standalone_mode=False, **extra)
        try:
            rv = super().main(args, prog_name, complete_var, standalone_mode=False, **extra)
        except MinecaseError as e:
            fail(e.message)
        except ValidationError as e:  # a message or record built from the command line was refused
            fail("输入有误 / invalid input: " + "; ".join(
                f"{'.'.join(map(str, err['loc']))}: {err['msg'].removeprefix('Value error, ')}" for err in e.errors()))
        except ClickException as e:
            if type(e).__name__ == "NoArgsIsHelpError":  # the group's help, asked for by giving no command
                if e.format_message().strip():  # plain click; typer's rich help is already printed
                    e.show()
                sys.exit(e.exit_code)
            ctx = getattr(e, "ctx", None)
            hint = f" (见 see: {ctx.command_path} --help)" if ctx else ""
            fail(f"命令行有误 / bad command line: {e.format_message()}{hint}", e.exit_code)
        except typer.Abort:
            fail("已中止 / aborted", 1)
        sys.exit(rv if isinstance(rv, int) else 0)  # an int is a typer.Exit code: commands return None


app = typer.Typer(
    cls=MinecaseGroup,
    name="minecase",
    help="停产非煤矿山整治案件管理 / case management for the stopped-mine rectification campaign",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_show_locals=False,
)

app.command("deadline")(calendar_commands.deadline)
app.add_typer(calendar_commands.calendar_app, name="calendar")
case_commands.register_commands(app)
app.add_typer(users_commands.users_app, name="users")
app.add_typer(db_commands.db_app, name="db")
app.add_typer(townships_commands.townships_app, name="townships")
app.command("dossier")(dossier_commands.dossier)
app.add_typer(report_commands.report_app, name="report")
app.add_typer(report_commands.fund_app, name="fund")


def main() -> None:
    """The ``minecase`` command. It leaves without the interpreter's finalization (after flushing): the
    Temporal SDK's runtime threads can abort a finalizing interpreter after the work is done
    (``PyGILState_Release``, temporalio sdk-python#300), turning a finished command into exit -6."""
    code: int = 0
    try:
        app(prog_name="minecase")
    except SystemExit as done:
        if isinstance(done.code, str):
            print(done.code, file=sys.stderr)
            code = 1
        else:
            code = done.code or 0
    finally:
        sys.stdout.flush()
        sys.stderr.flush()
    os._exit(code)


if __name__ == "__main__":
    main()
