// Drives code-server in headless Chromium like a person would: open the file, wait for the
// asyncmig squiggle, Ctrl+. and Enter on the preferred fix, Ctrl+S, then check the file on disk.
// Started by run.sh, which passes everything through E2E_* variables and puts playwright-core
// on NODE_PATH. Every step has its own timeout and a message; on failure a screenshot is saved.
'use strict';

const fs = require('node:fs');
const path = require('node:path');
const { chromium } = require('playwright-core');

const env = (name) => {
  const v = process.env[name];
  if (!v) throw new Error(`${name} is not set (run e2e/run.sh)`);
  return v;
};
const URL = env('E2E_URL');
const FILE = env('E2E_FILE');
const GOLDEN = env('E2E_GOLDEN');
const SCREENSHOTS = env('E2E_SCREENSHOTS');
const CHROMIUM = env('E2E_CHROMIUM');
const LOGS = env('E2E_LOGS'); // code-server's log dir: holds the asyncmig output channel
const SERVER_LOG = env('E2E_SERVER_LOG'); // the server's own --log-file

const SAFE_FIX = /asyncmig \(AM501\): .*replace\(tzinfo=None\)/;
const MOD = 'Control';

let page;
let stepName = 'start';
const t0 = Date.now();

async function step(name, fn) {
  stepName = name;
  const started = Date.now();
  const result = await fn();
  console.log(`e2e: [${((Date.now() - t0) / 1000).toFixed(1)}s] ${name} (${Date.now() - started} ms)`);
  return result;
}

// editorText reads the visible lines of the active editor. The file is short enough to be
// rendered whole; Monaco renders spaces as U+00A0.
async function editorText() {
  return page.evaluate(() => {
    const editor = document.querySelector('.editor-group-container.active .monaco-editor .view-lines');
    if (!editor) return '';
    const lines = [...editor.querySelectorAll('.view-line')]
      .map((l) => ({ top: parseFloat(l.style.top || '0'), text: l.textContent || '' }))
      .sort((a, b) => a.top - b.top);
    return lines.map((l) => l.text.replace(/\u00a0/g, ' ')).join('\n');
  });
}

// runCommand runs a command by its palette title, as a person would with F1.
async function runCommand(title) {
  await page.keyboard.press('F1');
  const input = page.locator('.quick-input-widget input');
  await input.waitFor({ timeout: 15000 });
  await input.fill('>' + title);
  const row = page.locator('.quick-input-list .monaco-list-row', { hasText: title }).first();
  await row.waitFor({ timeout: 15000 });
  await page.keyboard.press('Enter');
}

// startLines reads the asyncmig output channel's log file (what "Show output" displays).
function startLines() {
  const found = [];
  const walk = (dir) => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (p.includes('asyncmig.asyncmig') && e.name.endsWith('.log')) {
        found.push(...fs.readFileSync(p, 'utf8').split('\n').filter((l) => / starting .* \(found via /.test(l)));
      }
    }
  };
  walk(LOGS);
  return found;
}

function serverStarts() {
  try {
    return fs.readFileSync(SERVER_LOG, 'utf8').split('\n').filter((l) => l.includes('asyncmig serve starting')).length;
  } catch {
    return 0;
  }
}

// publishedSinceLastStart reports whether the server log shows a
// publishDiagnostics carrying code after the last server start.
function publishedSinceLastStart(code) {
  let lines;
  try {
    lines = fs.readFileSync(SERVER_LOG, 'utf8').split('\n');
  } catch {
    return false;
  }
  let last = -1;
  lines.forEach((l, i) => { if (l.includes('asyncmig serve starting')) last = i; });
  return last >= 0 && lines.slice(last).some((l) => l.includes('textDocument/publishDiagnostics') && l.includes(code));
}

async function waitFor(what, predicate, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  let last;
  while (Date.now() < deadline) {
    last = await predicate();
    if (last) return last;
    await page.waitForTimeout(250);
  }
  throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
}

async function main() {
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
  });
  try {
    page = await browser.newPage({ viewport: { width: 1600, height: 1000 } });
    await run();
  } catch (err) {
    const shot = path.join(SCREENSHOTS, `failure-${stepName.replace(/[^a-z0-9]+/gi, '-')}.png`);
    if (page) {
      await page.screenshot({ path: shot }).catch(() => {});
      console.error(`e2e: screenshot of the failure: ${shot}`);
    }
    throw err;
  } finally {
    await browser.close();
  }
}

async function run() {
  await step('load the workbench', async () => {
    await page.goto(URL);
    await page.locator('.monaco-workbench').waitFor({ timeout: 60000 });
    await page.locator('.explorer-folders-view, .explorer-viewlet').first().waitFor({ timeout: 60000 });
  });

  await step('open app/tiempos.py with Quick Open', async () => {
    await page.locator('.monaco-workbench').click({ position: { x: 800, y: 500 } });
    await page.keyboard.press(`${MOD}+P`);
    const input = page.locator('.quick-input-widget input');
    await input.waitFor({ timeout: 15000 });
    await input.fill('tiempos.py');
    await page.locator('.quick-input-list .monaco-list-row', { hasText: 'tiempos.py' }).first().waitFor({ timeout: 15000 });
    await page.keyboard.press('Enter');
    await waitFor('the editor to show tiempos.py', async () => (await editorText()).includes('datetime.utcnow()'), 15000);
  });

  await step('see the AM501 squiggle', async () => {
    await page.locator('.monaco-editor .squiggly-warning, .monaco-editor .squiggly-error').first().waitFor({ timeout: 60000 });
  });

  await step('"asyncmig: Show output" shows the channel with the bundled server starting', async () => {
    await runCommand('asyncmig: Show output');
    await waitFor('the asyncmig output channel in the panel', async () => {
      const names = await page.locator('.panel select.monaco-select-box').evaluateAll((els) => els.map((e) => e.value));
      return names.some((n) => /asyncmig/i.test(n));
    }, 15000);
    const starts = await waitFor('a start line in the channel log', async () => (startLines().length > 0 ? startLines() : null), 15000);
    if (!/found via bundled/.test(starts[0])) throw new Error(`the extension did not run its bundled server: ${starts[0]}`);
  });

  await step('"asyncmig: Restart server" starts a new server that reports again', async () => {
    const before = startLines().length;
    const serverStartsBefore = serverStarts();
    await runCommand('asyncmig: Restart server');
    await waitFor('a second start in the channel log and the server log', async () => startLines().length > before && serverStarts() > serverStartsBefore, 20000);
    // The old and the new server publish the same finding within milliseconds, and the editor may
    // keep the decoration across that gap: judge the new server by its own log (a publication after
    // its start) and the editor by the squiggle being there afterwards.
    await waitFor('the new server to publish the AM501 diagnostic', async () => publishedSinceLastStart('AM501'), 30000);
    await waitFor('the squiggle from the new server', async () => (await page.locator('.monaco-editor .squiggly-warning').count()) > 0, 15000);
    await page.keyboard.press(`${MOD}+1`);
  });

  await step('check the problem in the Problems panel', async () => {
    await page.keyboard.press(`${MOD}+Shift+M`);
    const row = page.locator('.markers-panel .monaco-list-row', { hasText: 'AM501' }).first();
    await row.waitFor({ timeout: 15000 });
    const text = (await row.textContent()) || '';
    if (!/asyncmig/.test(text)) throw new Error(`the AM501 problem does not name asyncmig as its source: ${text}`);
    // Back to the editor, cursor on the problem (F8 = Go to Next Problem), peek closed. Focus can
    // stay in the panel for a moment after Ctrl+1, and F8 there does not open the peek: retry both.
    const peek = page.locator('.marker-widget');
    await waitFor('the problem peek that F8 opens in the editor', async () => {
      if ((await peek.count()) > 0) return true;
      await page.keyboard.press(`${MOD}+1`);
      await page.keyboard.press('F8');
      await page.waitForTimeout(500);
      return (await peek.count()) > 0;
    }, 15000);
    await page.keyboard.press('Escape');
  });

  const fixTitle = await step('Ctrl+. lists the fixes; move to the preferred one', async () => {
    await page.keyboard.press(`${MOD}+.`);
    const rows = page.locator('.action-widget .monaco-list-row.action');
    await rows.first().waitFor({ timeout: 15000 });
    const titles = await rows.allTextContents();
    const index = titles.findIndex((t) => SAFE_FIX.test(t));
    if (index < 0) throw new Error(`no safe AM501 fix among the code actions: ${JSON.stringify(titles)}`);
    const focused = () => page.locator('.action-widget .monaco-list-row.action.focused').first().textContent();
    for (let i = 0; i < titles.length && !SAFE_FIX.test((await focused()) || ''); i++) {
      await page.keyboard.press('ArrowDown');
    }
    const chosen = (await focused()) || '';
    if (!SAFE_FIX.test(chosen)) throw new Error(`could not focus the preferred fix; focused: ${chosen}; all: ${JSON.stringify(titles)}`);
    return chosen;
  });

  await step(`Enter applies "${fixTitle}"`, async () => {
    const listed = await page.locator('.markers-panel .monaco-list-row', { hasText: 'AM501' }).count();
    if (listed === 0) throw new Error('the Problems panel should still list AM501 before the fix');
    await page.keyboard.press('Enter');
    await waitFor('the fix in the editor', async () => {
      const text = await editorText();
      return text.includes('datetime.now(timezone.utc).replace(tzinfo=None)') && text.includes('from datetime import datetime, timezone');
    }, 15000);
  });

  // The editor drops a squiggle as soon as its text is replaced; the Problems panel only empties
  // when the server publishes diagnostics for the fixed version.
  await step('the server clears the problem', async () => {
    await waitFor('no AM501 in the Problems panel', async () => {
      const rows = await page.locator('.markers-panel .monaco-list-row', { hasText: 'AM501' }).count();
      const squiggles = await page.locator('.monaco-editor .squiggly-warning').count();
      return rows === 0 && squiggles === 0;
    }, 15000);
  });

  await step('Ctrl+S writes the file', async () => {
    await page.keyboard.press(`${MOD}+S`);
    const want = fs.readFileSync(GOLDEN, 'utf8');
    await waitFor('the saved file to match tiempos.py.golden', async () => fs.readFileSync(FILE, 'utf8') === want, 15000).catch(() => {
      throw new Error(`file on disk differs from ${GOLDEN}:\n--- got\n${fs.readFileSync(FILE, 'utf8')}\n--- want\n${want}`);
    });
  });

  // >>> code lens + progress steps (see lensAndProgressSteps) >>>
  await lensAndProgressSteps();
  // <<< code lens + progress steps <<<
}

// >>> code lens + progress steps (owned by the server engineer; issues 5 and 6) >>>>>>>>>>>>>>>>>
// VS Code advertises codeLens + refreshSupport: the server sends bare lenses and VS Code
// resolves the ones on screen, rendering their titles above the route handlers of
// editors/nvim/test/sesiones.py (copied in by run.sh). Progress: VS Code advertises window.workDoneProgress, so the server
// asks for a token; VS Code must accept it (a reply without error) and the server then sends
// begin, report…, end. The exchange is read from the server's --trace-rpc log (run.sh): the
// status bar shows window progress only after a delay this small fixture never reaches.
const LENS_TITLES = ['sync — not migrated', 'async — 1 finding', 'async ✓'];

// rpcLog returns the messages the server logged with --trace-rpc, as {dir: 'in'|'out', msg}.
function rpcLog() {
  const out = [];
  for (const line of fs.readFileSync(SERVER_LOG, 'utf8').split('\n')) {
    const m = /\trpc (in|out)\t(\{.*\})\s*$/.exec(line);
    if (!m) continue;
    try {
      out.push({ dir: m[1], msg: JSON.parse(JSON.parse(m[2]).message) });
    } catch {
      // a message cut by the log's size limit
    }
  }
  return out;
}

async function lensAndProgressSteps() {
  await step('VS Code accepted the indexing progress token; the server sent begin, report, end', async () => {
    const log = rpcLog();
    const creates = log.filter((e) => e.dir === 'out' && e.msg.method === 'window/workDoneProgress/create' && /^asyncmig\/index\//.test(e.msg.params.token));
    if (creates.length === 0) throw new Error('the server never asked VS Code for an indexing progress token');
    for (const create of creates) {
      const reply = log.find((e) => e.dir === 'in' && e.msg.id === create.msg.id && !e.msg.method);
      if (!reply || reply.msg.error) throw new Error(`VS Code did not accept the progress token: ${JSON.stringify(reply && reply.msg)}`);
      const kinds = log
        .filter((e) => e.dir === 'out' && e.msg.method === '$/progress' && e.msg.params.token === create.msg.params.token)
        .map((e) => e.msg.params.value.kind);
      if (kinds[0] !== 'begin' || kinds[kinds.length - 1] !== 'end' || !kinds.includes('report')) {
        throw new Error(`progress on ${create.msg.params.token}: ${kinds.join(',')}, want begin, report…, end`);
      }
    }
  });

  await step('code lenses above the route handlers of sesiones.py', async () => {
    await page.keyboard.press(`${MOD}+P`);
    const input = page.locator('.quick-input-widget input');
    await input.waitFor({ timeout: 15000 });
    await input.fill('sesiones.py');
    await page.locator('.quick-input-list .monaco-list-row', { hasText: 'sesiones.py' }).first().waitFor({ timeout: 15000 });
    await page.keyboard.press('Enter');
    const lenses = await waitFor('the three resolved lenses', async () => {
      const texts = await page.locator('.editor-group-container.active .monaco-editor .codelens-decoration').allTextContents();
      const shown = texts.map((t) => t.replace(/\u00a0/g, ' ').trim());
      return LENS_TITLES.every((title) => shown.includes(title)) ? shown : null;
    }, 30000);
    if (lenses.length !== LENS_TITLES.length) throw new Error(`want one lens per handler, got ${JSON.stringify(lenses)}`);
    const resolves = rpcLog().filter((e) => e.dir === 'in' && e.msg.method === 'codeLens/resolve').length;
    if (resolves < LENS_TITLES.length) throw new Error(`the titles did not come through codeLens/resolve (${resolves} resolves)`);
  });
}
// <<< code lens + progress steps <<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<

main().then(
  () => console.log('e2e: browser session PASS'),
  (err) => {
    console.error(`e2e: FAIL at step "${stepName}": ${err && err.message ? err.message : err}`);
    process.exit(1);
  },
);
