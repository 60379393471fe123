//! For tests: runs a server binary that follows this repository's start-up contract (one line,
//! `listening on http://HOST:PORT`, on stdout once ready) and keeps everything it prints, so a
//! test can read the logs afterwards.

use std::io::{BufRead, BufReader, Read};
use std::process::{Child, Command, ExitStatus, Stdio};
use std::sync::mpsc;
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::{Duration, Instant};

/// How long a server may take to print its ready line (a debug build on a busy machine).
const READY_TIMEOUT: Duration = Duration::from_secs(60);

/// A running server process; killed when dropped.
pub struct ServerProcess {
    child: Child,
    base_url: String,
    output: Arc<Mutex<String>>,
}

impl ServerProcess {
    /// Starts `command` (stdout and stderr are taken over) and waits for its ready line.
    pub fn spawn(mut command: Command) -> Result<Self, String> {
        let mut child = command
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .map_err(|e| format!("cannot start {command:?}: {e}"))?;
        let output = Arc::new(Mutex::new(String::new()));
        let stdout = child.stdout.take().expect("stdout is piped");
        let stderr = child.stderr.take().expect("stderr is piped");
        keep(stderr, output.clone());
        let (ready, first_line) = mpsc::channel();
        let kept = output.clone();
        thread::spawn(move || {
            let mut lines = BufReader::new(stdout);
            let mut line = String::new();
            let _ = lines.read_line(&mut line);
            kept.lock().unwrap().push_str(&line);
            let _ = ready.send(line);
            keep(lines, kept);
        });
        let started = Instant::now();
        let line = first_line.recv_timeout(READY_TIMEOUT).map_err(|_| {
            let _ = child.kill();
            format!(
                "no ready line within {:?}; output so far:\n{}",
                started.elapsed(),
                output.lock().unwrap()
            )
        })?;
        let Some(base_url) = line.trim_end().strip_prefix("listening on ") else {
            let _ = child.kill();
            let _ = child.wait();
            // Let the stderr reader catch up, so the message says why.
            thread::sleep(Duration::from_millis(100));
            return Err(format!(
                "expected `listening on http://HOST:PORT`, got {line:?}; output:\n{}",
                output.lock().unwrap()
            ));
        };
        Ok(Self {
            base_url: base_url.to_owned(),
            child,
            output,
        })
    }

    /// `http://HOST:PORT` from the ready line.
    pub fn base_url(&self) -> &str {
        &self.base_url
    }

    /// Everything printed so far, stdout and stderr interleaved as they arrived.
    pub fn output(&self) -> String {
        self.output.lock().unwrap().clone()
    }

    /// Sends SIGTERM and waits (up to `timeout`) for the process to exit.
    pub fn terminate(&mut self, timeout: Duration) -> Result<ExitStatus, String> {
        let sent = Command::new("kill")
            .args(["-TERM", &self.child.id().to_string()])
            .status()
            .map_err(|e| format!("kill: {e}"))?;
        if !sent.success() {
            return Err("kill -TERM failed".into());
        }
        let deadline = Instant::now() + timeout;
        loop {
            if let Some(status) = self.child.try_wait().map_err(|e| e.to_string())? {
                // The readers get the last lines once the pipes close.
                thread::sleep(Duration::from_millis(50));
                return Ok(status);
            }
            if Instant::now() > deadline {
                return Err(format!("still running {timeout:?} after SIGTERM"));
            }
            thread::sleep(Duration::from_millis(20));
        }
    }
}

impl Drop for ServerProcess {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Appends everything `from` yields to `into`, on a thread of its own.
fn keep(mut from: impl Read + Send + 'static, into: Arc<Mutex<String>>) {
    thread::spawn(move || {
        let mut chunk = [0u8; 4096];
        while let Ok(n) = from.read(&mut chunk) {
            if n == 0 {
                break;
            }
            into.lock()
                .unwrap()
                .push_str(&String::from_utf8_lossy(&chunk[..n]));
        }
    });
}
