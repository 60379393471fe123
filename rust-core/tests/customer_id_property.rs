//! Property: any id of 1..=300 characters reaches the server as exactly one segment under
//! `/customers/` that decodes back to the same id, or is rejected before the network.

mod common;

use std::sync::{Mutex, OnceLock};

use common::{client, documented_customer, Mode};
use juspay_customer::CustomerClient;
use juspay_scenario_server::{Answer, ScenarioServer};
use percent_encoding::percent_decode_str;
use proptest::prelude::*;
use tokio::runtime::Runtime;

struct Harness {
    /// Held for a whole case: the two properties run on parallel threads and count requests.
    turn: Mutex<()>,
    runtime: Runtime,
    server: ScenarioServer,
    client: CustomerClient,
}

fn harness() -> &'static Harness {
    static HARNESS: OnceLock<Harness> = OnceLock::new();
    HARNESS.get_or_init(|| {
        let runtime = Runtime::new().unwrap();
        let server = runtime
            .block_on(ScenarioServer::start_with("127.0.0.1:0", |_, _| Answer {
                json: Some(documented_customer()),
                ..Answer::default()
            }))
            .unwrap();
        let client = client(&server.base_url(""), Mode::ApiKey.credentials());
        Harness {
            turn: Mutex::new(()),
            runtime,
            server,
            client,
        }
    })
}

/// Ids made of anything, and ids made mostly of the characters that break naive clients.
fn any_id(max_chars: usize) -> impl Strategy<Value = String> {
    let tricky = prop::sample::select(vec![
        '/', '?', '#', '%', '.', ' ', '+', '&', '=', ';', ':', '@', '\\', '\0', '\n', 'é', '中',
        '😀', 'a', '2', 'e',
    ]);
    prop_oneof![
        prop::collection::vec(any::<char>(), 1..=max_chars),
        prop::collection::vec(tricky, 1..=8),
    ]
    .prop_map(|chars| chars.into_iter().collect())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn an_id_is_one_segment_that_decodes_back_or_is_rejected(id in any_id(300)) {
        let h = harness();
        let _turn = h.turn.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        let before = h.server.requests("").len();
        let result = h.runtime.block_on(h.client.get_customer(id.clone(), None, Default::default()));
        let requests = h.server.requests("");
        if id == "." || id == ".." {
            prop_assert_eq!(result.unwrap_err().code(), "INVALID_ARGUMENT");
            prop_assert_eq!(requests.len(), before);
        } else {
            prop_assert!(result.is_ok(), "{:?}", result);
            prop_assert_eq!(requests.len(), before + 1);
            let path = &requests[before].path;
            let segment = path.strip_prefix("/customers/").expect("under /customers/");
            prop_assert!(!segment.contains('/') && !segment.contains('?') && !segment.contains('#'));
            prop_assert_eq!(percent_decode_str(segment).decode_utf8().unwrap(), id.as_str());
        }
    }

    #[test]
    fn an_id_over_300_characters_never_reaches_the_network(
        id in prop::collection::vec(any::<char>(), 301..=400).prop_map(String::from_iter)
    ) {
        let h = harness();
        let _turn = h.turn.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        let before = h.server.requests("").len();
        let error = h.runtime.block_on(h.client.get_customer(id, None, Default::default())).unwrap_err();
        prop_assert_eq!(error.code(), "INVALID_ARGUMENT");
        prop_assert_eq!(h.server.requests("").len(), before);
    }
}
