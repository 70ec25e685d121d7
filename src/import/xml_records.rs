//! Reads an export file as a stream of records: the elements found at
//! chosen paths, each with the text of the few fields asked for. Memory
//! holds one record and the open elements, whatever the size of the file.
//!
//! Export files in the wild are not always well-formed. A problem inside a
//! record (an unknown entity, a tag left open, bad UTF-8, a field too long)
//! marks that record as broken and reading goes on; a problem outside any
//! record is reported on its own.

use std::collections::VecDeque;
use std::io::BufRead;

use quick_xml::Reader;
use quick_xml::escape::resolve_predefined_entity;
use quick_xml::events::{BytesStart, Event};

use super::line_counter::LineCounter;

/// The records to read: elements at `path` (element names from the root,
/// joined by `/`) and what to keep of each.
pub struct RecordSpec {
    pub path: &'static str,
    /// Child element paths relative to the record (`author/email`) and
    /// attributes (`@dsq:id` on the record, `thread@dsq:id` on a child).
    pub fields: &'static [&'static str],
}

/// One record as read: its fields by the spec's names.
#[derive(Debug, Clone)]
pub struct Record {
    /// Which spec it matched (its index).
    pub kind: usize,
    /// The line it starts on.
    pub line: u64,
    names: &'static [&'static str],
    values: Vec<Option<String>>,
    /// Why the record cannot be trusted, if it cannot.
    pub problem: Option<String>,
}

impl Record {
    /// A field's text, if the record had it.
    pub fn get(&self, name: &str) -> Option<&str> {
        let i = self.names.iter().position(|n| *n == name)?;
        self.values[i].as_deref()
    }

    fn append(&mut self, field: usize, text: &str, max: usize) {
        let value = self.values[field].get_or_insert_with(String::new);
        if value.len() + text.len() > max {
            self.problem.get_or_insert_with(|| {
                format!("<{}> is longer than {max} bytes", self.names[field])
            });
        } else {
            value.push_str(text);
        }
    }

    fn mark(&mut self, problem: String) {
        self.problem.get_or_insert(problem);
    }
}

/// What the reader yields.
#[derive(Debug)]
pub enum Item {
    Record(Record),
    /// A problem outside any record.
    Problem {
        line: u64,
        message: String,
    },
}

/// A record being read, and how deep its element is.
struct Open {
    record: Record,
    depth: usize,
}

pub struct RecordReader<R: BufRead> {
    reader: Reader<LineCounter<R>>,
    buf: Vec<u8>,
    specs: &'static [RecordSpec],
    /// Names of the open elements.
    path: Vec<String>,
    /// For each open element, the field of the innermost record it fills.
    filling: Vec<Option<usize>>,
    open: Vec<Open>,
    ready: VecDeque<Item>,
    max_field: usize,
    last_error_at: Option<u64>,
    done: bool,
}

/// The file cannot be read on: an I/O error, or a parse error the reader
/// does not move past.
#[derive(Debug, thiserror::Error)]
#[error("line {line}: {message}")]
pub struct Fatal {
    pub line: u64,
    pub message: String,
}

impl<R: BufRead> RecordReader<R> {
    /// Reads `input` for `specs`, keeping at most `max_field` bytes of any
    /// one field.
    pub fn new(input: R, specs: &'static [RecordSpec], max_field: usize) -> Self {
        let mut reader = Reader::from_reader(LineCounter::new(input));
        let config = reader.config_mut();
        // Tags left open or closed twice are recovered from here, per record.
        config.check_end_names = false;
        config.allow_unmatched_ends = true;
        config.expand_empty_elements = false;
        Self {
            reader,
            buf: Vec::new(),
            specs,
            path: Vec::new(),
            filling: Vec::new(),
            open: Vec::new(),
            ready: VecDeque::new(),
            max_field,
            last_error_at: None,
            done: false,
        }
    }

    /// Bytes read so far.
    pub fn bytes_read(&self) -> u64 {
        self.reader.get_ref().consumed()
    }

    /// The record that encloses the last one yielded, if it is still open
    /// (a post around its comments).
    pub fn enclosing(&self) -> Option<&Record> {
        self.open.last().map(|o| &o.record)
    }

    /// The next record or problem; `None` at the end of the file.
    pub fn next_item(&mut self) -> Result<Option<Item>, Fatal> {
        loop {
            if let Some(item) = self.ready.pop_front() {
                return Ok(Some(item));
            }
            if self.done {
                return Ok(None);
            }
            self.step()?;
        }
    }

    fn line(&self) -> u64 {
        self.reader.get_ref().line()
    }

    /// Reads one event.
    fn step(&mut self) -> Result<(), Fatal> {
        self.buf.clear();
        let event = match self.reader.read_event_into(&mut self.buf) {
            Ok(event) => event.into_owned(),
            Err(quick_xml::Error::Io(e)) => {
                return Err(Fatal {
                    line: self.line(),
                    message: e.to_string(),
                });
            }
            Err(e) => {
                let at = self.reader.buffer_position();
                if self.last_error_at == Some(at) {
                    return Err(Fatal {
                        line: self.line(),
                        message: format!("cannot read past: {e}"),
                    });
                }
                self.last_error_at = Some(at);
                self.problem(format!("{e}"));
                return Ok(());
            }
        };
        match event {
            Event::Start(start) => self.start(&start, false),
            Event::Empty(start) => self.start(&start, true),
            Event::End(end) => {
                let name = String::from_utf8_lossy(end.name().as_ref()).into_owned();
                self.end(&name);
            }
            Event::Text(text) => match text.xml10_content() {
                Ok(text) => self.text(&text),
                Err(e) => self.problem(format!("text is not UTF-8: {e}")),
            },
            Event::CData(data) => match data.xml10_content() {
                Ok(text) => self.text(&text),
                Err(e) => self.problem(format!("CDATA is not UTF-8: {e}")),
            },
            Event::GeneralRef(reference) => match reference.resolve_char_ref() {
                Ok(Some(c)) => self.text(c.encode_utf8(&mut [0; 4])),
                Ok(None) => {
                    let name = String::from_utf8_lossy(&reference.into_inner()).into_owned();
                    match resolve_predefined_entity(&name) {
                        Some(text) => self.text(text),
                        None => self.problem(format!("unknown entity &{name};")),
                    }
                }
                Err(e) => self.problem(format!("bad character reference: {e}")),
            },
            Event::Eof => {
                while let Some(open) = self.path.last() {
                    let problem = format!("the file ends inside <{open}>");
                    self.close_top(&problem);
                }
                self.done = true;
            }
            Event::Comment(_) | Event::Decl(_) | Event::PI(_) | Event::DocType(_) => {}
        }
        Ok(())
    }

    fn start(&mut self, start: &BytesStart<'_>, empty: bool) {
        let name = String::from_utf8_lossy(start.name().as_ref()).into_owned();
        self.path.push(name);
        let line = self.line();
        if let Some(kind) = self.matching_spec() {
            let spec = &self.specs[kind];
            self.open.push(Open {
                record: Record {
                    kind,
                    line,
                    names: spec.fields,
                    values: vec![None; spec.fields.len()],
                    problem: None,
                },
                depth: self.path.len(),
            });
        }
        let relative = self.relative_path();
        let field = relative.as_deref().and_then(|rel| self.field_index(rel));
        self.filling.push(field);
        if let Some(rel) = relative {
            self.attributes(start, &rel);
        }
        if empty {
            self.close_top("");
        }
    }

    /// The spec whose path the open elements spell, if any.
    fn matching_spec(&self) -> Option<usize> {
        self.specs.iter().position(|spec| {
            let mut parts = spec.path.split('/');
            self.path.iter().all(|p| parts.next() == Some(p.as_str())) && parts.next().is_none()
        })
    }

    /// The innermost record's path to the current element ("" for the
    /// record element itself).
    fn relative_path(&self) -> Option<String> {
        let open = self.open.last()?;
        Some(self.path[open.depth..].join("/"))
    }

    fn field_index(&self, relative: &str) -> Option<usize> {
        let record = &self.open.last()?.record;
        record.names.iter().position(|n| *n == relative)
    }

    fn attributes(&mut self, start: &BytesStart<'_>, relative: &str) {
        let Some(open) = self.open.last_mut() else {
            return;
        };
        for attribute in start.attributes() {
            let attribute = match attribute {
                Ok(a) => a,
                Err(e) => {
                    open.record.mark(format!("bad attribute: {e}"));
                    continue;
                }
            };
            let key = String::from_utf8_lossy(attribute.key.as_ref()).into_owned();
            let name = format!("{relative}@{key}");
            let Some(field) = open.record.names.iter().position(|n| *n == name) else {
                continue;
            };
            match attribute.unescape_value() {
                Ok(value) => open.record.append(field, &value, self.max_field),
                Err(e) => open.record.mark(format!("attribute {key}: {e}")),
            }
        }
    }

    fn text(&mut self, text: &str) {
        let (Some(Some(field)), Some(open)) = (self.filling.last(), self.open.last_mut()) else {
            return;
        };
        open.record.append(*field, text, self.max_field);
    }

    /// Closes open elements up to the one named, or notes a stray end tag.
    fn end(&mut self, name: &str) {
        match self.path.iter().rposition(|p| p == name) {
            Some(at) => {
                while self.path.len() > at + 1 {
                    let unclosed = format!("<{}> is not closed", self.path[self.path.len() - 1]);
                    self.close_top(&unclosed);
                }
                self.close_top("");
            }
            None => self.problem(format!("</{name}> closes nothing")),
        }
    }

    /// Closes the innermost element; `problem` is why it closes here, if it
    /// should not have.
    fn close_top(&mut self, problem: &str) {
        if !problem.is_empty() {
            self.problem(problem.to_owned());
        }
        let depth = self.path.len();
        self.path.pop();
        self.filling.pop();
        if self.open.last().is_some_and(|o| o.depth == depth)
            && let Some(open) = self.open.pop()
        {
            self.ready.push_back(Item::Record(open.record));
        }
    }

    /// Marks the innermost record, or reports the problem on its own.
    fn problem(&mut self, message: String) {
        let line = self.line();
        match self.open.last_mut() {
            Some(open) => open.record.mark(format!("line {line}: {message}")),
            None => self.ready.push_back(Item::Problem { line, message }),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SPECS: &[RecordSpec] = &[
        RecordSpec {
            path: "root/post",
            fields: &["title", "@id"],
        },
        RecordSpec {
            path: "root/post/note",
            fields: &["text", "who/name", "ref@to"],
        },
    ];

    fn read_all(xml: &str) -> Vec<Item> {
        let mut reader = RecordReader::new(xml.as_bytes(), SPECS, 64);
        let mut items = Vec::new();
        while let Some(item) = reader.next_item().expect("readable") {
            items.push(item);
        }
        items
    }

    fn record(item: &Item) -> &Record {
        match item {
            Item::Record(r) => r,
            Item::Problem { message, .. } => panic!("unexpected problem: {message}"),
        }
    }

    #[test]
    fn reads_fields_attributes_cdata_and_entities() {
        let items = read_all(
            "<root>\n<post id=\"p&amp;1\"><title>A &lt;b&gt; &#233;t&eacute;</title>\n\
             <note><text><![CDATA[<p>raw & kept</p>]]></text><who><name>Zo\u{eb}</name></who>\
             <ref to=\"n9\"/><other>ignored</other></note></post></root>",
        );
        assert_eq!(items.len(), 2, "{items:?}");
        let note = record(&items[0]);
        assert_eq!(note.kind, 1);
        assert_eq!(note.line, 3);
        assert_eq!(note.get("text"), Some("<p>raw & kept</p>"));
        assert_eq!(note.get("who/name"), Some("Zo\u{eb}"));
        assert_eq!(note.get("ref@to"), Some("n9"));
        let post = record(&items[1]);
        assert_eq!(post.get("title"), Some("A <b> \u{e9}t\u{e9}"));
        assert_eq!(post.get("@id"), Some("p&1"));
        assert!(post.problem.is_none() && note.problem.is_none());
    }

    #[test]
    fn marks_broken_records_and_reads_on() {
        let items = read_all(
            "<root><post id=\"1\"><title>&bogus;</title></post>\
             <post id=\"2\"><title>open<note><text>x</text></note></post>\
             <post id=\"3\"><title>fine</title></post></root>",
        );
        let posts: Vec<&Record> = items.iter().map(record).filter(|r| r.kind == 0).collect();
        assert_eq!(posts.len(), 3, "{items:?}");
        assert!(
            posts[0]
                .problem
                .as_deref()
                .is_some_and(|p| p.contains("&bogus;"))
        );
        assert!(
            posts[1]
                .problem
                .as_deref()
                .is_some_and(|p| p.contains("<title> is not closed")),
            "{:?}",
            posts[1].problem
        );
        assert_eq!(posts[2].get("title"), Some("fine"));
        assert!(posts[2].problem.is_none());
    }

    #[test]
    fn a_field_too_long_breaks_its_record_only() {
        let long = "x".repeat(100);
        let items = read_all(&format!(
            "<root><post><title>{long}</title></post><post><title>ok</title></post></root>"
        ));
        assert!(record(&items[0]).problem.is_some());
        assert_eq!(record(&items[1]).get("title"), Some("ok"));
    }

    #[test]
    fn a_truncated_file_ends_its_open_record_as_broken() {
        let items = read_all("<root><post><title>cut");
        assert!(record(&items[0]).problem.is_some());
        // And the root, outside any record, is reported as not closed.
        assert!(
            matches!(&items[1..], [Item::Problem { message, .. }] if message.contains("<root>")),
            "{items:?}"
        );
    }

    #[test]
    fn problems_outside_records_are_reported_alone() {
        let items = read_all("<root></stray><post><title>t</title></post></root>");
        assert!(matches!(&items[0], Item::Problem { message, .. } if message.contains("stray")));
        assert_eq!(record(&items[1]).get("title"), Some("t"));
    }
}
