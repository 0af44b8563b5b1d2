#!/usr/bin/env bash
# End-to-end test of the packaged VS Code extension in code-server (VS Code 1.100.3 in a browser),
# driven by headless Debian Chromium through playwright-core:
#   build the server + the linux-x64 .vsix, install code-server and playwright-core into a cache
#   directory (not the repo), install the .vsix, open a workspace, wait for the AM501 squiggle,
#   Ctrl+. → Enter on the preferred fix, Ctrl+S, compare the file on disk with tiempos.py.golden.
# Exits non-zero with a message on any missing step; on failure a screenshot and the logs are
# kept in a temp dir whose path is printed. Run as root on Debian (CI): missing apt packages are
# installed. Environment:
#   ASYNCMIG_E2E_CACHE   where code-server + playwright-core go (default ~/.cache/asyncmig-e2e)
#   ASYNCMIG_E2E_KEEP=1  keep the temp dir even on success
set -euo pipefail

CODE_SERVER_VERSION=4.100.3   # VS Code 1.100.3: the newest code-server that accepts Node 20
PLAYWRIGHT_VERSION=1.65.1
CHROMIUM=/usr/bin/chromium

here=$(cd "$(dirname "$0")" && pwd)
ext_dir=$(cd "$here/.." && pwd)
t0=$(date +%s)
phase_start=$t0
phase() { # phase NAME: prints how long the previous phase took
  local now; now=$(date +%s)
  echo "e2e: [$((now - phase_start))s] $1"
  phase_start=$now
}
die() { echo "e2e: FAIL: $*" >&2; exit 1; }

# --- system packages ----------------------------------------------------------------------------
need_apt=()
[ -x "$CHROMIUM" ] || need_apt+=(chromium)
command -v rg >/dev/null || need_apt+=(ripgrep)
dpkg -s libkrb5-dev >/dev/null 2>&1 || need_apt+=(libkrb5-dev)   # code-server's kerberos module builds against it
command -v node >/dev/null || die "node (20.x) is required"
node_major=$(node -p 'process.versions.node.split(".")[0]')
[ "$node_major" = 20 ] || die "code-server $CODE_SERVER_VERSION needs Node 20, this is Node $(node --version)"
if [ ${#need_apt[@]} -gt 0 ]; then
  [ "$(id -u)" = 0 ] || die "missing Debian packages: ${need_apt[*]} (install them as root)"
  echo "e2e: installing ${need_apt[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >/dev/null
  apt-get install -y -qq "${need_apt[@]}" >/dev/null
fi
phase "system packages ready"

# --- code-server + playwright-core in the cache -------------------------------------------------
cache_root=${ASYNCMIG_E2E_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/asyncmig-e2e}
tools="$cache_root/code-server-$CODE_SERVER_VERSION-playwright-$PLAYWRIGHT_VERSION"
if [ ! -f "$tools/.complete" ]; then
  echo "e2e: installing code-server $CODE_SERVER_VERSION and playwright-core $PLAYWRIGHT_VERSION into $tools"
  rm -rf "$tools.partial"
  mkdir -p "$tools.partial"
  log="$tools.partial/install.log"
  (
    cd "$tools.partial"
    export npm_config_unsafe_perm=true npm_config_yes=true npm_config_update_notifier=false
    # node-gyp compiles the native modules against the installed Node's headers instead of
    # downloading them.
    export npm_config_nodedir=${npm_config_nodedir:-$(dirname "$(dirname "$(command -v node)")")}
    echo '{"private": true}' >package.json
    # 1. Fetch without scripts: @vscode/ripgrep's postinstall would download rg from GitHub.
    npm install --ignore-scripts --no-audit --no-fund \
      "code-server@$CODE_SERVER_VERSION" "playwright-core@$PLAYWRIGHT_VERSION"
    cd node_modules/code-server/lib/vscode
    npm install --omit=dev --ignore-scripts --no-audit --no-fund
    # 2. Debian's ripgrep where @vscode/ripgrep keeps its own (its postinstall skips an existing bin/).
    mkdir -p node_modules/@vscode/ripgrep/bin
    cp "$(command -v rg)" node_modules/@vscode/ripgrep/bin/rg
    # 3. Now run the install scripts: native modules, then code-server's own postinstall.
    npm rebuild
    cd "$tools.partial"
    npm rebuild
  ) >"$log" 2>&1 || { tail -40 "$log" >&2; die "installing code-server failed (log: $log)"; }
  "$tools.partial/node_modules/.bin/code-server" --version >/dev/null 2>&1 \
    || { tail -40 "$log" >&2; die "code-server does not start after install (log: $log)"; }
  touch "$tools.partial/.complete"
  rm -rf "$tools"
  mv "$tools.partial" "$tools"
fi
code_server="$tools/node_modules/.bin/code-server"
phase "code-server $("$code_server" --version 2>/dev/null | head -1) ready in $tools"

# --- the .vsix with the freshly built Linux server inside ----------------------------------------
work=$(mktemp -d "${TMPDIR:-/tmp}/asyncmig-vscode-e2e.XXXXXX")
status=1
cs_pid=
cleanup() {
  if [ -n "$cs_pid" ]; then
    kill -- "-$cs_pid" 2>/dev/null || true
    wait "$cs_pid" 2>/dev/null || true
  fi
  if [ "$status" = 0 ] && [ "${ASYNCMIG_E2E_KEEP:-}" != 1 ]; then
    rm -rf "$work"
  else
    echo "e2e: logs, screenshots and workspace kept in $work" >&2
  fi
}
trap cleanup EXIT
# The extension's unit tests first: a broken server lookup would only show up as a timeout below.
(cd "$ext_dir" && { [ -d node_modules ] || npm ci --no-audit --no-fund; } && npm test) >"$work/unit.log" 2>&1 \
  || { cat "$work/unit.log" >&2; die "the extension's unit tests failed"; }
grep -E '^# (pass|fail) ' "$work/unit.log" | tr '\n' ' ' | sed 's/^/e2e: unit tests: /'; echo
phase "extension unit tests passed"
sh "$ext_dir/scripts/package.sh" linux-x64 >"$work/package.log" 2>&1 \
  || { cat "$work/package.log" >&2; die "packaging the .vsix failed"; }
version=$(node -p "require('$ext_dir/package.json').version")
vsix="$ext_dir/asyncmig-linux-x64-$version.vsix"
[ -f "$vsix" ] || die "no $vsix after packaging"
phase "packaged $(basename "$vsix")"

# --- a fresh code-server profile with the extension installed ------------------------------------
workspace="$work/workspace"
cp -R "$here/fixture" "$workspace"
# The route handlers whose code lenses both editors' tests read: one file, Neovim's.
cp "$here/../../nvim/test/sesiones.py" "$workspace/app/sesiones.py"
mkdir -p "$work/data/User" "$work/extensions" "$work/screenshots"
cat >"$work/data/User/settings.json" <<EOF
{
  "workbench.startupEditor": "none",
  "workbench.tips.enabled": false,
  "workbench.enableExperiments": false,
  "security.workspace.trust.enabled": false,
  "telemetry.telemetryLevel": "off",
  "update.mode": "none",
  "extensions.autoUpdate": false,
  "extensions.autoCheckUpdates": false,
  "extensions.ignoreRecommendations": true,
  "chat.commandCenter.enabled": false,
  "files.autoSave": "off",
  // --trace-rpc: e2e.cjs reads the progress exchange from the server log (code lens + progress steps)
  "asyncmig.args": ["--log-file", "$work/asyncmig-server.log", "--trace-rpc"],
  "asyncmig.trace.server": "messages"
}
EOF
: >"$work/config.yaml"
cs_flags=(--config "$work/config.yaml" --user-data-dir "$work/data" --extensions-dir "$work/extensions")
"$code_server" "${cs_flags[@]}" --install-extension "$vsix" >"$work/install-extension.log" 2>&1 \
  || { cat "$work/install-extension.log" >&2; die "code-server --install-extension failed"; }
installed=$("$code_server" "${cs_flags[@]}" --list-extensions --show-versions 2>/dev/null)
grep -qx "asyncmig.asyncmig@$version" <<<"$installed" || die "extension not listed after install: $installed"
installed_server=$(ls "$work"/extensions/asyncmig.asyncmig-"$version"*/server/asyncmig 2>/dev/null | head -1)
[ -n "$installed_server" ] && [ -x "$installed_server" ] \
  || die "the installed extension has no executable server/asyncmig: $(ls -lR "$work/extensions")"
phase "extension installed"

# --- run code-server and drive it ---------------------------------------------------------------
port=$(node -e 'const s=require("net").createServer().listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})')
# Own process group, so cleanup also ends the extension host and the asyncmig server under it.
setsid "$code_server" "${cs_flags[@]}" --auth none --bind-addr "127.0.0.1:$port" \
  --disable-telemetry --disable-update-check --disable-workspace-trust \
  --disable-getting-started-override --ignore-last-opened "$workspace" >"$work/code-server.log" 2>&1 &
cs_pid=$!
for _ in $(seq 1 120); do
  if curl -fsS "http://127.0.0.1:$port/healthz" >/dev/null 2>&1; then break; fi
  kill -0 "$cs_pid" 2>/dev/null || { cat "$work/code-server.log" >&2; die "code-server exited on start"; }
  sleep 0.5
done
curl -fsS "http://127.0.0.1:$port/healthz" >/dev/null || die "code-server not answering on port $port after 60s"
phase "code-server listening on 127.0.0.1:$port"

if NODE_PATH="$tools/node_modules" \
  E2E_URL="http://127.0.0.1:$port/?folder=$workspace" \
  E2E_FILE="$workspace/app/tiempos.py" \
  E2E_GOLDEN="$here/tiempos.py.golden" \
  E2E_SCREENSHOTS="$work/screenshots" \
  E2E_CHROMIUM="$CHROMIUM" \
  E2E_LOGS="$work/data/logs" \
  E2E_SERVER_LOG="$work/asyncmig-server.log" \
  node "$here/e2e.cjs"; then
  status=0
else
  for f in "$work/asyncmig-server.log" "$work/code-server.log"; do
    [ -f "$f" ] && { echo "--- tail of $f" >&2; tail -30 "$f" >&2; }
  done
  # The extension host's log and the asyncmig output channel (server start, errors, LSP trace).
  while IFS= read -r f; do
    echo "--- tail of $f" >&2
    tail -30 "$f" >&2
  done < <(find "$work/data/logs" \( -name 'remoteexthost.log' -o -path '*asyncmig.asyncmig/*.log' \) 2>/dev/null)
  phase "browser session failed"
  die "the code-server session failed (screenshots in $work/screenshots)"
fi
phase "browser session passed"
echo "e2e: PASS in $(($(date +%s) - t0))s total"
