//! The web face of pendulum: server-rendered pages and a JSON API under `/api/v1`, with
//! accounts and authorization.
//!
//! [`router`] builds the whole application from an [`AppState`], so tests call it directly
//! on port 0 with a real database. Every route but `/healthz`, the sign-in page and the
//! stylesheet needs an account (a session cookie for pages, an API token in
//! `Authorization: Bearer` for the API), and every read and write of a person's data is
//! decided by `pendulum_core::access` on the server, whatever the client shows.

mod api;
pub mod auth;
mod career;
mod client;
mod error;
mod fresh;
mod limits;
mod openapi;
mod plans;
mod state;
pub mod transport;
mod web;

use axum::Router;

pub use api::routes;
pub use client::{ProxyRange, ProxyRangeError, TrustedProxies};
pub use error::AppError;
pub use pendulum_app::plans::{PlanLimits, SolversOccupied};
pub use state::AppState;
pub use transport::Transport;
pub use web::page_routes;

/// The application: pages, the API and the health check, with the default [`Transport`]
/// limits.
pub fn router(state: AppState) -> Router {
    router_with(state, Transport::default())
}

fn router_with(state: AppState, transport: Transport) -> Router {
    let app = Router::new()
        .merge(web::router())
        .nest("/api/v1", api::router())
        .layer(axum::middleware::from_fn(fresh::per_request));
    transport::layered(app, &state, transport).with_state(state)
}

/// Serves until `shutdown` resolves, then finishes the requests under way.
pub async fn serve(
    listener: tokio::net::TcpListener,
    state: AppState,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    serve_with(listener, state, Transport::default(), shutdown).await
}

/// [`serve`] with other time limits and bounds than the defaults.
pub async fn serve_with(
    listener: tokio::net::TcpListener,
    state: AppState,
    transport: Transport,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    // The default rotation plan is solved before the first page asks for it.
    state.start_planner();
    let _purge = web::start_session_purge(&state).await;
    transport::serve(listener, router_with(state, transport), transport, shutdown).await
}
