//! `raw_response`: the status, headers and request ID of real answers of the local
//! server, compared with what its request log says it sent.

mod common;

use everruns_sdk::models::{Agent, CreateAgentVersionRequest};
use everruns_sdk::{raw_response, Error, Everruns, RawResponse};
use futures::TryStreamExt;
use serde_json::Value;

use common::unique;

fn client() -> Everruns {
    common::Server::shared().client()
}

/// The entries of the server's request log for `method path` (any query), oldest first.
async fn logged(method: &str, path: &str) -> Vec<Value> {
    common::Server::shared()
        .requests()
        .await
        .into_iter()
        .filter(|r| r["method"] == method && r["path"] == path)
        .collect()
}

/// The request ID the server sent for the only `method path` it answered.
async fn sent_request_id(method: &str, path: &str) -> String {
    let entries = logged(method, path).await;
    assert_eq!(entries.len(), 1, "{method} {path}: {entries:?}");
    entries[0]["request_id"]
        .as_str()
        .expect("request_id")
        .to_owned()
}

#[tokio::test]
async fn a_get_answers_the_agent_with_its_status_headers_and_request_id() {
    let client = client();
    let agent = client
        .agents()
        .create(&unique("raw"), "Be brief.")
        .await
        .unwrap();
    let raw: RawResponse<Agent> = raw_response(client.agents().get(&agent.id)).await.unwrap();
    assert_eq!(raw.status(), 200);
    assert_eq!(raw.headers()["content-type"], "application/json");
    let path = format!("/v1/agents/{}", agent.id);
    let sent = sent_request_id("GET", &path).await;
    assert!(sent.starts_with("req_"), "{sent}");
    assert_eq!(raw.request_id(), Some(sent.as_str()));
    assert_eq!(raw.status, "active"); // the Agent's own field, through Deref
    let shown = format!("{raw:?}");
    let key = &common::Server::shared().api_key;
    assert!(
        shown.contains(&sent) && !shown.contains(key.as_str()),
        "{shown}"
    );
    let same = raw.into_inner();
    assert_eq!((same.id, same.name), (agent.id, agent.name));
}

#[tokio::test]
async fn a_nested_sub_client_and_a_body_less_answer() {
    let client = client();
    let agent = client
        .agents()
        .create(&unique("rawv"), "One.")
        .await
        .unwrap();
    let versions = client.agents().versions();
    let created = raw_response(versions.create(&agent.id, CreateAgentVersionRequest::new()))
        .await
        .unwrap();
    let path = format!("/v1/agents/{}/versions", agent.id);
    let post = logged("POST", &path).await.pop().expect("logged POST");
    assert_eq!(Value::from(created.status()), post["status"]);
    assert_eq!(created.request_id(), post["request_id"].as_str());
    let listed = raw_response(versions.list(&agent.id)).await.unwrap();
    assert_eq!(listed.status(), 200);
    let sent = sent_request_id("GET", &path).await;
    assert_eq!(listed.request_id(), Some(sent.as_str()));
    assert_eq!(listed.len(), 1);
    assert_eq!(listed[0].id, created.id);

    let deleted: RawResponse<()> = raw_response(client.agents().delete(&agent.id))
        .await
        .unwrap();
    let path = format!("/v1/agents/{}", agent.id);
    let entry = logged("DELETE", &path).await.pop().expect("logged DELETE");
    assert_eq!(Value::from(deleted.status()), entry["status"]);
    assert_eq!(deleted.request_id(), entry["request_id"].as_str());
}

#[tokio::test]
async fn a_call_beside_the_wrapper_is_not_recorded() {
    let client = client();
    let agents = client.agents();
    let (a, b) = (
        agents.create(&unique("rawa"), "A.").await.unwrap(),
        agents.create(&unique("rawb"), "B.").await.unwrap(),
    );
    // Both polled by this one task: only the wrapped future's answer is kept.
    let (raw, plain) = tokio::join!(raw_response(agents.get(&a.id)), agents.get(&b.id));
    let (raw, plain) = (raw.unwrap(), plain.unwrap());
    assert_eq!(
        (raw.id.as_str(), plain.id.as_str()),
        (a.id.as_str(), b.id.as_str())
    );
    let sent_a = sent_request_id("GET", &format!("/v1/agents/{}", a.id)).await;
    let sent_b = sent_request_id("GET", &format!("/v1/agents/{}", b.id)).await;
    assert_ne!(sent_a, sent_b);
    assert_eq!(raw.request_id(), Some(sent_a.as_str()));
    // A call made after the wrapper is done is an ordinary call.
    let after: Agent = agents.get(&a.id).await.unwrap();
    assert_eq!(after.id, a.id);
}

#[tokio::test]
async fn a_walk_over_pages_answers_the_last_page() {
    let client = client();
    let tag = unique("rawpage");
    let params = common::tagged_agents(&client, &tag, 2, 1).await;
    let raw = raw_response(async {
        client
            .agents()
            .list_all(params)
            .try_collect::<Vec<_>>()
            .await
    })
    .await
    .unwrap();
    assert_eq!(raw.len(), 2);
    let pages: Vec<Value> = logged("GET", "/v1/agents")
        .await
        .into_iter()
        .filter(|r| r["query"].as_str().is_some_and(|q| q.contains(&tag)))
        .collect();
    assert_eq!(pages.len(), 2, "{pages:?}");
    assert!(pages[1]["query"].as_str().unwrap().contains("offset=1"));
    assert_eq!(raw.request_id(), pages[1]["request_id"].as_str());
    assert_ne!(raw.request_id(), pages[0]["request_id"].as_str());
}

#[tokio::test]
async fn an_error_inside_the_wrapper_is_the_typed_error() {
    let client = client();
    let err = raw_response(client.agents().get("agent_missing_raw"))
        .await
        .unwrap_err();
    let Error::NotFound(api) = &err else {
        panic!("not NotFound: {err:?}");
    };
    assert_eq!(api.status(), 404);
    let sent = sent_request_id("GET", "/v1/agents/agent_missing_raw").await;
    assert_eq!(err.request_id(), Some(sent.as_str()));
    // Refused before any request: the client's own error, still typed.
    let invalid = raw_response(client.agents().get("")).await.unwrap_err();
    assert!(matches!(invalid, Error::Validation(_)), "{invalid:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_spawned_raw_call_on_a_multi_thread_runtime() {
    let client = client();
    let agent = client.agents().create(&unique("rawt"), "T.").await.unwrap();
    let agents = client.agents();
    let id = agent.id.clone();
    // `Send + 'static`: it can be spawned, and may move between threads as it runs.
    let task = tokio::spawn(async move { raw_response(agents.export(&id)).await });
    let raw: RawResponse<String> = task.await.unwrap().unwrap();
    assert_eq!(raw.status(), 200);
    let sent = sent_request_id("GET", &format!("/v1/agents/{}/export", agent.id)).await;
    assert_eq!(raw.request_id(), Some(sent.as_str()));
    let kind = raw.headers()["content-type"].to_str().unwrap();
    assert!(kind.starts_with("text/markdown"), "{kind}");
    assert!(raw.contains(&agent.name), "{}", *raw);
}
