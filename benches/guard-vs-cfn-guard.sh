#!/usr/bin/env bash
# slint with a 10-rule Guard pack against the `cfn-guard validate` CLI, same pack, same files.
#
#   benches/guard-vs-cfn-guard.sh [CORPUS] [RUNS]
#
# CORPUS defaults to ../shared/corpus/serverless-patterns, RUNS to 11. Needs python3, a release
# build of slint with the `guard` feature (`cargo build --release`; set SLINT to use another
# binary) and cfn-guard 3.2.1 (set CFN_GUARD, or have it on PATH):
#
#   cargo install cfn-guard --version 3.2.1 --root /tmp/cfn-guard   # then CFN_GUARD=/tmp/cfn-guard/bin/cfn-guard
#
# Both tools get the same explicit list of files: every template of the corpus that cfn-guard
# can load on its own (it aborts a whole run on one file it cannot parse, so the few it rejects
# are left out of both). cfn-guard writes its structured JSON report, slint its JSON report,
# both to /dev/null. Runs are interleaved (one run of each command per round, after a warm-up
# round), so a change in the machine's load hits every command alike; the medians of wall time
# and of CPU time (user + system) are printed.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=$(dirname "$here")
corpus=${1:-$root/../shared/corpus/serverless-patterns}
runs=${2:-11}
slint=${SLINT:-${CARGO_TARGET_DIR:-$root/target}/release/slint}
cfn_guard=${CFN_GUARD:-$(command -v cfn-guard || echo /tmp/cfn-guard/bin/cfn-guard)}
pack=$here/guard/ten-rules.guard

for tool in "$slint" "$cfn_guard"; do
    [ -x "$tool" ] || { echo "missing $tool (see the comment at the top of $0)" >&2; exit 2; }
done

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
find "$corpus" -type f \( -name '*.yaml' -o -name '*.yml' -o -name '*.json' -o -name '*.template' \) | sort >"$work/all"
: >"$work/files"
while IFS= read -r file; do
    code=0
    "$cfn_guard" validate -r "$pack" -d "$file" -o json -z -S none >/dev/null 2>&1 || code=$?
    # 0: pass, 19: some rule failed; anything else: cfn-guard could not take the file.
    if [ "$code" -eq 0 ] || [ "$code" -eq 19 ]; then echo "$file" >>"$work/files"; fi
done <"$work/all"
echo "$(wc -l <"$work/files") of $(wc -l <"$work/all") files under $corpus (the rest cfn-guard cannot load)"
echo "$("$slint" --version) ($slint), $("$cfn_guard" --version) ($cfn_guard), $(nproc) cores, $runs runs"

python3 - "$work/files" "$runs" "$slint" "$cfn_guard" "$pack" <<'EOF'
import os, statistics, subprocess, sys, time

files_list, runs, slint, cfn_guard, pack = sys.argv[1], int(sys.argv[2]), *sys.argv[3:]
files = open(files_list).read().split()
slint_check = [slint, "check", "--format", "json", "--fail-on", "never"]
commands = [
    ("cfn-guard validate (10-rule pack, structured JSON)", [cfn_guard, "validate", "-r", pack, "-o", "json", "-z", "-S", "none", "-d", *files]),
    ("cfn-guard validate (10-rule pack, default output)", [cfn_guard, "validate", "-r", pack, "-d", *files]),
    ("slint check (built-in rules + 10-rule pack)", [*slint_check, "--pack", pack, *files]),
    ("slint check (built-in rules + 10-rule pack, --threads 1)", [*slint_check, "--threads", "1", "--pack", pack, *files]),
    ("slint check (10-rule pack only)", [*slint_check, "--pack", pack, "--select", "ten-rules/", *files]),
    ("slint check (built-in rules only)", [*slint_check, *files]),
]

def run(argv):
    start = time.perf_counter()
    proc = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    code = os.waitstatus_to_exitcode(status)
    if code not in (0, 19):  # cfn-guard exits 19 when a rule fails
        sys.exit(f"{argv[0]} exited {code}")
    return wall, usage.ru_utime + usage.ru_stime

samples = {name: [] for name, _ in commands}
for round_ in range(runs + 1):
    for name, argv in commands:
        wall, cpu = run(argv)
        if round_ > 0:  # the first round warms the page cache
            samples[name].append((wall, cpu))

print(f"\n{'median wall':>12} {'median CPU':>11}  {'min wall':>9}  command")
for name, _ in commands:
    walls = [w for w, _ in samples[name]]
    cpus = [c for _, c in samples[name]]
    print(f"{statistics.median(walls) * 1000:9.0f} ms {statistics.median(cpus) * 1000:8.0f} ms  {min(walls) * 1000:6.0f} ms  {name}")
EOF
