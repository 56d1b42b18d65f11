//! Sync with head office (DESIGN §5): the wire protocol both sides speak and
//! the rules that say which records travel and what right each change needs.

pub mod protocol;
pub mod rules;
