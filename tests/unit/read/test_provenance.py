"""What a build says of itself: the dataset node `https://w3id.org/pfocr-kg/dataset` at the end of
pfocr.nt / pfocr.ttl (kg/map/dataset.py), the release settings (--release, --release-date,
SOURCE_DATE_EPOCH), the git commit of a SOURCE that is a checkout (kg/read/provenance.py, which
reads `.git` itself), and OUTDIR/pfocr-vocab.ttl, on real builds.

The git checkouts are made here with the git binary (the build itself never runs git).
"""

from __future__ import annotations

import datetime
import json
import os
import re
import shutil
import subprocess
from collections import Counter
from pathlib import Path

import pyoxigraph
import pytest
import rdflib
from helpers import FIXTURES, REPO, SAMPLE, SEED_FIGID
from helpers.build import Build, run_build
from helpers.needs import require_binary
from helpers.records import clone_record, set_key
from rdflib.namespace import OWL, RDF, RDFS, XSD

from kg import __version__
from kg.check.shapes import DEFAULT_SHAPES_DIR
from kg.cli import main
from kg.read.provenance import ReleaseError, git_checkout, release_date, release_of

SEED_DB = FIXTURES / "seed"
DATASET = "https://w3id.org/pfocr-kg/dataset"
SOFTWARE = "https://w3id.org/pfocr-kg/software"
PFOCR = "https://w3id.org/pfocr-kg/vocab#"
VOCAB_SOURCE = REPO / "kg" / "context" / "pfocr-vocab.ttl"
PFOCR_REPO = "https://github.com/wikipathways/pfocr-database.git"
TREE = "https://github.com/wikipathways/pfocr-database/tree/"
DCT = "http://purl.org/dc/terms/"
PAV = "http://purl.org/pav/"
PROV = "http://www.w3.org/ns/prov#"
VOID = "http://rdfs.org/ns/void#"
SCHEMA = "http://schema.org/"
XSD_NS = "http://www.w3.org/2001/XMLSchema#"


@pytest.fixture(autouse=True)
def _no_epoch(monkeypatch: pytest.MonkeyPatch) -> None:
    """A SOURCE_DATE_EPOCH in the environment running the tests must not leak into them."""
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)


# --- helpers ----------------------------------------------------------------------------------------


def dataset(build: Build | Path) -> dict[str, list[str]]:
    """The dataset node's properties in pfocr.nt: predicate IRI → sorted objects (N-Triples terms)."""
    nt = (build.outdir if isinstance(build, Build) else build) / "pfocr.nt"
    out: dict[str, list[str]] = {}
    for quad in pyoxigraph.parse(path=str(nt), format=pyoxigraph.RdfFormat.N_TRIPLES):
        if quad.subject == pyoxigraph.NamedNode(DATASET):
            out.setdefault(quad.predicate.value, []).append(str(quad.object))
    return {p: sorted(v) for p, v in out.items()}


def literal(value: str, datatype: str | None = None) -> str:
    return str(pyoxigraph.Literal(value, datatype=pyoxigraph.NamedNode(datatype) if datatype else None))


def build_seed(out: Path, *extra: str, source: Path = SEED_DB) -> Build:
    return run_build(out, source, extra=extra)


def git(cwd: Path, *args: str) -> str:
    """Run git with no user or system configuration (no hooks, no signing, a fixed identity)."""
    env = {
        **os.environ, "GIT_CONFIG_GLOBAL": os.devnull, "GIT_CONFIG_NOSYSTEM": "1",
        "GIT_AUTHOR_NAME": "pfocr-kg tests", "GIT_AUTHOR_EMAIL": "tests@example.org",
        "GIT_COMMITTER_NAME": "pfocr-kg tests", "GIT_COMMITTER_EMAIL": "tests@example.org",
    }
    done = subprocess.run(["git", *args], cwd=cwd, env=env, check=True, capture_output=True, text=True)
    return done.stdout.strip()


@pytest.fixture
def checkout(tmp_path: Path) -> tuple[Path, str]:
    """A git repository holding a copy of tests/fixtures/seed, one commit on `main`; its commit."""
    require_binary("git", hint="the git binary is needed to make a checkout")
    db = tmp_path / "pfocr-database"
    shutil.copytree(SEED_DB, db)
    git(db, "init", "-q")
    git(db, "checkout", "-q", "-b", "main")
    git(db, "add", "-A")
    git(db, "commit", "-q", "-m", "seed record")
    return db, git(db, "rev-parse", "HEAD")


def _outputs(outdir: Path) -> dict[str, bytes]:
    return {name: (outdir / name).read_bytes() for name in ("pfocr.nt", "pfocr.ttl", "report.json")}


# --- (a) the same input gives the same bytes, with no date --------------------------------------------


@pytest.mark.slow
def test_the_same_input_gives_the_same_bytes_and_no_date(tmp_path: Path) -> None:
    one = run_build(tmp_path / "one", SAMPLE)
    two = run_build(tmp_path / "two", SAMPLE, extra=("--no-cache", "--jobs", "1"))
    assert one.exit_code == two.exit_code == 0
    assert _outputs(one.outdir) == _outputs(two.outdir)
    for name in ("validation.ttl", "pfocr-vocab.ttl"):
        assert (one.outdir / name).read_bytes() == (two.outdir / name).read_bytes(), name
    # no date: no dcterms:issued, no xsd:date or xsd:dateTime anywhere, not today's date either
    assert DCT + "issued" not in dataset(one)
    datatypes = {t.object.datatype.value for t in one.triples() if isinstance(t.object, pyoxigraph.Literal)}
    assert not datatypes & {XSD_NS + "date", XSD_NS + "dateTime", XSD_NS + "dateTimeStamp"}
    assert XSD_NS + "gYear" in datatypes  # the papers' years, from the records
    today = {datetime.date.today().isoformat(), datetime.datetime.now(datetime.UTC).date().isoformat()}
    for name, data in _outputs(one.outdir).items():
        assert not [d for d in today if d.encode() in data], name


@pytest.mark.slow
def test_the_dataset_node_without_release_settings(tmp_path: Path) -> None:
    """Exactly what docs/vocabulary.md lists, and no version: the seed folder is no git checkout."""
    build = build_seed(tmp_path / "out")
    node = dataset(build)
    assert node == {
        str(RDF.type): [f"<{VOID}Dataset>"],
        DCT + "title": [literal("PFOCR knowledge graph")],
        DCT + "description": node[DCT + "description"],
        DCT + "license": ["<http://creativecommons.org/publicdomain/zero/1.0/>"],
        DCT + "source": ["<https://pfocr.wikipathways.org/>"],
        PAV + "createdWith": [f"<{SOFTWARE}>"],
        VOID + "vocabulary": ["<https://w3id.org/pfocr-kg/vocab>"],
        VOID + "entities": [literal("1", XSD_NS + "integer")],
        VOID + "triples": [literal(str(len(build.nt.splitlines())), XSD_NS + "integer")],
    }
    software = {(t.predicate.value, str(t.object)) for t in build.triples() if t.subject.value == SOFTWARE}
    assert software == {
        (str(RDF.type), f"<{SCHEMA}SoftwareApplication>"),
        (SCHEMA + "name", literal("pfocr-kg")),
        (SCHEMA + "softwareVersion", literal(__version__)),
    }


# --- (b) the release date ----------------------------------------------------------------------------


@pytest.mark.slow
@pytest.mark.parametrize(
    ("args", "epoch", "expected"),
    [
        pytest.param(("--release-date", "2026-12-07"), None, "2026-12-07", id="release-date"),
        pytest.param((), "1765065600", "2025-12-07", id="SOURCE_DATE_EPOCH"),  # 2025-12-07T00:00:00Z
        pytest.param(("--release-date", "2026-12-07"), "1765065600", "2026-12-07", id="option-wins"),
        pytest.param((), "", None, id="empty-SOURCE_DATE_EPOCH"),
    ],
)
def test_release_date(
    args: tuple[str, ...], epoch: str | None, expected: str | None, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    if epoch is not None:
        monkeypatch.setenv("SOURCE_DATE_EPOCH", epoch)
    build = build_seed(tmp_path / "out", *args)
    assert build.exit_code == 0
    node = dataset(build)
    if expected is None:
        assert DCT + "issued" not in node
    else:
        assert node[DCT + "issued"] == [literal(expected, XSD_NS + "date")]
        # the same in the Turtle file, and nowhere else in the graph
        issued = [t for t in build.triples("ttl") if t.predicate.value == DCT + "issued"]
        assert [(t.subject.value, str(t.object)) for t in issued] == [(DATASET, literal(expected, XSD_NS + "date"))]
    assert build.triples("ttl") == build.triples("nt")


@pytest.mark.parametrize(
    ("args", "epoch", "error"),
    [
        pytest.param(("--release-date", "07/12/2026"), None, "--release-date '07/12/2026' is not a date YYYY-MM-DD",
                     id="not-iso"),
        pytest.param(("--release-date", "2026-02-30"), None, "--release-date '2026-02-30' is not a date YYYY-MM-DD",
                     id="no-such-day"),
        pytest.param(("--release-date", "2026-12-7"), None, "--release-date '2026-12-7' is not a date YYYY-MM-DD",
                     id="one-digit-day"),
        pytest.param(("--release-date", "2026-12-07T00:00"), None,
                     "--release-date '2026-12-07T00:00' is not a date YYYY-MM-DD", id="a-time"),
        pytest.param((), "yesterday", "SOURCE_DATE_EPOCH 'yesterday' is not a number of seconds", id="epoch-words"),
        pytest.param((), "99999999999999999999", "SOURCE_DATE_EPOCH '99999999999999999999' is not a number of seconds",
                     id="epoch-out-of-range"),
    ],
)
def test_a_malformed_date_exits_2_with_one_line(
    args: tuple[str, ...], epoch: str | None, error: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    if epoch is not None:
        monkeypatch.setenv("SOURCE_DATE_EPOCH", epoch)
    out = tmp_path / "out"
    assert main(["build", str(SEED_DB), "-o", str(out), *args]) == 2
    captured = capsys.readouterr()
    assert captured.err == f"kg build: error: {error}\n"
    assert captured.out == ""
    assert not out.exists()  # refused before anything was written


def test_release_date_function() -> None:
    assert release_date(None, None) is None
    assert release_date(None, "  ") is None
    assert release_date("2024-02-29", None) == "2024-02-29"  # a leap day
    assert release_date(None, "0") == "1970-01-01"
    assert release_date(None, " 1765065600 ") == "2025-12-07"
    assert release_date(None, "1765151999") == "2025-12-07"  # its last second, in UTC
    assert release_date(None, "1765152000") == "2025-12-08"
    with pytest.raises(ReleaseError):
        release_date("2023-02-29", None)
    with pytest.raises(ReleaseError):
        release_date("２０２６-12-07", None)  # fullwidth digits: datetime takes them, the format does not


# --- (c) the release version -------------------------------------------------------------------------


@pytest.mark.slow
def test_release_version(tmp_path: Path) -> None:
    build = build_seed(tmp_path / "out", "--release", "v1")
    node = dataset(build)
    assert node[PAV + "version"] == [literal("v1")]
    assert PFOCR + "sourceCommit" not in node and PROV + "wasDerivedFrom" not in node


@pytest.mark.parametrize("version", ["", "  "])
def test_an_empty_release_exits_2(version: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["build", str(SEED_DB), "-o", str(tmp_path / "out"), "-q", "--release", version]) == 2
    assert capsys.readouterr().err == "kg build: error: --release is empty\n"
    assert not (tmp_path / "out" / "pfocr.nt").exists()


@pytest.mark.slow
def test_the_release_passes_the_shapes(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                       capsys: pytest.CaptureFixture[str]) -> None:
    """The dataset node is written after the gate: `kg validate` checks it (shapes/dataset.ttl)."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1765065600")
    build = build_seed(tmp_path / "out", "--release", "2025.12 (seed)")
    assert main(["validate", str(build.outdir / "pfocr.nt"), "--fail-on", "warning"]) == 0
    assert capsys.readouterr().out == f"{build.report['triples']} triples checked with shacl: 0 violations, 0 warnings, 0 infos\n"


# --- (d) a SOURCE that is a git checkout ----------------------------------------------------------


def _commit_facts(build: Build) -> tuple[list[str], list[str], list[str]]:
    node = dataset(build)
    return node.get(PAV + "version", []), node.get(PFOCR + "sourceCommit", []), node.get(PROV + "wasDerivedFrom", [])


def test_a_checkout_gives_its_commit(checkout: tuple[Path, str], tmp_path: Path) -> None:
    db, commit = checkout
    assert re.fullmatch(r"[0-9a-f]{40}", commit)
    assert (db / ".git" / "refs" / "heads" / "main").is_file()  # a loose ref
    build = build_seed(tmp_path / "out", source=db)
    assert _commit_facts(build) == ([literal(commit)], [literal(commit)], [])  # no origin: no tree link


@pytest.mark.slow
def test_packed_refs(checkout: tuple[Path, str], tmp_path: Path) -> None:
    db, commit = checkout
    git(db, "pack-refs", "--all")
    assert not (db / ".git" / "refs" / "heads" / "main").exists()
    assert f"{commit} refs/heads/main" in (db / ".git" / "packed-refs").read_text("utf-8")
    build = build_seed(tmp_path / "out", source=db)
    assert _commit_facts(build) == ([literal(commit)], [literal(commit)], [])


@pytest.mark.slow
def test_detached_head(checkout: tuple[Path, str], tmp_path: Path) -> None:
    db, first = checkout
    (db / "NOTES.md").write_text("a second commit\n", "utf-8")
    git(db, "add", "NOTES.md")
    git(db, "commit", "-q", "-m", "notes")
    git(db, "checkout", "-q", "--detach", first)
    assert (db / ".git" / "HEAD").read_text("utf-8").strip() == first  # HEAD holds the commit itself
    assert git(db, "rev-parse", "main") != first
    build = build_seed(tmp_path / "out", source=db)
    assert _commit_facts(build) == ([literal(first)], [literal(first)], [])


ORIGINS = [
    (PFOCR_REPO, True),
    ("https://github.com/wikipathways/pfocr-database", True),
    ("https://github.com/wikipathways/pfocr-database/", True),
    ("git@github.com:wikipathways/pfocr-database.git", True),
    ("ssh://git@github.com/wikipathways/pfocr-database.git", True),
    ("https://github.com/someone-else/pfocr-database.git", False),  # a fork: its commits are not PFOCR's
    ("https://gitlab.com/wikipathways/pfocr-database.git", False),
    ("https://github.com/wikipathways/pfocr-database-old.git", False),
]


@pytest.mark.slow
def test_origin(checkout: tuple[Path, str], tmp_path: Path) -> None:
    db, commit = checkout
    git(db, "remote", "add", "origin", ORIGINS[0][0])
    for url, derived in ORIGINS:
        git(db, "remote", "set-url", "origin", url)
        found = git_checkout(db)
        assert found is not None and (found.commit, found.pfocr_origin) == (commit, derived), url
    git(db, "remote", "set-url", "origin", PFOCR_REPO)
    git(db, "remote", "add", "upstream", "https://github.com/someone-else/pfocr-database.git")
    build = build_seed(tmp_path / "out", source=db)
    assert _commit_facts(build) == ([literal(commit)], [literal(commit)], [f"<{TREE}{commit}>"])


def test_another_remote_is_not_the_origin(checkout: tuple[Path, str]) -> None:
    db, _commit = checkout
    git(db, "remote", "add", "upstream", PFOCR_REPO)
    found = git_checkout(db)
    assert found is not None and not found.pfocr_origin


@pytest.mark.slow
def test_a_release_names_the_version_and_keeps_the_commit(checkout: tuple[Path, str], tmp_path: Path) -> None:
    db, commit = checkout
    git(db, "remote", "add", "origin", PFOCR_REPO)
    build = build_seed(tmp_path / "out", "--release", "v1", source=db)
    assert _commit_facts(build) == ([literal("v1")], [literal(commit)], [f"<{TREE}{commit}>"])


@pytest.mark.slow
def test_a_worktree_reads_the_common_git_folder(checkout: tuple[Path, str], tmp_path: Path) -> None:
    """A linked worktree's `.git` is a file naming its git folder; the origin is in the common one."""
    db, first = checkout
    git(db, "remote", "add", "origin", PFOCR_REPO)
    (db / "NOTES.md").write_text("a second commit\n", "utf-8")
    git(db, "add", "NOTES.md")
    git(db, "commit", "-q", "-m", "notes")
    tree = tmp_path / "worktree"
    git(db, "worktree", "add", "-q", "-b", "release", str(tree), first)
    assert (tree / ".git").is_file()
    build = build_seed(tmp_path / "out", source=tree)
    assert _commit_facts(build) == ([literal(first)], [literal(first)], [f"<{TREE}{first}>"])


@pytest.mark.slow
def test_no_commit_yet_gives_no_version(tmp_path: Path) -> None:
    """`git init` without a commit: HEAD names a branch that does not exist yet."""
    require_binary("git", hint="the git binary is needed to make a checkout")
    db = tmp_path / "db"
    shutil.copytree(SEED_DB, db)
    git(db, "init", "-q")
    assert git_checkout(db) is None
    build = build_seed(tmp_path / "out", source=db)
    assert build.exit_code == 0
    assert _commit_facts(build) == ([], [], [])


@pytest.mark.slow
def test_a_broken_git_folder_never_fails_a_build(tmp_path: Path) -> None:
    db = tmp_path / "db"
    shutil.copytree(SEED_DB, db)
    (db / ".git").write_text("not a gitdir line\n", "utf-8")
    assert git_checkout(db) is None
    (db / ".git").unlink()
    (db / ".git").mkdir()
    (db / ".git" / "HEAD").write_text("ref: refs/heads/main\n", "utf-8")
    (db / ".git" / "refs" / "heads").mkdir(parents=True)
    (db / ".git" / "refs" / "heads" / "main").write_text("not a commit\n", "utf-8")
    assert git_checkout(db) is None
    build = build_seed(tmp_path / "out", source=db)
    assert build.exit_code == 0 and _commit_facts(build) == ([], [], [])


@pytest.mark.slow
def test_release_of_several_sources(checkout: tuple[Path, str], tmp_path: Path) -> None:
    """One checkout among the SOURCEs: its commit is the version; two commits: no version, both listed."""
    db, first = checkout
    plain = tmp_path / "plain"
    plain.mkdir()
    assert release_of(None, None, [db, plain]).version == first
    other = tmp_path / "other"
    shutil.copytree(db, other)
    (other / "NOTES.md").write_text("another commit\n", "utf-8")
    git(other, "add", "NOTES.md")
    git(other, "commit", "-q", "-m", "notes")
    second = git(other, "rev-parse", "HEAD")
    release = release_of(None, None, [other, db])
    assert release.version is None
    assert set(release.commits) == {first, second} and len(release.commits) == 2
    assert release_of("v1", None, [db, other]).version == "v1"


# --- (e) counts and membership ------------------------------------------------------------------------


def test_counts_and_membership_on_the_sample(sample_build: Build) -> None:
    node = dataset(sample_build)
    lines = sample_build.nt.splitlines()
    assert node[VOID + "triples"] == [literal(str(len(lines)), XSD_NS + "integer")]
    assert len(lines) == sample_build.report["triples"] == len(sample_build.triples())
    figures = len(list((SAMPLE / "_figures").glob("*.md")))
    assert sample_build.report["figures_written"] == figures == 35
    assert node[VOID + "entities"] == [literal(str(figures), XSD_NS + "integer")]
    members = sample_build.select(
        f"SELECT ?r (COUNT(?d) AS ?n) WHERE {{ ?r a schema:Dataset . OPTIONAL {{ ?r <{VOID}inDataset> ?d }} }} GROUP BY ?r"
    )
    assert len(members) == figures
    assert {m["n"] for m in members} == {"1"}
    assert sample_build.select(f"SELECT DISTINCT ?d WHERE {{ ?r <{VOID}inDataset> ?d }}") == [{"d": DATASET}]
    # the dataset node and its software close the file
    tail = {line.split(b" ", 1)[0] for line in lines[-(sum(map(len, node.values())) + 3):]}
    assert tail == {f"<{DATASET}>".encode(), f"<{SOFTWARE}>".encode()}
    assert sample_build.triples("ttl") == sample_build.triples("nt")


@pytest.mark.slow
def test_entities_count_the_records_written_not_read(tmp_path: Path) -> None:
    root = tmp_path / "db"
    clone_record(root, SEED_FIGID)
    clone_record(root, SEED_FIGID, "PMC9000001", md=set_key("pathway_score", "1.5"))
    build = run_build(tmp_path / "out", root)
    assert build.report["records_read"] == 2 and len(build.report["quarantined"]) == 1
    node = dataset(build)
    assert node[VOID + "entities"] == [literal("1", XSD_NS + "integer")]
    assert node[VOID + "triples"] == [literal(str(len(build.nt.splitlines())), XSD_NS + "integer")]


# --- (f) pfocr-vocab.ttl ----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def vocab_and_data(tmp_path_factory: pytest.TempPathFactory) -> tuple[rdflib.Graph, rdflib.Graph, Path]:
    """The vocabulary a build wrote, and the data of the sample plus a git checkout of the seed (so
    that pfocr:sourceCommit is used too)."""
    require_binary("git", hint="the git binary is needed to make a checkout")
    base = tmp_path_factory.mktemp("vocab")
    db = base / "db"
    shutil.copytree(SAMPLE, db)
    git(db, "init", "-q")
    git(db, "add", "-A")
    git(db, "commit", "-q", "-m", "sample")
    build = run_build(base / "out", db)
    vocab = rdflib.Graph().parse(build.outdir / "pfocr-vocab.ttl", format="turtle")
    data = rdflib.Graph().parse(build.outdir / "pfocr.nt", format="nt")
    return vocab, data, build.outdir


def _pfocr_predicates(data: rdflib.Graph) -> set[rdflib.URIRef]:
    return {p for p in data.predicates() if str(p).startswith(PFOCR)}


@pytest.mark.slow
def test_the_vocabulary_file_is_written_as_kept(vocab_and_data: tuple[rdflib.Graph, rdflib.Graph, Path]) -> None:
    vocab, _data, outdir = vocab_and_data
    assert (outdir / "pfocr-vocab.ttl").read_bytes() == VOCAB_SOURCE.read_bytes()
    assert len(list(pyoxigraph.parse(path=str(outdir / "pfocr-vocab.ttl"), format=pyoxigraph.RdfFormat.TURTLE))) == len(vocab)
    (ontology,) = vocab.subjects(RDF.type, OWL.Ontology)
    assert str(ontology) == PFOCR.rstrip("#")
    assert vocab.value(ontology, RDFS.label) is not None


@pytest.mark.slow
def test_every_pfocr_property_used_is_declared(vocab_and_data: tuple[rdflib.Graph, rdflib.Graph, Path]) -> None:
    vocab, data, _outdir = vocab_and_data
    used = _pfocr_predicates(data)
    assert rdflib.URIRef(PFOCR + "sourceCommit") in used and rdflib.URIRef(PFOCR + "ocrText") in used
    declared = {p for p in vocab.subjects(RDF.type, RDF.Property) if str(p).startswith(PFOCR)}
    assert used <= declared, sorted(used - declared)
    for prop in sorted(used):
        labels = list(vocab.objects(prop, RDFS.label))
        comments = list(vocab.objects(prop, RDFS.comment))
        ranges = list(vocab.objects(prop, RDFS.range))
        assert len(labels) == 1 and str(labels[0]).strip(), prop
        assert len(comments) == 1 and str(comments[0]).strip(), prop
        assert len(ranges) == 1, prop
        assert len(list(vocab.objects(prop, RDFS.domain))) <= 1, prop


@pytest.mark.slow
def test_domains_and_ranges_fit_the_data(vocab_and_data: tuple[rdflib.Graph, rdflib.Graph, Path]) -> None:
    """Every use of a pfocr: property in the build: its subject has the declared domain as a type,
    its object the range (a literal of that datatype, or a node of that class, typed in the build
    or in the vocabulary)."""
    vocab, data, _outdir = vocab_and_data
    both = data + vocab
    checked: Counter[str] = Counter()
    for prop in sorted(_pfocr_predicates(data)):
        domain, range_ = vocab.value(prop, RDFS.domain), vocab.value(prop, RDFS.range)
        for subject, obj in data.subject_objects(prop):
            if domain is not None:
                assert (subject, RDF.type, domain) in data, (prop, subject, domain)
            if str(range_).startswith(str(XSD)):
                assert isinstance(obj, rdflib.Literal) and obj.datatype in (range_, None), (prop, obj)
                assert (obj.datatype or XSD.string) == range_, (prop, obj)
            else:
                assert (obj, RDF.type, range_) in both, (prop, obj, range_)
            checked[str(prop)] += 1
    assert len(checked) == len(_pfocr_predicates(data)) and min(checked.values()) >= 1


@pytest.mark.slow
def test_every_pfocr_property_used_has_a_domain(vocab_and_data: tuple[rdflib.Graph, rdflib.Graph, Path]) -> None:
    vocab, data, _outdir = vocab_and_data
    assert [str(p) for p in sorted(_pfocr_predicates(data)) if vocab.value(p, RDFS.domain) is None] == []


@pytest.mark.slow
def test_classes_and_match_kinds_are_declared(vocab_and_data: tuple[rdflib.Graph, rdflib.Graph, Path]) -> None:
    vocab, data, _outdir = vocab_and_data
    classes = {o for o in data.objects(None, RDF.type) if str(o).startswith(PFOCR)}
    assert {rdflib.URIRef(PFOCR + "MatchSource"), rdflib.URIRef(PFOCR + "OrganismMatchCounts")} <= classes
    kinds = set(data.objects(None, rdflib.URIRef(PFOCR + "matchKind")))
    assert rdflib.URIRef(PFOCR + "ExactSymbolMatch") in kinds
    for cls in classes:
        assert (cls, RDF.type, RDFS.Class) in vocab and vocab.value(cls, RDFS.label) is not None, cls
    for kind in kinds:
        assert (kind, RDF.type, rdflib.URIRef(PFOCR + "MatchKind")) in vocab, kind
        assert vocab.value(kind, RDFS.label) is not None, kind


def test_the_shapes_allow_exactly_the_declared_properties() -> None:
    """shapes/dataset.ttl's KnownPfocrTerms lists the pfocr: properties a graph may use; the
    vocabulary declares them: the two lists must be the same."""
    vocab = rdflib.Graph().parse(VOCAB_SOURCE, format="turtle")
    declared = {str(p).removeprefix(PFOCR) for p in vocab.subjects(RDF.type, RDF.Property) if str(p).startswith(PFOCR)}
    text = (DEFAULT_SHAPES_DIR / "dataset.ttl").read_text("utf-8")
    listed = re.search(r'NOT IN \(([^)]*)\)', text)
    assert listed is not None
    assert set(re.findall(r'"([A-Za-z]+)"', listed.group(1))) == declared


# --- (g) rebuilds, shards --------------------------------------------------------------------------


def _build_cli(out: Path, source: Path, *extra: str, capsys: pytest.CaptureFixture[str]) -> str:
    """`kg build` without -q; its summary line (stderr)."""
    capsys.readouterr()
    assert main(["build", str(source), "-o", str(out), *extra]) == 0
    return capsys.readouterr().err


@pytest.mark.slow
def test_another_release_is_not_up_to_date(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                           monkeypatch: pytest.MonkeyPatch) -> None:
    out = tmp_path / "out"
    assert "already up to date" not in _build_cli(out, SEED_DB, "--release", "v1", capsys=capsys)
    first = _outputs(out)
    assert "already up to date" in _build_cli(out, SEED_DB, "--release", "v1", capsys=capsys)
    assert _outputs(out) == first
    assert "already up to date" not in _build_cli(out, SEED_DB, "--release", "v2", capsys=capsys)
    assert dataset(out)[PAV + "version"] == [literal("v2")]
    second = _outputs(out)
    changed = set(first["pfocr.nt"].splitlines()) ^ set(second["pfocr.nt"].splitlines())
    assert changed == {f'<{DATASET}> <{PAV}version> "{v}" .'.encode() for v in ("v1", "v2")}
    # a date is a release setting too, from the option or the environment
    assert "already up to date" not in _build_cli(out, SEED_DB, "--release", "v2", "--release-date", "2026-12-07",
                                                  capsys=capsys)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1765065600")
    assert "already up to date" not in _build_cli(out, SEED_DB, "--release", "v2", capsys=capsys)
    assert dataset(out)[DCT + "issued"] == [literal("2025-12-07", XSD_NS + "date")]
    assert "already up to date" in _build_cli(out, SEED_DB, "--release", "v2", capsys=capsys)


@pytest.mark.slow
def test_a_new_commit_is_not_up_to_date(checkout: tuple[Path, str], tmp_path: Path,
                                        capsys: pytest.CaptureFixture[str]) -> None:
    """Records unchanged, the checkout moved on: the dataset names the new commit."""
    db, first = checkout
    out = tmp_path / "out"
    _build_cli(out, db, capsys=capsys)
    assert "already up to date" in _build_cli(out, db, capsys=capsys)
    (db / "NOTES.md").write_text("not a record\n", "utf-8")
    git(db, "add", "NOTES.md")
    git(db, "commit", "-q", "-m", "notes")
    second = git(db, "rev-parse", "HEAD")
    assert "already up to date" not in _build_cli(out, db, capsys=capsys)
    assert dataset(out)[PFOCR + "sourceCommit"] == [literal(second)] != [literal(first)]


def _small_db(root: Path) -> None:
    for figid in (SEED_FIGID, "PMC1391919__pgen.0020031.g001", "PMC10031279__gr8", "PMC10017456__fpls-14-1084358-g002",
                  "PMC5883377__CN-16-151_F1B", "PMC10033909__d3sc00173c-s1"):
        clone_record(root, figid)


@pytest.fixture
def checkout_of_six(tmp_path: Path) -> tuple[Path, str]:
    """A git checkout (origin: PFOCR's repository) of six sample records; its commit."""
    require_binary("git", hint="the git binary is needed to make a checkout")
    db = tmp_path / "pfocr-database"
    _small_db(db)
    git(db, "init", "-q")
    git(db, "add", "-A")
    git(db, "commit", "-q", "-m", "six records")
    git(db, "remote", "add", "origin", PFOCR_REPO)
    return db, git(db, "rev-parse", "HEAD")


@pytest.mark.slow
def test_shards_and_merge_keep_the_release(checkout_of_six: tuple[Path, str], tmp_path: Path,
                                           monkeypatch: pytest.MonkeyPatch) -> None:
    """`kg build --shard` + `kg merge` of a checkout with --release and SOURCE_DATE_EPOCH: the bytes of
    one whole build, the version, date, commit and tree link included."""
    db, commit = checkout_of_six
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1765065600")
    release = ("--release", "v1")
    assert main(["build", str(db), "-o", str(tmp_path / "whole"), "-q", *release]) == 0
    shards = [tmp_path / f"shard{i}" for i in (1, 2)]
    for i, shard in enumerate(shards, start=1):
        assert main(["build", str(db), "-o", str(shard), "-q", "--shard", f"{i}/2", *release]) == 0
        assert json.loads((shard / "report.json").read_text("utf-8"))["records_read"] > 0
    monkeypatch.delenv("SOURCE_DATE_EPOCH")  # kg merge takes the release the shards were built with
    assert main(["merge", *map(str, shards), "-o", str(tmp_path / "merged"), "-q"]) == 0
    assert _outputs(tmp_path / "merged") == _outputs(tmp_path / "whole")
    node = dataset(tmp_path / "merged")
    assert node[PAV + "version"] == [literal("v1")]
    assert node[DCT + "issued"] == [literal("2025-12-07", XSD_NS + "date")]
    assert node[PFOCR + "sourceCommit"] == [literal(commit)]
    assert node[PROV + "wasDerivedFrom"] == [f"<{TREE}{commit}>"]
    assert node[VOID + "entities"] == [literal("6", XSD_NS + "integer")]


@pytest.mark.slow
def test_an_empty_shard_keeps_the_commit(checkout: tuple[Path, str], tmp_path: Path) -> None:
    db, commit = checkout  # one record: one of the two shards is empty
    assert main(["build", str(db), "-o", str(tmp_path / "whole"), "-q"]) == 0
    shards = [tmp_path / f"shard{i}" for i in (1, 2)]
    for i, shard in enumerate(shards, start=1):
        assert main(["build", str(db), "-o", str(shard), "-q", "--shard", f"{i}/2"]) == 0
    assert main(["merge", *map(str, shards), "-o", str(tmp_path / "merged"), "-q"]) == 0
    assert dataset(tmp_path / "merged").get(PFOCR + "sourceCommit") == [literal(commit)]
    assert _outputs(tmp_path / "merged") == _outputs(tmp_path / "whole")


@pytest.mark.slow
def test_shards_of_different_releases_are_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = tmp_path / "db"
    _small_db(db)
    shards = [tmp_path / f"shard{i}" for i in (1, 2)]
    for i, shard in enumerate(shards, start=1):
        assert main(["build", str(db), "-o", str(shard), "-q", "--shard", f"{i}/2", "--release", f"v{i}"]) == 0
    assert main(["merge", *map(str, shards), "-o", str(tmp_path / "merged"), "-q"]) == 2
    assert "release" in capsys.readouterr().err
