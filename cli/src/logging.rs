//! filecoin-proofs and bellperson report their phases through `log`; with
//! `STORAGE_CLI_LOG=info` (or `debug`, `trace`) they go to stderr with the time since start, to
//! see where a slow proof spends its time.

use std::io::Write;
use std::time::Instant;

use log::{LevelFilter, Log, Metadata, Record};

struct StderrLog {
    started: Instant,
    level: LevelFilter,
}

impl Log for StderrLog {
    fn enabled(&self, metadata: &Metadata<'_>) -> bool {
        metadata.level() <= self.level
    }

    fn log(&self, record: &Record<'_>) {
        if self.enabled(record.metadata()) {
            let elapsed = self.started.elapsed().as_secs_f64();
            let _ = writeln!(
                std::io::stderr().lock(),
                "[{elapsed:9.3}s {:5} {}] {}",
                record.level(),
                record.target(),
                record.args()
            );
        }
    }

    fn flush(&self) {}
}

/// Installs the logger if `STORAGE_CLI_LOG` names a level.
pub fn init_from_env() {
    let Some(level) = std::env::var("STORAGE_CLI_LOG").ok().and_then(|text| text.parse::<LevelFilter>().ok()) else {
        return;
    };
    let logger = Box::new(StderrLog { started: Instant::now(), level });
    if log::set_boxed_logger(logger).is_ok() {
        log::set_max_level(level);
    }
}
