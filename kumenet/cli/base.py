"""The command line's frame: the ``kumenet`` group (errors as one line and an exit code,
warnings said once), the options every command shares, reading DATA and writing tables."""

from __future__ import annotations

import functools
import os
import sys
import traceback
import warnings
from pathlib import Path

import click

from kumenet.choices import (
    NETWORK_FORMATS,
    TABLE_FORMATS,
)
from kumenet.said import PREFIX
from kumenet.said import said as in_lang
from kumenet.errors import KumenetError, clip
from kumenet.memory import reuse_freed_memory

PILOT_SEED, PILOT_FIRMS = 2024, 720


PILOT_PATH = Path("sample_networks/pilot")


def _lang_or_english() -> str:
    """The language of errors and warnings: ``KUMENET_MESSAGES`` (``en`` for scripts that
    read them while the outputs stay Turkish), else the user's (:func:`current_lang`);
    English when the setting itself is wrong."""
    chosen = (os.environ.get("KUMENET_MESSAGES") or "").strip().lower()
    if chosen in ("tr", "en"):
        return chosen
    try:
        return current_lang()
    except click.UsageError:
        return "en"


class KumenetGroup(click.Group):
    """Turns library errors into ``Error: ...`` and exit code 1, warnings into messages, and
    anything unexpected into one line and exit code 3 (``--debug`` shows the traceback)."""

    def invoke(self, ctx):
        memory = {}  # the warnings seen before about the command's DATA (kumenet.seen)

        def show(message, category, filename, lineno, file=None, line=None):
            if ctx.params.get("quiet"):
                return
            said = str(message)
            if said in memory.setdefault("shown", set()):  # each warning once per command
                return
            memory["shown"].add(said)
            seen = _seen_warnings(memory)
            if seen is not None and not seen.first_time(said) and not memory["always"]:
                memory["folded"] = memory.get("folded", 0) + 1
                return
            lang = _lang_or_english()
            click.echo(f"{PREFIX[lang][1]}: {in_lang(said, lang)}", err=True)

        previous = warnings.showwarning
        warnings.showwarning = show
        try:
            with warnings.catch_warnings(), reuse_freed_memory():
                warnings.simplefilter("always", UserWarning)  # show() says each once
                warnings.showwarning = show
                return super().invoke(ctx)
        except KumenetError as err:
            lang = _lang_or_english()
            click.echo(f"{PREFIX[lang][0]}: {in_lang(str(err), lang)}", err=True)
            ctx.exit(1)
        except (click.exceptions.Exit, click.ClickException, click.Abort, KeyboardInterrupt):
            raise
        except Exception as err:  # the net under everything: never a traceback by default
            if ctx.params.get("debug") or os.environ.get("KUMENET_DEBUG"):
                traceback.print_exc()
            else:
                text = " ".join(str(err).split())
                click.echo(f"internal error: {type(err).__name__}: {clip(text, 200, quote=False)}"
                           "; rerun with --debug for details", err=True)
            ctx.exit(3)
        finally:
            warnings.showwarning = previous
            _fold_seen_warnings(memory)


def _seen_warnings(memory: dict):
    """The memory of warnings shown before about the running command's DATA, or None (no
    DATA, or ``KUMENET_REPEAT_WARNINGS=1``); ``validate`` shows them all and remembers them."""
    if "seen" not in memory:
        from kumenet.seen import SeenWarnings

        context = click.get_current_context(silent=True)
        data = context.params.get("data") if context else None
        repeat = os.environ.get("KUMENET_REPEAT_WARNINGS", "") not in ("", "0")
        if data is None or repeat:
            memory["seen"] = None
        else:
            memory["seen"] = SeenWarnings(Path(data))
            memory["always"] = context.command.name == "validate"
            memory["data"] = str(data)
            memory["lang"] = _lang_or_english()
    return memory["seen"]


def _fold_seen_warnings(memory: dict) -> None:
    """Remember the warnings this command showed; say in one line how many it did not
    repeat."""
    from kumenet.messages import text

    seen = memory.get("seen")
    if seen is None:
        return
    seen.save()
    if memory.get("folded"):
        click.echo(text("cli.warnings_seen", memory["lang"], n=memory["folded"],
                        data=memory["data"]), err=True)


def data_options(func):
    """Options every command that reads a network takes."""
    @click.option("--sep", type=click.Choice([",", ";", "tab"]), default=None,
                  help="CSV separator of the files read and written (detected in input when "
                       "not given).")
    @click.option("--decimal", type=click.Choice([".", ","]), default=None,
                  help="Decimal mark of the CSV files written and read (detected per input "
                       "column when not given; a column it cannot read at all is read as the "
                       "file shows, and said).")
    @click.option("--encoding", default=None,
                  help="CSV encoding (UTF-8, then Windows-1254, when not given).")
    @click.option("--directed-layers", default=None, metavar="L1,L2",
                  help="Layers whose ties have a direction (default: what the file says, "
                       "else supply,membership).")
    @click.option("--nodes-sheet", default=None, metavar="SHEET",
                  help="The workbook's sheet of nodes, or several comma-separated (default: "
                       "'nodes' or a usual Turkish name such as Düğümler; Firmalar and "
                       "Kurumlar are read together).")
    @click.option("--edges-sheet", default=None, metavar="SHEET",
                  help="The workbook's sheet of ties (default: 'edges' or a usual Turkish "
                       "name such as İlişkiler, Bağlar).")
    @functools.wraps(func)
    def wrapper(*args, sep, decimal, encoding, directed_layers, nodes_sheet, edges_sheet,
                **kwargs):
        # The same --sep and --decimal shape the CSV the command writes.
        click.get_current_context().meta["kumenet.csv"] = {"sep": sep, "decimal": decimal}
        kwargs["read"] = functools.partial(
            _read, sep=sep, decimal=decimal, encoding=encoding, nodes_sheet=nodes_sheet,
            edges_sheet=edges_sheet,
            directed_layers=None if directed_layers is None else
            [s.strip() for s in directed_layers.split(",") if s.strip()])
        return func(*args, **kwargs)
    return wrapper


def _read(data, as_of=None, **options):
    """Read a network; an ``as_of`` year is checked against its years at once."""
    from kumenet.graph.io import read_network

    net = read_network(data, as_of=as_of, **options)  # partitioned files: only parts needed
    net.check_as_of(as_of)
    return net


def write_output(tables, output, fmt, progress=None, what: str | None = None,
                 lang: str | None = None, headers: bool = True) -> None:
    """Write result tables (see ``write_tables``) with the command's ``--sep`` and
    ``--decimal`` for CSV, and say on standard error which file was written (in ``lang``,
    default the user's: see :func:`current_lang`). A table on the screen is written for
    people in that language (headers, known values, numbers); ``headers=False`` keeps the
    column names (a query's own) and writes only the numbers so."""
    from kumenet.output import write_tables

    csv = click.get_current_context().meta.get("kumenet.csv", {})
    lang = lang or current_lang()
    write_tables(tables, output, fmt, progress=progress, lang=lang, headers=headers, **csv)
    if output not in (None, "-"):
        wrote(output, what, lang)


def output_options(func):
    func = click.option("--format", "fmt", type=click.Choice(TABLE_FORMATS), default=None,
                        help="Output format (default: table on screen, or from -o's suffix).")(func)
    func = click.option("-o", "--output", default=None, metavar="FILE",
                        help="Write to FILE instead of the screen.")(func)
    return func


DATA = click.argument("data", type=click.Path(path_type=Path))


def engine_options(func):
    """--engine and --scheduler: where the blocks of the work run (see kumenet.engine)."""
    @click.option("--engine", "engine_name", type=click.Choice(["local", "dask"]),
                  default="local", show_default=True,
                  help="Run the blocks of the work here, or on Dask (pip install "
                       "'kumenet[dask]'); the result is the same.")
    @click.option("--scheduler", default=None, metavar="ADDRESS",
                  help="A Dask scheduler such as tcp://host:8786 (default: "
                       "KUMENET_SCHEDULER, else a local cluster of one process per core).")
    @functools.wraps(func)
    def wrapper(*args, engine_name, scheduler, **kwargs):
        from kumenet import engine

        with engine.use(engine_name, scheduler) as running:
            if running is not None:
                note(running.describe(kwargs.get("lang", "en")))
            return func(*args, **kwargs)
    return wrapper


def network_output(func):
    """-o and --to for commands that write a network."""
    func = click.option("--to", "to", type=click.Choice(NETWORK_FORMATS), default=None,
                        help="Format (default: from the output's suffix, else a CSV folder)."
                        )(func)
    return click.option("-o", "--output", required=True, type=click.Path(path_type=Path),
                        help="A folder, or a .xlsx, .graphml or .gexf file.")(func)


@click.group(cls=KumenetGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="kumenet")
@click.option("--debug", is_flag=True, help="Show the traceback of an internal error.")
@click.option("-q", "--quiet", is_flag=True, help="No progress bars or notes on standard error.")
@click.option("--lang", type=click.Choice(["tr", "en"]), default=None,
              help="Language of every command's outputs (default: KUMENET_LANG, else tr); a "
                   "command's own --lang wins.")
def cli(debug, quiet, lang):
    """kumenet: inter-firm collaboration networks for SME cluster programmes.

    DATA is a folder with nodes.csv and edges.csv (or .csv.gz, or .parquet), an .xlsx
    workbook with sheets nodes and edges, or a .graphml / .gexf file.

    \b
    Start with:
      kumenet demo
      kumenet info sample_networks/pilot
    """


def quiet() -> bool:
    """Whether ``--quiet`` was given (no progress bars, no notes)."""
    ctx = click.get_current_context(silent=True)
    return bool(ctx and ctx.find_root().params.get("quiet"))


def progress(items, desc: str):
    """A progress bar on standard error, shown on a terminal once the step takes two seconds
    (never with --quiet), named in the user's language (``progress.*`` of the catalogue)."""
    from tqdm import tqdm

    return tqdm(items, desc=progress_label(desc), file=sys.stderr,
                disable=True if quiet() else None, leave=False, delay=2)


def progress_label(desc: str) -> str:
    """A progress bar's name in the user's language (``progress.*`` of the catalogue)."""
    from kumenet.messages import MESSAGES, text

    key = "progress." + desc.replace(" ", "_")
    return text(key, current_lang()) if key in MESSAGES else desc


def note(message: str) -> None:
    """A line on standard error about what kumenet is doing (silenced by --quiet)."""
    if not quiet():
        click.echo(message, err=True)


def split_layers(value: str | None):
    return None if value is None else [p.strip() for p in value.split(",") if p.strip()]


LAYERS = click.option("--layers", default=None, metavar="L1,L2",
                      help="Layers to use, flattened (default: all).")


AS_OF = click.option("--as-of", type=int, default=None, help="Only ties observed up to this year.")


SEED = click.option("--seed", type=int, default=0, show_default=True, help="Random seed.")


def current_lang() -> str:
    """The language of what people read: ``kumenet --lang`` before the command, else
    ``KUMENET_LANG``, else Turkish."""
    ctx = click.get_current_context(silent=True)
    given = ctx.find_root().params.get("lang") if ctx is not None else None
    if given:
        return given
    env = (os.environ.get("KUMENET_LANG") or "").strip().lower()
    if env and env not in ("tr", "en"):
        raise click.UsageError(f"KUMENET_LANG must be tr or en, not {env[:20]!r}")
    return env or "tr"


def wrote(path, what: str | None = None, lang: str | None = None) -> None:
    """Say on standard error which file a command wrote, in the user's language."""
    from kumenet.messages import text

    lang = lang or current_lang()
    click.echo(text("cli.wrote_what", lang, path=str(path), what=what) if what else
               text("cli.wrote", lang, path=str(path)), err=True)


def say(key: str, **values) -> str:
    """The catalogue's message ``key`` in the user's language (:func:`current_lang`)."""
    from kumenet.messages import text

    return text(key, current_lang(), **values)


def _lang_default(ctx, param, value):
    return value or current_lang()


LANG = click.option("--lang", type=click.Choice(["tr", "en"]), default=None,
                    callback=_lang_default,
                    help="Language of the words people read (reasons, labels, profiles, "
                         "titles): Turkish, or English (default: kumenet --lang, else "
                         "KUMENET_LANG, else tr).")


def network_name(data: Path) -> str:
    """pilot/, pilot/edges.csv and pilot.xlsx are all "pilot"."""
    name = (data.parent if data.suffix in (".csv", ".gz") else data).resolve().name
    return name.split(".")[0] if data.is_file() else name


def pilot_network():
    """The pilot sample: read from sample_networks/pilot when present, else generated."""
    from kumenet.graph.generate import generate as make
    from kumenet.graph.io import read_network
    from kumenet.graph.network import Network

    if PILOT_PATH.exists():
        return read_network(PILOT_PATH), str(PILOT_PATH)
    nodes, edges = make(PILOT_FIRMS, PILOT_SEED)
    return Network.from_frames(nodes, edges), f"generated (--firms {PILOT_FIRMS} --seed {PILOT_SEED})"


def main(argv=None):
    """Entry point of the console script and ``python -m kumenet``."""
    for stream in (sys.stdout, sys.stderr):
        # File names that are not valid UTF-8 must print, not crash the message about them.
        if hasattr(stream, "reconfigure"):
            stream.reconfigure(errors="replace")
    return cli.main(args=argv, prog_name="kumenet")


def packaged_file(name: str, output) -> None:
    """Show a packaged configuration file (``kumenet/data/NAME``), or write it to ``output``
    to be edited, saying which file was written."""
    from importlib import resources

    from kumenet.files import atomic_path

    body = (resources.files("kumenet.data") / name).read_text("utf-8")
    if output is None:
        click.echo(body, nl=False)
        return
    with atomic_path(output) as tmp:
        tmp.write_text(body, encoding="utf-8")
    wrote(output)
