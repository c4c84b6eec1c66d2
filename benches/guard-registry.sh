#!/usr/bin/env bash
# slint with the 34-rule pack of aws-guard-rules-registry (benches/guard/registry-34.txt) against
# the `cfn-guard validate` CLI: same rules, same files, one run.
#
#   benches/guard-registry.sh REGISTRY [CORPUS] [RUNS]
#
# REGISTRY is a checkout of github.com/aws-cloudformation/aws-guard-rules-registry (kept outside
# this repository; the figures in the README are from commit 7f7340c). CORPUS defaults to
# ../shared/corpus/serverless-patterns, RUNS to 7. Needs python3, a release build of slint
# (`cargo build --release`; SLINT names another binary) and cfn-guard 3.2.1 (CFN_GUARD, or on
# PATH): `cargo install cfn-guard --version 3.2.1 --locked --root DIR`. SLINT_BASELINE=<binary>
# adds rows for another slint build (before/after a change, in the same rounds).
#
# Both tools get the same explicit list of files: every file of the corpus that cfn-guard can
# load (it aborts a whole run on one it cannot parse). Output goes to /dev/null. Runs are
# interleaved (one run of each command per round, after a warm-up round), so a change in the
# machine's load hits every command alike; medians of wall time and of CPU time (user + system,
# all threads) are printed.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=$(dirname "$here")
registry=${1:?usage: $0 REGISTRY [CORPUS] [RUNS]}
corpus=${2:-$root/../shared/corpus/serverless-patterns}
runs=${3:-7}
slint=${SLINT:-${CARGO_TARGET_DIR:-$root/target}/release/slint}
cfn_guard=${CFN_GUARD:-$(command -v cfn-guard || true)}
baseline=${SLINT_BASELINE:-}

for tool in "$slint" "$cfn_guard" ${baseline:+"$baseline"}; do
    [ -n "$tool" ] && [ -x "$tool" ] || { echo "missing '$tool' (see the comment at the top of $0)" >&2; exit 2; }
done

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
pack=$work/reg
mkdir "$pack"
grep -v '^#' "$here/guard/registry-34.txt" | while IFS= read -r rule; do
    cp "$registry/rules/aws/$rule" "$pack/"
done
find "$corpus" -type f \( -name '*.yaml' -o -name '*.yml' -o -name '*.json' -o -name '*.template' \) | sort >"$work/all"
: >"$work/files"
while IFS= read -r file; do
    code=0
    "$cfn_guard" validate -r "$pack" -d "$file" -o json -z -S none >/dev/null 2>&1 || code=$?
    # 0: pass, 19: some rule failed; anything else: cfn-guard could not take the file.
    if [ "$code" -eq 0 ] || [ "$code" -eq 19 ]; then echo "$file" >>"$work/files"; fi
done <"$work/all"
echo "$(ls "$pack" | wc -l) rule files; $(wc -l <"$work/files") of $(wc -l <"$work/all") files under $corpus (the rest cfn-guard cannot load)"
echo "$("$slint" --version) ($slint), $("$cfn_guard" --version) ($cfn_guard), $(nproc) cores, $runs runs"

python3 - "$work/files" "$runs" "$slint" "$cfn_guard" "$pack" "$baseline" <<'PY'
import os, statistics, subprocess, sys, time

files_list, runs, slint, cfn_guard, pack, baseline = sys.argv[1], int(sys.argv[2]), *sys.argv[3:]
files = open(files_list).read().split()
def check(binary):
    return [binary, "check", "--no-config", "--format", "json", "--fail-on", "never"]
commands = [
    ("cfn-guard validate (structured JSON)", [cfn_guard, "validate", "-r", pack, "-o", "json", "-z", "-S", "none", "-d", *files]),
    ("cfn-guard validate (default output)", [cfn_guard, "validate", "-r", pack, "-d", *files]),
    ("slint check, the pack only", [*check(slint), "--select", "reg/", "--pack", pack, *files]),
    ("slint check, built-in rules + the pack", [*check(slint), "--pack", pack, *files]),
    ("slint check, built-in rules only", [*check(slint), *files]),
]
if baseline:
    commands.append(("baseline slint, the pack only", [*check(baseline), "--select", "reg/", "--pack", pack, *files]))

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

print(f"\n{'median wall':>12} {'median CPU':>11}  {'min CPU':>8}  command")
for name, _ in commands:
    walls = [w for w, _ in samples[name]]
    cpus = [c for _, c in samples[name]]
    print(f"{statistics.median(walls) * 1000:9.0f} ms {statistics.median(cpus) * 1000:8.0f} ms  {min(cpus) * 1000:5.0f} ms  {name}")
PY
