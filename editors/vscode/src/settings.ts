// What the server sees of the `asyncmig.*` settings. Only analysis settings go to the server
// (initializationOptions, didChangeConfiguration, workspace/configuration): path, args and
// trace are the client's business, and the server reports keys it does not know.

/** The part of vscode.WorkspaceConfiguration this module reads. */
export interface SettingsReader {
  get<T>(section: string): T | undefined;
}

export interface ServerSettings {
  unsafeFixes: boolean;
}

export function serverSettings(config: SettingsReader): ServerSettings {
  return { unsafeFixes: config.get<boolean>('unsafeFixes') === true };
}

/** Settings that only take effect when the server process is started again. */
export const RESTART_SETTINGS = ['asyncmig.path', 'asyncmig.args'];

/** Settings the running server is told about through workspace/didChangeConfiguration. */
export const LIVE_SETTINGS = ['asyncmig.unsafeFixes'];

/** serverArgs builds the command line after the binary: `serve` then the user's extra args. */
export function serverArgs(extra: unknown): string[] {
  const args = ['serve'];
  if (Array.isArray(extra)) {
    for (const a of extra) {
      if (typeof a === 'string' && a !== '') {
        args.push(a);
      }
    }
  }
  return args;
}
