//! Secrets: password hashes (Argon2id) and API tokens, and the extractor that turns a
//! request's token into the [`Account`] behind it.
//!
//! A token is `pdl_<id>_<secret>`: the id names it (for `token revoke`), the secret is 32
//! random bytes. Only the SHA-256 of the whole token is stored; a high-entropy secret needs
//! no slow hash, and the look-up by hash reveals nothing about other tokens.

use argon2::Argon2;
use argon2::password_hash::phc::PasswordHash;
use argon2::password_hash::{PasswordHasher, PasswordVerifier};
use axum::extract::FromRequestParts;
use axum::http::header;
use axum::http::request::Parts;
use pendulum_core::Account;
use sha2::{Digest, Sha256};

use crate::{AppError, AppState};

/// Why a secret could not be made or checked.
#[derive(Debug, thiserror::Error)]
pub enum SecretError {
    #[error("the system's random source failed: {0}")]
    Random(String),
    #[error("cannot hash the password: {0}")]
    Hash(String),
}

/// The fewest characters a new password may have.
pub const MIN_PASSWORD_CHARS: usize = 12;
/// The most characters a new password may have: more protects nothing, and the sign-in
/// form, which is refused past 8 KiB, must still carry it percent-encoded.
pub const MAX_PASSWORD_CHARS: usize = 512;

/// A password an account may be given: of [`MIN_PASSWORD_CHARS`] to
/// [`MAX_PASSWORD_CHARS`] characters. It never shows in debug output.
pub struct NewPassword(String);

/// Why a password may not be given to an account.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PasswordError {
    #[error("the password must be at least {MIN_PASSWORD_CHARS} characters long")]
    TooShort,
    #[error("the password must be at most {MAX_PASSWORD_CHARS} characters long")]
    TooLong,
}

impl NewPassword {
    pub fn parse(raw: String) -> Result<Self, PasswordError> {
        match raw.chars().take(MAX_PASSWORD_CHARS + 1).count() {
            n if n < MIN_PASSWORD_CHARS => Err(PasswordError::TooShort),
            n if n > MAX_PASSWORD_CHARS => Err(PasswordError::TooLong),
            _ => Ok(Self(raw)),
        }
    }

    /// Its Argon2id hash; slow on purpose: call it off the async runtime.
    pub fn hash(&self) -> Result<String, SecretError> {
        hash_password(&self.0)
    }
}

impl std::fmt::Debug for NewPassword {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("NewPassword(<redacted>)")
    }
}

/// Hashes a password with Argon2id at its default cost (19 MiB, 2 passes: the OWASP
/// minimum) and a fresh salt. Slow on purpose: call it off the async runtime.
pub fn hash_password(password: &str) -> Result<String, SecretError> {
    Argon2::default()
        .hash_password(password.as_bytes())
        .map(|h| h.to_string())
        .map_err(|e| SecretError::Hash(e.to_string()))
}

/// Whether `password` matches a stored PHC string; a malformed hash matches nothing.
pub fn verify_password(password: &str, hash: &str) -> bool {
    PasswordHash::new(hash).is_ok_and(|parsed| {
        Argon2::default()
            .verify_password(password.as_bytes(), &parsed)
            .is_ok()
    })
}

/// A new API token: what to show the user once, its public id, and the hash to store.
#[derive(Debug)]
pub struct NewToken {
    pub token: String,
    pub id: String,
    pub hash: String,
}

pub fn new_token() -> Result<NewToken, SecretError> {
    let mut id = [0u8; 4];
    let mut secret = [0u8; 32];
    getrandom::fill(&mut id)
        .and_then(|()| getrandom::fill(&mut secret))
        .map_err(|e| SecretError::Random(e.to_string()))?;
    let id = hex::encode(id);
    let token = format!("pdl_{id}_{}", hex::encode(secret));
    let hash = token_hash(&token);
    Ok(NewToken { token, id, hash })
}

/// The stored form of a token.
pub fn token_hash(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

/// The account of a request's bearer token; requests without a valid one are refused.
#[derive(Debug, Clone)]
pub struct Authenticated(pub Account);

impl FromRequestParts<AppState> for Authenticated {
    type Rejection = AppError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let token = parts
            .headers
            .get(header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.strip_prefix("Bearer "))
            .map(str::trim)
            .filter(|t| !t.is_empty())
            .ok_or(AppError::Unauthenticated)?;
        let account = state.account_for_token(&token_hash(token)).await?;
        account.map(Authenticated).ok_or(AppError::Unauthenticated)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passwords_verify_against_their_hash_only() {
        let hash = hash_password("correct horse").unwrap();
        assert!(
            hash.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"),
            "{hash}"
        );
        assert!(verify_password("correct horse", &hash));
        assert!(!verify_password("correct horse!", &hash));
        assert!(!verify_password("correct horse", "not a hash"));
    }

    #[test]
    fn a_new_password_has_twelve_to_512_characters_and_stays_out_of_debug_output() {
        let parse = |raw: &str| NewPassword::parse(raw.to_owned());
        assert_eq!(parse("eleven char").unwrap_err(), PasswordError::TooShort);
        let twelve = parse("twelve chars").unwrap();
        assert!(!format!("{twelve:?}").contains("twelve"));
        assert!(parse(&"é".repeat(512)).is_ok());
        assert_eq!(
            parse(&"é".repeat(513)).unwrap_err().to_string(),
            "the password must be at most 512 characters long"
        );
    }

    #[test]
    fn tokens_are_random_and_stored_as_a_hash() {
        let a = new_token().unwrap();
        let b = new_token().unwrap();
        assert_ne!(a.token, b.token);
        assert!(a.token.starts_with(&format!("pdl_{}_", a.id)));
        assert_eq!(a.hash, token_hash(&a.token));
        assert!(!a.hash.contains(&a.token[9..]));
    }
}
