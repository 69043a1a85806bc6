//! A live child process as the rest of the daemon sees it: send requests with remapped ids, get
//! replies and progress back, cancel, read its tool list, shut it down.

use super::exit::ExitInfo;
use super::process_group::{SIGKILL, SIGTERM, group_alive, signal_group};
use super::stderr::ServerLog;
use mcpd_shim::jsonrpc;
use serde_json::value::RawValue;
use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, RwLock};
use std::time::{Duration, Instant, SystemTime};
use tokio::sync::{mpsc, oneshot, watch};
use tokio_util::sync::CancellationToken;

/// What came back for a request.
#[derive(Debug)]
pub enum Reply {
    /// The child's `result`, byte for byte.
    Result(Box<RawValue>),
    /// The child's `error` object, byte for byte.
    Error(Box<RawValue>),
    /// No answer will come: the child died, or the answer was unusable. The text says why.
    Failed(String),
}

/// One event of a pending call.
#[derive(Debug)]
pub enum CallOutcome {
    /// A `notifications/progress` params object from the child (its token is our request id).
    Progress(Box<RawValue>),
    Done(Reply),
}

struct Pending {
    tx: oneshot::Sender<Reply>,
    progress: Option<mpsc::UnboundedSender<Box<RawValue>>>,
}

#[derive(Default)]
struct Table {
    pending: HashMap<u64, Pending>,
    /// Set once the child is gone; new requests fail at once with this text.
    gone: Option<String>,
}

/// The child's tools as the last `tools/list` gave them.
#[derive(Debug)]
pub struct ToolList {
    /// A JSON array of the child's Tool objects, byte for byte.
    pub raw: Box<RawValue>,
    pub names: Vec<String>,
}

impl ToolList {
    pub fn empty() -> ToolList {
        ToolList {
            raw: RawValue::from_string("[]".into()).expect("valid"),
            names: Vec::new(),
        }
    }
}

/// A running child MCP server.
pub struct Instance {
    pub server: String,
    pub generation: u64,
    pub pid: u32,
    pub started_at: Instant,
    pub started_wall: SystemTime,
    pub calls: AtomicU64,
    pub log: Arc<ServerLog>,
    out: mpsc::UnboundedSender<String>,
    close_stdin: CancellationToken,
    table: Mutex<Table>,
    next_id: AtomicU64,
    tools: RwLock<Arc<ToolList>>,
    exit: watch::Receiver<Option<ExitInfo>>,
    /// This child's record in the process-group ledger, removed once the group is gone.
    ledger: Option<std::path::PathBuf>,
    /// What the child answered to `initialize`, raw.
    pub init_result: Mutex<Option<Box<RawValue>>>,
}

/// The links between an instance and the tasks that own its process's pipes.
pub(crate) struct Links {
    /// Lines queued for the child's stdin.
    pub out: mpsc::UnboundedSender<String>,
    /// Fired to close the child's stdin.
    pub close_stdin: CancellationToken,
    /// Set once the process has exited.
    pub exit: watch::Receiver<Option<ExitInfo>>,
    /// The child's record in the process-group ledger.
    pub ledger: Option<std::path::PathBuf>,
}

impl Instance {
    pub(crate) fn new(
        server: String,
        generation: u64,
        pid: u32,
        log: Arc<ServerLog>,
        links: Links,
    ) -> Instance {
        Instance {
            server,
            generation,
            pid,
            started_at: Instant::now(),
            started_wall: SystemTime::now(),
            calls: AtomicU64::new(0),
            log,
            out: links.out,
            close_stdin: links.close_stdin,
            table: Mutex::new(Table::default()),
            next_id: AtomicU64::new(1),
            tools: RwLock::new(Arc::new(ToolList::empty())),
            exit: links.exit,
            ledger: links.ledger,
            init_result: Mutex::new(None),
        }
    }

    /// Sends a request; `want_progress` maps the child's progress for it back to the caller (the
    /// request id doubles as the progress token, so `params` must already carry it if wanted).
    pub fn start_request(
        self: &Arc<Self>,
        method: &str,
        params: impl FnOnce(u64) -> Option<String>,
        want_progress: bool,
    ) -> Result<PendingCall, String> {
        let id = self.next_id.fetch_add(1, Ordering::Relaxed);
        let (tx, rx) = oneshot::channel();
        let (ptx, prx) = if want_progress {
            let (a, b) = mpsc::unbounded_channel();
            (Some(a), Some(b))
        } else {
            (None, None)
        };
        let line = jsonrpc::request(&id.to_string(), method, params(id).as_deref());
        {
            let mut table = self.table.lock().unwrap();
            if let Some(gone) = &table.gone {
                return Err(gone.clone());
            }
            table.pending.insert(id, Pending { tx, progress: ptx });
        }
        if self.out.send(line).is_err() {
            self.table.lock().unwrap().pending.remove(&id);
            return Err(format!("server '{}' is shutting down", self.server));
        }
        Ok(PendingCall {
            instance: self.clone(),
            id,
            rx,
            progress: prx,
            finished: false,
        })
    }

    /// A request whose answer is awaited here, bounded by `timeout`.
    pub async fn request(
        self: &Arc<Self>,
        method: &str,
        params: Option<String>,
        timeout: Duration,
    ) -> Result<Box<RawValue>, String> {
        let mut call = self.start_request(method, |_| params, false)?;
        match tokio::time::timeout(timeout, call.next()).await {
            Ok(CallOutcome::Done(Reply::Result(r))) => Ok(r),
            Ok(CallOutcome::Done(Reply::Error(e))) => Err(format!("{method} failed: {}", e.get())),
            Ok(CallOutcome::Done(Reply::Failed(m))) => Err(m),
            Ok(CallOutcome::Progress(_)) => unreachable!("no progress requested"),
            Err(_) => {
                call.cancel("timed out");
                Err(format!(
                    "server '{}' did not answer {method} within {} ms",
                    self.server,
                    timeout.as_millis()
                ))
            }
        }
    }

    /// Sends a notification to the child.
    pub fn notify(&self, method: &str, params: Option<&str>) {
        let _ = self.out.send(jsonrpc::notification(method, params));
    }

    /// Sends a raw line (a response to the child's own request).
    pub(crate) fn send_raw(&self, line: String) {
        let _ = self.out.send(line);
    }

    /// Routes a response from the child to whoever waits for it.
    pub(crate) fn deliver(&self, id: u64, reply: Reply) -> bool {
        let pending = self.table.lock().unwrap().pending.remove(&id);
        match pending {
            Some(p) => {
                let _ = p.tx.send(reply);
                true
            }
            None => false,
        }
    }

    /// Routes progress for request `id`; false when nobody waits for it (late progress is dropped).
    pub(crate) fn deliver_progress(&self, id: u64, params: Box<RawValue>) -> bool {
        let table = self.table.lock().unwrap();
        match table.pending.get(&id).and_then(|p| p.progress.as_ref()) {
            Some(tx) => tx.send(params).is_ok(),
            None => false,
        }
    }

    /// Marks the child gone and fails every request in flight with `why`.
    pub(crate) fn fail_all(&self, why: String) {
        let drained: Vec<Pending> = {
            let mut table = self.table.lock().unwrap();
            if table.gone.is_none() {
                table.gone = Some(why.clone());
            }
            table.pending.drain().map(|(_, p)| p).collect()
        };
        for p in drained {
            let _ = p.tx.send(Reply::Failed(why.clone()));
        }
    }

    /// Stops taking requests if none is in flight (a replaced instance about to be stopped); new
    /// requests then fail at once without being sent, so the caller can use the new instance.
    pub fn retire_if_idle(&self) -> bool {
        let mut table = self.table.lock().unwrap();
        if !table.pending.is_empty() {
            return false;
        }
        if table.gone.is_none() {
            table.gone = Some(format!("server '{}' was replaced by a reload", self.server));
        }
        true
    }

    pub fn in_flight(&self) -> usize {
        self.table.lock().unwrap().pending.len()
    }

    pub fn is_gone(&self) -> bool {
        self.table.lock().unwrap().gone.is_some()
    }

    pub fn tools(&self) -> Arc<ToolList> {
        self.tools.read().unwrap().clone()
    }

    pub(crate) fn set_tools(&self, tools: ToolList) {
        *self.tools.write().unwrap() = Arc::new(tools);
    }

    /// How the child ended, once it has.
    pub fn exit_info(&self) -> Option<ExitInfo> {
        self.exit.borrow().clone()
    }

    /// Resolves when the child process has exited.
    pub async fn exited(&self) -> ExitInfo {
        let mut rx = self.exit.clone();
        loop {
            if let Some(info) = rx.borrow_and_update().clone() {
                return info;
            }
            if rx.changed().await.is_err() {
                return ExitInfo {
                    status: "ended".into(),
                    stderr_tail: Vec::new(),
                };
            }
        }
    }

    /// Ends the child and its whole process group: close stdin, wait, SIGTERM the group, wait,
    /// SIGKILL the group. The group is signalled even when the leader is already gone, so wrapper
    /// chains (npx, uvx) leave nothing behind.
    pub async fn shutdown(&self, grace: Duration) {
        self.close_stdin.cancel();
        let exited = tokio::time::timeout(grace, self.exited()).await.is_ok();
        if !exited {
            self.log
                .note("did not exit after stdin closed; sending SIGTERM to its process group");
            signal_group(self.pid, SIGTERM);
            if tokio::time::timeout(grace, self.exited()).await.is_err() {
                self.log
                    .note("did not exit after SIGTERM; sending SIGKILL to its process group");
                signal_group(self.pid, SIGKILL);
                let _ = tokio::time::timeout(grace, self.exited()).await;
            }
        }
        end_leftovers(self.pid, grace).await;
        if let Some(record) = &self.ledger {
            let _ = std::fs::remove_file(record);
        }
        self.fail_all(format!("server '{}' was stopped", self.server));
    }
}

/// Ends what is left of a group whose leader has exited.
async fn end_leftovers(pgid: u32, grace: Duration) {
    if !group_alive(pgid) {
        return;
    }
    signal_group(pgid, SIGTERM);
    let deadline = Instant::now() + grace;
    while group_alive(pgid) && Instant::now() < deadline {
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    if group_alive(pgid) {
        signal_group(pgid, SIGKILL);
    }
}

/// A request in flight. Dropping it unfinished cancels it at the child.
pub struct PendingCall {
    instance: Arc<Instance>,
    pub id: u64,
    rx: oneshot::Receiver<Reply>,
    progress: Option<mpsc::UnboundedReceiver<Box<RawValue>>>,
    finished: bool,
}

impl PendingCall {
    /// The next progress notification or the final reply.
    pub async fn next(&mut self) -> CallOutcome {
        if self.finished {
            return CallOutcome::Done(Reply::Failed("request already finished".into()));
        }
        let reply = match self.progress.as_mut() {
            // Progress first: the child sent it before its answer, so none is lost when both wait.
            Some(prx) => tokio::select! {
                biased;
                Some(p) = prx.recv() => return CallOutcome::Progress(p),
                r = &mut self.rx => r,
            },
            None => (&mut self.rx).await,
        };
        self.finished = true;
        CallOutcome::Done(reply.unwrap_or_else(|_| {
            Reply::Failed(format!("server '{}' went away", self.instance.server))
        }))
    }

    /// Gives up on the request and tells the child (`notifications/cancelled`).
    pub fn cancel(&mut self, reason: &str) {
        if self.finished {
            return;
        }
        self.finished = true;
        let removed = self
            .instance
            .table
            .lock()
            .unwrap()
            .pending
            .remove(&self.id)
            .is_some();
        if removed {
            let params = serde_json::json!({ "requestId": self.id, "reason": reason }).to_string();
            self.instance
                .notify("notifications/cancelled", Some(&params));
        }
    }

    pub fn instance(&self) -> &Arc<Instance> {
        &self.instance
    }
}

impl Drop for PendingCall {
    fn drop(&mut self) {
        self.cancel("the client went away");
    }
}
