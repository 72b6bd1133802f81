//! Progress of long steps on stderr: an elapsed-time line that updates in place on a terminal
//! and prints every half minute otherwise (CI logs), so a long wait never looks like a hang.

use std::io::{IsTerminal, Write};
use std::sync::mpsc::{self, RecvTimeoutError};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

/// Shows `what … elapsed` until dropped.
pub struct Ticker {
    stop: Option<mpsc::Sender<()>>,
    thread: Option<JoinHandle<()>>,
}

impl Ticker {
    /// Starts showing progress of `what`.
    pub fn start(what: String) -> Self {
        let (stop, stopped) = mpsc::channel::<()>();
        let terminal = std::io::stderr().is_terminal();
        let period = if terminal { Duration::from_secs(1) } else { Duration::from_secs(30) };
        let started = Instant::now();
        let thread = std::thread::spawn(move || loop {
            match stopped.recv_timeout(period) {
                Err(RecvTimeoutError::Timeout) => {
                    let elapsed = started.elapsed().as_secs();
                    let line = format!("  {what}: {}m{:02}s elapsed", elapsed / 60, elapsed % 60);
                    let mut err = std::io::stderr().lock();
                    if terminal {
                        let _ = write!(err, "\r{line}");
                    } else {
                        let _ = writeln!(err, "{line}");
                    }
                    let _ = err.flush();
                }
                _ => {
                    if terminal {
                        let _ = writeln!(std::io::stderr());
                    }
                    return;
                }
            }
        });
        Ticker { stop: Some(stop), thread: Some(thread) }
    }
}

impl Drop for Ticker {
    fn drop(&mut self) {
        drop(self.stop.take());
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

/// Runs `step`, printing `what` before and its duration after, on stderr.
pub fn timed<T>(what: &str, step: impl FnOnce() -> T) -> (T, Duration) {
    eprintln!("{what} ...");
    let started = Instant::now();
    let value = {
        let _ticker = Ticker::start(what.to_string());
        step()
    };
    let elapsed = started.elapsed();
    eprintln!("{what}: done in {:.2} s", elapsed.as_secs_f64());
    (value, elapsed)
}
