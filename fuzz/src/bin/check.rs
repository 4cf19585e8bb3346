//! Rule files: any bytes, read as `declic check` reads a file, then checked, their
//! diagnostics rendered, and the rules that check linted and compiled. Nothing may panic.

use std::path::Path;

use declic::diagnostics::render::{self, Style};
use declic::engine::Compiled;
use declic::lint::{self, Config, Known};

fn main() {
    afl::fuzz!(|data: &[u8]| {
        let Ok(source) = declic::load::decode(Path::new("fuzz.declic"), data.to_vec()) else {
            return;
        };
        let checked = declic::check(&[source]);
        for diagnostic in &checked.diagnostics {
            render::text(diagnostic, Style::Plain);
            render::json(diagnostic);
        }
        if let Ok(rules) = checked.into_result() {
            lint::lint(&rules, &Config::default(), &Known::default());
            let _ = Compiled::new(&rules);
        }
    });
}
