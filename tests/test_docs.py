"""The README documents every command, and its examples run."""

import re
import shlex
from pathlib import Path

import pytest
from click.testing import CliRunner

from kumenet.cli import cli
from tests.test_cli import all_commands

README = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")
#: The Turkish staff guide: its examples run like the README's.
GUIDE = (Path(__file__).resolve().parent.parent / "docs" / "kilavuz.md").read_text(
    encoding="utf-8")


@pytest.mark.parametrize("command", list(all_commands()), ids=" ".join)
def test_readme_documents_every_command(command):
    assert f"### `kumenet {' '.join(command)}" in README


def test_readme_starts_with_the_two_commands():
    head = README[: README.index("## Your data")]
    assert "make demo" in head and "make test" in head


BLOCKS = "\n".join(re.findall(r"```bash\n(.*?)```", README + GUIDE, re.S))
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
    """The README's console blocks: each a list of ``$ kumenet ...`` commands, in the order a
    user types them, with the lines shown below each."""
    blocks = []
    for block in re.findall(r"```console\n(.*?)```", README, re.S):
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
