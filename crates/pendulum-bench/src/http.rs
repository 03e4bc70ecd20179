//! A keep-alive HTTP/1.1 client of our own for the load generators, so that the benchmarks
//! need nothing installed: plain sockets, one request at a time per connection, answers read
//! whole by their `Content-Length` (how the server sends every body).

use std::net::SocketAddr;

use anyhow::{Result, anyhow, bail};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

/// One keep-alive HTTP/1.1 connection that reads answers with a `Content-Length`, which is
/// how the server sends every JSON body.
#[derive(Debug)]
pub struct Connection {
    stream: TcpStream,
    buffer: Vec<u8>,
}

impl Connection {
    pub async fn open(addr: SocketAddr) -> std::io::Result<Self> {
        let stream = TcpStream::connect(addr).await?;
        stream.set_nodelay(true)?;
        Ok(Self {
            stream,
            buffer: Vec::with_capacity(64 * 1024),
        })
    }

    /// Sends a request and reads its whole answer; returns the status code.
    pub async fn send(&mut self, request: &[u8]) -> Result<u16> {
        self.stream.write_all(request).await?;
        self.buffer.clear();
        let (head, length) = loop {
            if let Some(end) = self.buffer.windows(4).position(|w| w == b"\r\n\r\n") {
                break (end + 4, content_length(&self.buffer[..end])?);
            }
            self.fill().await?;
        };
        while self.buffer.len() < head + length {
            self.fill().await?;
        }
        let status = std::str::from_utf8(self.buffer.get(9..12).unwrap_or_default())?.parse()?;
        Ok(status)
    }

    /// The whole of the last answer read, head and body.
    pub fn answer(&self) -> &[u8] {
        &self.buffer
    }

    async fn fill(&mut self) -> Result<()> {
        self.buffer.reserve(16 * 1024);
        if self.stream.read_buf(&mut self.buffer).await? == 0 {
            bail!("the server closed the connection");
        }
        Ok(())
    }
}

fn content_length(head: &[u8]) -> Result<usize> {
    let head = std::str::from_utf8(head)?;
    head.lines()
        .find_map(|line| {
            let (name, value) = line.split_once(':')?;
            name.eq_ignore_ascii_case("content-length")
                .then(|| value.trim().parse().ok())?
        })
        .ok_or_else(|| anyhow!("an answer without Content-Length: {head}"))
}
