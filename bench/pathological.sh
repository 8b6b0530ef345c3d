#!/usr/bin/env bash
# The pathological inputs of the benchmark: inputs that once made nkdigi's cost grow
# faster than their size. Prints a Markdown table of wall time and peak RSS for each.
#
#   bench/pathological.sh [NKDIGI_BINARY]      default: the release binary `.ci/dist` builds
#
# Environment: BENCH_DIR (work folder, default /tmp/nkdigi-bench).
set -euo pipefail
cd "$(dirname "$0")/.."
WORK=${BENCH_DIR:-/tmp/nkdigi-bench}/pathological
NK=${1:-$(.ci/dist -q)}
[ -x /usr/bin/time ] || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq time >/dev/null; }
mkdir -p "$WORK"
[ -d "$WORK/in/hyphens" ] || python3 bench/pathological.py "$WORK/in"

# Runs a command; prints "seconds | peak RSS MB | exit".
measure() {
  local rc=0
  /usr/bin/time -f "%e %M" -o "$WORK/t.txt" "$@" >/dev/null 2>"$WORK/err.txt" || rc=$?
  read -r secs kb < <(tail -1 "$WORK/t.txt")
  printf '%s | %d | %s' "$secs" $((kb / 1024)) "$rc"
}

echo "| case | input | seconds | peak RSS MB | exit |"
echo "|---|---|---|---|---|"
for c in paragraph-1mb paragraph-2mb line-60mb said-10k frontmatter-3k capitals hyphens registry-20k doc-40mb; do
  rm -rf "$WORK/ix-$c"
  size=$(du -sb "$WORK/in/$c" | cut -f1)
  echo "| index $c | $((size / 1000)) kB | $(measure "$NK" --index "$WORK/ix-$c" index "$WORK/in/$c" -q) |"
done
echo "| entities --suggest, 20,000 speakers | registry-20k | $(measure "$NK" --index "$WORK/ix-registry-20k" entities --suggest) |"
echo "| search --passages --limit 100, one 40 MB document | doc-40mb | $(measure "$NK" --index "$WORK/ix-doc-40mb" search Koryolink --passages --limit 100 --format json) |"
echo "| search --limit 2^32 --offset 2^32 | doc-40mb | $(measure "$NK" --index "$WORK/ix-doc-40mb" search Koryolink --limit 4294967296 --offset 4294967296) |"
deep=$(python3 -c "print('(' * 10000 + 'Koryolink' + ')' * 10000)")
echo "| query nested 10,000 parentheses deep | doc-40mb | $(measure "$NK" --index "$WORK/ix-doc-40mb" search "$deep") |"
