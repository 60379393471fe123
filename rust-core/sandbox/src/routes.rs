//! Which path goes where, and in what order the checks run on the customer endpoints:
//! record the request, act out a fault, check key / merchant / IP, then answer.

use axum::middleware::from_fn_with_state;
use axum::routing::{get, post};
use axum::Router;

use crate::state::AppState;
use crate::{auth, bodies, control, faults, handlers};

pub(crate) fn router(state: AppState) -> Router {
    let customers = Router::new()
        .route("/customers", post(handlers::create_customer))
        .route(
            "/customers/{id}",
            get(handlers::get_customer).post(handlers::update_customer),
        )
        // route_layer: unknown paths skip these and get a plain 404. The last added runs first.
        .route_layer(from_fn_with_state(state.clone(), auth::require_merchant))
        .route_layer(from_fn_with_state(state.clone(), faults::apply))
        .route_layer(from_fn_with_state(state.clone(), control::record));
    let sandbox = Router::new()
        .route(
            "/__sandbox/faults",
            get(control::get_fault)
                .post(control::set_fault)
                .delete(control::clear_fault),
        )
        .route(
            "/__sandbox/requests",
            get(control::list_requests).delete(control::clear_requests),
        );
    customers
        .merge(sandbox)
        .fallback(bodies::unknown_path)
        .method_not_allowed_fallback(bodies::unknown_path)
        .with_state(state)
}
