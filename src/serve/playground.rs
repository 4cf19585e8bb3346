//! The playground page at `/`: rules and an event pasted into a browser, run by this
//! server. Its routes are merged into the service by [`super::app`].

/// The playground's routes; generic over the service's state so that it merges into any
/// router.
pub fn router<S: Clone + Send + Sync + 'static>() -> axum::Router<S> {
    axum::Router::new()
}
