//! A connection to the daemon: hello, then one request at a time, with notifications (progress)
//! handed to a callback while waiting. Used by the CLI.

use crate::framing::{DEFAULT_MAX_FRAME, Frame, LineReader, write_frame};
use crate::jsonrpc::{self, Envelope, Kind, RpcError};
use crate::paths::Paths;
use crate::wire::{Hello, HelloReply, PROTOCOL, method};
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::value::RawValue;
use std::io;
use tokio::io::BufReader;
use tokio::net::UnixStream;
use tokio::net::unix::{OwnedReadHalf, OwnedWriteHalf};

#[derive(Debug, thiserror::Error)]
pub enum ClientError {
    /// Nothing listens on the socket (or the socket does not exist).
    #[error("mcpd is not running (no daemon at {path}): {source}")]
    NotRunning { path: String, source: io::Error },
    #[error("connection to mcpd failed: {0}")]
    Io(#[from] io::Error),
    #[error("{0}")]
    Rpc(RpcError),
    #[error("mcpd answered something unexpected: {0}")]
    Protocol(String),
    #[error(
        "mcpd closed the connection before answering (the daemon stopped or crashed; see its log)"
    )]
    Closed,
    #[error("{0}")]
    Start(String),
    /// Something accepts connections on the socket but does not answer the hello.
    #[error(
        "the mcpd daemon at {path} accepted the connection but did not answer within {} s; it may be hung: see its log ({log}), end it (its pid is in {pid_file}) and the next call starts a fresh one",
        HELLO_TIMEOUT.as_secs()
    )]
    NoAnswer {
        path: String,
        log: String,
        pid_file: String,
    },
}

/// How long a daemon may take to answer the hello (a healthy one answers in milliseconds).
pub const HELLO_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(5);

/// A connected, greeted client.
pub struct Client {
    reader: LineReader<BufReader<OwnedReadHalf>>,
    writer: OwnedWriteHalf,
    next_id: u64,
    pub daemon: HelloReply,
}

impl Client {
    /// Connects to the socket and exchanges hellos.
    pub async fn connect(paths: &Paths, hello: &Hello) -> Result<Client, ClientError> {
        let path = paths.socket();
        let stream =
            UnixStream::connect(&path)
                .await
                .map_err(|source| ClientError::NotRunning {
                    path: path.display().to_string(),
                    source,
                })?;
        let (r, w) = stream.into_split();
        let mut client = Client {
            reader: LineReader::new(BufReader::with_capacity(64 * 1024, r), DEFAULT_MAX_FRAME),
            writer: w,
            next_id: 0,
            daemon: HelloReply {
                protocol: 0,
                version: String::new(),
                pid: 0,
            },
        };
        let reply: HelloReply =
            match tokio::time::timeout(HELLO_TIMEOUT, client.request(method::HELLO, hello)).await {
                Ok(reply) => reply?,
                Err(_) => {
                    return Err(ClientError::NoAnswer {
                        path: path.display().to_string(),
                        log: paths.daemon_log().display().to_string(),
                        pid_file: paths.pid_file().display().to_string(),
                    });
                }
            };
        if reply.protocol != PROTOCOL {
            return Err(ClientError::Protocol(format!(
                "daemon {} (pid {}) speaks protocol {}, this mcpd speaks {PROTOCOL}: run `mcpd stop` and retry",
                reply.version, reply.pid, reply.protocol
            )));
        }
        client.daemon = reply;
        Ok(client)
    }

    /// The greeted connection's two halves, for a caller that multiplexes requests itself.
    pub fn into_parts(self) -> (LineReader<BufReader<OwnedReadHalf>>, OwnedWriteHalf) {
        (self.reader, self.writer)
    }

    /// Sends a request and decodes its result.
    pub async fn request<T: DeserializeOwned>(
        &mut self,
        method: &str,
        params: &impl Serialize,
    ) -> Result<T, ClientError> {
        let raw = self.request_raw(method, params, |_, _| {}).await?;
        serde_json::from_str(raw.get()).map_err(|e| ClientError::Protocol(format!("{method}: {e}")))
    }

    /// Sends a request and returns its raw result; notifications that arrive meanwhile go to `on_note`.
    pub async fn request_raw(
        &mut self,
        method: &str,
        params: &impl Serialize,
        mut on_note: impl FnMut(&str, Option<&RawValue>),
    ) -> Result<Box<RawValue>, ClientError> {
        self.next_id += 1;
        let id = self.next_id.to_string();
        let params =
            serde_json::to_string(params).map_err(|e| ClientError::Protocol(e.to_string()))?;
        write_frame(
            &mut self.writer,
            jsonrpc::request(&id, method, Some(&params)).as_bytes(),
        )
        .await?;
        loop {
            let line = match self.reader.next().await? {
                None => return Err(ClientError::Closed),
                Some(Frame::TooLong { len, .. }) => {
                    return Err(ClientError::Protocol(format!(
                        "a {len}-byte message from the daemon is over the limit"
                    )));
                }
                Some(Frame::Line(l)) => l,
            };
            let env = Envelope::parse(&line).map_err(|e| ClientError::Protocol(e.to_string()))?;
            match env.kind() {
                Kind::Notification => on_note(env.method(), env.params),
                Kind::Response if env.id.map(|i| i.get()) == Some(id.as_str()) => {
                    if let Some(err) = env.error {
                        return Err(rpc_error(err));
                    }
                    let result = env
                        .result
                        .ok_or_else(|| ClientError::Protocol("response without result".into()))?;
                    return Ok(result.to_owned());
                }
                // An error with `"id": null` answers a request the daemon could not tie to an id
                // (a refused connection, an unreadable message); with one request in flight, ours.
                Kind::Invalid if env.method.is_none() && env.id.is_none() => {
                    if let Some(err) = env.error {
                        return Err(rpc_error(err));
                    }
                }
                _ => continue,
            }
        }
    }

    /// Sends a notification.
    pub async fn notify(
        &mut self,
        method: &str,
        params: &impl Serialize,
    ) -> Result<(), ClientError> {
        let params =
            serde_json::to_string(params).map_err(|e| ClientError::Protocol(e.to_string()))?;
        write_frame(
            &mut self.writer,
            jsonrpc::notification(method, Some(&params)).as_bytes(),
        )
        .await?;
        Ok(())
    }
}

fn rpc_error(raw: &RawValue) -> ClientError {
    match serde_json::from_str::<RpcError>(raw.get()) {
        Ok(err) => ClientError::Rpc(err),
        Err(e) => ClientError::Protocol(e.to_string()),
    }
}
