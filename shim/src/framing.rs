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

/// Assembles frames from the chunks a buffered reader offers; shared by the async and sync readers.
struct Assembler {
    max: usize,
    buf: Vec<u8>,
    /// Length, head and tail of the frame being skipped for being over `max`.
    oversized: Option<(usize, Vec<u8>, Vec<u8>)>,
}

impl Assembler {
    fn new(max: usize) -> Assembler {
        Assembler {
            max,
            buf: Vec::new(),
            oversized: None,
        }
    }

    /// Takes bytes from `available` (never empty); returns how many it used and the frame they
    /// completed, if any.
    fn feed(&mut self, available: &[u8]) -> (usize, Option<Frame>) {
        let (chunk, done) = match available.iter().position(|&b| b == b'\n') {
            Some(i) => (&available[..i], Some(i + 1)),
            None => (available, None),
        };
        let chunk_len = chunk.len();
        match self.oversized.as_mut() {
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
                self.oversized = Some((len, head, tail));
            }
            None => self.buf.extend_from_slice(chunk),
        }
        match done {
            Some(used) => (used, Some(self.take())),
            None => (chunk_len, None),
        }
    }

    /// At end of stream: a partial last line, if any.
    fn finish(&mut self) -> Option<Frame> {
        if self.oversized.is_none() && self.buf.is_empty() {
            None
        } else {
            Some(self.take())
        }
    }

    fn take(&mut self) -> Frame {
        match self.oversized.take() {
            Some((len, head, tail)) => Frame::TooLong { len, head, tail },
            None => Frame::Line(trim_cr(std::mem::take(&mut self.buf))),
        }
    }
}

/// Reads newline-delimited frames from an async buffered reader, enforcing a maximum size.
pub struct LineReader<R> {
    inner: R,
    asm: Assembler,
}

impl<R: AsyncBufRead + Unpin> LineReader<R> {
    pub fn new(inner: R, max: usize) -> Self {
        LineReader {
            inner,
            asm: Assembler::new(max),
        }
    }

    /// The next frame, or `None` at end of stream. A partial last line at EOF is returned as a line.
    pub async fn next(&mut self) -> io::Result<Option<Frame>> {
        loop {
            let available = self.inner.fill_buf().await?;
            if available.is_empty() {
                return Ok(self.asm.finish());
            }
            let (used, frame) = self.asm.feed(available);
            self.inner.consume(used);
            if frame.is_some() {
                return Ok(frame);
            }
        }
    }
}

/// The same as [`LineReader`] over a blocking reader (for a dedicated thread).
pub struct SyncLineReader<R> {
    inner: R,
    asm: Assembler,
}

impl<R: std::io::BufRead> SyncLineReader<R> {
    pub fn new(inner: R, max: usize) -> Self {
        SyncLineReader {
            inner,
            asm: Assembler::new(max),
        }
    }

    pub fn next_frame(&mut self) -> io::Result<Option<Frame>> {
        loop {
            let available = self.inner.fill_buf()?;
            if available.is_empty() {
                return Ok(self.asm.finish());
            }
            let (used, frame) = self.asm.feed(available);
            self.inner.consume(used);
            if frame.is_some() {
                return Ok(frame);
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

/// Writes one frame (the bytes plus a newline, in one write when small) and flushes.
pub async fn write_frame<W: AsyncWrite + Unpin>(w: &mut W, frame: &[u8]) -> io::Result<()> {
    if frame.len() < 64 * 1024 {
        let mut line = Vec::with_capacity(frame.len() + 1);
        line.extend_from_slice(frame);
        line.push(b'\n');
        w.write_all(&line).await?;
    } else {
        w.write_all(frame).await?;
        w.write_all(b"\n").await?;
    }
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

    #[test]
    fn sync_reader_frames_the_same_way() {
        let input: &[u8] = b"a\r\n{\"id\":1,\"x\":\"0123456789\"}\nb";
        let mut r = SyncLineReader::new(std::io::BufReader::with_capacity(5, input), 10);
        assert!(matches!(r.next_frame().unwrap(), Some(Frame::Line(l)) if l == b"a"));
        assert!(matches!(
            r.next_frame().unwrap(),
            Some(Frame::TooLong { len: 25, .. })
        ));
        assert!(matches!(r.next_frame().unwrap(), Some(Frame::Line(l)) if l == b"b"));
        assert!(r.next_frame().unwrap().is_none());
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
