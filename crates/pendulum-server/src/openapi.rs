//! The OpenAPI 3 document of the API, served at `GET /api/v1/openapi.json`.
//!
//! It is generated from the handlers' `#[utoipa::path]` annotations and the schemas of the
//! types they serialize, so it describes the code rather than a second copy of it; a test
//! checks that every route of the router appears in it.

use std::sync::LazyLock;

use axum::http::header;
use axum::response::IntoResponse;
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{Modify, OpenApi};

use crate::api;

/// The API's operations, with paths relative to `/api/v1`.
#[derive(OpenApi)]
#[openapi(
    info(
        title = "pendulum",
        description = "The career ledger of the engineer/manager pendulum: people, their \
            stints and check-ins, the nudges the policy's rules give, the org's metrics, and \
            plans: the rotation plan and stretch assignments. \
            Every operation but this document needs an API token (`pendulum token create`) \
            sent as `Authorization: Bearer TOKEN`. Errors are `{\"error\": {\"code\", \
            \"message\"}}`; a person the account may not see is reported as not found."
    ),
    paths(
        api::list_people,
        api::person,
        api::career::edit_person,
        api::career::erase,
        api::stints,
        api::career::edit_stint,
        api::career::delete_stint,
        api::checkins,
        api::record_checkin,
        api::career::delete_checkin,
        api::record_swing,
        api::record_answer,
        api::export::person,
        api::career::leave,
        api::career::return_to_work,
        api::career::history,
        api::org::nudges,
        api::org::metrics,
        api::org::export,
        api::org::import,
        api::plans::rotation_plan,
        api::plans::assignments,
        document,
    ),
    modifiers(&BearerToken),
    security(("bearer" = [])),
)]
struct ApiV1;

/// Declares the bearer-token scheme that the operations' security requirement names.
struct BearerToken;

impl Modify for BearerToken {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(
                HttpBuilder::new()
                    .scheme(HttpAuthScheme::Bearer)
                    .description(Some(
                        "An API token from `pendulum token create`, as `Authorization: Bearer TOKEN`",
                    ))
                    .build(),
            ),
        );
    }
}

/// The whole document, with every path under `/api/v1`.
fn openapi() -> utoipa::openapi::OpenApi {
    let mut api = ApiV1::openapi();
    api.paths.paths = std::mem::take(&mut api.paths.paths)
        .into_iter()
        .map(|(path, item)| (format!("/api/v1{path}"), item))
        .collect();
    api
}

/// This document; it needs no token.
#[utoipa::path(
    get,
    path = "/openapi.json",
    tag = "meta",
    security(()),
    responses((status = 200, description = "The OpenAPI document of this API", content_type = "application/json", body = Object)),
)]
pub(crate) async fn document() -> impl IntoResponse {
    static JSON: LazyLock<String> = LazyLock::new(|| {
        openapi()
            .to_pretty_json()
            .expect("the OpenAPI document always serializes")
    });
    ([(header::CONTENT_TYPE, "application/json")], JSON.as_str())
}
