//! The playground's routes through the router itself, without a socket: what each answers,
//! with which type and status, and how a request that is not one is refused.

use axum::body::Body;
use axum::http::{Method, Request};
use tower::ServiceExt;

use super::*;

/// The status, headers and body of `method path` with `body`.
async fn call(method: Method, path: &str, body: impl Into<Body>) -> Response {
    let request = Request::builder()
        .method(method)
        .uri(path)
        .header(header::CONTENT_TYPE, "application/json")
        .body(body.into())
        .expect("a well-formed request");
    router::<()>()
        .oneshot(request)
        .await
        .expect("the router answers")
}

async fn text(response: Response) -> String {
    let bytes = axum::body::to_bytes(response.into_body(), usize::MAX)
        .await
        .expect("the body reads");
    String::from_utf8(bytes.to_vec()).expect("UTF-8")
}

async fn json(response: Response) -> serde_json::Value {
    serde_json::from_str(&text(response).await).expect("a JSON answer")
}

fn header_of(response: &Response, name: header::HeaderName) -> &str {
    let value = response.headers().get(name).expect("the header is set");
    value.to_str().expect("ASCII")
}

#[tokio::test]
async fn the_page_and_its_assets_are_served_under_the_policy() {
    let cases = [
        ("/", "text/html", INDEX),
        ("/playground/playground.css", "text/css", STYLE),
        ("/playground/playground.js", "text/javascript", SCRIPT),
    ];
    for (path, kind, content) in cases {
        let response = call(Method::GET, path, Body::empty()).await;
        assert_eq!(response.status(), StatusCode::OK, "{path}");
        assert!(header_of(&response, header::CONTENT_TYPE).starts_with(kind));
        assert_eq!(
            header_of(&response, header::CONTENT_SECURITY_POLICY),
            POLICY
        );
        assert_eq!(text(response).await, content, "{path}");
    }
    let missing = call(Method::GET, "/playground/other.js", Body::empty()).await;
    assert_eq!(missing.status(), StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn the_page_names_only_assets_the_router_serves() {
    for asset in ["/playground/playground.css", "/playground/playground.js"] {
        assert!(INDEX.contains(&format!("\"{asset}\"")), "{asset}");
    }
    // Nothing from elsewhere: no address with a scheme or a host of its own.
    for file in [INDEX, STYLE, SCRIPT] {
        assert!(!file.contains("http://") && !file.contains("https://"));
        assert!(!file.contains("src=\"//") && !file.contains("href=\"//"));
    }
}

#[tokio::test]
async fn samples_list_the_recipes_and_events() {
    let response = call(Method::GET, "/v1/playground/samples", Body::empty()).await;
    assert_eq!(response.status(), StatusCode::OK);
    let answer = json(response).await;
    let expected = serde_json::to_value(samples::samples()).expect("plain data");
    assert_eq!(answer, expected);
}

#[tokio::test]
async fn a_run_answers_what_the_function_does() {
    let samples = samples::samples();
    let recipe = &samples.recipes[0];
    let event = &samples.events[0];
    let body = serde_json::json!({
        "files": { recipe.name: recipe.text },
        "event": event.text,
    });
    let response = call(Method::POST, "/v1/playground/run", body.to_string()).await;
    assert_eq!(response.status(), StatusCode::OK);
    let request = api::request(body.to_string().as_bytes()).expect("a run request");
    let direct = serde_json::to_value(api::run(request)).expect("plain data");
    let answer = json(response).await;
    assert!(answer["outcome"].is_object(), "{answer}");
    assert_eq!(answer, direct);
}

#[tokio::test]
async fn an_import_answers_what_the_function_does() {
    let body = serde_json::json!({ "export": "[]", "lang": "fr" });
    let response = call(Method::POST, "/v1/playground/import", body.to_string()).await;
    assert_eq!(response.status(), StatusCode::OK);
    let request = api::request(body.to_string().as_bytes()).expect("an import request");
    let direct = serde_json::to_value(api::import(&request)).expect("plain data");
    assert_eq!(json(response).await, direct);
}

#[tokio::test]
async fn a_request_that_is_not_one_is_refused_with_a_code() {
    let too_large = format!("{{\"export\": \"{}\"}}", "x".repeat(MAX_BODY));
    let cases = [
        (
            "/v1/playground/run",
            "not json".to_owned(),
            StatusCode::BAD_REQUEST,
            Code::InvalidValue,
        ),
        (
            "/v1/playground/run",
            "{\"files\": {}}".to_owned(),
            StatusCode::BAD_REQUEST,
            Code::InvalidValue,
        ),
        (
            "/v1/playground/import",
            "{\"lang\": \"fr\"}".to_owned(),
            StatusCode::BAD_REQUEST,
            Code::InvalidValue,
        ),
        (
            "/v1/playground/import",
            too_large,
            StatusCode::PAYLOAD_TOO_LARGE,
            Code::FileTooLarge,
        ),
    ];
    for (path, body, status, code) in cases {
        let response = call(Method::POST, path, body).await;
        assert_eq!(response.status(), status, "{path}");
        let answer = json(response).await;
        assert_eq!(answer["error"]["code"], code.as_str(), "{answer}");
        assert!(answer["error"]["message"].is_string(), "{answer}");
    }
    // Just under the limit is read (and is no export, which the answer says).
    let fits = format!("{{\"export\": \"{}\"}}", "x".repeat(MAX_BODY - 20));
    let response = call(Method::POST, "/v1/playground/import", fits).await;
    assert_eq!(response.status(), StatusCode::OK);
}
