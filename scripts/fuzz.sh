#!/usr/bin/env bash
# Coverage-guided fuzzing of the rtnl-core decoders with cargo-fuzz (libFuzzer).
#
#   scripts/fuzz.sh [SECONDS_PER_TARGET] [TARGET ...]     (default 60 s, every target; run from anywhere)
#
# Builds every target in fuzz/ (nightly, AddressSanitizer, debug assertions
# so integer overflow panics too), then runs each one for SECONDS_PER_TARGET
# on its corpus fuzz/corpus/<target> with an allocation cap, so a crash, a
# panic, an input taking over 10 s or an allocation over 512 MB (RSS over
# 2 GB) fails the run. Prints one line per target; libFuzzer's own output goes
# to fuzz/logs/<target>.log and new inputs to fuzz/work/<target> (both
# git-ignored: the committed corpus is not modified), crashing inputs to
# fuzz/artifacts/<target>/. Runs at nice 19.
#
# Exits 0 when no target failed, 1 when one did, 2 on a usage or build error.
# Without a nightly toolchain it prints "skipped: ..." and exits 0.
set -uo pipefail

secs="${1:-60}"
case "$secs" in
    '' | *[!0-9]* | 0)
        echo "usage: scripts/fuzz.sh [SECONDS_PER_TARGET] [TARGET ...]   (a positive integer, default 60; default every target)" >&2
        exit 2
        ;;
esac
shift $(( $# > 0 ? 1 : 0 ))
only=("$@")

cd "$(dirname "$0")/.." || exit 2

if ! command -v rustup >/dev/null 2>&1 || ! rustup toolchain list 2>/dev/null | grep -q '^nightly'; then
    echo "fuzz: skipped: needs a nightly Rust toolchain (rustup toolchain install nightly)"
    exit 0
fi
if ! cargo +nightly fuzz --version >/dev/null 2>&1; then
    echo "fuzz: installing cargo-fuzz (cargo install cargo-fuzz --locked)"
    if ! cargo install cargo-fuzz --locked >fuzz/install.log 2>&1; then
        echo "fuzz: FAILED to install cargo-fuzz; see fuzz/install.log" >&2
        exit 2
    fi
fi

# -a: debug assertions (overflow checks); the same flags for build and run,
# so `cargo fuzz run` does not rebuild.
flags=(-a)
mkdir -p fuzz/logs
echo "fuzz: building targets (log: fuzz/logs/build.log)"
if ! nice -n 19 cargo +nightly fuzz build "${flags[@]}" >fuzz/logs/build.log 2>&1; then
    # The cause comes before cargo's summary (a linker's "No space left on device", a killed ld).
    grep -E -m 10 'error|No space left|Killed|signal' fuzz/logs/build.log >&2
    tail -n 20 fuzz/logs/build.log >&2
    echo "fuzz: FAILED to build the fuzz targets; see fuzz/logs/build.log" >&2
    exit 2
fi

mapfile -t targets < <(cargo +nightly fuzz list 2>/dev/null)
if [ "${#targets[@]}" -eq 0 ]; then
    echo "fuzz: no fuzz targets found" >&2
    exit 2
fi
if [ "${#only[@]}" -gt 0 ]; then
    for t in "${only[@]}"; do
        if ! printf '%s\n' "${targets[@]}" | grep -qx "$t"; then
            echo "fuzz: no target '$t'; the targets are: ${targets[*]}" >&2
            exit 2
        fi
    done
    targets=("${only[@]}")
fi

failed=0
for t in "${targets[@]}"; do
    log="fuzz/logs/$t.log"
    mkdir -p "fuzz/work/$t" "fuzz/corpus/$t"
    # The first corpus directory receives new inputs: the scratch one.
    nice -n 19 cargo +nightly fuzz run "${flags[@]}" "$t" "fuzz/work/$t" "fuzz/corpus/$t" -- \
        -max_total_time="$secs" -rss_limit_mb=2048 -malloc_limit_mb=512 -timeout=10 \
        >"$log" 2>&1
    rc=$?
    # "Done 1234 runs in 60 second(s)" and "#1234 DONE cov: .. corp: N/..".
    done_line=$(grep -E '^Done [0-9]+ runs in [0-9]+ second' "$log" | tail -n 1)
    runs=$(sed -E -n 's/^Done ([0-9]+) runs in ([0-9]+) second.*/\1/p' <<<"$done_line")
    took=$(sed -E -n 's/^Done ([0-9]+) runs in ([0-9]+) second.*/\2/p' <<<"$done_line")
    stats=$(grep -E '^#[0-9]+[[:space:]]+DONE' "$log" | tail -n 1 | grep -oE '(cov|corp): [^ ]+' | tr '\n' ' ')
    if [ "$rc" -eq 0 ] && [ -n "$done_line" ]; then
        rate=$((runs / (took > 0 ? took : 1)))
        printf 'fuzz: %-10s %4ss  %10s execs  %7s/s  %s ok\n' "$t" "$took" "$runs" "$rate" "$stats"
    else
        failed=1
        # A panic's message is on the line after "panicked at".
        why=$(grep -m 1 -A 1 'panicked at' "$log" | tr '\n' ' ')
        [ -n "$why" ] || why=$(grep -m 1 -E '==[0-9]+== ?ERROR|ERROR: libFuzzer|SUMMARY: ' "$log")
        art=$(grep -oE 'Test unit written to [^ ]+' "$log" | tail -n 1 | sed 's/Test unit written to //')
        printf 'fuzz: %-10s FAILED (exit %s) after %ss: %s\n' "$t" "$rc" "${took:-?}" "${why:-see log}"
        printf 'fuzz: %-10s input: %s  log: %s\n' "" "${art:-none}" "$log"
    fi
done

if [ "$failed" -ne 0 ]; then
    echo "fuzz: FAILED: a target crashed (reproduce: cargo +nightly fuzz run ${flags[*]} TARGET ARTIFACT)"
    exit 1
fi
echo "fuzz: ok: ${#targets[@]} targets x ${secs}s, no crash"
