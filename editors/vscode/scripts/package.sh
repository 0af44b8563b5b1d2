#!/bin/sh
# Builds a per-platform .vsix with the asyncmig binary in the extension's server/ folder.
#   scripts/package.sh [TARGET]     TARGET: a `vsce package --target` name, default the host's
# The server uses cgo (tree-sitter), so a TARGET other than the host needs CC set to a C cross
# compiler for it (e.g. CC=aarch64-linux-gnu-gcc for linux-arm64). Works offline once
# `npm ci` has run.
set -eu

here=$(cd "$(dirname "$0")/.." && pwd)
root=$(cd "$here/../.." && pwd)

host_target() {
  case "$(uname -s)-$(uname -m)" in
    Linux-x86_64) echo linux-x64 ;;
    Linux-aarch64 | Linux-arm64) echo linux-arm64 ;;
    Darwin-x86_64) echo darwin-x64 ;;
    Darwin-arm64) echo darwin-arm64 ;;
    *) echo "package.sh: unsupported host $(uname -s)-$(uname -m)" >&2; exit 2 ;;
  esac
}

target=${1:-$(host_target)}
exe=asyncmig
case "$target" in
  linux-x64) goos=linux goarch=amd64 ;;
  linux-arm64) goos=linux goarch=arm64 ;;
  darwin-x64) goos=darwin goarch=amd64 ;;
  darwin-arm64) goos=darwin goarch=arm64 ;;
  win32-x64) goos=windows goarch=amd64 exe=asyncmig.exe ;;
  win32-arm64) goos=windows goarch=arm64 exe=asyncmig.exe ;;
  *) echo "package.sh: unknown target '$target' (linux-x64, linux-arm64, darwin-x64, darwin-arm64, win32-x64, win32-arm64)" >&2; exit 2 ;;
esac
if [ "$target" != "$(host_target)" ] && [ -z "${CC:-}" ]; then
  echo "package.sh: $target is not this host; the server needs cgo, so set CC to a C cross compiler for $target" >&2
  exit 2
fi

version=$(node -p "require('$here/package.json').version")
echo "package.sh: building asyncmig $version for $target ($goos/$goarch)"
rm -rf "$here/server"
mkdir -p "$here/server"
(cd "$root" && CGO_ENABLED=1 GOOS=$goos GOARCH=$goarch go build -trimpath \
  -ldflags "-s -w -X main.version=$version" -o "$here/server/$exe" ./cmd/asyncmig)
chmod 755 "$here/server/$exe"

cd "$here"
[ -d node_modules ] || npm ci --no-audit --no-fund
npm run build
out="asyncmig-$target-$version.vsix"
npx vsce package --no-dependencies --target "$target" --out "$out" </dev/null
node scripts/check-vsix.mjs "$out" --target "$target"
echo "package.sh: $here/$out"
