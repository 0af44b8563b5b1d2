import * as assert from 'node:assert/strict';
import { test } from 'node:test';
import { findServer, LookupFs, ServerLookup } from '../serverPath';

// fakeFs answers from a table: path → 'x' (executable file) or 'f' (plain file).
function fakeFs(files: Record<string, 'x' | 'f'>): LookupFs {
  return {
    isFile: (p) => p in files,
    isExecutable: (p) => files[p] === 'x',
  };
}

// A workspace and home with Spanish and emoji in their names: paths are text too.
const linux: ServerLookup = {
  extensionPath: '/home/ñandú/.vscode/extensions/asyncmig.asyncmig-0.1.0',
  platform: 'linux',
  pathEnv: '/usr/local/bin:/usr/bin:/opt/migración 🚀/bin',
  homeDir: '/home/ñandú',
  workspaceFolder: '/srv/proyectos/señales 🐍',
};

test('the asyncmig.path setting wins over the bundled binary and PATH', () => {
  const fs = fakeFs({
    '/opt/asyncmig/asyncmig': 'x',
    '/home/ñandú/.vscode/extensions/asyncmig.asyncmig-0.1.0/server/asyncmig': 'x',
    '/usr/bin/asyncmig': 'x',
  });
  assert.deepEqual(findServer({ ...linux, configuredPath: '/opt/asyncmig/asyncmig' }, fs), {
    ok: true,
    path: '/opt/asyncmig/asyncmig',
    source: 'setting',
  });
});

test('the setting expands ~, ${workspaceFolder} and relative paths with non-ASCII names', () => {
  const fs = fakeFs({
    '/home/ñandú/bin/asyncmig': 'x',
    '/srv/proyectos/señales 🐍/.venv/bin/asyncmig': 'x',
    '/srv/proyectos/señales 🐍/tools/asyncmig': 'x',
  });
  const cases: Array<[string, string]> = [
    ['~/bin/asyncmig', '/home/ñandú/bin/asyncmig'],
    ['${workspaceFolder}/.venv/bin/asyncmig', '/srv/proyectos/señales 🐍/.venv/bin/asyncmig'],
    ['tools/asyncmig', '/srv/proyectos/señales 🐍/tools/asyncmig'],
    ['  /home/ñandú/bin/asyncmig  ', '/home/ñandú/bin/asyncmig'],
  ];
  for (const [setting, want] of cases) {
    const got = findServer({ ...linux, configuredPath: setting }, fs);
    assert.deepEqual(got, { ok: true, path: want, source: 'setting' }, setting);
  }
});

test('a setting that points nowhere is an error naming it, not a silent fallback', () => {
  const fs = fakeFs({ '/usr/bin/asyncmig': 'x' });
  const got = findServer({ ...linux, configuredPath: '~/bin/asyncmíg' }, fs);
  assert.equal(got.ok, false);
  assert.match(!got.ok ? got.message : '', /asyncmig\.path is set to "~\/bin\/asyncmíg", but there is no file at \/home\/ñandú\/bin\/asyncmíg/);
});

test('a configured file without the executable bit is reported', () => {
  const got = findServer({ ...linux, configuredPath: '/opt/asyncmig' }, fakeFs({ '/opt/asyncmig': 'f' }));
  assert.equal(got.ok, false);
  assert.match(!got.ok ? got.message : '', /not executable/);
});

test('the bundled binary (server/, then bin/) wins over PATH', () => {
  const ext = linux.extensionPath;
  const both = fakeFs({ [`${ext}/server/asyncmig`]: 'x', [`${ext}/bin/asyncmig`]: 'x', '/usr/bin/asyncmig': 'x' });
  assert.deepEqual(findServer(linux, both), { ok: true, path: `${ext}/server/asyncmig`, source: 'bundled' });
  const binOnly = fakeFs({ [`${ext}/bin/asyncmig`]: 'x', '/usr/bin/asyncmig': 'x' });
  assert.deepEqual(findServer(linux, binOnly), { ok: true, path: `${ext}/bin/asyncmig`, source: 'bundled' });
});

test('a bundled binary that lost its executable bit is still chosen (the extension restores it)', () => {
  const ext = linux.extensionPath;
  const got = findServer(linux, fakeFs({ [`${ext}/server/asyncmig`]: 'f', '/usr/bin/asyncmig': 'x' }));
  assert.deepEqual(got, { ok: true, path: `${ext}/server/asyncmig`, source: 'bundled' });
});

test('PATH is searched in order, skipping files that are not executable', () => {
  const fs = fakeFs({ '/usr/local/bin/asyncmig': 'f', '/usr/bin/asyncmig': 'x', '/opt/migración 🚀/bin/asyncmig': 'x' });
  assert.deepEqual(findServer(linux, fs), { ok: true, path: '/usr/bin/asyncmig', source: 'PATH' });
  const onlyLast = fakeFs({ '/opt/migración 🚀/bin/asyncmig': 'x' });
  assert.deepEqual(findServer(linux, onlyLast), { ok: true, path: '/opt/migración 🚀/bin/asyncmig', source: 'PATH' });
});

test('on Windows the binary is asyncmig.exe and PATH uses ; and PATHEXT', () => {
  const win: ServerLookup = {
    extensionPath: 'C:\\Users\\Begoña\\.vscode\\extensions\\asyncmig.asyncmig-0.1.0-win32-x64',
    platform: 'win32',
    pathEnv: 'C:\\Windows;C:\\Herramientas\\asyncmig',
    pathExt: '.COM;.EXE',
    homeDir: 'C:\\Users\\Begoña',
  };
  const bundled = fakeFs({ [`${win.extensionPath}\\server\\asyncmig.exe`]: 'x' });
  assert.deepEqual(findServer(win, bundled), { ok: true, path: `${win.extensionPath}\\server\\asyncmig.exe`, source: 'bundled' });
  const onPath = fakeFs({ 'C:\\Herramientas\\asyncmig\\asyncmig.exe': 'x' });
  assert.deepEqual(findServer(win, onPath), { ok: true, path: 'C:\\Herramientas\\asyncmig\\asyncmig.exe', source: 'PATH' });
});

test('nothing found: the message names all three places and how to install', () => {
  const got = findServer({ ...linux, pathEnv: '' }, fakeFs({}));
  assert.equal(got.ok, false);
  const message = !got.ok ? got.message : '';
  assert.match(message, /asyncmig\.path is not set/);
  assert.match(message, /server\/asyncmig, bin\/asyncmig/);
  assert.match(message, /no asyncmig on PATH/);
  assert.match(message, /go install github\.com\/asyncmig\/asyncmig\/cmd\/asyncmig@latest/);
});
