//! nkdigi: a research-notes indexer. Files become documents, documents get tags, tags and
//! text go into a tantivy index, and queries come back as hits for the printers.

pub mod app;
pub mod cli;
pub mod commands;
pub mod config;
pub mod corpus;
pub mod date;
pub mod error;
pub mod memory;
pub mod model;
pub mod output;
pub mod progress;
pub mod store;
pub mod tagging;
pub mod yaml;
