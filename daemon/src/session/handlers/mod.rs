//! Request handlers, one file each; `dispatch` routes a method name to its handler.

mod call;
mod info;
mod lifecycle;
mod logs;
mod reload_news;
mod search;
mod status;
mod tools;

use super::SessionCtx;
use mcpd_shim::jsonrpc::{self, code};
use mcpd_shim::wire::method;
use serde::de::DeserializeOwned;
use serde_json::value::RawValue;

/// A failed request: a code and message, or an error object passed through from a child as is.
#[derive(Debug)]
pub enum HandlerError {
    Coded {
        code: i64,
        message: String,
        data: Option<serde_json::Value>,
    },
    Raw(Box<RawValue>),
}

impl HandlerError {
    pub fn new(code: i64, message: impl Into<String>) -> HandlerError {
        HandlerError::Coded {
            code,
            message: message.into(),
            data: None,
        }
    }

    pub fn to_response(&self, id: &str) -> String {
        match self {
            HandlerError::Coded {
                code,
                message,
                data,
            } => jsonrpc::error(id, *code, message, data.as_ref()),
            HandlerError::Raw(raw) => jsonrpc::error_raw(id, raw.get()),
        }
    }
}

pub type HandlerResult = Result<String, HandlerError>;

/// Every method the socket serves after the hello (`mcpd/stop` is handled by the session itself).
pub const METHODS: &[&str] = &[
    method::STATUS,
    method::LOAD,
    method::UNLOAD,
    method::RELOAD,
    method::TOOLS,
    method::CALL,
    method::LOGS,
    method::SEARCH,
    method::STOP,
];

pub async fn dispatch(name: &str, params: Option<Box<RawValue>>, s: &SessionCtx) -> HandlerResult {
    let params = params.as_deref();
    match name {
        method::STATUS => status::status(s),
        method::LOAD => lifecycle::load(parse(params)?, s).await,
        method::UNLOAD => lifecycle::unload(parse(params)?, s).await,
        method::RELOAD => lifecycle::reload(parse(params)?, s).await,
        method::TOOLS => tools::tools(parse_or_default(params)?, s).await,
        method::CALL => call::call(parse(params)?, s).await,
        method::LOGS => logs::logs(parse(params)?, s),
        method::SEARCH => search::search(parse(params)?, s).await,
        method::HELLO => Err(HandlerError::new(
            code::INVALID_REQUEST,
            "this connection has already said hello",
        )),
        other => Err(HandlerError::new(
            code::METHOD_NOT_FOUND,
            format!(
                "unknown method '{other}'; this daemon serves: {}",
                METHODS.join(", ")
            ),
        )),
    }
}

fn parse<T: DeserializeOwned>(params: Option<&RawValue>) -> Result<T, HandlerError> {
    let text = params.map(|p| p.get()).unwrap_or("null");
    serde_json::from_str(text)
        .map_err(|e| HandlerError::new(code::INVALID_PARAMS, format!("invalid params: {e}")))
}

fn parse_or_default<T: DeserializeOwned + Default>(
    params: Option<&RawValue>,
) -> Result<T, HandlerError> {
    match params {
        None => Ok(T::default()),
        Some(_) => parse(params),
    }
}

fn to_json(value: &impl serde::Serialize) -> HandlerResult {
    serde_json::to_string(value).map_err(|e| HandlerError::new(code::INTERNAL_ERROR, e.to_string()))
}
