//! For tests: runs a server binary that follows this repository's start-up contract (one line,
//! `listening on http://HOST:PORT`, on stdout once ready) and keeps everything it prints, so a
//! test can read the logs afterwards; and speaks raw HTTP to it, as slow and hostile clients do.

use std::io::{BufRead, BufReader, ErrorKind, Read};
use std::net::TcpStream;
use std::process::{Child, Command, ExitStatus, Stdio};
use std::sync::mpsc;
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::{Duration, Instant};

/// How long a server may take to print its ready line (a debug build on a busy machine).
const READY_TIMEOUT: Duration = Duration::from_secs(60);

/// How long a log line may take to show in [`ServerProcess::output`]: the servers write their
/// logs in batches (`process::init_logging`), and a busy machine stretches that.
pub const LOG_TIMEOUT: Duration = Duration::from_secs(10);

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

    /// Everything printed so far, stdout and stderr interleaved as they arrived. Logs arrive a
    /// batch at a time: to see a line, wait for it with [`Self::output_once_it_has`]; to be sure
    /// a line is *not* there, read this after [`Self::terminate`].
    pub fn output(&self) -> String {
        self.output.lock().unwrap().clone()
    }

    /// The output once it contains `text`, waiting up to [`LOG_TIMEOUT`] for it to arrive.
    pub fn output_once_it_has(&self, text: &str) -> Result<String, String> {
        let deadline = Instant::now() + LOG_TIMEOUT;
        loop {
            let output = self.output();
            if output.contains(text) {
                return Ok(output);
            }
            if Instant::now() > deadline {
                return Err(format!("no `{text}` within {LOG_TIMEOUT:?} in:\n{output}"));
            }
            thread::sleep(Duration::from_millis(10));
        }
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

/// A raw connection to `server`, whose reads give up after 15 s (longer than any limit tested).
pub fn connect(server: &ServerProcess) -> TcpStream {
    let addr = server.base_url().trim_start_matches("http://");
    let stream = TcpStream::connect(addr).expect("connects");
    stream
        .set_read_timeout(Some(Duration::from_secs(15)))
        .expect("a read timeout");
    stream
}

/// Reads until the server closes the connection (or resets it); returns what it sent and how
/// long that took. Panics, with what arrived, when the connection is still open at the read
/// timeout.
pub fn read_until_closed(stream: &mut TcpStream) -> (String, Duration) {
    let started = Instant::now();
    let mut received = Vec::new();
    let mut chunk = [0u8; 4096];
    loop {
        match stream.read(&mut chunk) {
            Ok(0) => break,
            Ok(n) => received.extend_from_slice(&chunk[..n]),
            Err(e) if e.kind() == ErrorKind::ConnectionReset => break,
            Err(e) => panic!(
                "still open after {:?} ({e}); got {:?}",
                started.elapsed(),
                String::from_utf8_lossy(&received)
            ),
        }
    }
    (
        String::from_utf8_lossy(&received).into_owned(),
        started.elapsed(),
    )
}

/// Reads one whole answer with a Content-Length, leaving the connection open.
pub fn read_response(stream: &mut TcpStream) -> String {
    let mut received = Vec::new();
    let mut chunk = [0u8; 4096];
    loop {
        let n = stream.read(&mut chunk).expect("an answer");
        assert!(n > 0, "closed before a whole answer");
        received.extend_from_slice(&chunk[..n]);
        let text = String::from_utf8_lossy(&received);
        if let Some(end) = text.find("\r\n\r\n") {
            let length: usize = text[..end]
                .lines()
                .find_map(|l| l.strip_prefix("content-length: "))
                .map_or(0, |v| v.trim().parse().expect("a Content-Length"));
            if received.len() >= end + 4 + length {
                return text.into_owned();
            }
        }
    }
}
