"""Every command, in every output format, over a workspace whose every text field is hostile:
the bytes written to standard output, standard error and files never carry a control
sequence, a bidi override, a live spreadsheet formula, live HTML or Markdown, or console
markup read as markup. Run piped and as a colour terminal."""

from __future__ import annotations

import csv
import hashlib
import json
import shutil
from pathlib import Path

import pytest

from tests.importing_helpers import row, write_csv
from tests.safety.hostile import build, hostile, invoke, isolated, printable, write_edition
from tests.safety.output_checks import check_text, kind_of_file
from tests.safety.walk import COVERED, calls_of, command_tree
from verifier.cli.app import app


def test_the_walk_covers_every_command_and_every_format() -> None:
    tree = command_tree(app)
    missing = sorted(set(tree) - set(COVERED))
    assert not missing, f"commands the safety walk does not cover (add them to COVERED): {missing}"
    gone = sorted(set(COVERED) - set(tree))
    assert not gone, f"COVERED names commands that no longer exist: {gone}"
    for name, command in tree.items():
        cover = COVERED[name]
        if cover.elsewhere:
            continue
        assert cover.calls, f"{name}: no call"
        if command.free_format:
            assert cover.input_format, f"{name}: --format is free text; say what it names"
        elif command.formats is None:
            assert cover.formats is None, f"{name} has no --format"
        else:
            assert cover.formats is not None, f"{name}: walk its formats {command.formats}"
            assert sorted(cover.formats) == sorted(command.formats), (
                f"{name}: --format offers {sorted(command.formats)}, the walk covers "
                f"{sorted(cover.formats)}"
            )


@pytest.fixture(scope="module")
def hostile_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The hostile workspace and the hostile input files, built once."""
    folder = tmp_path_factory.mktemp("hostile")
    with isolated(folder):
        db = build(app, folder)
        _write_inputs(folder / "in", db)
    return folder


def _write_inputs(folder: Path, db: str) -> None:
    folder.mkdir()
    write_edition(folder / "edition")
    broken = write_edition(folder / "broken-edition")
    with (broken / "cities.csv").open("a", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerow([hostile("city id"), hostile("name"), "", "X1", ""])
    p = printable
    write_csv(folder / "more.csv", [
        row(p("new label", 2), "TRD-WATER", "61", "", "2020", "yearbook-2023", p("locator", 3),
            p("snippet", 4)),
        row(hostile("refused label", 5), "TRD-WATER", "62", "", "2019"),
        row("Riyadh", hostile("indicator", 1), hostile("value", 2), hostile("unit", 3), "2019"),
    ])  # fmt: skip
    with (folder / "gazetteer.csv").open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["id", "name_en", "name_ar", "country", "aliases"])
        writer.writerow(["xx-one", p("gazetteer name"), "الرياض", "SA", p("alias", 1)])
        writer.writerow(["xx-two", hostile("gazetteer name", 2), "", "SA", ""])
    with (folder / "queries.csv").open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["query_id", "name", "country"])
        writer.writerow([p("query id", 0), p("gazetteer name"), "SA"])
        writer.writerow(["-2", hostile("query", 3), ""])
    exported = invoke(app, db, "sara", "publication", "export", "2")
    assert exported.code == 0, exported.stderr
    snapshot = json.loads(exported.stdout)
    # Escaped for the terminal, yet lossless: the export still hashes to its sha256.
    claimed = dict(snapshot["publication"]).pop("sha256")
    unhashed = {**snapshot, "publication": dict(snapshot["publication"])}
    del unhashed["publication"]["sha256"]
    canonical = json.dumps(unhashed, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    assert hashlib.sha256(canonical.encode("utf-8")).hexdigest() == claimed
    assert "\x9b" in canonical and "\x9b".encode() not in exported.stdout
    snapshot["cities"][0]["name_en"] = hostile("snapshot city", 4)  # and the hash no longer holds
    (folder / "snapshot.json").write_text(json.dumps(snapshot), encoding="utf-8")


@pytest.mark.slow
@pytest.mark.parametrize("terminal", [False, True], ids=["piped", "colour-terminal"])
def test_every_command_writes_only_safe_bytes(
    hostile_template: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, terminal: bool
) -> None:
    shutil.copy(hostile_template / "hostile.db", tmp_path / "hostile.db")
    db = f"sqlite:///{tmp_path / 'hostile.db'}"
    inputs = hostile_template / "in"
    if terminal:
        monkeypatch.setenv("FORCE_COLOR", "1")
        monkeypatch.setenv("COLUMNS", "100")
        # Long listings are streamed a chunk at a time: walk that path in this pass.
        monkeypatch.setattr("verifier.cli.streaming.CHUNK", 3)
    tree = command_tree(app)
    runs = 0
    for name, cover in COVERED.items():
        for call, extra, kind in calls_of(name, cover, tree[name]):
            runs += 1
            out = tmp_path / f"out-{runs}"
            out.mkdir()
            args = [a.replace("{in}", str(inputs)).replace("{out}", str(out)) for a in call.args]
            args += [a.replace("{out}", str(out)) for a in extra]
            where = f"{call.user}$ verifier {' '.join(args)}"
            result = invoke(app, db, call.user, *args)
            stdout = result.stdout.decode("utf-8")
            check_text(stdout, kind, f"{where} (stdout)", styled=terminal)
            check_text(result.stderr.decode("utf-8"), "text", f"{where} (stderr)", styled=terminal)
            for written in sorted(out.iterdir()):
                if kind_of_file(written.name) == "sqlite":  # a backup: the workspace's bytes
                    assert written.read_bytes().startswith(b"SQLite format 3\x00"), where
                    continue
                text = written.read_bytes().decode("utf-8")
                check_text(text, kind_of_file(written.name), f"{where} ({written.name})")
            shown_format = "-o" not in extra and kind not in COVERED[name].refused
            if call.shows and shown_format:
                assert result.code == 0, f"{where}: exit {result.code}: {result.stderr[-500:]!r}"
            if not terminal and shown_format:
                plain = stdout.replace("\\", "")
                for shown in call.shows:
                    assert shown in plain, f"{where}: {shown!r} not shown:\n{stdout[:2000]}"
    assert runs > 100
