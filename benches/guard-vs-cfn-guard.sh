#!/usr/bin/env bash
# slint with a 10-rule Guard pack against the `cfn-guard validate` CLI, same pack, same files.
#
#   benches/guard-vs-cfn-guard.sh [CORPUS] [RUNS]
#
# CORPUS defaults to ../shared/corpus/serverless-patterns, RUNS to 11. Needs hyperfine, python3,
# a release build of slint with the `guard` feature (`cargo build --release`; set SLINT to use
# another binary) and cfn-guard 3.2.1 (set CFN_GUARD, or have it on PATH):
#
#   cargo install cfn-guard --version 3.2.1 --root /tmp/cfn-guard   # then CFN_GUARD=/tmp/cfn-guard/bin/cfn-guard
#
# Both tools get the same explicit list of files: every template of the corpus that cfn-guard
# can load on its own (it aborts a whole run on one file it cannot parse, so the few it rejects
# are left out of both). cfn-guard writes its structured JSON report, slint its JSON report.
# Prints hyperfine's table and the median of each command.
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
command -v hyperfine >/dev/null || { echo "hyperfine is not installed" >&2; exit 2; }

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
echo "slint: $slint ($("$slint" --version)), cfn-guard: $cfn_guard ($("$cfn_guard" --version)), $(nproc) cores"

files=$(tr '\n' ' ' <"$work/files")
hyperfine --ignore-failure --warmup 2 --runs "$runs" --export-json "$work/results.json" \
    -n "cfn-guard validate (10 rules, structured JSON)" "$cfn_guard validate -r $pack -o json -z -S none -d $files" \
    -n "cfn-guard validate (10 rules, default summary)" "$cfn_guard validate -r $pack -d $files" \
    -n "slint check (built-in rules + 10-rule pack)" "$slint check --pack $pack --format json --fail-on never $files" \
    -n "slint check (built-in rules + 10-rule pack, 1 thread)" "$slint check --pack $pack --format json --fail-on never --threads 1 $files" \
    -n "slint check (10-rule pack only)" "$slint check --pack $pack --select ten-rules/ --format json --fail-on never $files" \
    -n "slint check (built-in rules only)" "$slint check --format json --fail-on never $files"

python3 - "$work/results.json" <<'EOF'
import json, sys
print("\nmedian wall time")
for r in json.load(open(sys.argv[1]))["results"]:
    print(f"  {r['median'] * 1000:8.1f} ms  {r['command']}")
EOF
