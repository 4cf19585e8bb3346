//! Simulating time: session lifecycles of the four products (DOMAIN.md section 6), timeline
//! files, and the simulator that turns timed activity into ticket updates.

pub mod session;
pub mod timeline;

pub use timeline::Timeline;
pub mod dispatch;
mod log;
pub mod simulator;
pub mod traffic;

pub use simulator::{simulate, simulate_with, wait, Entry, Log, Options, Waited, What};
