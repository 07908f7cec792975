//! Every agent, harness, model and capability operation against the local server.

mod common;

use everruns_sdk::models::{
    CreateAgentRequest, CreateAgentVersionRequest, CreateHarnessRequest, ForkAgentVersionRequest,
    GuardrailsDryRunRequest, PreviewAgentRequest, RollbackAgentVersionRequest, UpdateAgentRequest,
    UpdateHarnessRequest,
};
use everruns_sdk::resources::ListModels;
use everruns_sdk::{Error, Everruns};
use futures::TryStreamExt;

use common::unique;

fn client() -> Everruns {
    common::Server::shared().client()
}

#[tokio::test]
async fn create_turns_a_human_name_into_a_slug() {
    let client = client();
    let agent = client
        .agents()
        .create("Assistant", "You are a helpful assistant.")
        .await
        .unwrap();
    assert_eq!(agent.name, "assistant");
    assert_eq!(agent.display_name.as_deref(), Some("Assistant"));
    assert!(agent.id.starts_with("agent_"));
    assert_eq!(agent.status, "active");
}

#[tokio::test]
async fn get_update_copy_stats_delete() {
    let client = client();
    let agents = client.agents();
    let agent = agents.create(&unique("crud"), "Prompt one.").await.unwrap();
    assert_eq!(
        agents.get(&agent.id).await.unwrap().system_prompt,
        "Prompt one."
    );
    let mut change = UpdateAgentRequest::new();
    change.system_prompt = Some("Prompt two.".into());
    change.description = Some("changed".into());
    let updated = agents.update(&agent.id, change).await.unwrap();
    assert_eq!(updated.system_prompt, "Prompt two.");
    assert_eq!(updated.description.as_deref(), Some("changed"));
    let copy = agents.copy(&agent.id).await.unwrap();
    assert_ne!(copy.id, agent.id);
    assert_eq!(copy.system_prompt, "Prompt two.");
    let stats = agents.stats(&agent.id).await.unwrap();
    let stats = serde_json::to_value(stats).unwrap();
    assert!(stats.is_object());
    agents.delete(&agent.id).await.unwrap();
    let archived = agents.get(&agent.id).await.unwrap();
    assert_eq!(archived.status, "archived");
}

#[tokio::test]
async fn unknown_agents_are_not_found_with_a_request_id() {
    let err = client()
        .agents()
        .get("agent_00000000000000000000000000000000")
        .await
        .unwrap_err();
    assert!(matches!(err, Error::NotFound(_)), "{err:?}");
    assert_eq!(err.status(), Some(404));
    assert!(err.request_id().is_some());
    assert!(err.to_string().starts_with("HTTP 404"), "{err}");
}

#[tokio::test]
async fn apply_is_an_upsert_by_id_and_by_name() {
    let agents = client().agents();
    let id = format!(
        "agent_{:032x}",
        0x0193_0000_0000_7000_8000_0000_0000_0001u128 + rand_suffix()
    );
    let name = unique("applied");
    let first = agents.apply(&id, &name, "v1").await.unwrap();
    let second = agents.apply(&id, &name, "v2").await.unwrap();
    assert_eq!(first.id, id);
    assert_eq!(second.id, id);
    assert_eq!(second.system_prompt, "v2");
    let by_name = agents.apply_by_name(&name, "v3").await.unwrap();
    assert_eq!(by_name.id, id);
    assert!(matches!(
        agents.apply_by_name("Not A Slug", "x").await,
        Err(Error::Validation(_))
    ));
}

fn rand_suffix() -> u128 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_nanos()
        % 1_000_000_000
}

#[tokio::test]
async fn list_pages_and_list_all_walks_every_page() {
    let client = client();
    let tag = unique("listed");
    let params = common::tagged_agents(&client, &tag, 5, 2).await;
    let page = client.agents().list(params.clone()).await.unwrap();
    assert_eq!(page.data.len(), 2);
    assert_eq!(page.total, 5);
    assert!(page.has_next_page());
    let all: Vec<_> = client
        .agents()
        .list_all(params)
        .try_collect()
        .await
        .unwrap();
    let mut names: Vec<_> = all.iter().map(|a| a.name.clone()).collect();
    names.sort();
    assert_eq!(
        names,
        (0..5).map(|i| format!("{tag}-{i}")).collect::<Vec<_>>()
    );
}

#[tokio::test]
async fn import_and_export_round_trip() {
    let agents = client().agents();
    let name = unique("imported");
    let text = format!("---\nname: {name}\n---\nYou import well.\n");
    let agent = agents.import(&text, None).await.unwrap();
    assert_eq!(agent.name, name);
    let exported = agents.export(&agent.id).await.unwrap();
    assert!(exported.contains("You import well."), "{exported}");
}

#[tokio::test]
async fn analyze_previews_a_configuration() {
    let analysis = client()
        .agents()
        .analyze(PreviewAgentRequest::new("You search the web."))
        .await
        .unwrap();
    assert!(serde_json::to_value(analysis).unwrap().is_object());
}

#[tokio::test]
async fn versions_create_list_default_diff_fork_rollback() {
    let client = client();
    let agents = client.agents();
    let versions = agents.versions();
    let agent = agents.create(&unique("versioned"), "First.").await.unwrap();
    let v1 = versions
        .create(&agent.id, CreateAgentVersionRequest::new())
        .await
        .unwrap();
    let mut change = UpdateAgentRequest::new();
    change.system_prompt = Some("Second.".into());
    agents.update(&agent.id, change).await.unwrap();
    let mut request = CreateAgentVersionRequest::new();
    request.summary = Some("second".into());
    let v2 = versions.create(&agent.id, request).await.unwrap();
    let listed = versions.list(&agent.id).await.unwrap();
    assert!(listed.len() >= 2);
    let with_default = versions.set_default(&agent.id, &v1.id).await.unwrap();
    assert_eq!(
        with_default.default_version_id.as_deref(),
        Some(v1.id.as_str())
    );
    let diff = versions.diff(&agent.id, &v1.id, &v2.id).await.unwrap();
    assert!(serde_json::to_value(diff).unwrap().is_object());
    let fork_name = unique("forked");
    let fork = versions
        .fork(
            &agent.id,
            &v1.id,
            ForkAgentVersionRequest::new(fork_name.clone()),
        )
        .await
        .unwrap();
    assert_eq!(fork.name, fork_name);
    assert_eq!(fork.system_prompt, "First.");
    let rolled = versions
        .rollback(&agent.id, &v1.id, RollbackAgentVersionRequest::new())
        .await
        .unwrap();
    assert_eq!(rolled.system_prompt, "First.");
}

#[tokio::test]
async fn health_checks_run_list_get() {
    let client = client();
    let agent = client
        .agents()
        .create(&unique("healthy"), "p")
        .await
        .unwrap();
    let checks = client.agents().health_checks();
    let run = checks.run(&agent.id).await.unwrap();
    let listed = checks.list(&agent.id).await.unwrap();
    assert!(listed.iter().any(|r| r.id == run.id));
    assert_eq!(checks.get(&agent.id, &run.id).await.unwrap().id, run.id);
}

#[tokio::test]
async fn create_with_rejects_both_harness_fields() {
    let mut request = CreateAgentRequest::new("both", "p");
    request.harness_id = Some("harness_1".into());
    request.harness_name = Some("generic".into());
    assert!(matches!(
        client().agents().create_with(request).await,
        Err(Error::Validation(_))
    ));
}

#[tokio::test]
async fn harnesses_crud_and_examples() {
    let harnesses = client().harnesses();
    let name = unique("harness");
    let created = harnesses
        .create(CreateHarnessRequest::new(name.clone()))
        .await
        .unwrap();
    assert_eq!(harnesses.get(&created.id).await.unwrap().name, name);
    let listed = harnesses.list(Some(&name), None).await.unwrap();
    assert!(listed.iter().any(|h| h.id == created.id));
    let mut change = UpdateHarnessRequest::new();
    change.description = Some("described".into());
    assert_eq!(
        harnesses
            .update(&created.id, change)
            .await
            .unwrap()
            .description
            .as_deref(),
        Some("described")
    );
    harnesses.delete(&created.id).await.unwrap();
    let examples = harnesses.examples().await.unwrap();
    assert!(serde_json::to_value(examples).unwrap().is_array());
}

#[tokio::test]
async fn models_list_and_get() {
    let models = client().models();
    let all = models.list(ListModels::default()).await.unwrap();
    let first = all.first().expect("the local server lists models");
    assert_eq!(models.get(&first.id).await.unwrap().id, first.id);
}

#[tokio::test]
async fn capabilities_list_get_and_guardrails() {
    let capabilities = client().capabilities();
    let page = capabilities.list(None, None, Some(5)).await.unwrap();
    let first = page.data.first().expect("capabilities");
    assert_eq!(capabilities.get(&first.id).await.unwrap().id, first.id);
    let examples = capabilities.guardrail_examples().await.unwrap();
    assert!(
        !examples.is_empty(),
        "the local server offers guardrail examples"
    );
    let request = GuardrailsDryRunRequest::new(serde_json::Map::new(), "output".into(), "hello");
    let result = capabilities.dry_run_guardrails(request).await.unwrap();
    assert!(serde_json::to_value(result).unwrap().is_object());
}
