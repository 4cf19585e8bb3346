// The declic extension: starts `declic lsp` for .declic and scenario files, and lets the
// language server do the rest (diagnostics, completion, hover, formatting, outline).
const vscode = require("vscode");
const { LanguageClient } = require("vscode-languageclient/node");

let client;

function activate(context) {
  const config = vscode.workspace.getConfiguration("declic");
  const command = config.get("path") || "declic";
  const server = { command, args: ["lsp"] };
  client = new LanguageClient(
    "declic",
    "declic",
    { run: server, debug: server },
    {
      documentSelector: [
        { scheme: "file", language: "declic" },
        { scheme: "file", pattern: "**/*.scenarios.toml" },
      ],
      initializationOptions: { account: config.get("account") || undefined },
      synchronize: {
        fileEvents: vscode.workspace.createFileSystemWatcher("**/{*.declic,declic.toml}"),
      },
    },
  );
  context.subscriptions.push(client);
  return client.start();
}

function deactivate() {
  return client ? client.stop() : undefined;
}

module.exports = { activate, deactivate };
