//! The web explorer (`web/explorer/`, a Vite + TypeScript single-page app)
//! served at `/explorer`, from its build embedded at compile time
//! (`build.rs`), so a node needs no npm, no CDN and no files on disk.
//!
//! `GET /explorer/<file>` answers the file with its content type;
//! `/explorer`, `/explorer/` and any path without a file extension answer
//! `index.html` (the app routes by the URL's hash). Vite names every asset
//! after a hash of its content, so `/explorer/assets/…` may be cached for
//! good while `index.html` is revalidated each time. A Content-Security-Policy
//! lets the pages load only their own files and call only this node. These
//! routes are not part of the API and so not in `/openapi.json`.

use axum::extract::Path;
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Redirect, Response};
use fructus_rpc_types::ApiError;

use crate::error::HttpError;

/// Every file of `web/explorer/dist/`, sorted by path.
const ASSETS: &[(&str, &[u8])] = include!(concat!(env!("OUT_DIR"), "/explorer_assets.rs"));

/// What the explorer's pages may load and call: their own files and this
/// node's API only (styles also inline: the charts set them), in no frame.
const CONTENT_SECURITY_POLICY: &str = "default-src 'self'; style-src 'self' 'unsafe-inline'; \
     img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; \
     form-action 'none'";

/// The page every app route answers.
const INDEX: &str = "index.html";

/// The content type of a file, by its extension.
fn content_type(path: &str) -> &'static str {
    match path.rsplit_once('.').map(|(_, ext)| ext) {
        Some("html") => "text/html; charset=utf-8",
        Some("js" | "mjs") => "text/javascript; charset=utf-8",
        Some("css") => "text/css; charset=utf-8",
        Some("json" | "map") => "application/json",
        Some("svg") => "image/svg+xml",
        Some("png") => "image/png",
        Some("ico") => "image/x-icon",
        Some("woff2") => "font/woff2",
        Some("txt") => "text/plain; charset=utf-8",
        _ => "application/octet-stream",
    }
}

fn file(path: &str) -> Option<&'static [u8]> {
    ASSETS
        .binary_search_by(|(name, _)| (*name).cmp(path))
        .ok()
        .and_then(|i| ASSETS.get(i))
        .map(|(_, bytes)| *bytes)
}

fn answer(path: &str) -> Response {
    let wanted = if path.is_empty() || !path.rsplit('/').next().unwrap_or("").contains('.') {
        INDEX
    } else {
        path
    };
    let Some(bytes) = file(wanted) else {
        let message = if ASSETS.is_empty() {
            "this node was built without the explorer (web/explorer/dist was missing)".to_owned()
        } else {
            format!("the explorer has no file {path:?}")
        };
        return HttpError(ApiError::not_found(message)).into_response();
    };
    let cache = if wanted.starts_with("assets/") {
        "public, max-age=31536000, immutable"
    } else {
        "no-cache"
    };
    (
        [
            (
                header::CONTENT_TYPE,
                HeaderValue::from_static(content_type(wanted)),
            ),
            (header::CACHE_CONTROL, HeaderValue::from_static(cache)),
            (
                header::X_CONTENT_TYPE_OPTIONS,
                HeaderValue::from_static("nosniff"),
            ),
            (
                header::CONTENT_SECURITY_POLICY,
                HeaderValue::from_static(CONTENT_SECURITY_POLICY),
            ),
        ],
        bytes,
    )
        .into_response()
}

/// `GET /explorer`: to `/explorer/`, so relative asset paths resolve.
pub(crate) async fn root() -> Redirect {
    Redirect::permanent("/explorer/")
}

/// `GET /explorer/`.
pub(crate) async fn index() -> Response {
    answer("")
}

/// `GET /explorer/{*path}`.
pub(crate) async fn asset(Path(path): Path<String>) -> Response {
    answer(&path)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_embedded_assets_are_sorted_for_lookup() {
        assert!(ASSETS.windows(2).all(|w| w[0].0 < w[1].0));
    }

    #[test]
    fn app_routes_answer_the_index_and_files_their_type() {
        assert_eq!(
            content_type("assets/index-1a2b.js"),
            "text/javascript; charset=utf-8"
        );
        assert_eq!(content_type("index.html"), "text/html; charset=utf-8");
        assert_eq!(content_type("x.unknown"), "application/octet-stream");
        let page = answer("account");
        let direct = answer("");
        assert_eq!(page.status(), direct.status());
        assert_eq!(answer("assets/no-such-file.js").status(), 404);
    }
}
