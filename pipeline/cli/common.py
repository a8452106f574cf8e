"""What every command shares: the typer apps, the consoles, one-line errors, JSON output.

Heavy libraries (chromadb, langchain, openai, rich's console) are imported inside the commands that
need them, so ``gongwen --help`` starts instantly.
"""

from __future__ import annotations

import functools
import json
import os
import sys
from collections.abc import Callable
from typing import Annotated, Any, NoReturn, ParamSpec, TypeVar

import typer

from .. import __version__
from ..errors import GongwenError, Interrupted, debugging
from ..i18n import N_, _


def _typer_in_our_words() -> None:
    """typer's own words in ``--help`` in the interface's language. typer passes its section headings
    (Arguments, Options, Commands) and [default: …] through gettext's default domain, which follows only
    the locale and needs a compiled catalog: its module's ``_`` is pointed at ours. The click it ships
    writes 「Usage:」 and the help option's 「Show this message and exit.」 without gettext: those two
    are wrapped here. (Its errors about the command line itself stay English; see i18n.py.)"""
    import typer.core
    from typer._click import decorators, formatting

    typer.core._ = _  # type: ignore[attr-defined]
    write_usage = formatting.HelpFormatter.write_usage
    help_option = decorators.help_option

    def usage(self: formatting.HelpFormatter, prog: str, args: str = "", prefix: str | None = None) -> None:
        write_usage(self, prog, args, _("Usage: ") if prefix is None else prefix)

    def translated_help(param_decls: list[str]) -> Callable[[Any], Any]:
        def add(command: Any) -> Any:
            command = help_option(param_decls)(command)
            command.params[-1].help = _("Show this message and exit.")
            return command
        return add

    formatting.HelpFormatter.write_usage = usage  # type: ignore[method-assign]
    decorators.help_option = translated_help


# What typer itself says through gettext, for the catalog (tests/test_i18n.py checks typer still says it).
TYPER_WORDS = (N_("Arguments"), N_("Options"), N_("Commands"), N_("default: {default}"), N_("required"),
               N_("Missing command."), N_("No such command {name!r}."), N_("(dynamic)"), N_("env var: {var}"),
               N_("Aborted!"))

_typer_in_our_words()

# Plain help (rich_markup_mode=None): typer's rich-rendered help imports half of rich, which made
# `gongwen --help` take 150 ms here instead of ~95.
app = typer.Typer(
    help=_("gongwen: draft 述职报告 from bullet-point facts, in the style of your own example reports."),
    no_args_is_help=True, pretty_exceptions_enable=False, add_completion=False, rich_markup_mode=None,
)
corpus_app = typer.Typer(help=_("The example reports used as style references."), no_args_is_help=True,
                         rich_markup_mode=None)
app.add_typer(corpus_app, name="corpus")
facts_app = typer.Typer(help=_("The facts file: this year's facts as bullet points."), no_args_is_help=True,
                        rich_markup_mode=None)
app.add_typer(facts_app, name="facts")


class _Console:
    """rich's Console, made on first use: importing rich.console would add 20 ms to every start."""

    def __init__(self, **options: Any) -> None:
        self._options = options
        self._console: Any = None

    def __getattr__(self, name: str) -> Any:
        if self._console is None:
            from rich.console import Console

            self._console = Console(**self._options)
        return getattr(self._console, name)


out = _Console(highlight=False)
err = _Console(stderr=True, highlight=False)

P = ParamSpec("P")
R = TypeVar("R")

JsonOpt = Annotated[bool, typer.Option("--json", help=_("Print machine-readable JSON."))]

# The model options `draft` and `revise` share.
TIMEOUT_HELP = _("Seconds to wait for one reply (default: for an endpoint on this machine, enough for the "
                 "prompt and the reply's token cap at a slow CPU's speed, 10 prompt and 4 generated tokens a "
                 "second; 120 otherwise). Connecting gives up after 2 s, so a refused or dead endpoint fails in "
                 "under 15 s with the default retries.")
CONCURRENCY_HELP = _("Sections drafted at once (default: as many as the server says it serves, where it does "
                     "(llama.cpp); 1 for an endpoint on this machine; 4 otherwise).")
STYLE_HELP = _("How example paragraphs are shown to the model: patterns (sentence shapes, facts and unit names "
               "masked), raw (the example text, for strong models) or none.")
BackendOpt = Annotated[str | None, typer.Option(help=_("offline or openai (default: openai if a key or endpoint "
                                                       "is set, else offline)."))]
ModelOpt = Annotated[str | None, typer.Option(help=_("Model name (else $GONGWEN_MODEL)."))]
BaseUrlOpt = Annotated[str | None, typer.Option(help=_("OpenAI-compatible endpoint (else $OPENAI_BASE_URL). "
                                                       "There is no default: text goes only where you say."))]
ApiKeyOpt = Annotated[str | None, typer.Option(help=_("API key (else $OPENAI_API_KEY)."))]
TimeoutOpt = Annotated[float | None, typer.Option(help=TIMEOUT_HELP)]
RetriesOpt = Annotated[int | None, typer.Option(help=_("Retries per LLM call on 429/5xx/timeouts (default: 3)."))]
ConcurrencyOpt = Annotated[int | None, typer.Option(min=1, max=64, help=CONCURRENCY_HELP)]
StyleRefsOpt = Annotated[str, typer.Option(help=STYLE_HELP)]
ForceOpt = Annotated[bool, typer.Option("--force", help=_("Overwrite existing output files (never an input)."))]


def friendly(fn: Callable[P, R]) -> Callable[P, R]:
    """Report a GongwenError as one line and exit non-zero; never show a traceback for bad input."""

    @functools.wraps(fn)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        quiet_libraries()
        try:
            return fn(*args, **kwargs)
        except Exception as exc:
            if type(exc).__module__.startswith(("typer", "click")):  # typer ships its own click
                raise
            if isinstance(exc, Interrupted):
                stop_now(str(exc), exc.exit_code)
            if isinstance(exc, GongwenError):
                fail(str(exc), exc.exit_code)
            elif debugging():
                raise
            else:
                fail(_("internal error ({error}); set GONGWEN_DEBUG=1 to see the traceback").format(
                    error=f"{type(exc).__name__}: {exc}"))
        except KeyboardInterrupt:
            fail(_("interrupted"), code=130)

    return wrapper


def quiet_libraries() -> None:
    """Keep what libraries print off the terminal: pypdf's 「EOF marker not found」 for a file gongwen
    then names in its own line, chromadb's and others' warnings. They log through Python's logging with
    no handler of their own, so logging's last resort would print them; a root handler that drops them
    takes its place. GONGWEN_DEBUG=1 lets them through."""
    import logging
    import warnings

    if debugging():
        return
    root = logging.getLogger()
    if not root.handlers:
        root.addHandler(logging.NullHandler())
    warnings.simplefilter("ignore")


def _error() -> str:
    """「error: 」, or 「错误：」 (a full-width colon needs no space after it)."""
    label = _("error:")
    return label if label.endswith("：") else label + " "


def fail(message: str, code: int = 1) -> NoReturn:
    from rich.markup import escape

    err.print(f"[bold red]{escape(_error())}[/]{escape(message)}", soft_wrap=True, markup=True)
    raise typer.Exit(code)


def note(text: str) -> None:
    """Something the user should know about what is being done for them, on stderr."""
    err.print(_("note: {text}").format(text=text), soft_wrap=True)


def stop_now(message: str, code: int) -> NoReturn:
    """After Ctrl-C in a draft: say what was kept and exit at once.

    The run folder is consistent before this is called (it was stopped, and nothing more is written to
    it); tearing down the interpreter, chromadb's bindings included, took ~0.6 s more, which Ctrl-C
    should not cost.
    """
    err.print(f"[bold red]{_error()}[/]{message}", soft_wrap=True, markup=True)
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)


def emit_json(data: Any) -> None:
    sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2) + "\n")


def open_corpus() -> Any:
    """The index, seeded with the bundled example reports on first use."""
    from ..corpus.index import CorpusIndex
    from ..corpus.ingest import ensure_seeded

    index = CorpusIndex()
    seeded = ensure_seeded(index)
    if seeded is not None:
        err.print(_("Indexed {count} bundled example reports on first use.").format(count=seeded.count("added")))
    return index


def _version(value: bool) -> None:
    if value:
        out.print(f"gongwen {__version__}")
        raise typer.Exit()


@app.callback()
def main(
    version: Annotated[bool, typer.Option("--version", callback=_version, is_eager=True,
                                          help=_("Show the version and exit."))] = False,
) -> None:
    """gongwen: draft 述职报告 from bullet-point facts, in the style of your own example reports."""
