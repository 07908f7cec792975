use super::*;

/// Push one chunk and collect the events it completes.
fn feed(decoder: &mut Decoder, chunk: &[u8], out: &mut Vec<SseEvent>) -> Result<(), TooLarge> {
    decoder.push(Bytes::copy_from_slice(chunk));
    while let Some(frame) = decoder.next_frame()? {
        out.push(frame.to_event());
    }
    Ok(())
}

fn decode(chunks: &[&[u8]]) -> Vec<SseEvent> {
    let mut decoder = Decoder::new(1024);
    let mut out = Vec::new();
    for chunk in chunks {
        feed(&mut decoder, chunk, &mut out).unwrap();
    }
    out
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
    let mut out = Vec::new();
    feed(
        &mut decoder,
        b": heartbeat\nretry: 12x\n\nretry: 300\nid: a\0b\nid: ok\ndata: z\n\n",
        &mut out,
    )
    .unwrap();
    assert_eq!(decoder.comments(), 1);
    assert_eq!(decoder.retry(), Some(300));
    assert_eq!(out[0].id, "ok");
}

#[test]
fn torn_events_are_never_delivered() {
    let mut decoder = Decoder::new(1024);
    let mut out = Vec::new();
    feed(
        &mut decoder,
        b"data: whole\n\nevent: t\ndata: {\"half\":",
        &mut out,
    )
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
    let mut out = Vec::new();
    let long = vec![b'x'; 40];
    feed(&mut decoder, b"data: ", &mut out).unwrap();
    feed(&mut decoder, &long, &mut out).unwrap();
    assert!(feed(&mut decoder, &long, &mut out).is_err());
    let mut decoder = Decoder::new(64);
    let line = [b"data: ".as_slice(), &[b'y'; 30], b"\n"].concat();
    feed(&mut decoder, &line, &mut out).unwrap();
    feed(&mut decoder, &line, &mut out).unwrap();
    assert!(feed(&mut decoder, &line, &mut out).is_err());
    // The same inside one chunk, where the data is not copied.
    let mut decoder = Decoder::new(64);
    let text = [line.as_slice(), &line, &line, b"\n"].concat();
    assert!(feed(&mut decoder, &text, &mut out).is_err());
    let mut decoder = Decoder::new(64);
    let one = [b"data: ".as_slice(), &[b'z'; 64], b"\n\n"].concat();
    assert!(feed(&mut decoder, &one, &mut out).is_err());
    assert!(out.is_empty());
}

#[test]
fn every_split_of_a_mixed_stream_decodes_the_same() {
    let text: &[u8] = b"\xEF\xBB\xBFretry: 50\r\n: c\revent: a\nid: 1\ndata: {\"k\":\"\xC3\xA9\"}\n\n\
        data: x\r\ndata: y\r\n\r\nevent: b\rdata\r\rdata:no-space\n\nid: 2\nevent: c\n\ndata: z\n\n";
    let whole = decode(&[text]);
    assert_eq!(
        whole,
        vec![
            ev("a", "{\"k\":\"\u{e9}\"}", "1"),
            ev("message", "x\ny", "1"),
            ev("b", "", "1"),
            ev("message", "no-space", "1"),
            ev("message", "z", "2"),
        ]
    );
    for i in 0..=text.len() {
        for j in i..=text.len() {
            assert_eq!(
                decode(&[&text[..i], &text[i..j], &text[j..]]),
                whole,
                "split at {i}, {j}"
            );
        }
    }
}

#[test]
fn frames_borrow_one_data_line_and_join_several() {
    let mut decoder = Decoder::new(1024);
    let chunk = Bytes::from_static(b"event: e\ndata: one\n\ndata: a\ndata: b\n\ndata: torn");
    decoder.push(chunk.clone());
    let frame = decoder.next_frame().unwrap().unwrap();
    assert_eq!((frame.event, frame.data), (&b"e"[..], &b"one"[..]));
    assert!(
        chunk.as_ptr_range().contains(&frame.data.as_ptr()),
        "not copied"
    );
    let frame = decoder.next_frame().unwrap().unwrap();
    assert_eq!(
        (frame.event_name(), frame.data),
        ("message".into(), &b"a\nb"[..])
    );
    assert!(decoder.next_frame().unwrap().is_none());
    assert_eq!(decoder.pending_bytes(), "data: torn".len());
    decoder.push(Bytes::from_static(b"\n\n"));
    assert_eq!(decoder.next_frame().unwrap().unwrap().data, b"torn");
}
