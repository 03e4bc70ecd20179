//! How the server meets the network: time limits on every connection and request, a bound on
//! the requests handled at once, bounded bodies, and a request id in every log line.
//!
//! Without these, one client could hold a connection open forever by never finishing its
//! headers or its body, or take every worker with slow requests, and nothing in the log would
//! tie a line to the request it came from. Every refusal here answers in the same JSON error
//! shape as the handlers (or as the error page, on pages), never with an empty body.

use std::time::Duration;

use axum::Router;
use axum::error_handling::HandleErrorLayer;
use axum::extract::{ConnectInfo, DefaultBodyLimit, Request, State};
use axum::http::header;
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::server::graceful::GracefulShutdown;
use tower::ServiceBuilder;
use tower::limit::GlobalConcurrencyLimitLayer;
use tower::load_shed::LoadShedLayer;
use tower_http::LatencyUnit;
use tower_http::request_id::{MakeRequestUuid, PropagateRequestIdLayer, SetRequestIdLayer};
use tower_http::timeout::RequestBodyTimeoutLayer;
use tower_http::trace::{DefaultOnResponse, TraceLayer};

use crate::{AppError, AppState};

/// A client must send a request's line and headers within this time, or the connection is
/// closed. Slow-header clients otherwise hold a connection each for as long as they like.
pub const HEADER_READ_TIMEOUT: Duration = Duration::from_secs(10);

/// A request must be answered within this time; past it, the client gets a 503.
pub const REQUEST_TIMEOUT: Duration = Duration::from_secs(30);

/// `POST /api/v1/import` checks and writes a whole org, which may take longer than other
/// requests: it gets this budget instead of [`REQUEST_TIMEOUT`].
pub const IMPORT_TIMEOUT: Duration = Duration::from_secs(300);

/// A request body that sends nothing for this long is cut off with a 408.
pub const BODY_TIMEOUT: Duration = Duration::from_secs(10);

/// Requests handled at once (above the soak's 16 writers and 64 readers); one more is
/// refused at once with a 503 and `Retry-After`, so a burst cannot queue up memory and time
/// behind the ones under way.
pub const MAX_CONCURRENT_REQUESTS: usize = 128;

/// The largest request body of an API call or a page form (64 KB).
pub const BODY_LIMIT: usize = 64 * 1024;

/// The largest body of `POST /api/v1/import` and of the assignments uploads (2 MB, as
/// before the 64 KB bound): a whole org's CSV or export document.
pub const UPLOAD_BODY_LIMIT: usize = 2 * 1024 * 1024;

/// The path whose requests get [`IMPORT_TIMEOUT`].
const IMPORT_PATH: &str = "/api/v1/import";

/// The request header that carries a request's id, generated when the client sends none.
const REQUEST_ID: &str = "x-request-id";

/// The time limits and bounds of a server; [`Transport::default`] is the documented
/// constants above, and tests shorten them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Transport {
    pub header_read_timeout: Duration,
    pub request_timeout: Duration,
    pub import_timeout: Duration,
    pub body_timeout: Duration,
    pub max_concurrent_requests: usize,
}

impl Default for Transport {
    fn default() -> Self {
        Self {
            header_read_timeout: HEADER_READ_TIMEOUT,
            request_timeout: REQUEST_TIMEOUT,
            import_timeout: IMPORT_TIMEOUT,
            body_timeout: BODY_TIMEOUT,
            max_concurrent_requests: MAX_CONCURRENT_REQUESTS,
        }
    }
}

/// The body limit of the import and upload routes, as a layer on their handlers.
pub(crate) fn upload_body_limit() -> DefaultBodyLimit {
    DefaultBodyLimit::max(UPLOAD_BODY_LIMIT)
}

/// Wraps every route of `app` in the request id, the trace span, the security headers, the
/// JSON error shape, the concurrency bound, the timeouts and the body limit, outermost
/// first.
pub(crate) fn layered(app: Router<AppState>, state: &AppState, t: Transport) -> Router<AppState> {
    app.layer(
        ServiceBuilder::new()
            .layer(SetRequestIdLayer::new(
                header::HeaderName::from_static(REQUEST_ID),
                MakeRequestUuid,
            ))
            .layer(
                TraceLayer::new_for_http()
                    .make_span_with(request_span)
                    .on_response(
                        DefaultOnResponse::new()
                            .level(tracing::Level::INFO)
                            .latency_unit(LatencyUnit::Millis),
                    ),
            )
            .layer(PropagateRequestIdLayer::new(
                header::HeaderName::from_static(REQUEST_ID),
            ))
            .layer(middleware::from_fn_with_state(
                state.clone(),
                crate::web::security_headers,
            ))
            .layer(middleware::from_fn(crate::error::json_or_page_errors))
            .layer(HandleErrorLayer::new(|_: tower::BoxError| async {
                AppError::server_busy()
            }))
            .layer(LoadShedLayer::new())
            .layer(GlobalConcurrencyLimitLayer::new(t.max_concurrent_requests))
            .layer(middleware::from_fn_with_state(t, deadline))
            .layer(RequestBodyTimeoutLayer::new(t.body_timeout))
            .layer(DefaultBodyLimit::max(BODY_LIMIT)),
    )
}

/// The span of one request: its id, method and path, and nothing of its headers (they carry
/// cookies and tokens) or its query.
fn request_span(request: &Request) -> tracing::Span {
    let id = request
        .headers()
        .get(REQUEST_ID)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default();
    tracing::info_span!(
        "request",
        request_id = id,
        method = %request.method(),
        path = request.uri().path(),
    )
}

/// Answers 503 when a request takes longer than its budget. Dropping the handler drops its
/// store transaction uncommitted, so nothing is half-written.
async fn deadline(State(t): State<Transport>, request: Request, next: Next) -> Response {
    let budget = if request.uri().path() == IMPORT_PATH {
        t.import_timeout
    } else {
        t.request_timeout
    };
    match tokio::time::timeout(budget, next.run(request)).await {
        Ok(response) => response,
        Err(_) => AppError::TimedOut(budget).into_response(),
    }
}

/// Serves `app` on `listener` until `shutdown` resolves, then lets the requests under way
/// finish. Each connection is HTTP/1.1 with the header-read timeout, and each request
/// carries the peer's address for the sign-in limiter.
pub(crate) async fn serve(
    listener: tokio::net::TcpListener,
    app: Router,
    t: Transport,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    let mut http = hyper::server::conn::http1::Builder::new();
    http.timer(TokioTimer::new())
        .header_read_timeout(t.header_read_timeout);
    let graceful = GracefulShutdown::new();
    let mut shutdown = std::pin::pin!(shutdown);
    loop {
        let (stream, peer) = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok(accepted) => accepted,
                Err(e) => {
                    // Out of file descriptors and the like: wait a little rather than spin.
                    tracing::warn!(error = %e, "cannot accept a connection");
                    tokio::time::sleep(Duration::from_millis(100)).await;
                    continue;
                }
            },
            () = &mut shutdown => break,
        };
        let app = app.clone();
        let service =
            hyper::service::service_fn(move |mut request: Request<hyper::body::Incoming>| {
                request.extensions_mut().insert(ConnectInfo(peer));
                tower::ServiceExt::oneshot(app.clone(), request)
            });
        let connection = http.serve_connection(TokioIo::new(stream), service);
        let connection = graceful.watch(connection);
        tokio::spawn(async move {
            // A client that hangs up or is cut off by a timeout ends its connection; that is
            // routine, not an error of the server.
            if let Err(e) = connection.await {
                tracing::debug!(error = %e, %peer, "connection ended");
            }
        });
    }
    drop(listener);
    graceful.shutdown().await;
    Ok(())
}
