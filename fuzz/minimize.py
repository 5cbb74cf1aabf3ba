#!/usr/bin/env python3
"""Folds what a fuzz run found into the committed corpus, keeping it small.

    scripts/fuzz.sh 90                  # new inputs land in fuzz/work/<target>
    python3 fuzz/minimize.py [PER_TARGET [TARGET...]]   (default 40, all; stdlib only)

`cargo fuzz cmin` (libFuzzer -merge=1) keeps every input that adds a feature
and left about 3,600 files (2.4 MB) after 2 minutes per target, so this picks
instead, per target:

 1. libFuzzer -set_cover_merge=1 -use_counters=0 over the corpus and
    fuzz/work/<target>: a small set covering every edge reached;
 2. each file of that set run alone (-merge_control_file) for its own edges;
 3. greedily, the PER_TARGET files adding the most edges beyond what the
    seed files (seed-*, written by seed.py) cover.

The seed files are always kept; every other file in fuzz/corpus/<target> is
replaced by the pick (named by SHA-1, as libFuzzer names them). Needs the
targets built (scripts/fuzz.sh builds them; CARGO_TARGET_DIR is honoured).
Runs at nice 19.
"""

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

FUZZ = Path(__file__).resolve().parent
TARGETS = ["datagram", "link", "address", "route", "neighbour", "rule", "linkinfo",
           "nexthop", "netconf", "nsid", "prefix", "nduseropt", "stats", "tc", "mdb", "vlan"]
LIMITS = ["-rss_limit_mb=2048", "-malloc_limit_mb=512", "-timeout=10"]


def binary(target):
    host = next(
        l.split(": ", 1)[1]
        for l in subprocess.run(["rustc", "-vV"], capture_output=True, text=True, check=True).stdout.splitlines()
        if l.startswith("host: ")
    )
    b = Path(os.environ.get("CARGO_TARGET_DIR", FUZZ / "target")) / host / "release" / target
    if not b.exists():
        sys.exit(f"minimize.py: {b} is not built (run scripts/fuzz.sh or cargo +nightly fuzz build -a)")
    return b


def fuzzer(b, *args):
    subprocess.run(["nice", "-n", "19", str(b), *LIMITS, *args],
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)


def edges(b, path, tmp):
    """The coverage (PC indices) of one input run alone."""
    one, out, ctl = tmp / "one", tmp / "out", tmp / "ctl"
    for d in (one, out):
        shutil.rmtree(d, ignore_errors=True)
        d.mkdir()
    shutil.copy(path, one / "x")
    ctl.unlink(missing_ok=True)
    fuzzer(b, "-merge=1", "-use_counters=0", f"-merge_control_file={ctl}", str(out), str(one))
    for line in ctl.read_text().splitlines():
        if line.startswith("COV "):
            return set(line.split()[2:])
    return set()


def minimize(target, budget):
    b = binary(target)
    corpus, work = FUZZ / "corpus" / target, FUZZ / "work" / target
    with tempfile.TemporaryDirectory() as t:
        tmp = Path(t)
        cover = tmp / "cover"
        shutil.copytree(corpus, cover)
        dirs = [str(work)] if work.is_dir() else []
        fuzzer(b, "-set_cover_merge=1", "-use_counters=0", str(cover), *dirs)
        cov = {p.name: edges(b, p, tmp) for p in sorted(cover.iterdir())}
        seeds = [n for n in cov if n.startswith("seed-")]
        covered = set().union(*(cov[n] for n in seeds))
        base, total = len(covered), len(set().union(*cov.values()))
        cand = {n: cov[n] - covered for n in cov if n not in seeds}
        picked = []
        while cand and len(picked) < budget:
            best = max(cand, key=lambda n: (len(cand[n]), -(cover / n).stat().st_size, n))
            gain = cand.pop(best)
            if not gain:
                break
            picked.append(best)
            covered |= gain
            for n in cand:
                cand[n] -= gain
        for p in corpus.iterdir():
            if not p.name.startswith("seed-"):
                p.unlink()
        for n in picked:
            shutil.copy(cover / n, corpus / n)
    size = sum(p.stat().st_size for p in corpus.iterdir())
    print(f"{target:10} {len(seeds):3} seeds + {len(picked):3} picked of {len(cov) - len(seeds):4}; "
          f"edges {base} (seeds) -> {len(covered)} of {total}; {size} bytes")


def main():
    budget = int(sys.argv[1]) if len(sys.argv) > 1 else 40
    for target in sys.argv[2:] or TARGETS:
        minimize(target, budget)


if __name__ == "__main__":
    main()
