#!/usr/bin/env python3
"""The long fuzz run of `kg build`: many mutated records, checked against the bad-input contract.

    python bench/fuzz.py [--records 200000] [--seed 1] [--batch 20000] [--jobs N] [--intensity 60]
                         [--workdir DIR] [--keep] [--no-wrong-types]
    python bench/fuzz.py --seed S --only N [N ...] [--keep]   # rebuild just these records of seed S

Records are made by tests/helpers/fuzz_records.py (the module tests/integration/test_fuzz.py uses): real records of
tests/fixtures/pfocr-sample mutated as front matter data and text, sidecar TSVs, organism pages and
bytes. Record N of seed S is always the same (`fuzz_records.seeded_record(S, N)`), so a failure
is reproduced from the two numbers. Records 0-1913 are every field of the sample with every
wrong type (`fuzz_records.wrong_type_records`, the same for every seed), unless --no-wrong-types.

The records are built in batches of --batch (one `kg build` each, gate on, `-j N`), each batch
into a fresh database and OUTDIR under WORKDIR (removed afterwards unless --keep), and after each
build `fuzz_records.check_build` checks: exit status 0, records_read == figures_written +
len(quarantined) == the number of records, every record exported or quarantined exactly once with
a reason that is not an "internal error", pfocr.nt and pfocr.ttl accepted by pyoxigraph's strict
parsers with the same triples, quarantine/*.ttl and validation.ttl parseable, every quarantined
file named on stderr, and unmutated records exported.

Prints one line per batch; on the first failure, what broke, the records involved with their
mutations, and the command that rebuilds them; exit status 1. 0 when every batch passed.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import os
import random
import re
import shutil
import sys
import tempfile
import time
import traceback
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "tests"))

from helpers import fuzz_records as fr

from kg.cli import main as kg_main


def _build(db: Path, out: Path, jobs: int) -> tuple[int, str]:
    err = io.StringIO()
    with contextlib.redirect_stderr(err):
        code = kg_main(["build", str(db), "-o", str(out), "-j", str(jobs)])
    return code, err.getvalue()


def _numbers(message: str) -> list[int]:
    return sorted({int(n) for n in re.findall(r"-fz([0-9]+)", message)})


def _number(record: fr.Record) -> int:
    return int(record.stem.rsplit("-fz", 1)[1])


def run_batch(workdir: Path, records: list[fr.Record], jobs: int, keep: bool,
              organism_pages: list[tuple[str, bytes, list[str]]]) -> fr.Checked:
    batch = Path(tempfile.mkdtemp(prefix="batch-", dir=workdir))
    try:
        db, out = batch / "db", batch / "out"
        fr.write_organism_pages(db, organism_pages)
        for record in records:
            record.write(db)
        (db / "_figures").mkdir(parents=True, exist_ok=True)
        try:
            code, stderr = _build(db, out, jobs)
        except BaseException as exc:
            if isinstance(exc, KeyboardInterrupt):
                raise
            raise fr.Broken(f"kg build crashed: {''.join(traceback.format_exception(exc))}") from exc
        if not (out / "report.json").is_file():
            raise fr.Broken(f"kg build exit status {code} and no report.json: {stderr[-3000:]}")
        return fr.check_build(out, [db], validate=True, exit_code=code, stderr=stderr, records=records)
    finally:
        if keep:
            print(f"  kept {batch}", file=sys.stderr)
        else:
            shutil.rmtree(batch, ignore_errors=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--records", type=int, default=200_000, help="records in all (default 200000)")
    parser.add_argument("--seed", type=int, default=1, help="corpus seed (default 1)")
    parser.add_argument("--batch", type=int, default=20_000, help="records per kg build (default 20000)")
    parser.add_argument("--jobs", "-j", type=int, default=os.cpu_count() or 1, help="kg build -j (default: CPUs)")
    parser.add_argument("--intensity", type=int, default=60, help="percent of records mutated, about (default 60)")
    parser.add_argument("--only", type=int, nargs="+", metavar="N", help="build only these records of --seed")
    parser.add_argument("--no-wrong-types", action="store_true", help="no every-field-every-wrong-type records")
    parser.add_argument("--workdir", type=Path, default=Path(tempfile.gettempdir()) / "pfocr-kg-fuzz")
    parser.add_argument("--keep", action="store_true", help="keep each batch's database and OUTDIR")
    args = parser.parse_args(argv)
    args.workdir.mkdir(parents=True, exist_ok=True)

    pages_src = fr.RandomSource(random.Random(f"{args.seed}/organisms"))
    pages = [fr.make_organism_page(pages_src) for _ in range(8)]
    wrong = [] if args.no_wrong_types else fr.wrong_type_records()

    def record(n: int) -> fr.Record:  # numbers below len(wrong) are the wrong-type records
        return wrong[n] if n < len(wrong) else fr.seeded_record(args.seed, n, args.intensity)

    total = max(args.records, len(wrong))
    if args.only:
        batches: Iterator[list[fr.Record]] = iter([[record(n) for n in args.only]])
        for n in args.only:
            print(f"record {record(n).describe()}")
    else:
        first = f"; the first {len(wrong):,}: every field with every wrong type" if wrong else ""
        print(f"fuzz: {total:,} records (seed {args.seed}{first}), batches of {args.batch:,}, "
              f"kg build -j {args.jobs}, in {args.workdir}")
        batches = ([record(n) for n in range(lo, min(lo + args.batch, total))] for lo in range(0, total, args.batch))

    totals: Counter[str] = Counter()
    reasons: Counter[str] = Counter()
    started = time.monotonic()
    for records in batches:
        t0 = time.monotonic()
        try:
            checked = run_batch(args.workdir, records, args.jobs, args.keep, pages)
        except fr.Broken as exc:
            print(f"\nFAILED (seed {args.seed}, records {records[0].stem} … {records[-1].stem}):\n{exc}")
            numbers = _numbers(str(exc))[:10]  # check_build listed their mutations above
            if numbers:
                options = "" if args.intensity == 60 else f" --intensity {args.intensity}"
                options += " --no-wrong-types" if args.no_wrong_types else ""
                print(f"reproduce: python bench/fuzz.py --seed {args.seed}{options} --only "
                      f"{' '.join(map(str, numbers))} --keep")
            return 1
        totals.update(records=checked.records, exported=checked.exported, quarantined=checked.quarantined,
                      warnings=checked.warnings, triples=checked.triples)
        reasons.update(checked.reasons)
        print(f"  records {_number(records[0])}-{_number(records[-1])}: {checked.exported:,} exported, "
              f"{checked.quarantined:,} quarantined, {checked.warnings:,} field warnings, {checked.triples:,} "
              f"triples: ok ({time.monotonic() - t0:.1f} s)", flush=True)
    print(f"\nall passed: {totals['records']:,} records, {totals['exported']:,} exported, "
          f"{totals['quarantined']:,} quarantined, {totals['warnings']:,} field warnings, "
          f"{totals['triples']:,} triples, {time.monotonic() - started:.0f} s")
    print("most frequent reasons for quarantine:")
    for reason, count in reasons.most_common(15):
        print(f"  {count:>8,}  {reason}")
    return 0


if __name__ == "__main__":  # the guard forkserver workers need
    sys.exit(main())
