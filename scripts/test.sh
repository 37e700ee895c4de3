#!/usr/bin/env bash
# Builds Attn (installing what is missing) and runs the whole lit suite. The
# last line is `N passed, N failed`, computed from lit's own results; the exit
# status is non-zero when any test fails.
#
#   scripts/test.sh [--sanitize]
#
# --sanitize builds with AddressSanitizer + UndefinedBehaviorSanitizer into
# build-asan/ (scripts/build.sh --sanitize=address,undefined) and runs the
# suite against it: any sanitizer report (leaks included) fails its test.
set -uo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build_args=()
build="${ATTN_BUILD_DIR:-$root/build}"
for arg in "$@"; do
  case "$arg" in
    --sanitize)
      build_args=(--sanitize=address,undefined)
      build="${ATTN_BUILD_DIR:-$root/build-asan}" ;;
    *) echo "test.sh: unknown argument '$arg' (expected --sanitize)" >&2
       echo "0 passed, 1 failed"; exit 1 ;;
  esac
done

"$root/scripts/build.sh" "${build_args[@]}" || { echo "build failed"; echo "0 passed, 1 failed"; exit 1; }

results="$build/test/lit-results.json"
rm -f "$results"
/usr/lib/llvm-22/bin/lit -sv --time-tests -o "$results" "$build/test"
lit_status=$?

if [ ! -f "$results" ]; then
  echo "lit produced no results"
  echo "0 passed, 1 failed"
  exit 1
fi
read -r passed failed < <(python3 - "$results" <<'PY'
import json, sys
tests = json.load(open(sys.argv[1]))["tests"]
ok = {"PASS", "XFAIL"}
bad = {"FAIL", "XPASS", "UNRESOLVED", "TIMEOUT"}
print(sum(t["code"] in ok for t in tests), sum(t["code"] in bad for t in tests))
PY
)
echo "$passed passed, $failed failed"
if [ "$lit_status" -ne 0 ] || [ "$failed" -ne 0 ]; then
  exit 1
fi
