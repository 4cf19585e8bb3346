//! Text to syntax tree. Pest pairs never leave this module: what comes out is the owned,
//! unresolved [`ast`], with spans.

pub mod ast;
mod chunks;
mod error;
mod lex;
pub mod literal;
mod parser;
mod queue;
mod split;

pub use error::SyntaxError;
pub use parser::{parse, parse_each, pieces, read_piece, MAX_DEPTH};
