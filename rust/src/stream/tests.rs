use super::*;

fn stream(options: StreamOptions) -> EventStream {
    let client = crate::Everruns::builder()
        .api_key("evr_test")
        .base_url("http://127.0.0.1:9/api")
        .build()
        .unwrap();
    EventStream::new(
        client.transport,
        "session_1",
        "/v1/sessions/session_1/sse".into(),
        options,
    )
}

fn delay(stream: &EventStream) -> Duration {
    match stream.state {
        State::Idle(delay) => delay,
        _ => panic!("not waiting"),
    }
}

#[test]
fn the_stream_is_unpin_and_send() {
    fn check<T: Unpin + Send + 'static>() {}
    check::<EventStream>();
}

#[test]
fn backoff_doubles_with_jitter_and_is_capped() {
    let mut s = stream(StreamOptions::default());
    for (n, base) in [1.0, 2.0, 4.0, 8.0, 16.0, 30.0, 30.0]
        .into_iter()
        .enumerate()
    {
        s.fail(Error::connection("x"), None).unwrap();
        let d = delay(&s).as_secs_f64();
        assert!(
            d <= base && d >= base * 0.9 - 1e-9,
            "failure {}: {d}",
            n + 1
        );
    }
}

#[test]
fn retry_after_is_a_floor_capped_at_five_minutes() {
    let mut s = stream(StreamOptions::default());
    s.fail(Error::connection("x"), Some(Duration::from_secs(7)))
        .unwrap();
    assert_eq!(delay(&s), Duration::from_secs(7));
    s.fail(Error::connection("x"), Some(Duration::from_secs(3600)))
        .unwrap();
    assert_eq!(delay(&s), Duration::from_secs(300));
}

#[test]
fn events_reset_the_count_and_max_retries_ends_it() {
    let mut s = stream(StreamOptions::default().max_retries(1));
    s.fail(Error::connection("x"), None).unwrap();
    let frame = Frame {
        event: b"connected",
        data: "{}".as_bytes(),
        id: "",
    };
    assert!(s.frame(frame).is_none(), "lifecycle events are consumed");
    assert_eq!(s.failures, 0);
    s.fail(Error::connection("x"), None).unwrap();
    let err = s.fail(Error::connection("last"), None).unwrap_err();
    assert!(
        err.to_string().contains("max_retries=1") && err.to_string().contains("last"),
        "{err}"
    );
}

#[test]
fn disconnecting_plans_a_reconnect_that_is_not_a_failure() {
    let mut s = stream(StreamOptions::default().max_retries(0));
    let frame = Frame {
        event: b"disconnecting",
        data: r#"{"retry_ms":250}"#.as_bytes(),
        id: "",
    };
    assert!(s.frame(frame).is_none());
    s.ended(None).unwrap();
    assert_eq!(delay(&s), Duration::from_millis(250));
    assert_eq!(s.failures, 0);
    let frame = Frame {
        event: b"disconnecting",
        data: "{}".as_bytes(),
        id: "",
    };
    s.frame(frame);
    s.ended(None).unwrap();
    assert_eq!(delay(&s), DEFAULT_PLANNED_DELAY);
    assert!(
        s.ended(None).is_err(),
        "an EOF without disconnecting is a failure (max_retries 0)"
    );
    // Without retry_ms, the connection's `retry:` hint, even one after the frame.
    let mut s = stream(StreamOptions::default().max_retries(0));
    s.frame(Frame {
        event: b"disconnecting",
        data: b"{}",
        id: "",
    });
    s.decoder.push(Bytes::from_static(b"retry: 40\n"));
    assert!(s.decoder.next_frame().unwrap().is_none());
    s.ended(None).unwrap();
    assert_eq!(delay(&s), Duration::from_millis(40));
}

#[test]
fn lifecycle_events_are_yielded_on_request_and_ids_advance() {
    let mut s = stream(StreamOptions::default().include_lifecycle(true));
    let frame = Frame {
        event: b"connected",
        data: r#"{"status":"connected"}"#.as_bytes(),
        id: "",
    };
    let event = s.frame(frame).unwrap().unwrap();
    assert_eq!(event.event_type, "connected");
    assert_eq!(event.session_id, "session_1");
    let data = r#"{"id":"event_2","type":"x.y","ts":"t","session_id":"session_1","data":{}}"#;
    s.frame(Frame {
        event: b"x.y",
        data: data.as_bytes(),
        id: "event_2",
    })
    .unwrap()
    .unwrap();
    assert_eq!(s.last_event_id(), Some("event_2"));
    let bad = s
        .frame(Frame {
            event: b"x.y",
            data: "{not json".as_bytes(),
            id: "",
        })
        .unwrap();
    assert!(matches!(bad, Err(Error::Decode { .. })));
}
