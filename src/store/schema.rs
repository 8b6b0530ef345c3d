//! The index schema: one tantivy document per nkdigi document (kind `d`), one per passage
//! (kind `p`), one holding the index's state (kind `s`), one holding the entity registry
//! (kind `r`), and one per registry entity (kind `e`) that finds its canonical name by key.
//!
//! A document's text is indexed once, in its entry: each passage is one value of `body`,
//! followed by the document's other lines (title line, bylines, captions). A passage entry
//! holds the passage's tags and its `span`, the positions its words take in the document's
//! `body`; it follows its document's entry in the segment (they are added as one batch,
//! and merges keep the order), so `--passages` finds passages inside matching documents.

use tantivy::schema::{Field, IndexRecordOption, NumericOptions, Schema, TextFieldIndexing, TextOptions, FAST, STORED};

/// The version of the schema below; an index of another version must be rebuilt.
pub const SCHEMA_VERSION: u32 = 4;

pub const KIND_DOC: &str = "d";
pub const KIND_PASSAGE: &str = "p";
pub const KIND_STATE: &str = "s";
/// The entity registry, apart from the state: only name resolution reads it, and it grows
/// with the corpus (indexes written before it had its own entry keep it in the state's).
pub const KIND_REGISTRY: &str = "r";
/// An entity of the registry: its keys, and its canonical name stored, so that a search
/// resolves a name without reading the whole registry.
pub const KIND_ENTITY: &str = "e";

/// The tokenizer of the text fields: words lower-cased and stemmed in English, Hangul as
/// syllable bigrams (see `analyzer`).
pub const TEXT_TOKENIZER: &str = super::analyzer::NAME;

/// Field handles, looked up once.
#[derive(Clone, Copy, Debug)]
pub struct Fields {
    pub kind: Field,
    pub id: Field,
    pub path: Field,
    pub root: Field,
    pub hash: Field,
    pub size: Field,
    pub mtime: Field,
    /// Fingerprint of the taxonomy the document was tagged with.
    pub tagged_with: Field,
    pub title: Field,
    pub body: Field,
    pub speaker: Field,
    pub speaker_mention: Field,
    pub institution: Field,
    pub institution_mention: Field,
    pub topic: Field,
    pub source: Field,
    pub source_exact: Field,
    pub event: Field,
    pub date_start: Field,
    pub date_end: Field,
    /// A passage's number; in a document's entry, how many passages follow it.
    pub n: Field,
    /// A passage's positions in its document's `body`: `first << 32 | end`.
    pub span: Field,
    pub record: Field,
    pub state: Field,
    pub registry: Field,
    /// An entity entry's keys (see [`entity_term`]); `None` in indexes written before
    /// entities had entries, where names are resolved through the whole registry.
    pub entity_key: Option<Field>,
    /// A document entry's order key (a hash of its path): hits of equal score are ordered
    /// by it, so that two indexes of the same files list them alike. `None` in indexes
    /// written before it, where such hits come in the order of the index.
    pub order: Option<Field>,
}

/// The name of [`Fields::order`]'s column.
pub const ORDER: &str = "order";

/// The fast field of a document's first date (`YYYYMMDD`).
pub const DATE_START: &str = "date_start";

/// The term of `entity_key` for a key of an entity of a kind: speakers' and institutions'
/// keys are apart.
pub fn entity_term(kind: crate::tagging::registry::Kind, key: &str) -> String {
    let prefix = match kind {
        crate::tagging::registry::Kind::Speaker => 's',
        crate::tagging::registry::Kind::Institution => 'i',
    };
    format!("{prefix}:{key}")
}

pub fn build() -> (Schema, Fields) {
    build_with(true, true)
}

/// The schema, with the fields of entity entries and of the order of ties, or (as indexes
/// written before them) without.
pub(crate) fn build_with(entity_entries: bool, order_keys: bool) -> (Schema, Fields) {
    let mut b = Schema::builder();
    let text = TextOptions::default().set_indexing_options(
        TextFieldIndexing::default()
            .set_tokenizer(TEXT_TOKENIZER)
            .set_index_option(IndexRecordOption::WithFreqsAndPositions),
    );
    // Exact-match fields need no length normalization: fieldnorms would only take space.
    let string = TextOptions::default().set_indexing_options(
        TextFieldIndexing::default()
            .set_tokenizer("raw")
            .set_index_option(IndexRecordOption::Basic)
            .set_fieldnorms(false),
    );
    let fast_string = string.clone() | FAST;
    let fast_u64 = NumericOptions::default().set_fast().set_indexed();
    let fields = Fields {
        kind: b.add_text_field("kind", string.clone()),
        id: b.add_text_field("id", fast_string.clone()),
        path: b.add_text_field("path", fast_string.clone()),
        root: b.add_text_field("root", fast_string.clone()),
        hash: b.add_u64_field("hash", NumericOptions::default().set_fast()),
        size: b.add_u64_field("size", fast_u64.clone()),
        mtime: b.add_u64_field("mtime", fast_u64.clone()),
        tagged_with: b.add_u64_field("tagged_with", NumericOptions::default().set_fast()),
        title: b.add_text_field("title", text.clone()),
        body: b.add_text_field("body", text.clone()),
        speaker: b.add_text_field("speaker", fast_string.clone()),
        speaker_mention: b.add_text_field("speaker_mention", string.clone()),
        institution: b.add_text_field("institution", fast_string.clone()),
        institution_mention: b.add_text_field("institution_mention", string.clone()),
        topic: b.add_text_field("topic", fast_string.clone()),
        source: b.add_text_field("source", text.clone()),
        source_exact: b.add_text_field("source_exact", fast_string),
        event: b.add_text_field("event", text),
        date_start: b.add_u64_field(DATE_START, fast_u64.clone()),
        date_end: b.add_u64_field("date_end", fast_u64.clone()),
        n: b.add_u64_field("n", fast_u64),
        span: b.add_u64_field("span", NumericOptions::default().set_fast()),
        record: b.add_text_field("record", STORED),
        state: b.add_text_field("state", STORED),
        registry: b.add_text_field("registry", STORED),
        entity_key: entity_entries.then(|| b.add_text_field("entity_key", string)),
        order: order_keys.then(|| b.add_u64_field(ORDER, NumericOptions::default().set_fast())),
    };
    (b.build(), fields)
}

/// The field handles of an opened index, checked against the schema nkdigi writes.
pub fn fields_of(schema: &Schema) -> Option<Fields> {
    let f = |name: &str| schema.get_field(name).ok();
    // An index whose text fields use another analyzer is of an older version.
    let body = schema.get_field_entry(f("body")?);
    let tokenizer = match body.field_type() {
        tantivy::schema::FieldType::Str(options) => options.get_indexing_options().map(|o| o.tokenizer().to_string()),
        _ => None,
    };
    if tokenizer.as_deref() != Some(TEXT_TOKENIZER) {
        return None;
    }
    Some(Fields {
        kind: f("kind")?,
        id: f("id")?,
        path: f("path")?,
        root: f("root")?,
        hash: f("hash")?,
        size: f("size")?,
        mtime: f("mtime")?,
        tagged_with: f("tagged_with")?,
        title: f("title")?,
        body: f("body")?,
        speaker: f("speaker")?,
        speaker_mention: f("speaker_mention")?,
        institution: f("institution")?,
        institution_mention: f("institution_mention")?,
        topic: f("topic")?,
        source: f("source")?,
        source_exact: f("source_exact")?,
        event: f("event")?,
        date_start: f(DATE_START)?,
        date_end: f("date_end")?,
        n: f("n")?,
        span: f("span")?,
        record: f("record")?,
        state: f("state")?,
        registry: f("registry")?,
        entity_key: f("entity_key"),
        order: f(ORDER),
    })
}
