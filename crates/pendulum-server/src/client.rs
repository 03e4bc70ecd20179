//! Which client a request comes from, for the sign-in rate limit.
//!
//! Behind a reverse proxy every connection comes from the proxy, so a limit keyed on the
//! connection's address alone makes one client's attempts everyone's. `X-Forwarded-For`
//! names the client, but anyone can send it: it is believed only when the connection comes
//! from a proxy the operator trusts, and then only as far as trusted proxies wrote it. The
//! list is read from the right (each proxy appends the address it was reached from), and
//! the first address that is not a trusted proxy is the client. A hop that is not an
//! address makes the whole header untrustworthy, and the connection's address is used.
//!
//! An IPv6 client usually holds a whole /64, and could take a fresh address for every
//! attempt: it is keyed by its /64.

use std::fmt;
use std::net::{IpAddr, Ipv6Addr, SocketAddr};
use std::str::FromStr;

use axum::extract::{ConnectInfo, FromRequestParts};
use axum::http::HeaderMap;
use axum::http::request::Parts;
use ipnet::IpNet;

use crate::{AppError, AppState};

/// The proxies whose `X-Forwarded-For` is believed; none by default.
#[derive(Debug, Clone, Default)]
pub struct TrustedProxies(Vec<IpNet>);

impl TrustedProxies {
    pub fn new(ranges: impl IntoIterator<Item = ProxyRange>) -> Self {
        Self(ranges.into_iter().map(|r| r.0).collect())
    }

    fn contains(&self, ip: IpAddr) -> bool {
        self.0.iter().any(|net| net.contains(&ip))
    }

    /// The address of the client behind a connection from `peer`.
    pub fn client_address(&self, peer: IpAddr, headers: &HeaderMap) -> IpAddr {
        let peer = peer.to_canonical();
        if !self.contains(peer) {
            return peer;
        }
        let mut hops = Vec::new();
        for value in headers.get_all("x-forwarded-for") {
            let Ok(text) = value.to_str() else {
                return peer;
            };
            hops.extend(text.split(','));
        }
        // When every hop is a trusted proxy, the left-most is as near the client as the
        // header goes.
        let mut client = peer;
        for hop in hops.iter().rev() {
            let Ok(ip) = hop.trim().parse::<IpAddr>() else {
                return peer;
            };
            client = ip.to_canonical();
            if !self.contains(client) {
                break;
            }
        }
        client
    }
}

/// An address range of trusted proxies: `ADDRESS/PREFIX`, or one address.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ProxyRange(IpNet);

/// Why text is not a [`ProxyRange`].
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "{0:?} is not an address range; expected ADDRESS/PREFIX (such as 10.0.0.0/8 or fd00::/8) or one address"
)]
pub struct ProxyRangeError(String);

impl FromStr for ProxyRange {
    type Err = ProxyRangeError;

    fn from_str(raw: &str) -> Result<Self, Self::Err> {
        let raw = raw.trim();
        raw.parse::<IpNet>()
            .or_else(|_| raw.parse::<IpAddr>().map(IpNet::from))
            .map(|net| Self(net.trunc()))
            .map_err(|_| ProxyRangeError(raw.chars().take(64).collect()))
    }
}

impl fmt::Display for ProxyRange {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

/// What the sign-in rate limit counts attempts by: an IPv4 address, or an IPv6 /64.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) struct ClientKey(IpAddr);

impl ClientKey {
    pub(crate) fn of(ip: IpAddr) -> Self {
        match ip.to_canonical() {
            IpAddr::V4(v4) => Self(IpAddr::V4(v4)),
            IpAddr::V6(v6) => {
                let prefix = u128::from(v6) & (u128::MAX << 64);
                Self(IpAddr::V6(Ipv6Addr::from(prefix)))
            }
        }
    }
}

impl fmt::Display for ClientKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.0 {
            IpAddr::V4(v4) => v4.fmt(f),
            IpAddr::V6(v6) => write!(f, "{v6}/64"),
        }
    }
}

impl FromRequestParts<AppState> for ClientKey {
    type Rejection = AppError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let ConnectInfo(peer) = parts
            .extensions
            .get::<ConnectInfo<SocketAddr>>()
            .ok_or_else(|| {
                AppError::Internal("the server was started without connection addresses".into())
            })?;
        let client = state
            .trusted_proxies()
            .client_address(peer.ip(), &parts.headers);
        Ok(Self::of(client))
    }
}

#[cfg(test)]
mod tests {
    use axum::http::HeaderValue;

    use super::*;

    fn proxies(ranges: &[&str]) -> TrustedProxies {
        TrustedProxies::new(ranges.iter().map(|r| r.parse().unwrap()))
    }

    /// (trusted ranges, peer, X-Forwarded-For headers, the rate-limit key expected)
    #[test]
    fn the_client_is_the_right_most_untrusted_hop_of_a_trusted_peer() {
        let table: &[(&[&str], &str, &[&str], &str)] = &[
            // No trusted proxy: the header is the client's word and is ignored.
            (&[], "203.0.113.9", &["198.51.100.1"], "203.0.113.9"),
            (
                &["10.0.0.0/8"],
                "203.0.113.9",
                &["198.51.100.1"],
                "203.0.113.9",
            ),
            // A trusted peer: the right-most hop that is not a trusted proxy.
            (
                &["10.0.0.0/8"],
                "10.0.0.2",
                &["198.51.100.1"],
                "198.51.100.1",
            ),
            (
                &["10.0.0.0/8"],
                "10.0.0.2",
                &["1.1.1.1, 198.51.100.1, 10.0.0.7"],
                "198.51.100.1",
            ),
            // Several headers read as one list, in order.
            (
                &["10.0.0.0/8"],
                "10.0.0.2",
                &["1.1.1.1", "198.51.100.1, 10.0.0.7"],
                "198.51.100.1",
            ),
            // A client cannot hide behind a hop it wrote left of the real one.
            (
                &["10.0.0.0/8"],
                "10.0.0.2",
                &["10.9.9.9, 198.51.100.1"],
                "198.51.100.1",
            ),
            // Every hop trusted: the left-most.
            (
                &["10.0.0.0/8"],
                "10.0.0.2",
                &["10.0.0.5, 10.0.0.7"],
                "10.0.0.5",
            ),
            // No header, or garbage on the way: the peer.
            (&["10.0.0.0/8"], "10.0.0.2", &[], "10.0.0.2"),
            (
                &["10.0.0.0/8"],
                "10.0.0.2",
                &["1.1.1.1, nonsense"],
                "10.0.0.2",
            ),
            (&["10.0.0.0/8"], "10.0.0.2", &["1.1.1.1:443"], "10.0.0.2"),
            (&["10.0.0.0/8"], "10.0.0.2", &[""], "10.0.0.2"),
            // Garbage left of the client is never read.
            (
                &["10.0.0.0/8"],
                "10.0.0.2",
                &["nonsense, 1.1.1.1"],
                "1.1.1.1",
            ),
            // IPv6 clients by their /64; IPv4 peers seen through an IPv6 socket as IPv4.
            (
                &["::1"],
                "::1",
                &["2001:db8:1:2:aaaa::1"],
                "2001:db8:1:2::/64",
            ),
            (&["127.0.0.1"], "::ffff:127.0.0.1", &["1.2.3.4"], "1.2.3.4"),
            (&[], "2001:db8::1", &[], "2001:db8::/64"),
        ];
        for (trusted, peer, forwarded, expected) in table {
            let mut headers = HeaderMap::new();
            for value in *forwarded {
                headers.append("x-forwarded-for", HeaderValue::from_str(value).unwrap());
            }
            let client = proxies(trusted).client_address(peer.parse().unwrap(), &headers);
            assert_eq!(
                ClientKey::of(client).to_string(),
                *expected,
                "trusted {trusted:?}, peer {peer}, forwarded {forwarded:?}"
            );
        }
    }

    #[test]
    fn proxy_ranges_are_ranges_or_single_addresses() {
        for (raw, shown) in [
            ("10.0.0.0/8", "10.0.0.0/8"),
            (" 10.1.2.3/8 ", "10.0.0.0/8"),
            ("127.0.0.1", "127.0.0.1/32"),
            ("fd00::/8", "fd00::/8"),
            ("::1", "::1/128"),
        ] {
            assert_eq!(raw.parse::<ProxyRange>().unwrap().to_string(), shown);
        }
        for bad in ["", "10.0.0.0/33", "proxy.local", "10.0.0/8"] {
            let err = bad.parse::<ProxyRange>().unwrap_err();
            assert!(err.to_string().contains("ADDRESS/PREFIX"), "{bad:?}: {err}");
        }
    }
}
