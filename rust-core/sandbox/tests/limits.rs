//! Slow and greedy clients against the emulator binary, over raw sockets: half-sent headers, idle
//! kept-alive connections, trickled and huge bodies, more connections than allowed; and the
//! control endpoints' key.

mod common;

use std::io::{ErrorKind, Read, Write};
use std::net::TcpStream;
use std::thread;
use std::time::{Duration, Instant};

use common::*;
use juspay_sandbox::harness::{connect, read_response, read_until_closed, ServerProcess};

fn get_request() -> String {
    format!(
        "GET /customers/customer HTTP/1.1\r\nhost: sandbox\r\nauthorization: {}\r\n\r\n",
        basic(&format!("{KEY}:"))
    )
}

#[test]
fn half_sent_headers_and_idle_connections_are_closed_after_the_header_timeout() {
    let server = start(&["--header-timeout", "1s"]);

    let mut half = connect(&server);
    half.write_all(b"GET /customers/customer HTTP/1.1\r\nhost: sand")
        .unwrap();
    let (_, waited) = read_until_closed(&mut half);
    assert!(
        waited >= Duration::from_millis(900) && waited < Duration::from_secs(3),
        "half-sent headers closed after {waited:?}"
    );

    // A kept-alive connection that sends nothing after its first answer.
    let mut idle = connect(&server);
    idle.write_all(get_request().as_bytes()).unwrap();
    assert!(read_response(&mut idle).starts_with("HTTP/1.1 200 OK"));
    let (more, waited) = read_until_closed(&mut idle);
    assert_eq!(more, "");
    assert!(
        waited >= Duration::from_millis(900) && waited < Duration::from_secs(3),
        "idle connection closed after {waited:?}"
    );

    // A connection that never sends a byte.
    let mut silent = connect(&server);
    let (_, waited) = read_until_closed(&mut silent);
    assert!(waited < Duration::from_secs(3), "{waited:?}");
}

#[test]
fn a_trickled_body_is_cut_off_and_a_huge_one_refused_at_once() {
    let server = start(&["--body-timeout", "1s"]);

    let mut trickle = connect(&server);
    trickle
        .write_all(
            format!(
                "POST /customers HTTP/1.1\r\nhost: sandbox\r\nauthorization: {}\r\n\
                 content-type: application/x-www-form-urlencoded\r\ncontent-length: 1000\r\n\r\n",
                basic(&format!("{KEY}:"))
            )
            .as_bytes(),
        )
        .unwrap();
    let started = Instant::now();
    let writer = {
        let mut stream = trickle.try_clone().unwrap();
        thread::spawn(move || {
            // One byte every 100 ms: never idle for long, never done.
            for _ in 0..100 {
                if stream.write_all(b"a").is_err() {
                    return;
                }
                thread::sleep(Duration::from_millis(100));
            }
        })
    };
    let (answer, _) = read_until_closed(&mut trickle);
    let waited = started.elapsed();
    assert!(answer.starts_with("HTTP/1.1 408"), "{answer}");
    assert!(answer.contains("did not arrive within 1000 ms"), "{answer}");
    assert!(
        waited >= Duration::from_millis(900) && waited < Duration::from_secs(3),
        "trickled body cut off after {waited:?}"
    );
    writer.join().unwrap();

    // 10 GB announced, one byte sent: 413 before any of it is read.
    let mut huge = connect(&server);
    let started = Instant::now();
    huge.write_all(
        b"POST /customers HTTP/1.1\r\nhost: sandbox\r\ncontent-length: 10000000000\r\n\r\na",
    )
    .unwrap();
    let (answer, _) = read_until_closed(&mut huge);
    assert!(answer.starts_with("HTTP/1.1 413"), "{answer}");
    assert!(answer.contains("exceeds 65536 bytes"), "{answer}");
    assert!(started.elapsed() < Duration::from_secs(1));

    // Chunked, no length announced: cut off once past the limit.
    let mut chunked = connect(&server);
    chunked
        .write_all(
            b"POST /customers HTTP/1.1\r\nhost: sandbox\r\ntransfer-encoding: chunked\r\n\r\n",
        )
        .unwrap();
    let chunk = format!("8000\r\n{}\r\n", "a".repeat(0x8000));
    for _ in 0..3 {
        if chunked.write_all(chunk.as_bytes()).is_err() {
            break;
        }
    }
    let (answer, _) = read_until_closed(&mut chunked);
    assert!(answer.starts_with("HTTP/1.1 413"), "{answer}");
}

#[test]
fn over_the_connection_cap_new_connections_wait_while_served_ones_are_answered() {
    let server = start(&["--max-connections", "3", "--header-timeout", "30s"]);

    let mut kept = connect(&server);
    kept.write_all(get_request().as_bytes()).unwrap();
    assert!(read_response(&mut kept).starts_with("HTTP/1.1 200 OK"));
    // Two more connections that send nothing take the other places.
    let idle: Vec<TcpStream> = (0..2).map(|_| connect(&server)).collect();
    thread::sleep(Duration::from_millis(200));

    let mut waiting = connect(&server);
    waiting.write_all(get_request().as_bytes()).unwrap();
    waiting
        .set_read_timeout(Some(Duration::from_millis(700)))
        .unwrap();
    let mut byte = [0u8; 1];
    let early = waiting.read(&mut byte);
    assert!(
        matches!(&early, Err(e) if matches!(e.kind(), ErrorKind::WouldBlock | ErrorKind::TimedOut)),
        "a connection over the cap was answered: {early:?}"
    );

    // The served connection is still answered at once.
    let started = Instant::now();
    kept.write_all(get_request().as_bytes()).unwrap();
    assert!(read_response(&mut kept).starts_with("HTTP/1.1 200 OK"));
    assert!(started.elapsed() < Duration::from_secs(1));

    // A place frees up: the waiting connection gets its answer.
    drop(idle);
    waiting
        .set_read_timeout(Some(Duration::from_secs(5)))
        .unwrap();
    assert!(read_response(&mut waiting).starts_with("HTTP/1.1 200 OK"));
}

#[tokio::test]
async fn the_control_endpoints_are_off_without_a_key_and_need_it_with_one() {
    let mut command = std::process::Command::new(env!("CARGO_BIN_EXE_juspay-sandbox"));
    command.args([
        "--listen",
        "127.0.0.1:0",
        "--api-key",
        KEY,
        "--merchant-id",
        MERCHANT,
    ]);
    let keyless = ServerProcess::spawn(command).unwrap();
    for path in ["/__sandbox/requests", "/__sandbox/faults"] {
        let answer = control(
            reqwest::Method::GET,
            format!("{}{path}", keyless.base_url()),
        )
        .send()
        .await
        .unwrap();
        assert_eq!(answer.status(), 404, "{path}");
    }
    let set = control(
        reqwest::Method::POST,
        format!("{}/__sandbox/faults", keyless.base_url()),
    )
    .body(r#"{"fault":"status=503"}"#)
    .send()
    .await
    .unwrap();
    assert_eq!(set.status(), 404);
    // The refused switch did not arm: customers are still answered.
    assert_eq!(get(keyless.base_url(), "/customers/customer").await.0, 200);

    let keyed = start(&[]);
    let url = format!("{}/__sandbox/requests", keyed.base_url());
    assert_eq!(http().get(&url).send().await.unwrap().status(), 401);
    let wrong = http()
        .get(&url)
        .header(juspay_sandbox::CONTROL_KEY_HEADER, "guess")
        .send()
        .await
        .unwrap();
    assert_eq!(wrong.status(), 401);
    let right = control(reqwest::Method::GET, url).send().await.unwrap();
    assert_eq!(right.status(), 200);
}
