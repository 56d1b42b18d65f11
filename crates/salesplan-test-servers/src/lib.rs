//! Real servers for the tests, started from the system's installed packages
//! in temp dirs on free loopback ports, stopped and removed when the test
//! process ends. Nothing is downloaded at run time.

// A test server that cannot start ends the test with what failed.
#![allow(clippy::panic)]

pub mod postgres;
