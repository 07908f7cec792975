//! Incremental Server-Sent Events decoder: chunks in, borrowed frames out.
//!
//! The event-stream rules of the WHATWG HTML standard ("Interpreting an event stream"):
//! UTF-8 (invalid sequences become U+FFFD, one leading byte order mark is dropped);
//! lines end at CRLF, LF or a lone CR, also when a CRLF is split across chunks; a line
//! starting with `:` is a comment; `name: value` sets a field (one space after the colon
//! dropped), a line without a colon is a field with an empty value, unknown fields are
//! ignored; `data` lines are joined with `\n`; `id` (unless it contains NUL) sets the
//! last event ID, which persists; `retry` counts only when it is all ASCII digits; a
//! blank line dispatches the event unless no `data` came. An event whose blank line
//! never arrives (a torn event) is never delivered.
//!
//! The decoder is pulled: [`Decoder::push`] hands it one chunk, [`Decoder::next_frame`]
//! returns the next complete event of it as a [`Frame`] that borrows the chunk, so the
//! data of an event with one `data` line inside one chunk (the usual shape) is never
//! copied. Only a line split across chunks, or the lines of a multi-line event, are
//! copied into the decoder's own buffers, which are reused from event to event.
//!
//! Memory is bounded: a line or the data of one event over `max_event_bytes` is an
//! error, not a bigger buffer.

use std::borrow::Cow;
use std::ops::Range;

use bytes::Bytes;

mod scan;

/// The default limit of one line or one event's data (as the Python SDK).
pub const DEFAULT_MAX_EVENT_BYTES: usize = 16 * 1024 * 1024;

/// Buffers that grew past this (a big event) are released after use, not kept.
const KEEP_CAPACITY: usize = 64 * 1024;

const BOM: &[u8] = b"\xEF\xBB\xBF";

/// One dispatched event, before any JSON parsing.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SseEvent {
    /// The `event` field (`message` when none was given).
    pub event: String,
    /// The `data` lines, joined with `\n`.
    pub data: String,
    /// The last event ID at dispatch time (empty until the server sets one).
    pub id: String,
}

/// One dispatched event, borrowed from the decoder and its current chunk.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Frame<'a> {
    /// The raw `event` field; empty when none was given (that is, `message`).
    pub(crate) event: &'a [u8],
    /// The raw `data` lines, joined with `\n` (UTF-8 not yet checked).
    pub(crate) data: &'a [u8],
    /// The last event ID at dispatch time (empty until the server sets one).
    pub(crate) id: &'a str,
}

impl Frame<'_> {
    /// The event type, `message` when the frame named none.
    pub(crate) fn event_name(&self) -> Cow<'_, str> {
        if self.event.is_empty() {
            Cow::Borrowed("message")
        } else {
            String::from_utf8_lossy(self.event)
        }
    }

    /// An owned copy, UTF-8 decoded as the standard says.
    #[cfg(test)]
    pub(crate) fn to_event(self) -> SseEvent {
        SseEvent {
            event: self.event_name().into_owned(),
            data: String::from_utf8_lossy(self.data).into_owned(),
            id: self.id.to_owned(),
        }
    }
}

/// The decoder broke its size limit; the stream cannot go on.
#[derive(Debug)]
pub(crate) struct TooLarge(pub usize);

/// Turns the chunks of one event stream into [`Frame`]s.
#[derive(Debug)]
pub(crate) struct Decoder {
    max: usize,
    /// The chunk being decoded, and how far.
    chunk: Bytes,
    pos: usize,
    /// The bytes of an unfinished line (the end of the previous chunk).
    line: Vec<u8>,
    started: bool,
    /// A CR ended the last chunk: an LF at the start of the next one is part of it.
    skip_lf: bool,
    /// The last `next_frame` returned a frame; its fields are reset on the next call.
    dispatched: bool,
    fields: Fields,
}

/// The fields of the event being read, and what persists between events.
#[derive(Debug, Default)]
struct Fields {
    /// The `event` field (empty: none).
    event: Vec<u8>,
    /// The data, when it is not `data_at`.
    data: Vec<u8>,
    /// The event's one data line so far, still in the current chunk (not copied).
    data_at: Option<Range<usize>>,
    has_data: bool,
    last_id: String,
    retry: Option<u64>,
    comments: u64,
}

impl Decoder {
    pub(crate) fn new(max: usize) -> Self {
        Self {
            max,
            chunk: Bytes::new(),
            pos: 0,
            line: Vec::new(),
            started: false,
            skip_lf: false,
            dispatched: false,
            fields: Fields::default(),
        }
    }

    /// The last valid `retry` value, in milliseconds.
    pub(crate) fn retry(&self) -> Option<u64> {
        self.fields.retry
    }

    /// Comment lines seen (heartbeats).
    #[cfg(test)]
    pub(crate) fn comments(&self) -> u64 {
        self.fields.comments
    }

    /// Bytes of an event that has begun but not been dispatched (a torn event at EOF).
    pub(crate) fn pending_bytes(&self) -> usize {
        if self.dispatched {
            return self.line.len();
        }
        self.line.len() + self.fields.data_len()
    }

    /// Take the next chunk. Call only once `next_frame` returned `None` for the last.
    pub(crate) fn push(&mut self, mut chunk: Bytes) {
        debug_assert!(self.pos >= self.chunk.len(), "the last chunk is not done");
        if !self.started {
            // The BOM may itself be split; wait for three bytes before deciding.
            if !self.line.is_empty() {
                let mut head = std::mem::take(&mut self.line);
                head.extend_from_slice(&chunk);
                chunk = Bytes::from(head);
            }
            if chunk.len() < 3 && BOM.starts_with(&chunk) {
                self.line.extend_from_slice(&chunk);
                return;
            }
            self.started = true;
            if chunk.starts_with(BOM) {
                chunk = chunk.slice(3..);
            }
        }
        self.pos = 0;
        if self.skip_lf && !chunk.is_empty() {
            // (an empty chunk leaves the question to the next one)
            self.skip_lf = false;
            if chunk.first() == Some(&b'\n') {
                self.pos = 1;
            }
        }
        self.chunk = chunk;
    }

    /// The next complete event of the current chunk; `None` when the chunk is used up
    /// (its unfinished line and event are kept for the next chunk).
    pub(crate) fn next_frame(&mut self) -> Result<Option<Frame<'_>>, TooLarge> {
        if std::mem::take(&mut self.dispatched) {
            self.fields.reset_event();
        }
        let max = self.max;
        while let Some(found) = scan::find_eol(&self.chunk[self.pos..]) {
            let (start, end) = (self.pos, self.pos + found);
            self.pos = end + 1;
            if self.chunk[end] == b'\r' {
                match self.chunk.get(self.pos) {
                    Some(b'\n') => self.pos += 1,
                    None => self.skip_lf = true,
                    _ => {}
                }
            }
            let dispatch = if self.line.is_empty() {
                let line = &self.chunk[start..end];
                self.fields.line(line, Some(start), &self.chunk, max)?
            } else {
                // The end of a line that began in an earlier chunk: never blank.
                let mut whole = std::mem::take(&mut self.line);
                whole.extend_from_slice(&self.chunk[start..end]);
                check(whole.len(), max)?;
                let done = self.fields.line(&whole, None, &self.chunk, max);
                whole.clear();
                if whole.capacity() <= KEEP_CAPACITY {
                    self.line = whole; // keep the allocation
                }
                done?
            };
            if dispatch {
                self.dispatched = true;
                let fields = &self.fields;
                let data = match &fields.data_at {
                    Some(at) => &self.chunk[at.clone()],
                    None => &fields.data[..],
                };
                return Ok(Some(Frame {
                    event: &fields.event,
                    data,
                    id: &fields.last_id,
                }));
            }
        }
        let rest = self.pos..self.chunk.len();
        check(self.line.len() + rest.len(), max)?;
        self.line.extend_from_slice(&self.chunk[rest]);
        // The event in progress may not point into a chunk that is let go.
        if let Some(at) = self.fields.data_at.take() {
            self.fields.data.extend_from_slice(&self.chunk[at]);
        }
        self.chunk = Bytes::new();
        self.pos = 0;
        Ok(None)
    }
}

fn check(size: usize, max: usize) -> Result<(), TooLarge> {
    if size > max {
        Err(TooLarge(max))
    } else {
        Ok(())
    }
}

impl Fields {
    fn data_len(&self) -> usize {
        self.data.len() + self.data_at.as_ref().map_or(0, Range::len)
    }

    /// One complete line; `at` is where it starts in `chunk` when it lies there.
    /// True when the line dispatches the event.
    fn line(
        &mut self,
        line: &[u8],
        at: Option<usize>,
        chunk: &[u8],
        max: usize,
    ) -> Result<bool, TooLarge> {
        if line.is_empty() {
            if self.has_data {
                return Ok(true);
            }
            self.event.clear(); // a blank line without data: nothing, the type resets
            return Ok(false);
        }
        if line[0] == b':' {
            self.comments += 1;
            return Ok(false);
        }
        let (name, value, value_start) = match line.iter().position(|&b| b == b':') {
            Some(i) => {
                let skip = usize::from(line.get(i + 1) == Some(&b' '));
                (&line[..i], &line[i + 1 + skip..], i + 1 + skip)
            }
            None => (line, &b""[..], line.len()),
        };
        match name {
            b"data" => {
                check(self.data_len() + value.len() + 1, max)?;
                match (at, self.has_data) {
                    // The usual one `data:` line in the chunk: left where it is.
                    (Some(at), false) => {
                        let start = at + value_start;
                        self.data_at = Some(start..start + value.len());
                    }
                    _ => {
                        if let Some(at) = self.data_at.take() {
                            self.data.extend_from_slice(&chunk[at]);
                        }
                        if self.has_data {
                            self.data.push(b'\n');
                        }
                        self.data.extend_from_slice(value);
                    }
                }
                self.has_data = true;
            }
            b"event" => {
                self.event.clear();
                self.event.extend_from_slice(value);
            }
            b"id" if !value.contains(&0) => {
                self.last_id.clear();
                match std::str::from_utf8(value) {
                    Ok(id) => self.last_id.push_str(id),
                    Err(_) => self.last_id.push_str(&String::from_utf8_lossy(value)),
                }
            }
            b"retry"
                if !value.is_empty()
                    && value.len() <= 15
                    && value.iter().all(u8::is_ascii_digit) =>
            {
                self.retry = std::str::from_utf8(value).ok().and_then(|v| v.parse().ok());
            }
            _ => {}
        }
        Ok(false)
    }

    /// A dispatched event's fields start again (`id` and `retry` persist).
    fn reset_event(&mut self) {
        self.event.clear();
        self.data_at = None;
        self.has_data = false;
        if self.data.capacity() > KEEP_CAPACITY {
            self.data = Vec::new();
        } else {
            self.data.clear();
        }
    }
}

#[cfg(test)]
mod tests;
