//! The runtime beside the algorithms: thread budget, private pool, call tracing.
//! Only the ABI layer calls into it; algorithms receive a launcher and a [`Team`].

pub mod config;
pub mod pool;
pub mod verbose;

pub use config::{budget, set_budget};
pub use pool::{Team, launch, run, share};
