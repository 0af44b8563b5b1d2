// Checks a packaged .vsix the way VS Code will read it: the manifest with the settings schema,
// the bundled extension, and (for per-platform packages) the server binary with its executable
// bit. Usage: node scripts/check-vsix.mjs FILE.vsix [--target linux-x64]
import { readFileSync } from 'node:fs';
import { inflateRawSync } from 'node:zlib';

const SETTINGS = ['asyncmig.path', 'asyncmig.args', 'asyncmig.trace.server', 'asyncmig.unsafeFixes'];

function fail(message) {
  console.error(`check-vsix: ${message}`);
  process.exit(1);
}

// readZip lists the central directory: name → { mode, read() }.
function readZip(buf) {
  let eocd = -1;
  for (let i = buf.length - 22; i >= Math.max(0, buf.length - 65557); i--) {
    if (buf.readUInt32LE(i) === 0x06054b50) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) fail('not a zip file (no end of central directory)');
  const count = buf.readUInt16LE(eocd + 10);
  let p = buf.readUInt32LE(eocd + 16);
  const entries = new Map();
  for (let n = 0; n < count; n++) {
    if (buf.readUInt32LE(p) !== 0x02014b50) fail('corrupt central directory');
    const method = buf.readUInt16LE(p + 10);
    const compressedSize = buf.readUInt32LE(p + 20);
    const nameLen = buf.readUInt16LE(p + 28);
    const extraLen = buf.readUInt16LE(p + 30);
    const commentLen = buf.readUInt16LE(p + 32);
    const external = buf.readUInt32LE(p + 38);
    const local = buf.readUInt32LE(p + 42);
    const name = buf.toString('utf8', p + 46, p + 46 + nameLen);
    entries.set(name, {
      mode: external >>> 16,
      read() {
        const start = local + 30 + buf.readUInt16LE(local + 26) + buf.readUInt16LE(local + 28);
        const data = buf.subarray(start, start + compressedSize);
        return method === 8 ? inflateRawSync(data) : Buffer.from(data);
      },
    });
    p += 46 + nameLen + extraLen + commentLen;
  }
  return entries;
}

const args = process.argv.slice(2);
const file = args.find((a) => !a.startsWith('--'));
const targetIndex = args.indexOf('--target');
const target = targetIndex >= 0 ? args[targetIndex + 1] : undefined;
if (!file) fail('usage: check-vsix.mjs FILE.vsix [--target TARGET]');

const entries = readZip(readFileSync(file));
const need = (name) => entries.get(name) ?? fail(`${file} has no ${name}`);

const manifest = JSON.parse(need('extension/package.json').read().toString('utf8'));
const properties = manifest.contributes?.configuration?.properties ?? {};
for (const key of SETTINGS) {
  if (!properties[key]) fail(`the settings schema in extension/package.json lacks ${key}`);
}
need('extension/out/extension.js');
if (/node_modules\//.test([...entries.keys()].join('\n'))) fail('node_modules leaked into the package (the extension is bundled)');

if (target) {
  const vsixManifest = need('extension.vsixmanifest').read().toString('utf8');
  if (!vsixManifest.includes(`TargetPlatform="${target}"`)) fail(`extension.vsixmanifest is not for target ${target}`);
  const binary = `extension/server/${target.startsWith('win32') ? 'asyncmig.exe' : 'asyncmig'}`;
  const server = need(binary);
  if (!target.startsWith('win32') && (server.mode & 0o111) === 0) {
    fail(`${binary} lost its executable bit in the package (mode ${server.mode.toString(8)})`);
  }
  console.log(`check-vsix: ${binary} mode ${server.mode.toString(8)}`);
}
console.log(`check-vsix: ${file} OK (${entries.size} files, settings ${SETTINGS.join(', ')})`);
