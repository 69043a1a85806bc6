//! The shim's connection to the daemon: many requests in flight at once, notifications (progress)
//! forwarded as they come, and a transparent reconnect (starting a daemon if needed) after the
//! daemon goes away. Requests in flight when it goes fail with `LinkError::Lost`.

use crate::autostart::connect_or_start;
use crate::client::ClientError;
use crate::framing::Frame;
use crate::jsonrpc::{self, Envelope, Kind, RpcError};
use crate::paths::Paths;
use crate::wire::{Hello, method};
use serde_json::value::RawValue;
use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use tokio::io::AsyncWriteExt;
use tokio::sync::{mpsc, oneshot};

#[derive(Debug, Clone)]
pub enum LinkError {
    /// No daemon could be reached or started; the text says why.
    Unavailable(String),
    /// The daemon went away while the request was in flight.
    Lost,
    /// The daemon answered with an error.
    Rpc(RpcError),
}

type Reply = Result<Box<RawValue>, LinkError>;

struct Pending {
    generation: u64,
    tx: oneshot::Sender<Reply>,
}

struct Conn {
    tx: mpsc::UnboundedSender<String>,
    alive: Arc<AtomicBool>,
}

struct Inner {
    paths: Paths,
    hello: Hello,
    exe: PathBuf,
    conn: tokio::sync::Mutex<Option<Conn>>,
    /// Connection attempts finished so far, and the last one's error when it failed: callers that
    /// waited for an attempt share its failure instead of each trying again in turn.
    attempts: AtomicU64,
    last_failure: Mutex<Option<LinkError>>,
    /// The live connection's sender, for cancellations (which must not wait for a reconnect).
    current: Mutex<Option<mpsc::UnboundedSender<String>>>,
    pending: Mutex<HashMap<u64, Pending>>,
    next_id: AtomicU64,
    generation: AtomicU64,
    notes: mpsc::UnboundedSender<String>,
}

/// A cloneable handle to the daemon connection.
#[derive(Clone)]
pub struct Link {
    inner: Arc<Inner>,
}

/// A request sent to the daemon. Dropping it before its reply cancels it at the daemon.
pub struct Call {
    link: Link,
    pub id: u64,
    rx: oneshot::Receiver<Reply>,
    done: bool,
}

impl Link {
    /// `notes` receives every notification from the daemon, as the raw line.
    pub fn new(
        paths: Paths,
        hello: Hello,
        exe: PathBuf,
        notes: mpsc::UnboundedSender<String>,
    ) -> Link {
        Link {
            inner: Arc::new(Inner {
                paths,
                hello,
                exe,
                conn: tokio::sync::Mutex::new(None),
                attempts: AtomicU64::new(0),
                last_failure: Mutex::new(None),
                current: Mutex::new(None),
                pending: Mutex::new(HashMap::new()),
                next_id: AtomicU64::new(1),
                generation: AtomicU64::new(0),
                notes,
            }),
        }
    }

    /// Connects now (starting the daemon if needed), so the first call does not wait for it.
    pub async fn warm(&self) -> Result<(), LinkError> {
        self.sender().await.map(|_| ())
    }

    /// Sends a request; await the returned call for the reply.
    pub async fn start(&self, method: &str, params: &str) -> Result<Call, LinkError> {
        let (tx_line, generation) = self.sender().await?;
        let id = self.inner.next_id.fetch_add(1, Ordering::Relaxed);
        let (tx, rx) = oneshot::channel();
        self.inner
            .pending
            .lock()
            .unwrap()
            .insert(id, Pending { generation, tx });
        if tx_line
            .send(jsonrpc::request(&id.to_string(), method, Some(params)))
            .is_err()
        {
            self.inner.pending.lock().unwrap().remove(&id);
            return Err(LinkError::Lost);
        }
        Ok(Call {
            link: self.clone(),
            id,
            rx,
            done: false,
        })
    }

    /// Sends a request and waits for its reply.
    pub async fn request(&self, method: &str, params: &str) -> Reply {
        self.start(method, params).await?.reply().await
    }

    /// Tells the daemon to cancel request `id` (its reply, if any, is then dropped).
    fn cancel(&self, id: u64) {
        if self.inner.pending.lock().unwrap().remove(&id).is_none() {
            return;
        }
        if let Some(tx) = self.inner.current.lock().unwrap().as_ref() {
            let params =
                serde_json::json!({ "requestId": id, "reason": "cancelled by the client" })
                    .to_string();
            let _ = tx.send(jsonrpc::notification(method::CANCELLED, Some(&params)));
        }
    }

    /// The live connection's sender, connecting first when there is none.
    async fn sender(&self) -> Result<(mpsc::UnboundedSender<String>, u64), LinkError> {
        let seen = self.inner.attempts.load(Ordering::Acquire);
        let mut guard = self.inner.conn.lock().await;
        if let Some(conn) = guard.as_ref()
            && conn.alive.load(Ordering::Acquire)
        {
            return Ok((
                conn.tx.clone(),
                self.inner.generation.load(Ordering::Acquire),
            ));
        }
        if self.inner.attempts.load(Ordering::Acquire) != seen
            && let Some(e) = self.inner.last_failure.lock().unwrap().clone()
        {
            return Err(e);
        }
        let attempt = connect_or_start(&self.inner.paths, &self.inner.hello, &self.inner.exe)
            .await
            .map_err(unavailable);
        *self.inner.last_failure.lock().unwrap() = attempt.as_ref().err().cloned();
        self.inner.attempts.fetch_add(1, Ordering::AcqRel);
        let client = attempt?;
        let generation = self.inner.generation.fetch_add(1, Ordering::AcqRel) + 1;
        let (mut reader, mut writer) = client.into_parts();
        let (tx, mut rx) = mpsc::unbounded_channel::<String>();
        let alive = Arc::new(AtomicBool::new(true));
        tokio::spawn(async move {
            // Everything queued goes out in one write.
            let mut buf = Vec::with_capacity(8 * 1024);
            while let Some(line) = rx.recv().await {
                buf.clear();
                buf.extend_from_slice(line.as_bytes());
                buf.push(b'\n');
                while let Ok(more) = rx.try_recv() {
                    buf.extend_from_slice(more.as_bytes());
                    buf.push(b'\n');
                }
                if writer.write_all(&buf).await.is_err() {
                    break;
                }
                if buf.capacity() > 1024 * 1024 {
                    buf = Vec::with_capacity(8 * 1024);
                }
            }
        });
        let inner = self.inner.clone();
        let alive2 = alive.clone();
        tokio::spawn(async move {
            while let Ok(Some(frame)) = reader.next().await {
                if let Frame::Line(line) = frame {
                    route(&inner, line);
                }
            }
            alive2.store(false, Ordering::Release);
            fail_generation(&inner, generation);
        });
        *self.inner.current.lock().unwrap() = Some(tx.clone());
        *guard = Some(Conn {
            tx: tx.clone(),
            alive,
        });
        Ok((tx, generation))
    }
}

impl Call {
    pub async fn reply(mut self) -> Reply {
        let r = (&mut self.rx).await.unwrap_or(Err(LinkError::Lost));
        self.done = true;
        r
    }
}

impl Drop for Call {
    fn drop(&mut self) {
        if !self.done {
            self.link.cancel(self.id);
        }
    }
}

fn unavailable(e: ClientError) -> LinkError {
    LinkError::Unavailable(e.to_string())
}

/// One line from the daemon: a reply to a pending request, or a notification to forward.
fn route(inner: &Inner, line: Vec<u8>) {
    let Ok(env) = Envelope::parse(&line) else {
        return;
    };
    match env.kind() {
        Kind::Response => {
            let Some(id) = env.id.and_then(|i| i.get().parse::<u64>().ok()) else {
                return;
            };
            let Some(p) = inner.pending.lock().unwrap().remove(&id) else {
                return;
            };
            let reply = match (env.result, env.error) {
                (_, Some(e)) => Err(serde_json::from_str::<RpcError>(e.get())
                    .map(LinkError::Rpc)
                    .unwrap_or_else(|_| {
                        LinkError::Unavailable(format!(
                            "unreadable error from the daemon: {}",
                            e.get()
                        ))
                    })),
                (Some(r), None) => Ok(r.to_owned()),
                (None, None) => return,
            };
            let _ = p.tx.send(reply);
        }
        Kind::Notification => {
            let _ = inner
                .notes
                .send(String::from_utf8_lossy(&line).into_owned());
        }
        _ => {}
    }
}

/// The connection of `generation` is gone: its requests in flight fail at once.
fn fail_generation(inner: &Inner, generation: u64) {
    let lost: Vec<Pending> = {
        let mut pending = inner.pending.lock().unwrap();
        let ids: Vec<u64> = pending
            .iter()
            .filter(|(_, p)| p.generation == generation)
            .map(|(id, _)| *id)
            .collect();
        ids.into_iter()
            .filter_map(|id| pending.remove(&id))
            .collect()
    };
    for p in lost {
        let _ = p.tx.send(Err(LinkError::Lost));
    }
}
