"""Every ``--output`` file: never overwritten without ``--force``, never through a link, and
a one-line error (no traceback) for a missing folder, a folder, or a full disk. The shared
writer is tested here with ``score``, whose ``--snapshot`` needs no workspace."""

from __future__ import annotations

import errno
import os
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from verifier.cli import output as output_module
from verifier.cli.app import app
from verifier.cli.output import OutputFileError, write_output_file

FILE_OPTIONS = {"--output", "--chart"}


def _commands(group, prefix: tuple[str, ...] = ()):
    for name, command in group.commands.items():
        if hasattr(command, "commands"):
            yield from _commands(command, (*prefix, name))
        else:
            yield (*prefix, name), command


def test_every_command_that_writes_a_file_has_force():
    """A new command with --output fails here until it goes through the shared writer."""
    writers = []
    for path, command in _commands(typer.main.get_command(app)):
        names = {opt for param in command.params for opt in getattr(param, "opts", [])}
        if names & FILE_OPTIONS:
            writers.append(" ".join(path))
            assert "--force" in names, f"{' '.join(path)} writes a file but has no --force"
    expected = {"score", "publication export", "report provenance", "qa report", "match"}
    assert expected | {"sprint report"} <= set(writers)


def _full(*args, **kwargs):
    raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))


# The writer itself -------------------------------------------------------------------


def test_creates_a_new_file(tmp_path):
    target = tmp_path / "out.csv"
    write_output_file(target, "a,b\n")
    assert target.read_text(encoding="utf-8") == "a,b\n"


def test_refuses_an_existing_file_without_force(tmp_path):
    target = tmp_path / "out.csv"
    target.write_text("precious", encoding="utf-8")
    with pytest.raises(OutputFileError, match=r"already exists \(a file\); add --force"):
        write_output_file(target, "new")
    assert target.read_text(encoding="utf-8") == "precious"
    write_output_file(target, "new", force=True)
    assert target.read_text(encoding="utf-8") == "new"


def test_never_follows_a_link(tmp_path):
    victim = tmp_path / "victim.txt"
    victim.write_text("precious", encoding="utf-8")
    link = tmp_path / "out.csv"
    link.symlink_to(victim)
    with pytest.raises(OutputFileError, match="a symbolic link"):
        write_output_file(link, "new")
    write_output_file(link, "new", force=True)  # replaces the link itself
    assert victim.read_text(encoding="utf-8") == "precious"
    assert not link.is_symlink()
    assert link.read_text(encoding="utf-8") == "new"


def test_a_dangling_link_is_not_written_through(tmp_path):
    link = tmp_path / "out.csv"
    link.symlink_to(tmp_path / "elsewhere.txt")
    with pytest.raises(OutputFileError, match="a symbolic link"):
        write_output_file(link, "new")
    assert not (tmp_path / "elsewhere.txt").exists()


def test_a_folder_and_a_missing_folder(tmp_path):
    with pytest.raises(OutputFileError, match="it is a folder"):
        write_output_file(tmp_path, "x", force=True)
    with pytest.raises(OutputFileError, match=r"folder .* does not exist"):
        write_output_file(tmp_path / "missing" / "out.csv", "x")


@pytest.mark.parametrize("force", [False, True])
def test_a_full_disk_leaves_no_partial_file(tmp_path, monkeypatch, force):
    target = tmp_path / "out.csv"
    if force:
        target.write_text("old", encoding="utf-8")
    monkeypatch.setattr(output_module.os, "fsync", _full)
    with pytest.raises(OutputFileError, match="no space left on the disk"):
        write_output_file(target, "x" * 10_000, force=force)
    assert sorted(p.name for p in tmp_path.iterdir()) == (["out.csv"] if force else [])
    if force:
        assert target.read_text(encoding="utf-8") == "old"


def test_a_device_is_never_written(tmp_path):
    if not Path("/dev/full").exists():
        pytest.skip("no /dev/full here")
    with pytest.raises(OutputFileError, match="already exists"):
        write_output_file(Path("/dev/full"), "x")
    with pytest.raises(OutputFileError, match="not a regular file"):
        write_output_file(Path("/dev/full"), "x", force=True)


# Through the command line -----------------------------------------------------------


def _score(score_app, snapshot_file, *args):
    base = ["score", "--snapshot", str(snapshot_file), "--uncertainty", "0", "--format", "csv"]
    return CliRunner().invoke(score_app, [*base, *args])


def _one_line_error(result) -> str:
    assert result.exit_code == 1, result.output
    lines = [line for line in result.stderr.splitlines() if not line.startswith("warning: ")]
    assert len(lines) == 1 and lines[0].startswith("error: "), result.stderr
    assert "Traceback" not in result.output
    return lines[0]


def test_score_output_refuses_then_forces(score_app, snapshot_file, tmp_path):
    target = tmp_path / "ranking.csv"
    target.write_text("precious", encoding="utf-8")
    line = _one_line_error(_score(score_app, snapshot_file, "-o", str(target)))
    assert line == f"error: {target} already exists (a file); add --force to replace it"
    assert target.read_text(encoding="utf-8") == "precious"
    result = _score(score_app, snapshot_file, "-o", str(target), "--force")
    assert result.exit_code == 0, result.output
    assert target.read_text(encoding="utf-8").startswith("rank,")


def test_score_output_errors_are_one_line(score_app, snapshot_file, tmp_path, monkeypatch):
    line = _one_line_error(_score(score_app, snapshot_file, "-o", str(tmp_path / "no" / "r.csv")))
    assert "does not exist" in line
    line = _one_line_error(_score(score_app, snapshot_file, "-o", str(tmp_path), "--force"))
    assert "it is a folder" in line
    link = tmp_path / "r.csv"
    link.symlink_to(tmp_path / "victim.csv")
    line = _one_line_error(_score(score_app, snapshot_file, "-o", str(link)))
    assert "a symbolic link" in line and not (tmp_path / "victim.csv").exists()
    monkeypatch.setattr(output_module.os, "fsync", _full)
    target = tmp_path / "full.csv"
    line = _one_line_error(_score(score_app, snapshot_file, "-o", str(target)))
    assert "no space left on the disk" in line and not target.exists()


def test_score_chart_is_refused_before_the_work(score_app, snapshot_file, tmp_path):
    chart = tmp_path / "ranking.svg"
    chart.write_text("<svg/>", encoding="utf-8")
    line = _one_line_error(_score(score_app, snapshot_file, "--chart", str(chart)))
    assert "already exists" in line and chart.read_text(encoding="utf-8") == "<svg/>"
    result = _score(score_app, snapshot_file, "--chart", str(chart), "--force")
    assert result.exit_code == 0, result.output
    assert chart.read_text(encoding="utf-8").startswith("<?xml")
