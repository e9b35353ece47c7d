//! The security headers of every answer, the site's pages and the API's alike: the one
//! definition that `zhibu serve` sends and that `deploy/template.yaml`'s CloudFront response
//! headers policy repeats (`functions/tests/suite/deploy_template.rs` checks that the two agree).

use axum::http::header::{self, HeaderMap, HeaderName, HeaderValue};

/// Only the site's own scripts, styles, images and API: no inline script or style (the theme
/// has none; `zhibu serve`'s live reload is a file too), no plugins, no other origin, and never
/// inside a frame. `blob:` images are the photo previews the upload form makes in the browser.
pub const CONTENT_SECURITY_POLICY: &str = "default-src 'self'; script-src 'self'; style-src 'self'; \
     img-src 'self' blob:; connect-src 'self'; object-src 'none'; base-uri 'self'; \
     form-action 'self'; frame-ancestors 'none'";
/// Answers are what their `Content-Type` says, never sniffed into HTML or script.
pub const CONTENT_TYPE_OPTIONS: &str = "nosniff";
/// `frame-ancestors 'none'` for browsers too old for CSP (older in-app browsers).
pub const FRAME_OPTIONS: &str = "DENY";
/// Other sites learn the origin at most, never a page's path or query.
pub const REFERRER_POLICY: &str = "strict-origin-when-cross-origin";
/// Location for the sign-in form on the site's own pages; no camera, microphone or payment
/// APIs anywhere (the photo form uses a file input, which needs none).
pub const PERMISSIONS_POLICY: &str = "camera=(), microphone=(), payment=(), usb=(), geolocation=(self)";
/// HTTPS only, for a year, subdomains included: production (CloudFront) only. `zhibu serve`
/// answers plain HTTP on a local origin, where a browser ignores it anyway and where pinning
/// `localhost` to HTTPS would break every other local server.
pub const STRICT_TRANSPORT_SECURITY: &str = "max-age=31536000; includeSubDomains";
/// The HSTS `max-age` above in seconds (CloudFront's policy takes the number).
pub const HSTS_MAX_AGE_SECS: u64 = 31_536_000;

/// Adds every security header an answer does not set itself; `https` adds HSTS.
pub fn add_to(headers: &mut HeaderMap, https: bool) {
    let mut set = |name: HeaderName, value: &'static str| {
        headers.entry(name).or_insert(HeaderValue::from_static(value));
    };
    set(header::CONTENT_SECURITY_POLICY, CONTENT_SECURITY_POLICY);
    set(header::X_CONTENT_TYPE_OPTIONS, CONTENT_TYPE_OPTIONS);
    set(header::X_FRAME_OPTIONS, FRAME_OPTIONS);
    set(header::REFERRER_POLICY, REFERRER_POLICY);
    set(HeaderName::from_static("permissions-policy"), PERMISSIONS_POLICY);
    if https {
        set(header::STRICT_TRANSPORT_SECURITY, STRICT_TRANSPORT_SECURITY);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_answer_gets_every_header_and_keeps_its_own() {
        let mut h = HeaderMap::new();
        h.insert(header::REFERRER_POLICY, HeaderValue::from_static("no-referrer"));
        add_to(&mut h, false);
        assert_eq!(h[header::CONTENT_SECURITY_POLICY], CONTENT_SECURITY_POLICY);
        assert!(CONTENT_SECURITY_POLICY.contains("frame-ancestors 'none'"));
        assert!(!CONTENT_SECURITY_POLICY.contains("unsafe-inline"));
        assert_eq!(h[header::X_CONTENT_TYPE_OPTIONS], "nosniff");
        assert_eq!(h[header::REFERRER_POLICY], "no-referrer", "an answer's own value stays");
        assert!(!h.contains_key(header::STRICT_TRANSPORT_SECURITY), "no HSTS over plain HTTP");
        add_to(&mut h, true);
        assert_eq!(
            h[header::STRICT_TRANSPORT_SECURITY],
            format!("max-age={HSTS_MAX_AGE_SECS}; includeSubDomains")
        );
    }
}
