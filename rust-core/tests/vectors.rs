//! Every shared scenario vector, played over loopback HTTP, in both credential modes.

mod common;

use common::{customer_json, error_json, Mode};
use futures_util::future::join_all;
use juspay_customer::{ClientConfig, CustomerClient, LookupOptions};
use juspay_scenario_server::{load_vectors, vectors_dir, ScenarioServer, Vector};

async fn play(server: &ScenarioServer, vector: &Vector, mode: Mode) -> Result<(), String> {
    let config = ClientConfig {
        deadline_ms: vector.config.deadline_ms,
        max_retries: vector.config.max_retries,
        ..ClientConfig::new(server.base_url(&vector.name), mode.credentials())
    };
    let client = CustomerClient::new(config).map_err(|e| e.to_string())?;
    let options = LookupOptions {
        client_auth_token: vector.options.client_auth_token,
    };
    let result = client
        .get_customer(vector.customer_id.clone(), None, options)
        .await;
    let expect = &vector.expect;
    match (&expect.customer, &expect.error, &result) {
        (Some(want), None, Ok(customer)) => {
            let got = customer_json(customer);
            if &got != want {
                return Err(format!("customer\n  got  {got}\n  want {want}"));
            }
        }
        (None, Some(want), Err(error)) => {
            let mut got = error_json(error);
            if want.get("message").is_none() {
                got.as_object_mut().unwrap().remove("message");
            }
            if &got != want {
                return Err(format!("error\n  got  {got}\n  want {want}"));
            }
        }
        _ => return Err(format!("unexpected outcome {result:?}")),
    }
    let requests = server.requests(&vector.name);
    if requests.len() != expect.requests {
        return Err(format!(
            "{} requests, want {}",
            requests.len(),
            expect.requests
        ));
    }
    if let Some(path) = &expect.request_path {
        if let Some(bad) = requests.iter().find(|r| &r.path != path) {
            return Err(format!("request path {}, want {path}", bad.path));
        }
    }
    Ok(())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_vector_gives_the_expected_result_in_both_credential_modes() {
    let vectors = load_vectors(&vectors_dir()).expect("vectors load");
    assert!(vectors.len() >= 30, "only {} vectors found", vectors.len());
    for mode in [Mode::DeviceToken, Mode::ApiKey] {
        // A fresh server per mode so request counts start at zero.
        let server = ScenarioServer::start("127.0.0.1:0", vectors.clone())
            .await
            .unwrap();
        let outcomes = join_all(vectors.iter().map(|v| play(&server, v, mode))).await;
        let failures: Vec<String> = vectors
            .iter()
            .zip(outcomes)
            .filter_map(|(v, o)| o.err().map(|e| format!("{} ({mode:?}): {e}", v.name)))
            .collect();
        assert!(failures.is_empty(), "\n{}", failures.join("\n"));
    }
}
