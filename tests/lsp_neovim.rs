//! A real client: headless Neovim opens a rule file with a mistake through its built-in
//! LSP client and the project's registration (`editors/neovim`), and reports back what it
//! shows. Neovim must be installed (`.ci/run` installs Debian's package): without it the
//! test fails, it does not skip.

use std::path::Path;
use std::process::Command;

use serde_json::Value;

const RULES: &str = "trigger \"Fin de session\" {\n  when all {\n    Ticket is Created\n    Canl is Messagerie\n    Canal is Messagerie\n  }\n  then {\n    Mettre fin à la session\n  }\n}\n";

/// The script Neovim runs: open the file, wait for diagnostics, ask for a completion
/// after `Canal is ` on line 5, write both as JSON, quit whatever happened.
const SCRIPT: &str = r#"
local ok, err = pcall(function()
  vim.opt.runtimepath:append(EDITORS .. "/neovim")
  require("declic").setup({ cmd = { BIN, "lsp" } })
  vim.cmd("edit " .. vim.fn.fnameescape(FILE))
  local buf = vim.api.nvim_get_current_buf()
  vim.wait(60000, function() return #vim.diagnostic.get(buf) > 0 end, 20)
  local out = { diagnostics = {}, completion = {} }
  for _, d in ipairs(vim.diagnostic.get(buf)) do
    local lsp = (d.user_data or {}).lsp or {}
    table.insert(out.diagnostics, { code = d.code or lsp.code, lnum = d.lnum, col = d.col, message = d.message })
  end
  local params = { textDocument = vim.lsp.util.make_text_document_params(buf), position = { line = 4, character = 13 } }
  local results = vim.lsp.buf_request_sync(buf, "textDocument/completion", params, 60000)
  for _, r in pairs(results or {}) do
    local items = r.result and (r.result.items or r.result) or {}
    for _, item in ipairs(items) do table.insert(out.completion, item.label) end
  end
  vim.fn.writefile({ vim.fn.json_encode(out) }, OUT)
end)
if not ok then vim.fn.writefile({ vim.fn.json_encode({ error = tostring(err) }) }, OUT) end
vim.cmd("qa!")
"#;

#[test]
fn neovim_shows_the_mistake_and_completes_a_value() {
    let dir = tempfile::tempdir().unwrap();
    let rules = dir.path().join("rules.declic");
    std::fs::write(&rules, RULES).unwrap();
    let out = dir.path().join("out.json");
    let editors = Path::new(env!("CARGO_MANIFEST_DIR")).join("editors");
    let lua = |p: &Path| format!("{:?}", p.display().to_string());
    let script = format!(
        "EDITORS = {}\nBIN = {}\nFILE = {}\nOUT = {}\n{SCRIPT}",
        lua(&editors),
        lua(Path::new(env!("CARGO_BIN_EXE_declic"))),
        lua(&rules),
        lua(&out),
    );
    let script_path = dir.path().join("script.lua");
    std::fs::write(&script_path, script).unwrap();
    let status = Command::new("nvim")
        .args(["--headless", "-u", "NONE", "-i", "NONE", "-n", "-c"])
        .arg(format!("luafile {}", script_path.display()))
        .current_dir(dir.path())
        .status()
        .expect("nvim runs: install Neovim (Debian's `neovim` package; .ci/run does)");
    assert!(status.success(), "{status}");
    let report: Value = serde_json::from_slice(&std::fs::read(&out).unwrap()).unwrap();
    assert!(report.get("error").is_none(), "{report}");
    let diagnostics = report["diagnostics"].as_array().unwrap();
    assert_eq!(diagnostics.len(), 1, "{report}");
    assert_eq!(diagnostics[0]["code"], "declic::unknown_field", "{report}");
    assert_eq!(
        (&diagnostics[0]["lnum"], &diagnostics[0]["col"]),
        (&3.into(), &4.into())
    );
    let labels: Vec<&str> = report["completion"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(Value::as_str)
        .collect();
    assert!(labels.contains(&"Messagerie"), "{report}");
    assert!(!labels.contains(&"Canal"), "{report}");
}
