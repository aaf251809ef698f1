// The aslc extension: starts `aslc lsp` and connects it to ASL JSON/YAML documents,
// CloudFormation/SAM templates and `.asld` files.
import * as vscode from 'vscode';
import { DocumentSelector, LanguageClient, LanguageClientOptions, ServerOptions, TransportKind } from 'vscode-languageclient/node';

let client: LanguageClient | undefined;

function documentSelector(templates: boolean): DocumentSelector {
  const definitions: DocumentSelector = [
    { language: 'asl', scheme: 'file' },
    { language: 'asl-yaml', scheme: 'file' },
    { language: 'asld', scheme: 'file' },
    { language: 'asl', scheme: 'untitled' },
    { language: 'asld', scheme: 'untitled' },
  ];
  const templateFiles: DocumentSelector = [
    { language: 'yaml', pattern: '**/*template*.{yaml,yml}' },
    { language: 'json', pattern: '**/*template*.json' },
  ];
  return templates ? [...definitions, ...templateFiles] : definitions;
}

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  const config = vscode.workspace.getConfiguration('aslc');
  const command = config.get<string>('path', 'aslc');
  const serverOptions: ServerOptions = {
    run: { command, args: ['lsp'], transport: TransportKind.stdio },
    debug: { command, args: ['lsp'], transport: TransportKind.stdio },
  };
  const rulesUrl = config.get<string>('rulesUrl', '');
  const clientOptions: LanguageClientOptions = {
    documentSelector: documentSelector(config.get<boolean>('templates', true)),
    initializationOptions: {
      debounceMs: config.get<number>('debounceMs', 0),
      workflowType: config.get<string>('workflowType', 'standard'),
      ...(rulesUrl ? { rulesUrl } : {}),
    },
  };
  client = new LanguageClient('aslc', 'aslc', serverOptions, clientOptions);
  context.subscriptions.push(
    vscode.workspace.onDidChangeConfiguration(async (event) => {
      if (event.affectsConfiguration('aslc') && client) {
        await client.restart();
      }
    }),
  );
  await client.start();
}

export async function deactivate(): Promise<void> {
  if (client) {
    await client.stop();
  }
}
