#!/usr/bin/env bash
# Runs every libFuzzer target one after another for SECS seconds each (default 600), one job, at the
# lowest priority, and appends the final statistics of each run to fuzz/runs.log. Leak detection is off:
# the lexicon tables and caches are process-lifetime statics (some `Box::leak`ed on purpose), which
# LeakSanitizer reports at exit against whatever input ran last (an empty "crash" file, rc=1).
#
#   RUSTC_BOOTSTRAP=1 cargo fuzz build --features libfuzzer -O     # once (stable toolchain + bootstrap)
#   bash fuzz/run_all.sh [SECS] [TARGET...]
set -uo pipefail
cd "$(dirname "$0")"
secs=${1:-600}
shift || true
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(text link gazetteer translit variants compare)
bin=target/x86_64-unknown-linux-gnu/release
mkdir -p logs
for t in "${targets[@]}"; do
    mkdir -p "artifacts/$t" "corpus/$t"
    start=$(date -u +%FT%TZ)
    nice -n 19 "$bin/$t" "corpus/$t" -max_total_time="$secs" -timeout=60 -rss_limit_mb=2048 \
        -max_len=8192 -detect_leaks=0 -print_final_stats=1 -artifact_prefix="artifacts/$t/" >"logs/$t.log" 2>&1
    rc=$?
    execs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "logs/$t.log" | grep -o '[0-9]*$')
    secs_run=$(grep -o 'Done [0-9]* runs in [0-9]* second' "logs/$t.log" | grep -o 'in [0-9]*' | grep -o '[0-9]*')
    cov=$(grep -E '^#[0-9]+' "logs/$t.log" | tail -1 | grep -o 'cov: [0-9]*')
    echo "$start $t rc=$rc execs=${execs:-?} secs=${secs_run:-?} ${cov:-} artifacts=$(ls "artifacts/$t" | wc -l)" | tee -a runs.log
done
