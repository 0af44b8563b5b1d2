import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { LIVE_SETTINGS, RESTART_SETTINGS, serverArgs, serverSettings } from '../settings';

function reader(values: Record<string, unknown>) {
  return { get: <T>(key: string) => values[key] as T | undefined };
}

test('the server gets only its own keys, never path, args or trace', () => {
  const all = reader({ path: '/opt/asyncmig', args: ['--log-level', 'debug'], 'trace.server': 'verbose', unsafeFixes: true });
  assert.deepEqual(serverSettings(all), { unsafeFixes: true });
});

test('unsafeFixes is false unless it is exactly true', () => {
  for (const value of [undefined, false, 'true', 1, null]) {
    assert.deepEqual(serverSettings(reader({ unsafeFixes: value })), { unsafeFixes: false }, String(value));
  }
});

test('serve comes first, then the extra args, dropping what is not a non-empty string', () => {
  assert.deepEqual(serverArgs(undefined), ['serve']);
  assert.deepEqual(serverArgs(['--log-file', '/tmp/registro ñ 🐍.log', '', 3, null]), ['serve', '--log-file', '/tmp/registro ñ 🐍.log']);
  assert.deepEqual(serverArgs('--log-level debug'), ['serve']);
});

// The settings the code reacts to must exist in the contributed schema, or users cannot set them.
test('every setting the extension handles is declared in package.json', () => {
  const manifest = JSON.parse(fs.readFileSync(path.join(__dirname, '..', '..', '..', 'package.json'), 'utf8'));
  const declared = Object.keys(manifest.contributes.configuration.properties).sort();
  assert.deepEqual(declared, ['asyncmig.args', 'asyncmig.path', 'asyncmig.trace.server', 'asyncmig.unsafeFixes']);
  for (const key of [...RESTART_SETTINGS, ...LIVE_SETTINGS]) {
    assert.ok(declared.includes(key), key);
  }
  const commands = manifest.contributes.commands.map((c: { command: string }) => c.command).sort();
  assert.deepEqual(commands, ['asyncmig.restartServer', 'asyncmig.showOutput']);
  assert.deepEqual(manifest.activationEvents, ['onLanguage:python']);
});

test('the engine matches what vscode-languageclient requires and @types/vscode is not newer', () => {
  const root = path.join(__dirname, '..', '..', '..');
  const manifest = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));
  const client = JSON.parse(fs.readFileSync(path.join(root, 'node_modules', 'vscode-languageclient', 'package.json'), 'utf8'));
  assert.equal(manifest.engines.vscode, client.engines.vscode);
  const engineMin = manifest.engines.vscode.replace(/^\^/, '');
  const typesVersion: string = manifest.devDependencies['@types/vscode'];
  assert.ok(compareVersions(typesVersion, engineMin) <= 0, `@types/vscode ${typesVersion} is newer than engine ${engineMin}`);
});

function compareVersions(a: string, b: string): number {
  const pa = a.split('.').map(Number);
  const pb = b.split('.').map(Number);
  for (let i = 0; i < 3; i++) {
    if (pa[i] !== pb[i]) {
      return pa[i] - pb[i];
    }
  }
  return 0;
}
