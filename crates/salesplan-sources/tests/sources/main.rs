//! Data sources against real servers: a PostgreSQL cluster started from the
//! system's binaries, SQLite files; each test with its own copy of the demo ledger.
#![allow(clippy::unwrap_used, clippy::panic)]

mod postgres;
mod sqlite;
mod support;
