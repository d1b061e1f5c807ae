"""`kg export kgx|gmt` and `kg release` from the command line: what they write and say, and exit 2
on an OUTDIR that is not a finished build."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from helpers.build import Build, kg, tree

from kg.write.commit import JOURNAL_NAME


def test_export_kgx_writes_the_three_files_and_says_what(sample_build: Build, tmp_path: Path,
                                                         capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = kg(capsys, "export", "kgx", "-o", sample_build.outdir, "--dir", tmp_path / "kgx")
    assert code == 0
    assert sorted(p.name for p in (tmp_path / "kgx").iterdir()) == [
        "pfocr-kg.yaml", "pfocr_edges.jsonl.gz", "pfocr_nodes.jsonl.gz"]
    assert "co-mention edges" in err and f"→ {tmp_path / 'kgx'}/" in err


def test_export_gmt_names_the_organisms_left_without_a_file(sample_build: Build, tmp_path: Path,
                                                            capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = kg(capsys, "export", "gmt", "-o", sample_build.outdir, "--dir", tmp_path)
    assert code == 0
    # Rattus norvegicus and Xenopus laevis: an "all" set, no figure with 3 exact symbols
    assert "no sets, so no file, for Rattus norvegicus (strict), Xenopus laevis (strict)" in err
    assert not list(tmp_path.glob("*Rattus_norvegicus-strict.gmt"))


@pytest.mark.slow
def test_release_twice_gives_the_same_bytes(sample_build: Build, tmp_path: Path,
                                            capsys: pytest.CaptureFixture[str]) -> None:
    for dist in ("one", "two"):
        code, _, _ = kg(capsys, "release", tmp_path / dist, "-o", sample_build.outdir, "--release", "2024-05",
                        "--release-date", "2024-05-01", "-q")
        assert code == 0
    assert tree(tmp_path / "one") == tree(tmp_path / "two")
    assert "pfocr.jsonld.gz" not in tree(tmp_path / "one")  # the sample build wrote no pfocr.jsonld


@pytest.mark.parametrize("damage", ["journal", "no report"])
def test_an_unfinished_outdir_exits_2_naming_the_problem(sample_build: Build, tmp_path: Path, damage: str,
                                                          capsys: pytest.CaptureFixture[str]) -> None:
    outdir = tmp_path / "out"
    outdir.mkdir()
    for name in ("pfocr.nt", "report.json"):
        shutil.copy(sample_build.outdir / name, outdir / name)
    if damage == "journal":
        (outdir / JOURNAL_NAME).write_text('{"steps": []}')
        expected = "is a mix of two builds"
    else:
        (outdir / "report.json").unlink()
        expected = "report.json is missing: not a finished kg build"
    for args in (("export", "kgx", "-o", outdir), ("export", "gmt", outdir), ("release", tmp_path / "dist", "-o", outdir),
                 ("release", outdir, tmp_path / "dist")):  # the last: `kg release OUTDIR DIST`, the older spelling
        code, _, err = kg(capsys, *args)
        assert code == 2 and expected in err and err.count("\n") <= 2, err
    assert not (tmp_path / "dist").exists() and not (outdir / "export").exists()


def test_hostile_strings_never_break_a_row(hostile: tuple[Build, Path], tmp_path: Path,
                                           capsys: pytest.CaptureFixture[str]) -> None:
    """The hostile record (markup, quotes, U+2028/U+2029 in its title, paper title and a gene's
    symbol: helpers.hostile) through both exports: every line is one whole row."""
    import gzip
    import json

    from helpers.hostile import HOSTILE

    build, _ = hostile
    assert kg(capsys, "export", "kgx", "-o", build.outdir, "--dir", tmp_path / "kgx")[0] == 0
    assert kg(capsys, "export", "gmt", "-o", build.outdir, "--dir", tmp_path / "gmt")[0] == 0
    for name in ("pfocr_nodes.jsonl.gz", "pfocr_edges.jsonl.gz"):
        raw = gzip.decompress((tmp_path / "kgx" / name).read_bytes())
        assert raw.isascii()
        rows = [json.loads(line) for line in raw.decode("ascii").splitlines()]  # splitlines: U+2028 too
        assert len(rows) == raw.count(b"\n") > 0
    names = [row["name"] for row in (json.loads(line) for line in gzip.decompress(
        (tmp_path / "kgx" / "pfocr_nodes.jsonl.gz").read_bytes()).decode("ascii").splitlines())]
    assert f"Title {HOSTILE}" in names  # the figure's title, whole
    files = sorted((tmp_path / "gmt").glob("*.gmt"))
    assert files and any(line.startswith("Title </script><script>") and "line para%PFOCR_" in line
                         for path in files for line in path.read_text("utf-8").splitlines())
    for path in files:
        text = path.read_text("utf-8")
        for line in text.splitlines():
            fields = line.split("\t")
            assert len(fields[0].split("%")) == 4 and fields[1].startswith("https://") and fields[2].isdigit()
        assert len(text.splitlines()) == text.count("\n")


def test_o_names_the_build_and_a_file_there_is_an_error(sample_build: Build, tmp_path: Path,
                                                        capsys: pytest.CaptureFixture[str]) -> None:
    """docs/cli.md: every command names the build with -o OUTDIR and takes -q."""
    for command in (("export", "kgx"), ("release",)):
        with pytest.raises(SystemExit):
            kg(capsys, *command, "--help")
        text = " ".join(capsys.readouterr().out.split())
        assert "-o OUTDIR, --outdir OUTDIR" in text and "-q, --quiet" in text
    (tmp_path / "file").write_text("")
    code, _, err = kg(capsys, "export", "gmt", "-o", tmp_path / "file")
    assert code == 2 and err == f"kg export: error: {tmp_path / 'file'}: is a file; -o names the build's output folder\n"
    code, _, err = kg(capsys, "export", "kgx", sample_build.outdir, "--dir", tmp_path / "k", "-q")  # positional OUTDIR
    assert (code, err) == (0, "") and (tmp_path / "k" / "pfocr-kg.yaml").is_file()
