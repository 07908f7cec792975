use super::*;

fn decode(chunks: &[&[u8]]) -> Vec<SseEvent> {
    let mut decoder = Decoder::new(1024);
    let mut out = VecDeque::new();
    for chunk in chunks {
        decoder.feed(chunk, &mut out).unwrap();
    }
    out.into_iter().collect()
}

fn ev(event: &str, data: &str, id: &str) -> SseEvent {
    SseEvent {
        event: event.into(),
        data: data.into(),
        id: id.into(),
    }
}

#[test]
fn the_usual_shape() {
    let got = decode(&[b"event: turn.started\nid: event_1\ndata: {\"a\":1}\n\n"]);
    assert_eq!(got, vec![ev("turn.started", "{\"a\":1}", "event_1")]);
}

#[test]
fn every_line_ending_and_split_crlf() {
    let got = decode(&[
        b"data: a\r",
        b"\ndata: b\rdata: c\r\n\r",
        b"\n",
        b"data: d\n\n",
    ]);
    assert_eq!(
        got,
        vec![ev("message", "a\nb\nc", ""), ev("message", "d", "")]
    );
}

#[test]
fn byte_by_byte_equals_whole() {
    let text =
        b"\xEF\xBB\xBF: hi\nevent: x\nid: 7\ndata:1\ndata:  2\nretry: 250\n\ndata\n\nid: 8\n\n";
    let whole = decode(&[text]);
    let bytes: Vec<&[u8]> = text.chunks(1).collect();
    assert_eq!(decode(&bytes), whole);
    assert_eq!(whole, vec![ev("x", "1\n 2", "7"), ev("message", "", "7")]);
}

#[test]
fn comments_retry_and_ids() {
    let mut decoder = Decoder::new(1024);
    let mut out = VecDeque::new();
    decoder
        .feed(
            b": heartbeat\nretry: 12x\n\nretry: 300\nid: a\0b\nid: ok\ndata: z\n\n",
            &mut out,
        )
        .unwrap();
    assert_eq!(decoder.comments, 1);
    assert_eq!(decoder.retry, Some(300));
    assert_eq!(out.pop_front().unwrap().id, "ok");
}

#[test]
fn torn_events_are_never_delivered() {
    let mut decoder = Decoder::new(1024);
    let mut out = VecDeque::new();
    decoder
        .feed(b"data: whole\n\nevent: t\ndata: {\"half\":", &mut out)
        .unwrap();
    assert_eq!(out.len(), 1);
    assert!(decoder.pending_bytes() > 0);
}

#[test]
fn invalid_utf8_becomes_replacement() {
    let got = decode(&[b"data: a\xFFb\n\n"]);
    assert_eq!(got[0].data, "a\u{FFFD}b");
}

#[test]
fn endless_lines_and_events_hit_the_limit() {
    let mut decoder = Decoder::new(64);
    let mut out = VecDeque::new();
    let long = vec![b'x'; 40];
    decoder.feed(b"data: ", &mut out).unwrap();
    decoder.feed(&long, &mut out).unwrap();
    assert!(decoder.feed(&long, &mut out).is_err());
    let mut decoder = Decoder::new(64);
    let line = [b"data: ".as_slice(), &[b'y'; 30], b"\n"].concat();
    decoder.feed(&line, &mut out).unwrap();
    decoder.feed(&line, &mut out).unwrap();
    assert!(decoder.feed(&line, &mut out).is_err());
}
