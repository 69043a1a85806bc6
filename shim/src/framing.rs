//! Newline-delimited frames with a size limit: reading never buffers more than the limit, and an
//! oversized frame is reported once (with its size and a glimpse of its edges) and skipped.

use std::io;
use tokio::io::{AsyncBufRead, AsyncBufReadExt, AsyncWrite, AsyncWriteExt};

/// Default largest frame: 64 MiB.
pub const DEFAULT_MAX_FRAME: usize = 64 * 1024 * 1024;

/// How many bytes of an oversized frame's start and end are kept for diagnostics.
const EDGE: usize = 512;

/// One read from a [`LineReader`].
#[derive(Debug)]
pub enum Frame {
    /// A complete line without its trailing newline (a trailing `\r` is removed too).
    Line(Vec<u8>),
    /// A line longer than the limit, skipped. `head`/`tail` hold its first and last bytes, so the
    /// caller can still find a request id in it.
    TooLong {
        len: usize,
        head: Vec<u8>,
        tail: Vec<u8>,
    },
}

/// Reads newline-delimited frames from a buffered reader, enforcing a maximum size.
pub struct LineReader<R> {
    inner: R,
    max: usize,
    buf: Vec<u8>,
}

impl<R: AsyncBufRead + Unpin> LineReader<R> {
    pub fn new(inner: R, max: usize) -> Self {
        LineReader {
            inner,
            max,
            buf: Vec::new(),
        }
    }

    /// The next frame, or `None` at end of stream. A partial last line at EOF is returned as a line.
    pub async fn next(&mut self) -> io::Result<Option<Frame>> {
        self.buf.clear();
        let mut oversized: Option<(usize, Vec<u8>, Vec<u8>)> = None;
        loop {
            let available = self.inner.fill_buf().await?;
            if available.is_empty() {
                return Ok(match oversized {
                    Some((len, head, tail)) => Some(Frame::TooLong { len, head, tail }),
                    None if self.buf.is_empty() => None,
                    None => Some(Frame::Line(trim_cr(std::mem::take(&mut self.buf)))),
                });
            }
            let (chunk, done) = match available.iter().position(|&b| b == b'\n') {
                Some(i) => (&available[..i], Some(i + 1)),
                None => (available, None),
            };
            let chunk_len = chunk.len();
            match oversized.as_mut() {
                Some((len, _, tail)) => {
                    *len += chunk_len;
                    keep_tail(tail, chunk);
                }
                None if self.buf.len() + chunk_len > self.max => {
                    let mut head = std::mem::take(&mut self.buf);
                    let len = head.len() + chunk_len;
                    let mut tail = head.clone();
                    keep_tail(&mut tail, chunk);
                    head.extend_from_slice(&chunk[..chunk_len.min(EDGE)]);
                    head.truncate(EDGE);
                    oversized = Some((len, head, tail));
                }
                None => self.buf.extend_from_slice(chunk),
            }
            let consumed = done.unwrap_or(chunk_len);
            self.inner.consume(consumed);
            if done.is_some() {
                return Ok(Some(match oversized {
                    Some((len, head, tail)) => Frame::TooLong { len, head, tail },
                    None => Frame::Line(trim_cr(std::mem::take(&mut self.buf))),
                }));
            }
        }
    }
}

fn keep_tail(tail: &mut Vec<u8>, chunk: &[u8]) {
    tail.extend_from_slice(&chunk[chunk.len().saturating_sub(EDGE)..]);
    if tail.len() > EDGE {
        tail.drain(..tail.len() - EDGE);
    }
}

fn trim_cr(mut line: Vec<u8>) -> Vec<u8> {
    if line.last() == Some(&b'\r') {
        line.pop();
    }
    line
}

/// Writes one frame (the bytes plus a newline) and flushes.
pub async fn write_frame<W: AsyncWrite + Unpin>(w: &mut W, frame: &[u8]) -> io::Result<()> {
    w.write_all(frame).await?;
    w.write_all(b"\n").await?;
    w.flush().await
}

#[cfg(test)]
mod tests {
    use super::*;

    async fn frames(input: &[u8], max: usize) -> Vec<Frame> {
        let reader = tokio::io::BufReader::with_capacity(7, input);
        let mut lines = LineReader::new(reader, max);
        let mut out = Vec::new();
        while let Some(f) = lines.next().await.unwrap() {
            out.push(f);
        }
        out
    }

    #[tokio::test]
    async fn splits_lines_and_strips_cr() {
        let out = frames(b"{\"a\":1}\r\n\n{\"b\":2}", 100).await;
        let lines: Vec<_> = out
            .into_iter()
            .map(|f| match f {
                Frame::Line(l) => String::from_utf8(l).unwrap(),
                other => panic!("{other:?}"),
            })
            .collect();
        assert_eq!(lines, vec![r#"{"a":1}"#, "", r#"{"b":2}"#]);
    }

    #[tokio::test]
    async fn oversized_line_is_reported_then_skipped() {
        let mut input = b"ok\n{\"id\":7,".to_vec();
        input.extend(std::iter::repeat_n(b'x', 3000));
        input.extend(b"\"end\":1}\nnext\n");
        let out = frames(&input, 100).await;
        assert_eq!(out.len(), 3);
        match &out[1] {
            Frame::TooLong { len, head, tail } => {
                assert_eq!(*len, 3000 + 16);
                assert!(head.starts_with(b"{\"id\":7,"));
                assert!(tail.ends_with(b"\"end\":1}"));
                assert!(head.len() <= EDGE && tail.len() <= EDGE);
            }
            other => panic!("{other:?}"),
        }
        assert!(matches!(&out[2], Frame::Line(l) if l == b"next"));
    }
}
