//! Config reload: edits to the config files apply without restarting anything else.
//!
//! The files lookups have read are watched ([`ConfigFiles`], which also keeps each file's last
//! good version to stand in while an edit leaves it broken). After a debounced burst of changes,
//! [`run`] looks every remembered lookup ([`Bindings`]: working directory, environment, name) up
//! again. A definition that changed is a new `ServerKey`, so a new handle: when the old one was
//! running, the new one is started and, once ready, sessions move to it (the registry's epoch
//! and the old handle's retired flag make them drop their cached handle) while the old one
//! finishes its calls in flight and stops. A removed definition's server stops the same way.

mod apply;
mod bindings;
mod files;

pub use apply::run;
pub use bindings::{Binding, Bindings};
pub use files::ConfigFiles;
