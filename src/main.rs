//! The `declic` command: a thin layer over the library.

mod cli;

// See Cargo.toml: the command line's work is many small allocations from every core.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> std::process::ExitCode {
    cli::main()
}
