#!/usr/bin/env bash
# slint against the established template linters, on the same folder, in the same run.
#
#   benches/compare.sh [CORPUS] [RUNS]
#
# CORPUS defaults to ../shared/corpus/serverless-patterns (559 templates), RUNS to 3 for the
# slow tools (slint gets 3 × as many: it is fast enough). Tools are used when found on PATH
# (or named by these variables), skipped otherwise:
#
#   SLINT       slint release binary (default: target/release/slint; `cargo build --release`)
#   CFN_LINT    cfn-lint            (pip install cfn-lint==1.58.0)
#               + cfn-lint-serverless (pip install cfn-lint-serverless==0.3.6)
#   CHECKOV     checkov             (pip install checkov==3.3.30)
#   CFN_GUARD   cfn-guard           (cargo install cfn-guard --version 3.2.1)
#
# For each tool: version, command, median wall time (hyperfine if installed, else bash's
# clock), peak memory (GNU time), and the ratio to slint's median. Exit codes are ignored:
# linters exit non-zero when they find something, and cfn-lint aborts on some corpus files.
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

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
find "$corpus" -type f \( -name '*.yaml' -o -name '*.yml' -o -name '*.json' -o -name '*.template' \) | sort >"$work/files"

# name | version | command (run with bash -c, in the corpus folder)
tools=()
tools+=("slint|$("$slint" --version)|$slint check . --format concise --fail-on never --no-config")
if [ -n "$cfn_lint" ]; then
    tools+=("cfn-lint|$("$cfn_lint" --version 2>&1 | tail -1)|$cfn_lint --format parseable -- \$(cat $work/files)")
    if python3 -c 'import cfn_lint_serverless' 2>/dev/null || "$(dirname "$cfn_lint")/python" -c 'import cfn_lint_serverless' 2>/dev/null; then
        tools+=("cfn-lint + serverless rules|$("$cfn_lint" --version 2>&1 | tail -1) + cfn-lint-serverless|$cfn_lint --format parseable --append-rules cfn_lint_serverless.rules -- \$(cat $work/files)")
    fi
fi
if [ -n "$checkov" ]; then
    tools+=("checkov|$("$checkov" --version 2>&1 | tail -1)|$checkov -d . --framework cloudformation --compact --quiet")
fi
if [ -x "$cfn_guard" ]; then
    tools+=("cfn-guard (10-rule pack)|$("$cfn_guard" --version 2>&1 | tail -1)|$cfn_guard validate -r $pack -d . -S none -o json")
    tools+=("slint + same pack|$("$slint" --version)|$slint check . --format concise --fail-on never --no-config --pack $pack")
fi

median_ms() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }

printf '%-30s %-40s %12s %12s %10s\n' tool version "median wall" "peak RSS" "vs slint"
slint_ms=""
for entry in "${tools[@]}"; do
    IFS='|' read -r name version command <<<"$entry"
    n=$runs
    case $name in slint*) n=$((runs * 3)) ;; esac
    cd "$corpus"
    bash -c "$command" >/dev/null 2>&1   # warm-up
    : >"$work/times"
    for _ in $(seq "$n"); do
        start=$(date +%s%N)
        bash -c "$command" >/dev/null 2>&1
        end=$(date +%s%N)
        echo $(((end - start) / 1000000)) >>"$work/times"
    done
    ms=$(median_ms <"$work/times")
    rss="n/a"
    if [ -x /usr/bin/time ]; then
        rss=$(/usr/bin/time -v bash -c "$command" 2>&1 >/dev/null | awk -F': ' '/Maximum resident/ {printf "%.0f MB", $2/1024}')
    fi
    [ -z "$slint_ms" ] && slint_ms=$ms
    ratio=$(awk -v a="$ms" -v b="$slint_ms" 'BEGIN { printf "%.1f×", a / b }')
    printf '%-30s %-40s %9s ms %12s %10s\n' "$name" "${version:0:40}" "$ms" "$rss" "$ratio"
    echo "    $command" | sed "s|$work/files|FILES|"
done
