//! Access codes (argon2id, slow on purpose) and session tokens (HMAC-SHA256 signed, expiring,
//! carrying the member id and role; the JWT HS256 format, so any JWT tool can read them).

use argon2::Argon2;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD as B64;
use hmac::{Hmac, Mac};
use rand::Rng as _;
use serde::{Deserialize, Serialize};
use sha2::Sha256;

use crate::domain::{MemberId, Role};

/// How long a member's session lasts.
pub const TOKEN_DAYS: i64 = 7;
/// How long an admin's session lasts: a stolen admin token is worth more, so it lives shorter.
pub const ADMIN_TOKEN_HOURS: i64 = 12;

/// How long a session of this role lasts.
pub fn session_lifetime(role: Role) -> chrono::Duration {
    match role {
        Role::Admin | Role::Committee => chrono::Duration::hours(ADMIN_TOKEN_HOURS),
        Role::Member => chrono::Duration::days(TOKEN_DAYS),
    }
}

/// At most this many access codes are checked at once in one process: each argon2id check
/// takes about 19 MiB and a core's worth of time, so a flood of logins must queue here instead
/// of exhausting the machine.
pub const MAX_CONCURRENT_VERIFICATIONS: usize = 2;
/// How long a login waits for a free verification slot before it is told to come back.
pub const VERIFICATION_QUEUE_MS: u64 = 2_000;

/// A new set of verification slots (one per [`crate::http::AppState`], so per process).
pub fn new_verification_slots() -> std::sync::Arc<tokio::sync::Semaphore> {
    std::sync::Arc::new(tokio::sync::Semaphore::new(MAX_CONCURRENT_VERIFICATIONS))
}

/// Letters and digits that cannot be mistaken for one another when read aloud or copied from
/// paper (no 0/O, 1/I/L).
const CODE_ALPHABET: &[u8] = b"23456789ABCDEFGHJKMNPQRSTUVWXYZ";
pub const CODE_LEN: usize = 10;

/// A fresh personal access code, e.g. `K7MQ4RXH2D`.
pub fn new_access_code() -> String {
    let mut rng = rand::rng();
    (0..CODE_LEN).map(|_| CODE_ALPHABET[rng.random_range(0..CODE_ALPHABET.len())] as char).collect()
}

/// Codes are typed on phones: ignore case, spaces and dashes.
pub fn normalize_code(code: &str) -> String {
    code.chars().filter(|c| !c.is_whitespace() && *c != '-').collect::<String>().to_ascii_uppercase()
}

pub fn hash_code(code: &str) -> anyhow::Result<String> {
    let salt = SaltString::generate(&mut argon2::password_hash::rand_core::OsRng);
    Argon2::default()
        .hash_password(normalize_code(code).as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|e| anyhow::anyhow!("hashing an access code: {e}"))
}

pub fn verify_code(code: &str, hash: &str) -> bool {
    PasswordHash::new(hash)
        .map(|parsed| Argon2::default().verify_password(normalize_code(code).as_bytes(), &parsed).is_ok())
        .unwrap_or(false)
}

/// A hash to verify against when the member does not exist, so a wrong id takes as long as a
/// wrong code and the two cannot be told apart.
pub fn decoy_hash() -> &'static str {
    static DECOY: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    DECOY.get_or_init(|| hash_code("DECOYCODE0").unwrap_or_default())
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Claims {
    pub sub: MemberId,
    pub role: Role,
    pub iat: i64,
    pub exp: i64,
    /// The member's session generation when the token was made; a token whose generation is no
    /// longer the member's is refused (the session was ended). Tokens made before generations
    /// existed carry none and match generation 0.
    #[serde(default)]
    pub sgen: i64,
}

/// The signing key (`ZHIBU_TOKEN_SECRET`).
#[derive(Clone)]
pub struct TokenKey(Vec<u8>);

impl TokenKey {
    pub fn new(secret: &[u8]) -> anyhow::Result<TokenKey> {
        anyhow::ensure!(secret.len() >= 32, "the token secret must be at least 32 bytes");
        Ok(TokenKey(secret.to_vec()))
    }

    /// A random secret, hex-encoded, for `zhibu serve` to make and keep.
    pub fn generate_secret() -> String {
        let bytes: [u8; 32] = rand::rng().random();
        bytes.iter().map(|b| format!("{b:02x}")).collect()
    }

    fn mac(&self, data: &[u8]) -> Vec<u8> {
        let mut mac = Hmac::<Sha256>::new_from_slice(&self.0).expect("HMAC takes keys of any size");
        mac.update(data);
        mac.finalize().into_bytes().to_vec()
    }

    pub fn sign(&self, claims: &Claims) -> String {
        let header = B64.encode(br#"{"alg":"HS256","typ":"JWT"}"#);
        let payload = B64.encode(serde_json::to_vec(claims).expect("claims serialize"));
        let signing_input = format!("{header}.{payload}");
        let signature = B64.encode(self.mac(signing_input.as_bytes()));
        format!("{signing_input}.{signature}")
    }

    /// The claims of a token signed with this key and not expired at `now` (unix seconds).
    pub fn verify(&self, token: &str, now: i64) -> Option<Claims> {
        let mut parts = token.split('.');
        let (header, payload, signature) = (parts.next()?, parts.next()?, parts.next()?);
        if parts.next().is_some() {
            return None;
        }
        let given = B64.decode(signature).ok()?;
        let mut mac = Hmac::<Sha256>::new_from_slice(&self.0).ok()?;
        mac.update(format!("{header}.{payload}").as_bytes());
        mac.verify_slice(&given).ok()?;
        let claims: Claims = serde_json::from_slice(&B64.decode(payload).ok()?).ok()?;
        (claims.exp > now).then_some(claims)
    }

    /// A signature for a short-lived URL (photos: an `<img>` cannot send a bearer token).
    pub fn sign_url(&self, path: &str, expires: i64) -> String {
        B64.encode(&self.mac(format!("url:{path}:{expires}").as_bytes())[..20])
    }

    pub fn verify_url(&self, path: &str, expires: i64, signature: &str, now: i64) -> bool {
        if expires <= now {
            return false;
        }
        let expected = self.sign_url(path, expires);
        // Constant-time comparison.
        expected.len() == signature.len()
            && expected.bytes().zip(signature.bytes()).fold(0u8, |acc, (a, b)| acc | (a ^ b)) == 0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key() -> TokenKey {
        TokenKey::new(&[7u8; 32]).unwrap()
    }

    fn claims(exp: i64) -> Claims {
        Claims { sub: MemberId::parse("m001").unwrap(), role: Role::Member, iat: 0, exp, sgen: 0 }
    }

    #[test]
    fn codes_verify_ignoring_case_and_dashes() {
        let code = new_access_code();
        assert_eq!(code.len(), CODE_LEN);
        let hash = hash_code(&code).unwrap();
        assert!(hash.starts_with("$argon2id$"));
        assert!(verify_code(&code.to_lowercase(), &hash));
        assert!(verify_code(&format!("{}-{}", &code[..5], &code[5..]), &hash));
        assert!(!verify_code("WRONGCODE2", &hash));
        assert!(!verify_code(&code, "not a hash"));
    }

    #[test]
    fn tokens_verify_until_they_expire() {
        let token = key().sign(&claims(100));
        assert_eq!(key().verify(&token, 99), Some(claims(100)));
        assert_eq!(key().verify(&token, 100), None);
    }

    #[test]
    fn tampered_or_foreign_tokens_are_refused() {
        let token = key().sign(&claims(100));
        let admin = B64.encode(br#"{"sub":"m001","role":"admin","iat":0,"exp":100}"#);
        let parts: Vec<&str> = token.split('.').collect();
        let forged = format!("{}.{}.{}", parts[0], admin, parts[2]);
        assert_eq!(key().verify(&forged, 1), None);
        let other = TokenKey::new(&[8u8; 32]).unwrap();
        assert_eq!(other.verify(&token, 1), None);
        assert_eq!(key().verify("garbage", 1), None);
        assert!(TokenKey::new(b"short").is_err());
    }

    #[test]
    fn url_signatures_expire_and_bind_the_path() {
        let k = key();
        let sig = k.sign_url("/api/photos/a.jpg", 200);
        assert!(k.verify_url("/api/photos/a.jpg", 200, &sig, 100));
        assert!(!k.verify_url("/api/photos/a.jpg", 200, &sig, 200));
        assert!(!k.verify_url("/api/photos/b.jpg", 200, &sig, 100));
        assert!(!k.verify_url("/api/photos/a.jpg", 300, &sig, 100));
    }
}
