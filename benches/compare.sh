#!/usr/bin/env bash
# slint against the established template linters, on the same files, in the same run.
#
#   benches/compare.sh [CORPUS] [RUNS]
#
# CORPUS defaults to ../shared/corpus/serverless-patterns (559 templates), RUNS to 3 for the
# slow tools (slint gets 10 × as many: it is fast enough). Tools are used when found on PATH
# (or named by these variables), skipped otherwise:
#
#   SLINT       slint release binary (default: target/release/slint; `cargo build --release`)
#   CFN_LINT    cfn-lint            (pip install cfn-lint==1.58.0)
#               + cfn-lint-serverless (pip install cfn-lint-serverless==0.3.6, same environment)
#   CHECKOV     checkov             (pip install checkov==3.3.30)
#   CFN_GUARD   cfn-guard           (cargo install cfn-guard --version 3.2.1)
#
# For each tool: version, how many files it was given, median wall time and peak RSS (GNU time,
# /usr/bin/time, on every run), and the ratio to slint's median. Exit codes are ignored: linters
# exit non-zero when they find something.
#
# Every tool gets every file it can take without aborting its whole run, so each row is a
# complete run (a tool that stops at its first bad file would look fast for the wrong reason):
# cfn-lint 1.58 crashes on a top-level section that is not a mapping (an empty `Resources:`),
# cfn-guard 3.2.1 aborts on a file it cannot parse. slint takes all of them.
set -uo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=$(dirname "$here")
corpus=$(cd "${1:-$root/../shared/corpus/serverless-patterns}" && pwd)
runs=${2:-3}
slint=${SLINT:-${CARGO_TARGET_DIR:-$root/target}/release/slint}
cfn_lint=${CFN_LINT:-$(command -v cfn-lint || true)}
checkov=${CHECKOV:-$(command -v checkov || true)}
cfn_guard=${CFN_GUARD:-$(command -v cfn-guard || echo /tmp/cfn-guard/bin/cfn-guard)}
pack=$here/guard/ten-rules.guard

[ -x "$slint" ] || { echo "missing $slint: cargo build --release" >&2; exit 2; }
[ -x /usr/bin/time ] || { echo "needs GNU time (apt-get install time)" >&2; exit 2; }

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$corpus"
find . -type f \( -name '*.yaml' -o -name '*.yml' -o -name '*.json' -o -name '*.template' \) | sort >"$work/files"

# The Python that runs cfn-lint (its shebang), to ask cfn-lint's own decoder.
cfn_lint_python() { head -1 "$cfn_lint" | sed 's/^#!//'; }

cfn_lint_files() {
    "$(cfn_lint_python)" -c '
import sys
from cfnlint.decode import decode
sections = ("Resources", "Parameters", "Outputs", "Conditions", "Mappings")
for path in sys.stdin.read().split():
    try:
        template, _ = decode(path)
    except Exception:
        template = None  # a parse error: cfn-lint reports it and goes on
    if isinstance(template, dict) and any(k in template and not isinstance(template[k], dict) for k in sections):
        continue
    print(path)
' <"$work/files"
}

cfn_guard_files() {
    while IFS= read -r file; do
        code=0
        "$cfn_guard" validate -r "$pack" -d "$file" -o json -z -S none >/dev/null 2>&1 || code=$?
        # 0: pass, 19: some rule failed; anything else: cfn-guard could not take the file.
        if [ "$code" -eq 0 ] || [ "$code" -eq 19 ]; then echo "$file"; fi
    done <"$work/files"
}

# name | version | file list | command (run with bash -c in the corpus folder; FILES: the list)
tools=()
tools+=("slint|$("$slint" --version)|files|$slint check . --format concise --fail-on never --no-config")
if [ -n "$cfn_lint" ]; then
    cfn_lint_files >"$work/cfn-lint-files"
    version=$("$cfn_lint" --version 2>&1 | tail -1)
    tools+=("cfn-lint|$version|cfn-lint-files|$cfn_lint --format parseable -- \$(cat FILES)")
    if "$(cfn_lint_python)" -c 'import cfn_lint_serverless' 2>/dev/null; then
        tools+=("cfn-lint + serverless rules|$version + cfn-lint-serverless|cfn-lint-files|$cfn_lint --format parseable --append-rules cfn_lint_serverless.rules -- \$(cat FILES)")
    fi
fi
if [ -n "$checkov" ]; then
    tools+=("checkov|checkov $("$checkov" --version 2>&1 | tail -1)|files|$checkov -d . --framework cloudformation --compact --quiet")
fi
if [ -x "$cfn_guard" ]; then
    cfn_guard_files >"$work/cfn-guard-files"
    tools+=("cfn-guard (10-rule pack)|$("$cfn_guard" --version 2>&1 | tail -1)|cfn-guard-files|$cfn_guard validate -r $pack -S none -o json -d \$(cat FILES)")
    tools+=("slint + the same pack|$("$slint" --version)|cfn-guard-files|$slint check --format concise --fail-on never --no-config --pack $pack \$(cat FILES)")
fi

median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }

echo "$(nproc) cores; $runs runs of each tool, $((runs * 10)) of slint, after one warm-up run; peak RSS: the largest of the runs"
printf '%-28s %-38s %6s %12s %10s %9s\n' tool version files "median wall" "peak RSS" "vs slint"
slint_ms=""
for entry in "${tools[@]}"; do
    IFS='|' read -r name version list command <<<"$entry"
    command=${command//FILES/$work/$list}
    n=$runs
    case $name in slint*) n=$((runs * 10)) ;; esac
    bash -c "$command" >/dev/null 2>&1 # warm-up: page cache, Python bytecode
    : >"$work/times"
    : >"$work/rss"
    for _ in $(seq "$n"); do
        # One run gives both figures: the wall clock around it (GNU time's own is in 10 ms
        # steps) and GNU time's maximum RSS in KB.
        start=$(date +%s%N)
        /usr/bin/time -f '%M' -o "$work/one" bash -c "$command" >/dev/null 2>&1
        end=$(date +%s%N)
        echo $(((end - start) / 1000000)) >>"$work/times"
        cat "$work/one" >>"$work/rss"
    done
    ms=$(median <"$work/times")
    rss=$(sort -n "$work/rss" | tail -1 | awk '{ printf "%.0f MB", $1 / 1024 }')
    [ -z "$slint_ms" ] && slint_ms=$ms
    ratio=$(awk -v a="$ms" -v b="$slint_ms" 'BEGIN { printf "%.1f×", a / b }')
    printf '%-28s %-38s %6s %9s ms %10s %9s\n' "$name" "${version:0:38}" "$(wc -l <"$work/$list")" "$ms" "$rss" "$ratio"
    echo "    ${command//$work\//}"
done
