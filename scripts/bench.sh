#!/usr/bin/env bash
# scripts/bench.sh — asyncmig's performance run (issue 7), reproducible from a
# clean clone: generates the workspaces deterministically, times the CLI
# against the parse-only floor of the same files, replays a recorded typing
# session against a real `asyncmig serve`, runs the go benchmarks, and prints
# the targets as a Markdown table. Every ratio compares measurements of this
# run on this machine; each timing is the median of BENCH_REPEAT runs.
#
# Environment (all optional):
#   BENCH_DIR     where workspaces, binaries and results go (default: a new temp dir)
#   BENCH_SIZES   workspace sizes for the scaling rows (default: 500 1000 2000 4000 8000)
#   BENCH_REPEAT  runs per timing (default: 3)
#   BENCH_SOAK    edits in the memory soak after the typing session (default: 100000)
#   BENCH_GO      0 skips the go test benchmarks
#
# Needs Go and a C compiler; uses pyright for the peer row when it is on PATH.
set -euo pipefail

if [ $# -gt 0 ]; then
	sed -n '2,/^set -e/p' "$0" | sed '$d; s/^# \{0,1\}//' >&2
	exit 2
fi
cd "$(dirname "$0")/.."
work=${BENCH_DIR:-$(mktemp -d "${TMPDIR:-/tmp}/asyncmig-bench.XXXXXX")}
sizes=${BENCH_SIZES:-500 1000 2000 4000 8000}
repeat=${BENCH_REPEAT:-3}
soak=${BENCH_SOAK:-100000}
results=$work/results.jsonl
mkdir -p "$work/bin" "$work/ws"
: > "$results"

say() { printf '\n== %s\n' "$*" >&2; }

say "building into $work/bin"
for tool in cmd/asyncmig scripts/replay scripts/benchtool scripts/genworkspace; do
	go build -o "$work/bin/$(basename "$tool")" "./$tool"
done
bin=$work/bin

# The 2,000-module workspace is always needed (targets 1, 2 and 5).
case " $sizes " in *" 2000 "*) ;; *) sizes="$sizes 2000" ;; esac
for n in $sizes; do
	if [ ! -d "$work/ws/m$n" ]; then
		say "generating $n modules"
		"$bin/genworkspace" -modules "$n" "$work/ws/m$n" >&2
	fi
done

for n in $sizes; do
	ws=$work/ws/m$n
	say "$n modules: parse only, then check"
	"$bin/benchtool" time -name "parse/m$n" -n "$repeat" -out "$results" -- "$bin/benchtool" parse "$ws"
	"$bin/benchtool" time -name "check/m$n" -n "$repeat" -out "$results" -- \
		"$bin/asyncmig" check --no-cache --output-format json --exit-zero "$ws"
done

say "2,000 modules on one core"
ws=$work/ws/m2000
"$bin/benchtool" time -name parse1/m2000 -procs 1 -n "$repeat" -out "$results" -- "$bin/benchtool" parse "$ws"
"$bin/benchtool" time -name check1/m2000 -procs 1 -n "$repeat" -out "$results" -- \
	"$bin/asyncmig" check --no-cache --output-format json --exit-zero "$ws"

say "2,000 modules: warm runs from the check cache (target 3)"
"$bin/asyncmig" check --output-format json --exit-zero "$ws" > /dev/null # fills .asyncmig_cache
"$bin/benchtool" time -name warm/m2000 -n "$repeat" -out "$results" -- \
	"$bin/asyncmig" check --output-format json --exit-zero "$ws"
# Each timed run first rewrites the first comment line of one service
# module (alternating two texts), so every run meets one edited module.
"$bin/benchtool" time -name warmedit/m2000 -n "$repeat" -out "$results" -- bash -c '
	f=$1; shift
	if head -1 "$f" | grep -q "revisión A"; then sed -i "1s/.*/# revisión B ✍️/" "$f"; else sed -i "1s/.*/# revisión A ✍️/" "$f"; fi
	exec "$@"' _ "$ws/app/services/svc_3.py" "$bin/asyncmig" check --output-format json --exit-zero "$ws"

if command -v pyright > /dev/null; then
	say "peer: pyright on 2,000 modules"
	"$bin/benchtool" time -name pyright/m2000 -n 1 -out "$results" -- pyright "$ws" || true
fi

say "typing session: 500 keystrokes into a 5,000-line module, 50 files open, then $soak edits"
"$bin/replay" prepare "$ws" >&2
"$bin/replay" run -server "$bin/asyncmig" -open 50 -soak "$soak" -log "$work/serve.log" -json "$ws" |
	"$bin/benchtool" replay -name replay -out "$results"

if [ "${BENCH_GO:-1}" != 0 ]; then
	say "go test benchmarks"
	export ASYNCMIG_BENCH_MODULES=2000
	go test -run '^$' -bench 'KeystrokeIndexed' -benchtime 200x -count "$repeat" ./server |
		"$bin/benchtool" gobench -prefix server. -out "$results"
	go test -run '^$' -bench 'CodeActionIndexed|IndexWorkspace' -benchtime 5x -count "$repeat" ./server |
		"$bin/benchtool" gobench -prefix server. -out "$results"
	go test -run '^$' -bench 'CheckModule' -benchtime 4000x -count "$repeat" ./diagnostics/rules |
		"$bin/benchtool" gobench -prefix rules. -out "$results"
	go test -run '^$' -bench 'TypingSession' -benchtime 500x -count "$repeat" ./internal/document |
		"$bin/benchtool" gobench -prefix document. -out "$results"
	go test -run '^$' -bench 'Keystroke$|Parse$' -count "$repeat" ./internal/pysyntax |
		"$bin/benchtool" gobench -prefix pysyntax. -out "$results"
	go test -run '^$' -bench 'Build$' -count "$repeat" ./internal/pymodel |
		"$bin/benchtool" gobench -prefix pymodel. -out "$results"
	go test -run '^$' -bench 'OffsetPosition|PositionOffset' -count "$repeat" ./internal/textpos |
		"$bin/benchtool" gobench -prefix textpos. -out "$results"
fi

say "results in $results"
printf '\n## asyncmig performance — %s, %s cores, %s\n\n' "$(go env GOOS)/$(go env GOARCH)" "$(getconf _NPROCESSORS_ONLN 2> /dev/null || echo '?')" "$(date -u +%Y-%m-%d)"
"$bin/benchtool" table "$results"
