//! Which events of a session's stream belong to one turn (no I/O here).
//!
//! A turn is identified by the user message that started it: the `input.message` event
//! carrying that message, or any event whose context (or data) names it as
//! `input_message_id`. From then on the turn's events are those whose `turn_id` (in
//! the context, else in the data) is the turn's; events without a turn ID are taken
//! while the turn runs. The turn ends with `turn.completed`, `turn.failed` or
//! `turn.cancelled`.

use serde_json::Value;

use super::{TurnResult, TurnStatus};
use crate::models::{Message, TokenUsage};
use crate::{Event, EventData};

fn text(value: Option<&Value>) -> Option<String> {
    value
        .and_then(Value::as_str)
        .filter(|s| !s.is_empty())
        .map(str::to_owned)
}

/// Follows one turn through a session's events.
#[derive(Debug)]
pub(crate) struct Tracker {
    input_message_id: String,
    pub(crate) turn_id: Option<String>,
    pub(crate) events: Vec<Event>,
    pub(crate) end: Option<usize>,
    began: bool,
}

impl Tracker {
    pub(crate) fn new(input_message_id: String) -> Self {
        Self {
            input_message_id,
            turn_id: None,
            events: Vec::new(),
            end: None,
            began: false,
        }
    }

    /// Record `event` if it belongs to this turn (which has not ended); say whether it did.
    pub(crate) fn accept(&mut self, event: &Event) -> bool {
        if self.end.is_some() {
            return false;
        }
        let data = serde_json::to_value(&event.data).unwrap_or(Value::Null);
        let context = event.context.as_ref();
        let turn_id = context
            .and_then(|c| c.turn_id.clone())
            .filter(|s| !s.is_empty())
            .or_else(|| text(data.get("turn_id")));
        if self.starts_turn(event, &data) {
            self.began = true;
            if self.turn_id.is_none() {
                self.turn_id = turn_id;
            }
        } else if !self.began {
            return false;
        } else if let Some(turn_id) = turn_id {
            if self.turn_id.is_none() && event.event_type == "turn.started" {
                self.turn_id = Some(turn_id.clone());
            }
            if Some(&turn_id) != self.turn_id.as_ref() {
                return false;
            }
        }
        self.events.push(event.clone());
        if TurnStatus::from_end_event(&event.event_type).is_some() {
            self.end = Some(self.events.len() - 1);
        }
        true
    }

    fn starts_turn(&self, event: &Event, data: &Value) -> bool {
        let wanted = self.input_message_id.as_str();
        if event
            .context
            .as_ref()
            .and_then(|c| c.input_message_id.as_deref())
            == Some(wanted)
        {
            return true;
        }
        if data.get("input_message_id").and_then(Value::as_str) == Some(wanted) {
            return true;
        }
        event.event_type == "input.message"
            && data.pointer("/message/id").and_then(Value::as_str) == Some(wanted)
    }

    /// The result of the ended turn.
    pub(crate) fn result(&self, input_message: Option<Message>) -> TurnResult {
        let end = &self.events[self.end.expect("the turn has ended")];
        let data = serde_json::to_value(&end.data).unwrap_or(Value::Null);
        let status = TurnStatus::from_end_event(&end.event_type)
            .unwrap_or_else(|| TurnStatus::Unknown(end.event_type.clone()));
        let (error, error_code) = if status == TurnStatus::Failed {
            (
                Some(text(data.get("error")).unwrap_or_else(|| "the turn failed".into())),
                text(data.get("error_code")),
            )
        } else {
            (None, None)
        };
        let usage = data
            .get("usage")
            .and_then(|u| serde_json::from_value::<TokenUsage>(u.clone()).ok());
        TurnResult {
            status,
            turn_id: self.turn_id.clone(),
            message: self.final_message(text(data.get("final_message_id"))),
            events: self.events.clone(),
            input_message,
            error,
            error_code,
            usage: usage.or_else(|| self.last_usage()),
        }
    }

    fn final_message(&self, final_id: Option<String>) -> Option<Message> {
        let mut found = None;
        for event in &self.events {
            if let EventData::OutputMessageCompleted(data) = &event.data {
                if final_id.as_deref() == Some(data.message.id.as_str()) {
                    return Some(data.message.clone());
                }
                found = Some(data.message.clone());
            }
        }
        found
    }

    fn last_usage(&self) -> Option<TokenUsage> {
        self.events
            .iter()
            .rev()
            .find_map(|event| match &event.data {
                EventData::OutputMessageCompleted(data) => data.usage.clone(),
                _ => None,
            })
    }
}
