//! [`ServerKey`]: a stable hash of what makes a server process, so identical definitions share one.

use std::fmt;

use super::resolve::ResolvedServer;

/// Identity of a server process: a 64-bit FNV-1a hash (16 hex digits) over transport, command,
/// args, cwd, env (sorted), url and headers (sorted). Two definitions with the same key are served
/// by one shared child, whatever their names or the file they come from. Stable across runs.
#[derive(Clone, PartialEq, Eq, Hash, Debug, PartialOrd, Ord)]
pub struct ServerKey(String);

impl ServerKey {
    /// The hex digits.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for ServerKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl ResolvedServer {
    /// The identity of the process this definition runs; see [`ServerKey`].
    pub fn key(&self) -> ServerKey {
        let mut hash = Fnv1a::new();
        hash.field(b't', self.transport.as_str());
        hash.field(b'c', &self.command);
        hash.count(self.args.len());
        for arg in &self.args {
            hash.field(b'a', arg);
        }
        hash.field(b'd', &self.cwd.to_string_lossy());
        hash.pairs(b'e', self.env.iter());
        hash.field(b'u', self.url.as_deref().unwrap_or(""));
        hash.pairs(b'h', self.headers.iter());
        ServerKey(format!("{:016x}", hash.finish()))
    }
}

/// 64-bit FNV-1a, fed with tagged, length-prefixed fields so that no two inputs run together.
struct Fnv1a(u64);

impl Fnv1a {
    const OFFSET: u64 = 0xcbf2_9ce4_8422_2325;
    const PRIME: u64 = 0x0000_0100_0000_01b3;

    fn new() -> Self {
        Fnv1a(Self::OFFSET)
    }

    fn bytes(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 ^= u64::from(b);
            self.0 = self.0.wrapping_mul(Self::PRIME);
        }
    }

    fn count(&mut self, n: usize) {
        self.bytes(&(n as u64).to_le_bytes());
    }

    fn field(&mut self, tag: u8, value: &str) {
        self.bytes(&[tag]);
        self.count(value.len());
        self.bytes(value.as_bytes());
    }

    /// Key/value pairs in sorted order, so that the order they were written in does not matter.
    fn pairs<'a>(&mut self, tag: u8, pairs: impl Iterator<Item = (&'a String, &'a String)>) {
        let mut sorted: Vec<_> = pairs.collect();
        sorted.sort();
        self.count(sorted.len());
        for (k, v) in sorted {
            self.field(tag, k);
            self.field(tag, v);
        }
    }

    fn finish(&self) -> u64 {
        self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fnv1a_matches_reference_values() {
        let hash = |s: &str| {
            let mut h = Fnv1a::new();
            h.bytes(s.as_bytes());
            h.finish()
        };
        assert_eq!(hash(""), 0xcbf2_9ce4_8422_2325);
        assert_eq!(hash("a"), 0xaf63_dc4c_8601_ec8c);
        assert_eq!(hash("foobar"), 0x8594_4171_f739_67e8);
    }
}
