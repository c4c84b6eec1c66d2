#!/usr/bin/env bash
# Seeds the fuzz corpora (fuzz/corpus/<target>/, git-ignored) from slint's test data and the
# shared template corpus. Re-running it adds what is missing; libFuzzer dedups by content hash.
#   fuzz/seed.sh [PATH_TO_SERVERLESS_PATTERNS]
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(dirname "$here")"
patterns="${1:-$root/../shared/corpus/serverless-patterns}"
[ -d "$patterns" ] || patterns=/work/shared/corpus/serverless-patterns
corpus="$here/corpus"
mkdir -p "$corpus"/{yaml,json,template,rust_source,config,guard_pack}

# A file goes in under its content hash, so two runs never duplicate it.
add() {
  local target="$1" file="$2"
  local sum
  sum="$(sha1sum "$file" | cut -c1-40)"
  cp "$file" "$corpus/$target/$sum"
}

# Inputs over 1 MB only slow libFuzzer down (its -max_len is smaller anyway).
small() { find "$@" -type f -size -1000k 2>/dev/null; }

while IFS= read -r f; do
  add yaml "$f"
  add template "$f"
done < <(small "$root/testdata" "$patterns" \( -name '*.yaml' -o -name '*.yml' -o -name '*.template' \))

while IFS= read -r f; do
  add json "$f"
  add template "$f"
done < <(small "$root/testdata" "$patterns" -name '*.json')

# JSON templates are rare in the corpus: convert the YAML ones (short forms to `Fn::`), when
# PyYAML is there.
if python3 -c 'import yaml' 2>/dev/null; then
  converted="$(mktemp -d)"
  python3 - "$converted" "$corpus/yaml" <<'PY'
import hashlib, json, os, signal, sys, yaml
out, src = sys.argv[1], sys.argv[2]
class Loader(yaml.SafeLoader):
    pass
def tagged(loader, suffix, node):
    if isinstance(node, yaml.ScalarNode):
        value = loader.construct_scalar(node)
    elif isinstance(node, yaml.SequenceNode):
        value = loader.construct_sequence(node, deep=True)
    else:
        value = loader.construct_mapping(node, deep=True)
    return {("Ref" if suffix == "Ref" else "Fn::" + suffix): value}
Loader.add_multi_constructor("!", tagged)
def give_up(*_):
    raise TimeoutError()
signal.signal(signal.SIGALRM, give_up)
for name in os.listdir(src):
    # PyYAML copies aliases: an alias bomb from slint's test data would never finish.
    signal.alarm(2)
    try:
        with open(os.path.join(src, name), encoding="utf-8") as f:
            data = yaml.load(f, Loader=Loader)
        if isinstance(data, dict):
            text = json.dumps(data, indent=2, default=str)
            with open(os.path.join(out, hashlib.sha1(text.encode()).hexdigest() + ".json"), "w") as f:
                f.write(text)
    except Exception:
        pass
    signal.alarm(0)
PY
  for f in "$converted"/*.json; do
    [ -e "$f" ] || continue
    add json "$f"
    add template "$f"
  done
  rm -rf "$converted"
fi

while IFS= read -r f; do
  add rust_source "$f"
done < <(small "$root/testdata" "$root/src" "$patterns" -name '*.rs')

# slint.toml: the test configs, and Cargo.toml files for more TOML shapes.
while IFS= read -r f; do
  add config "$f"
done < <(small "$root/testdata" "$root/Cargo.toml" \( -name 'slint.toml' -o -name 'Cargo.toml' \))

# Guard packs: the built-in pack, the test packs, and cfn-guard's own test rules when its
# source is in the cargo registry (it is, once slint has been built).
guard_src="$(ls -d "${CARGO_HOME:-$HOME/.cargo}"/registry/src/*/cfn-guard-* 2>/dev/null | tail -1 || true)"
while IFS= read -r f; do
  add guard_pack "$f"
done < <(small "$root/rules" "$root/testdata" ${guard_src:+"$guard_src"} \( -name '*.guard' -o -name '*.ruleset' \))

for t in yaml json template rust_source config guard_pack; do
  echo "$t: $(find "$corpus/$t" -type f | wc -l) seeds"
done
