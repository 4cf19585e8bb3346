// The TextMate grammar tokenises every recipe of the repository and ends each file with
// every scope it opened closed again; a few lines get the scopes an editor colours.
const { test } = require("node:test");
const assert = require("node:assert");
const fs = require("node:fs");
const path = require("node:path");
const oniguruma = require("vscode-oniguruma");
const vsctm = require("vscode-textmate");

const root = path.join(__dirname, "..", "..", "..");

async function loadGrammar() {
  const wasm = fs.readFileSync(require.resolve("vscode-oniguruma/release/onig.wasm"));
  await oniguruma.loadWASM(wasm.buffer.slice(wasm.byteOffset, wasm.byteOffset + wasm.byteLength));
  const registry = new vsctm.Registry({
    onigLib: Promise.resolve({
      createOnigScanner: (patterns) => new oniguruma.OnigScanner(patterns),
      createOnigString: (s) => new oniguruma.OnigString(s),
    }),
    loadGrammar: async (scope) => {
      if (scope !== "source.declic") return null;
      const file = path.join(__dirname, "..", "syntaxes", "declic.tmLanguage.json");
      return vsctm.parseRawGrammar(fs.readFileSync(file, "utf8"), file);
    },
  });
  return registry.loadGrammar("source.declic");
}

/** Every line's tokens, and whether the file ends with no scope left open. */
function tokenise(grammar, text) {
  let stack = vsctm.INITIAL;
  const lines = [];
  for (const line of text.split("\n")) {
    const result = grammar.tokenizeLine(line, stack);
    lines.push(
      result.tokens.map((t) => ({ text: line.slice(t.startIndex, t.endIndex), scopes: t.scopes })),
    );
    stack = result.ruleStack;
  }
  return { lines, closed: stack.depth === 1 };
}

function recipes(dir) {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return recipes(full);
    return entry.name.endsWith(".declic") ? [full] : [];
  });
}

function scopeOf(lines, lineNumber, text) {
  const token = lines[lineNumber].find((t) => t.text.trim() === text);
  assert.ok(token, `no token \`${text}\` on line ${lineNumber}`);
  return token.scopes[token.scopes.length - 1];
}

test("every recipe ends with every scope closed", async () => {
  const grammar = await loadGrammar();
  const files = recipes(path.join(root, "recipes"));
  assert.ok(files.length >= 10, `found ${files.length} recipes`);
  for (const file of files) {
    const { closed } = tokenise(grammar, fs.readFileSync(file, "utf8"));
    assert.ok(closed, `${path.relative(root, file)} leaves a scope open`);
  }
});

test("keywords, operators, strings, placeholders and comments get their scopes", async () => {
  const grammar = await loadGrammar();
  const text = [
    "# a comment { not a block",
    'déclencheur "Fin" {',
    "  quand tous {",
    "    Canal est Messagerie",
    "    Dans les horaires d'ouverture est faux",
    "  }",
    "  alors {",
    '    notify requester "Ticket {{ticket.id}}" "Body"',
    "    Balises += vu",
    "  }",
    "}",
  ].join("\n");
  const { lines, closed } = tokenise(grammar, text);
  assert.ok(closed);
  assert.strictEqual(scopeOf(lines, 0, "# a comment { not a block"), "comment.line.number-sign.declic");
  assert.strictEqual(scopeOf(lines, 1, "déclencheur"), "keyword.declaration.trigger.declic");
  assert.strictEqual(scopeOf(lines, 1, "Fin"), "string.quoted.double.declic");
  assert.strictEqual(scopeOf(lines, 2, "tous"), "keyword.control.group.declic");
  assert.strictEqual(scopeOf(lines, 3, "est"), "keyword.operator.word.declic");
  assert.strictEqual(scopeOf(lines, 4, "faux"), "constant.language.boolean.declic");
  assert.strictEqual(scopeOf(lines, 7, "{{ticket.id}}"), "variable.other.placeholder.declic");
  assert.strictEqual(scopeOf(lines, 8, "+="), "keyword.operator.declic");
  // A field name is no keyword, even with an operator word inside it.
  assert.strictEqual(scopeOf(lines, 3, "Canal"), "meta.block.declic");
});

test("a brace left open is an open scope", async () => {
  const grammar = await loadGrammar();
  assert.ok(!tokenise(grammar, 'trigger "a" {\n  when all {\n}\n').closed);
  assert.ok(tokenise(grammar, 'trigger "a" {\n  when all {\n  }\n}\n').closed);
});
