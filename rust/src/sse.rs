//! Incremental Server-Sent Events decoder: bytes in, raw events out.
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
//! Memory is bounded: a line or the data of one event over `max_event_bytes` is an
//! error, not a bigger buffer.

use std::collections::VecDeque;

/// The default limit of one line or one event's data (as the Python SDK).
pub const DEFAULT_MAX_EVENT_BYTES: usize = 16 * 1024 * 1024;

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

/// The decoder broke its size limit; the stream cannot go on.
#[derive(Debug)]
pub(crate) struct TooLarge(pub usize);

/// Turns chunks of one event stream into [`SseEvent`]s.
#[derive(Debug)]
pub(crate) struct Decoder {
    max: usize,
    /// The bytes of an unfinished line.
    line: Vec<u8>,
    started: bool,
    /// A CR ended the last chunk: an LF at the start of the next one is part of it.
    skip_lf: bool,
    event: Option<String>,
    data: String,
    has_data: bool,
    last_id: String,
    /// The last valid `retry` value, in milliseconds.
    pub(crate) retry: Option<u64>,
    /// Comment lines seen (heartbeats): a sign of life.
    pub(crate) comments: u64,
}

impl Decoder {
    pub(crate) fn new(max: usize) -> Self {
        Self {
            max,
            line: Vec::new(),
            started: false,
            skip_lf: false,
            event: None,
            data: String::new(),
            has_data: false,
            last_id: String::new(),
            retry: None,
            comments: 0,
        }
    }

    /// Bytes of an event that has begun but not been dispatched (a torn event at EOF).
    pub(crate) fn pending_bytes(&self) -> usize {
        self.line.len() + self.data.len()
    }

    /// Decode `chunk`, pushing every completed event to `out`.
    pub(crate) fn feed(
        &mut self,
        mut chunk: &[u8],
        out: &mut VecDeque<SseEvent>,
    ) -> Result<(), TooLarge> {
        if !self.started {
            // The BOM may itself be split; wait for three bytes before deciding.
            let mut head = std::mem::take(&mut self.line);
            head.extend_from_slice(chunk);
            if head.len() < 3 && b"\xEF\xBB\xBF".starts_with(&head) {
                self.line = head;
                return Ok(());
            }
            self.started = true;
            let body = head.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(&head).to_vec();
            return self.feed(&body, out);
        }
        if self.skip_lf {
            self.skip_lf = false;
            if chunk.first() == Some(&b'\n') {
                chunk = &chunk[1..];
            }
        }
        while let Some(end) = chunk.iter().position(|&b| b == b'\n' || b == b'\r') {
            let (line, rest) = chunk.split_at(end);
            let crlf = rest[0] == b'\r';
            chunk = &rest[1..];
            if crlf {
                match chunk.first() {
                    Some(b'\n') => chunk = &chunk[1..],
                    None => self.skip_lf = true,
                    _ => {}
                }
            }
            if self.line.is_empty() {
                self.line_done(line, out)?;
            } else {
                let mut whole = std::mem::take(&mut self.line);
                whole.extend_from_slice(line);
                self.check(whole.len())?;
                self.line_done(&whole, out)?;
                whole.clear();
                self.line = whole; // keep the allocation
            }
        }
        self.check(self.line.len() + chunk.len())?;
        self.line.extend_from_slice(chunk);
        Ok(())
    }

    fn check(&self, size: usize) -> Result<(), TooLarge> {
        if size > self.max {
            Err(TooLarge(self.max))
        } else {
            Ok(())
        }
    }

    fn line_done(&mut self, line: &[u8], out: &mut VecDeque<SseEvent>) -> Result<(), TooLarge> {
        if line.is_empty() {
            self.dispatch(out);
            return Ok(());
        }
        if line[0] == b':' {
            self.comments += 1;
            return Ok(());
        }
        let (name, value) = match line.iter().position(|&b| b == b':') {
            Some(i) => {
                let value = &line[i + 1..];
                (&line[..i], value.strip_prefix(b" ").unwrap_or(value))
            }
            None => (line, &b""[..]),
        };
        match name {
            b"data" => {
                self.check(self.data.len() + value.len() + 1)?;
                if self.has_data {
                    self.data.push('\n');
                }
                self.data.push_str(&String::from_utf8_lossy(value));
                self.has_data = true;
            }
            b"event" => self.event = Some(String::from_utf8_lossy(value).into_owned()),
            b"id" if !value.contains(&0) => {
                self.last_id = String::from_utf8_lossy(value).into_owned()
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
        Ok(())
    }

    fn dispatch(&mut self, out: &mut VecDeque<SseEvent>) {
        let event = self.event.take().filter(|e| !e.is_empty());
        if !self.has_data {
            return;
        }
        self.has_data = false;
        out.push_back(SseEvent {
            event: event.unwrap_or_else(|| "message".to_owned()),
            data: std::mem::take(&mut self.data),
            id: self.last_id.clone(),
        });
    }
}

#[cfg(test)]
mod tests;
