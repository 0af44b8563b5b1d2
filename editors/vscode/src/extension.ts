// VS Code client for `asyncmig serve`: starts the server over stdio for Python files, keeps
// it in step with the asyncmig.* settings, and offers "Restart server" / "Show output".
// Diagnostics, quick fixes and source.fixAll.asyncmig come from the server through
// vscode-languageclient; this file only wires the process and the settings.
import * as fs from 'fs';
import * as os from 'os';
import * as vscode from 'vscode';
import {
  DidChangeConfigurationNotification,
  LanguageClient,
  LanguageClientOptions,
  ServerOptions,
} from 'vscode-languageclient/node';
import { findServer, LookupFs } from './serverPath';
import { LIVE_SETTINGS, RESTART_SETTINGS, serverArgs, serverSettings } from './settings';

const CLIENT_ID = 'asyncmig'; // also the prefix vscode-languageclient reads `asyncmig.trace.server` from

let client: LanguageClient | undefined;
let output: vscode.LogOutputChannel;

const nodeFs: LookupFs = {
  isFile(p) {
    try {
      return fs.statSync(p).isFile();
    } catch {
      return false;
    }
  },
  isExecutable(p) {
    if (process.platform === 'win32') {
      return true;
    }
    try {
      fs.accessSync(p, fs.constants.X_OK);
      return true;
    } catch {
      return false;
    }
  },
};

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  output = vscode.window.createOutputChannel('asyncmig', { log: true });
  context.subscriptions.push(
    output,
    vscode.commands.registerCommand('asyncmig.restartServer', () => restart(context)),
    vscode.commands.registerCommand('asyncmig.showOutput', () => output.show(true)),
    vscode.workspace.onDidChangeConfiguration((event) => onSettingsChanged(event, context)),
  );
  await start(context);
}

export async function deactivate(): Promise<void> {
  await stop();
}

async function start(context: vscode.ExtensionContext): Promise<void> {
  const config = vscode.workspace.getConfiguration('asyncmig');
  const workspaceFolder = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
  const location = findServer(
    {
      configuredPath: config.get<string>('path'),
      extensionPath: context.extensionPath,
      platform: process.platform,
      pathEnv: process.env.PATH ?? process.env.Path,
      pathExt: process.env.PATHEXT,
      homeDir: os.homedir(),
      workspaceFolder,
    },
    nodeFs,
  );
  if (!location.ok) {
    output.error(location.message);
    void showError(location.message);
    return;
  }
  if (location.source === 'bundled') {
    ensureExecutable(location.path);
  }

  const args = serverArgs(config.get<unknown>('args'));
  output.info(`starting ${location.path} ${args.join(' ')} (found via ${location.source})`);
  // No `transport` on purpose: TransportKind.stdio would append --stdio to our arguments.
  const serverOptions: ServerOptions = { command: location.path, args, options: { cwd: workspaceFolder } };
  const clientOptions: LanguageClientOptions = {
    documentSelector: [
      { scheme: 'file', language: 'python' },
      { scheme: 'untitled', language: 'python' },
    ],
    outputChannel: output,
    initializationOptions: () => serverSettings(vscode.workspace.getConfiguration('asyncmig')),
    middleware: {
      workspace: {
        // Answer workspace/configuration for our section with the server's keys only.
        configuration: async (params, token, next) => {
          const result = await next(params, token);
          if (!Array.isArray(result)) {
            return result;
          }
          return params.items.map((item, i) => {
            if (item.section !== 'asyncmig') {
              return result[i];
            }
            const scope = item.scopeUri ? vscode.Uri.parse(item.scopeUri) : undefined;
            return serverSettings(vscode.workspace.getConfiguration('asyncmig', scope));
          });
        },
      },
    },
  };

  const next = new LanguageClient(CLIENT_ID, 'asyncmig', serverOptions, clientOptions);
  client = next;
  try {
    await next.start();
  } catch (err) {
    const message = `asyncmig server failed to start (${location.path}): ${errorText(err)}`;
    output.error(message);
    void showError(message);
  }
}

async function stop(): Promise<void> {
  const running = client;
  client = undefined;
  if (running) {
    try {
      await running.dispose(2000);
    } catch (err) {
      output.warn(`stopping the server: ${errorText(err)}`);
    }
  }
}

// restart starts a fresh client rather than client.restart(): the binary or its arguments may
// have changed since the last start.
async function restart(context: vscode.ExtensionContext): Promise<void> {
  output.info('restarting the server');
  await stop();
  await start(context);
}

async function onSettingsChanged(event: vscode.ConfigurationChangeEvent, context: vscode.ExtensionContext): Promise<void> {
  if (RESTART_SETTINGS.some((s) => event.affectsConfiguration(s))) {
    await restart(context);
    return;
  }
  if (client?.isRunning() && LIVE_SETTINGS.some((s) => event.affectsConfiguration(s))) {
    const settings = serverSettings(vscode.workspace.getConfiguration('asyncmig'));
    await client.sendNotification(DidChangeConfigurationNotification.type, { settings: { asyncmig: settings } });
  }
}

// ensureExecutable restores the executable bit on the bundled binary when an unzip step lost it.
function ensureExecutable(file: string): void {
  if (process.platform === 'win32' || nodeFs.isExecutable(file)) {
    return;
  }
  try {
    fs.chmodSync(file, 0o755);
    output.info(`made ${file} executable`);
  } catch (err) {
    output.error(`cannot make ${file} executable: ${errorText(err)}`);
  }
}

async function showError(message: string): Promise<void> {
  const choice = await vscode.window.showErrorMessage(message, 'Open Settings', 'Show Output');
  if (choice === 'Open Settings') {
    await vscode.commands.executeCommand('workbench.action.openSettings', 'asyncmig.path');
  } else if (choice === 'Show Output') {
    output.show(true);
  }
}

function errorText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
