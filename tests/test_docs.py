"""The README documents every command, and its examples run."""

import re
import shlex
from pathlib import Path

import pytest
from click.testing import CliRunner

from kumenet.cli import cli
from tests.test_cli import all_commands

README = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")


@pytest.mark.parametrize("command", list(all_commands()), ids=" ".join)
def test_readme_documents_every_command(command):
    assert f"### `kumenet {' '.join(command)}" in README


def test_readme_starts_with_the_two_commands():
    head = README[: README.index("## Your data")]
    assert "make demo" in head and "make test" in head


BLOCKS = "\n".join(re.findall(r"```bash\n(.*?)```", README, re.S))
# The big generate examples belong to the benchmarks, and demo has its own test.
EXAMPLES = sorted({line.split("#")[0].strip() for line in re.findall(r"^kumenet [^\n]+", BLOCKS, re.M)
                   if "1000000" not in line and "10000 " not in line and " demo" not in line})


@pytest.mark.parametrize("example", EXAMPLES)
def test_readme_examples_run(example, tmp_path, monkeypatch):
    root = Path(__file__).resolve().parent.parent
    monkeypatch.chdir(tmp_path)
    (tmp_path / "sample_networks").symlink_to(root / "sample_networks")
    args = shlex.split(example)[1:]
    if args[0] == "convert" and args[1] == "pilot.xlsx":
        CliRunner().invoke(cli, ["convert", "sample_networks/pilot", "-o", "pilot.xlsx"])
    result = CliRunner().invoke(cli, args, catch_exceptions=False)
    assert result.exit_code == 0, result.output


def console_examples():
    """``$ kumenet ...`` lines of the README's console blocks, with the output shown below each."""
    examples = []
    for block in re.findall(r"```console\n(.*?)```", README, re.S):
        for chunk in re.split(r"^\$ ", block, flags=re.M)[1:]:
            command, *shown = chunk.rstrip("\n").split("\n")
            examples.append((command, shown))
    return examples


@pytest.mark.parametrize("command, shown", console_examples(), ids=[c for c, _ in console_examples()])
def test_readme_console_examples_print_what_they_show(command, shown, tmp_path, monkeypatch):
    root = Path(__file__).resolve().parent.parent
    monkeypatch.chdir(tmp_path)
    (tmp_path / "sample_networks").symlink_to(root / "sample_networks")
    args = shlex.split(command)[1:]
    result = CliRunner().invoke(cli, args)
    printed = result.output.splitlines()
    for line in shown:
        assert line in printed, f"{command!r} did not print {line!r}; it printed:\n{result.output}"
    assert result.exit_code == (1 if any(line.startswith("Error:") for line in shown) else 0)
    assert not list(tmp_path.glob("*.csv"))  # a refused COPY wrote nothing
