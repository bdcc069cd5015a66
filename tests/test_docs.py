"""The documentation: the README and the guides under docs/ document every command, their
examples run and show what they print, and the site builds strict and works offline."""

import re
import shlex
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from kumenet.cli import cli
from tests.test_cli import all_commands

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")
#: Every guide of the documentation site (docs/*.md): their examples run like the README's.
PAGES = {p.name: p.read_text(encoding="utf-8") for p in sorted((ROOT / "docs").glob("*.md"))}
DOCS = README + "\n".join(PAGES.values())
#: The Turkish staff guide.
GUIDE = PAGES["kilavuz.md"]
COMMANDS = PAGES["commands.md"] + PAGES["workspace.md"] + PAGES["initiatives.md"]


@pytest.mark.parametrize("command", list(all_commands()), ids=" ".join)
def test_the_guides_document_every_command(command):
    assert f"## `kumenet {' '.join(command)}" in COMMANDS


def test_the_readme_keeps_what_a_newcomer_needs():
    """What kumenet is, the two commands, five examples with their output, where the guides
    are (every guide linked), under 250 lines."""
    assert len(README.splitlines()) < 250
    head = README[: README.index("## Five examples")]
    assert "make demo" in head and "make test" in head and "make docs" in head
    examples = README[README.index("## Five examples"): README.index("## The guides")]
    assert examples.count("```console") >= 5
    linked = set(re.findall(r"\]\(docs/([\w/]+\.md)\)", README))
    assert set(PAGES) - {"index.md"} <= linked and "reference/index.md" in linked


BLOCKS = "\n".join(re.findall(r"```bash\n(.*?)```", DOCS, re.S))
# The big generate examples belong to the benchmarks, and demo has its own test.
# A portal example serves until stopped: only the one that builds its snapshot runs here (the
# portal has its own tests).
EXAMPLES = sorted({line.split("#")[0].strip() for line in re.findall(r"^kumenet [^\n]+", BLOCKS, re.M)
                   if "1000000" not in line and "10000 " not in line and " demo" not in line
                   and (" serve " not in line or "--build-only" in line)})


@pytest.mark.parametrize("example", EXAMPLES)
def test_readme_examples_run(example, tmp_path, monkeypatch):
    root = Path(__file__).resolve().parent.parent
    monkeypatch.chdir(tmp_path)
    (tmp_path / "sample_networks").symlink_to(root / "sample_networks")
    args = shlex.split(example)[1:]
    if args[0] == "serve":
        monkeypatch.setenv("KUMENET_CACHE_DIR", str(tmp_path / "cache"))
    if args[0] == "convert" and args[1] == "pilot.xlsx":
        CliRunner().invoke(cli, ["convert", "sample_networks/pilot", "-o", "pilot.xlsx"])
    if args[1] == "pilot_parts":  # made by the example before it
        CliRunner().invoke(cli, ["convert", "sample_networks/pilot", "-o", "pilot_parts", "--to",
                                 "parquet", "--partition-by", "year"])
    result = CliRunner().invoke(cli, args, catch_exceptions=False)
    assert result.exit_code == 0, result.output
    # An example shows what it promises: rows on screen, or a file that holds something.
    assert "(no rows)" not in result.output and "no suggestions" not in result.output
    if "-o" in args:
        written = tmp_path / args[args.index("-o") + 1]
        assert written.exists() and (written.is_dir() or written.stat().st_size > 0), example
    elif args[0] == "serve":  # the snapshot's path
        assert Path(result.stdout.strip()).stat().st_size > 0
    elif args[0] not in ("convert", "generate", "train", "validate"):
        assert len(result.stdout.strip().splitlines()) >= 2, result.output


def console_blocks():
    """The console blocks of the README and the guides: each a list of ``$ kumenet ...``
    commands, in the order a user types them, with the lines shown below each."""
    blocks = []
    for block in re.findall(r"```console\n(.*?)```", DOCS, re.S):
        steps = []
        for chunk in re.split(r"^\$ ", block, flags=re.M)[1:]:
            command, *shown = chunk.rstrip("\n").split("\n")
            steps.append((command, shown))
        blocks.append(steps)
    return blocks


@pytest.mark.parametrize("steps", console_blocks(), ids=[b[0][0] for b in console_blocks()])
def test_readme_console_examples_print_what_they_show(steps, tmp_path, monkeypatch):
    root = Path(__file__).resolve().parent.parent
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("KUMENET_CACHE_DIR", str(tmp_path / "cache"))  # as on a new machine
    monkeypatch.delenv("KUMENET_REPEAT_WARNINGS")  # warnings folded as a user sees them
    monkeypatch.delenv("KUMENET_MESSAGES")  # messages in the user's language, as shown
    (tmp_path / "sample_networks").symlink_to(root / "sample_networks")
    for command, shown in steps:
        result = CliRunner().invoke(cli, shlex.split(command)[1:])
        printed = result.output.splitlines()
        for line in shown:
            assert line in printed, f"{command!r} did not print {line!r}; it printed:\n{result.output}"
        assert result.exit_code == (1 if any(line.startswith(("Error:", "Hata:"))
                                             for line in shown) else 0)
    assert not list(tmp_path.glob("*.csv"))  # a refused COPY wrote nothing


def test_the_staff_guide_shows_what_staff_will_see(tmp_path, monkeypatch):
    """The guide's quoted messages are what the command line says (in Turkish), and every
    picture it shows exists."""
    root = Path(__file__).resolve().parent.parent
    for picture in re.findall(r"\]\((screenshots/[^)]+)\)", GUIDE):
        assert (root / "docs" / picture).exists(), picture
    monkeypatch.delenv("KUMENET_MESSAGES")
    monkeypatch.chdir(tmp_path)
    (tmp_path / "sample_networks").symlink_to(root / "sample_networks")
    said = CliRunner().invoke(cli, ["validate", "sample_networks/turkish_excel"]).output
    shown = re.search(r"```text\n(Uyarı: .*?)\n```", GUIDE, re.S).group(1)
    assert shown.split("nodes.csv: ")[1] in said
    assert "\nTamam: sample_networks/turkish_excel: 12 düğüm" in said
    assert "(bunu mu demek istediniz: 'Samsun'?)" in GUIDE
    missing = CliRunner().invoke(cli, ["info", "sample_networks/pilot", "--as-of", "2010"])
    assert missing.output.strip().removeprefix("Hata: ") in GUIDE


def test_the_site_builds_strict_offline_with_every_module(tmp_path):
    """make docs: MkDocs (Material, mkdocstrings) with --strict, so a broken link or a missing
    reference fails; every module with an __all__ has its reference; no page loads anything
    from the network (fonts, scripts, the search's worker shim are the site's own files)."""
    modules = {".".join(p.relative_to(ROOT).with_suffix("").parts).removesuffix(".__init__")
               for p in (ROOT / "kumenet").rglob("*.py")
               if "migrations" not in p.parts and "cli" not in p.parts
               and re.search(r"^__all__", p.read_text(encoding="utf-8"), re.M)}
    documented = set(re.findall(r"^::: (\S+)$", "\n".join(
        p.read_text(encoding="utf-8") for p in (ROOT / "docs" / "reference").glob("*.md")), re.M))
    assert modules == documented
    site = tmp_path / "site"
    built = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "-q",
                            "-f", str(ROOT / "mkdocs.yml"), "-d", str(site)],
                           capture_output=True, text=True, cwd=ROOT,
                           env={"NO_MKDOCS_2_WARNING": "1", "PATH": "/usr/bin:/bin"})
    assert built.returncode == 0, built.stderr[-3000:]
    pages = list(site.rglob("*.html"))
    assert len(pages) > 20 and (site / "search" / "search_index.js").exists()
    for page in pages:
        loaded = re.findall(r'<(?:script|link|img)[^>]+(?:src|href)="(https?:[^"]+)"',
                            page.read_text(encoding="utf-8"))
        assert loaded == [], (page.name, loaded)
    home = (site / "index.html").read_text(encoding="utf-8")
    assert "Five examples" in home and 'href="kilavuz.html"' in home
    graph = (site / "reference" / "graph.html").read_text(encoding="utf-8")
    assert "read_network" in graph and "node_metrics" in graph


def test_every_picture_of_the_documentation_is_taken_by_the_script():
    """The pictures the README and the guides show exist, and tools/screenshots.py takes each
    one from the real pages (none made by hand, so a new run brings them up to date)."""
    import ast

    script = ast.parse((ROOT / "tools" / "screenshots.py").read_text(encoding="utf-8"))
    taken = set()
    for node in ast.walk(script):
        if isinstance(node, ast.Assign) and getattr(node.targets[0], "id", "") == "PORTAL":
            taken |= set(ast.literal_eval(node.value))
        if isinstance(node, ast.Assign) and getattr(node.targets[0], "id", "") == "OUTPUTS":
            taken |= set(ast.literal_eval(node.value))
    shown = set(re.findall(r"\]\((?:docs/)?screenshots/([\w]+)\.png\)", DOCS))
    assert shown <= taken, shown - taken
    assert all((ROOT / "docs" / "screenshots" / f"{name}.png").exists() for name in shown)
