//! Zendesk exports: any bytes, imported as `declic import` reads an API JSON file, then
//! written as rule files, which must parse; when they check, they are exported back. The
//! language they are written in is picked by the input's length. Nothing may panic.

use std::path::Path;

use declic::catalog::Lang;
use declic::interop::export;
use declic::interop::import::Imported;
use declic::interop::text::{self, Style};
use declic::Source;

fn main() {
    afl::fuzz!(|data: &[u8]| {
        let Ok(json) = std::str::from_utf8(data) else {
            return;
        };
        let mut imported = Imported::default();
        if imported.add_text(Path::new("fuzz.json"), json).is_err() {
            return;
        }
        imported.warn_shared_titles();
        let lang = [Lang::En, Lang::Fr, Lang::Api][data.len() % 3];
        let style = Style {
            lang,
            account: None,
        };
        let files = text::files(&imported.rules, style, false);
        let sources: Vec<_> = files
            .iter()
            .map(|f| Source::new(f.name.clone(), f.text.clone()))
            .collect();
        for file in &files {
            if let Err(e) = declic::syntax::parse(&file.text) {
                panic!("import wrote text that does not parse: {e}\n{}", file.text);
            }
        }
        if let Ok(rules) = declic::check(&sources).into_result() {
            export::export(&rules, None);
        }
    });
}
