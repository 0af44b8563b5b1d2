// Finding the asyncmig binary. Kept free of the `vscode` module so it runs under plain
// `node --test`: everything it needs from the environment comes in through ServerLookup.
import * as path from 'path';

/** The file-system questions the lookup asks; tests answer them from a table. */
export interface LookupFs {
  isFile(p: string): boolean;
  isExecutable(p: string): boolean;
}

export interface ServerLookup {
  /** The `asyncmig.path` setting ("" or undefined when unset). */
  configuredPath?: string;
  /** Root of the installed extension (holds `server/` or `bin/` in per-platform builds). */
  extensionPath: string;
  platform: NodeJS.Platform;
  /** The PATH environment variable (Path on Windows). */
  pathEnv?: string;
  /** PATHEXT on Windows; defaults to `.EXE;.CMD;.BAT;.COM`. */
  pathExt?: string;
  homeDir: string;
  /** The first workspace folder, for `${workspaceFolder}` and relative settings. */
  workspaceFolder?: string;
}

export type ServerSource = 'setting' | 'bundled' | 'PATH';

export type ServerLocation =
  | { ok: true; path: string; source: ServerSource }
  | { ok: false; message: string };

/** Folders inside the extension that may hold a bundled binary, in lookup order. */
export const BUNDLED_DIRS = ['server', 'bin'];

export function binaryName(platform: NodeJS.Platform): string {
  return platform === 'win32' ? 'asyncmig.exe' : 'asyncmig';
}

/**
 * findServer returns the binary to run: the `asyncmig.path` setting, else the binary bundled
 * in the extension, else `asyncmig` on PATH. A setting that points nowhere is an error, not a
 * reason to fall back: a silent fallback would hide a typo behind a different server version.
 */
export function findServer(lookup: ServerLookup, fs: LookupFs): ServerLocation {
  const p = lookup.platform === 'win32' ? path.win32 : path.posix;
  const configured = (lookup.configuredPath ?? '').trim();
  if (configured !== '') {
    const resolved = expandSetting(configured, lookup, p);
    if (!fs.isFile(resolved)) {
      return { ok: false, message: `asyncmig.path is set to "${configured}", but there is no file at ${resolved}.` };
    }
    if (!fs.isExecutable(resolved)) {
      return { ok: false, message: `asyncmig.path points to ${resolved}, which is not executable.` };
    }
    return { ok: true, path: resolved, source: 'setting' };
  }

  const name = binaryName(lookup.platform);
  for (const dir of BUNDLED_DIRS) {
    const candidate = p.join(lookup.extensionPath, dir, name);
    if (fs.isFile(candidate)) {
      // Not executable yet is fine here: the caller restores the bit (zip tools can drop it).
      return { ok: true, path: candidate, source: 'bundled' };
    }
  }

  const found = searchPath(lookup, fs, p);
  if (found) {
    return { ok: true, path: found, source: 'PATH' };
  }
  return {
    ok: false,
    message:
      'asyncmig server not found: asyncmig.path is not set, this extension has no bundled binary ' +
      `(${BUNDLED_DIRS.map((d) => d + '/' + name).join(', ')}), and there is no ${name} on PATH. ` +
      'Install asyncmig (go install github.com/asyncmig/asyncmig/cmd/asyncmig@latest) or set asyncmig.path.',
  };
}

function expandSetting(value: string, lookup: ServerLookup, p: path.PlatformPath): string {
  let v = value;
  if (lookup.workspaceFolder !== undefined) {
    v = v.split('${workspaceFolder}').join(lookup.workspaceFolder);
  }
  if (v === '~' || v.startsWith('~/') || v.startsWith('~\\')) {
    v = p.join(lookup.homeDir, v.slice(1));
  }
  if (!p.isAbsolute(v) && lookup.workspaceFolder !== undefined) {
    v = p.join(lookup.workspaceFolder, v);
  }
  return p.normalize(v);
}

function searchPath(lookup: ServerLookup, fs: LookupFs, p: path.PlatformPath): string | undefined {
  const delimiter = lookup.platform === 'win32' ? ';' : ':';
  const dirs = (lookup.pathEnv ?? '').split(delimiter).filter((d) => d !== '');
  const names =
    lookup.platform === 'win32'
      ? (lookup.pathExt ?? '.EXE;.CMD;.BAT;.COM')
          .split(';')
          .filter((e) => e !== '')
          .map((ext) => 'asyncmig' + ext.toLowerCase())
      : ['asyncmig'];
  for (const dir of dirs) {
    for (const name of names) {
      const candidate = p.join(dir, name);
      if (fs.isFile(candidate) && fs.isExecutable(candidate)) {
        return candidate;
      }
    }
  }
  return undefined;
}
