//! Workspaces and their files, memories and their files, images: against the local server.

mod common;

use everruns_sdk::models::{
    CreateFileRequest, CreateMemoryFileRequest, CreateMemoryRequest, CreateMemorySourceRequest,
    CreateWorkspaceRequest, GetPathResponse, GitHubMemorySourceRequest, UpdateFileRequest,
    UpdateMemoryFileRequest, UpdateMemoryRequest, UpdateWorkspaceRequest,
};
use everruns_sdk::resources::MemoryEntry;
use everruns_sdk::{Error, Everruns};

fn client() -> Everruns {
    common::Server::shared().client()
}

fn text_file(content: &str) -> CreateFileRequest {
    let mut request = CreateFileRequest::new();
    request.content = Some(content.into());
    request
}

#[tokio::test]
async fn workspaces_crud() {
    let workspaces = client().workspaces();
    let created = workspaces
        .create(CreateWorkspaceRequest::new("scratch"))
        .await
        .unwrap();
    assert_eq!(workspaces.get(&created.id).await.unwrap().name, "scratch");
    assert!(workspaces
        .list(None, None)
        .await
        .unwrap()
        .iter()
        .any(|w| w.id == created.id));
    let mut change = UpdateWorkspaceRequest::new();
    change.description = Some("changed".into());
    assert_eq!(
        workspaces
            .update(&created.id, change)
            .await
            .unwrap()
            .description
            .as_deref(),
        Some("changed")
    );
    workspaces.delete(&created.id).await.unwrap();
}

#[tokio::test]
async fn workspace_files_every_operation() {
    let client = client();
    let ws = client
        .workspaces()
        .create(CreateWorkspaceRequest::new("files"))
        .await
        .unwrap()
        .id;
    let files = client.workspace_files();
    // A name that needs encoding: space, `?`, `#` and non-ASCII stay inside their segment.
    let path = "notes/a b?#é.txt";
    let created = files
        .create(&ws, path, text_file("hello world"))
        .await
        .unwrap();
    assert_eq!(created.content.as_deref(), Some("hello world"));
    match files.get(&ws, path, None).await.unwrap() {
        GetPathResponse::SessionFile(file) => {
            assert_eq!(file.content.as_deref(), Some("hello world"))
        }
        other => panic!("{other:?}"),
    }
    match files.get(&ws, "notes", None).await.unwrap() {
        GetPathResponse::FileInfoList(list) => assert_eq!(list.data.len(), 1),
        other => panic!("{other:?}"),
    }
    let mut change = UpdateFileRequest::new();
    change.content = Some("changed".into());
    assert_eq!(
        files
            .update(&ws, path, change)
            .await
            .unwrap()
            .content
            .as_deref(),
        Some("changed")
    );
    let root = files.list_root(&ws, Some(true)).await.unwrap();
    assert!(
        root.iter().any(|f| f.path.ends_with("a b?#é.txt")),
        "{root:?}"
    );
    let moved = files.move_file(&ws, path, "moved.txt").await.unwrap();
    assert_eq!(moved.path, "/moved.txt");
    let copied = files.copy_file(&ws, "moved.txt", "copy.txt").await.unwrap();
    assert_eq!(copied.path, "/copy.txt");
    let hits = files.grep(&ws, "chang", None).await.unwrap();
    assert_eq!(hits.len(), 2, "{hits:?}");
    let stat = files.stat(&ws, "copy.txt").await.unwrap();
    assert!(!stat.is_directory);
    files.delete(&ws, "copy.txt", None).await.unwrap();
    assert!(matches!(
        files.get(&ws, "copy.txt", None).await,
        Err(Error::NotFound(_))
    ));
    assert!(matches!(
        files.get(&ws, "../etc/passwd", None).await,
        Err(Error::Validation(_))
    ));
}

#[tokio::test]
async fn memories_crud_and_sync() {
    let memories = client().memories();
    let manual = memories
        .create(CreateMemoryRequest::new("manual-notes"))
        .await
        .unwrap();
    assert_eq!(memories.get(&manual.id).await.unwrap().name, "manual-notes");
    assert!(memories
        .list(None, None)
        .await
        .unwrap()
        .iter()
        .any(|m| m.id == manual.id));
    let mut change = UpdateMemoryRequest::new();
    change.description = Some("described".into());
    assert_eq!(
        memories
            .update(&manual.id, change)
            .await
            .unwrap()
            .description
            .as_deref(),
        Some("described")
    );
    assert!(matches!(
        memories.sync(&manual.id).await,
        Err(Error::BadRequest(_))
    ));
    let mut git = CreateMemoryRequest::new("git-notes");
    git.source = Some(CreateMemorySourceRequest::Github(
        GitHubMemorySourceRequest::new("everruns/docs"),
    ));
    let synced = memories
        .sync(&memories.create(git).await.unwrap().id)
        .await
        .unwrap();
    assert!(serde_json::to_value(&synced).unwrap()["sync_status"].is_string());
    memories.delete(&manual.id).await.unwrap();
}

#[tokio::test]
async fn memory_files_every_operation() {
    let client = client();
    let memory = client
        .memories()
        .create(CreateMemoryRequest::new("filed"))
        .await
        .unwrap()
        .id;
    let files = client.memory_files();
    let mut request = CreateMemoryFileRequest::new();
    request.content = Some("remember the milk".into());
    files
        .create(&memory, "lists/shopping.md", request)
        .await
        .unwrap();
    match files.get(&memory, "lists/shopping.md").await.unwrap() {
        MemoryEntry::File(file) => assert_eq!(file.content, "remember the milk"),
        other => panic!("{other:?}"),
    }
    assert!(
        matches!(files.get(&memory, "lists").await.unwrap(), MemoryEntry::Directory { data } if data.len() == 1)
    );
    let mut change = UpdateMemoryFileRequest::new();
    change.content = Some("remember the eggs".into());
    files
        .update(&memory, "lists/shopping.md", change)
        .await
        .unwrap();
    assert!(!files.list_root(&memory).await.unwrap().is_empty());
    assert_eq!(
        &files.download(&memory, "lists/shopping.md").await.unwrap()[..],
        b"remember the eggs"
    );
    assert_eq!(files.grep(&memory, "eggs", None).await.unwrap().len(), 1);
    assert!(
        serde_json::to_value(files.stat(&memory, "lists/shopping.md").await.unwrap())
            .unwrap()
            .is_object()
    );
    files.delete(&memory, "lists/shopping.md").await.unwrap();
    assert!(matches!(
        files.get(&memory, "lists/shopping.md").await,
        Err(Error::NotFound(_))
    ));
}

#[tokio::test]
async fn images_upload_list_get_content_thumbnail_delete() {
    let images = client().images();
    let png = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x01\0\0\0\x01\x08\x06\0\0\0\x1f\x15\xc4\x89\0\0\0\rIDATx\x9cc\xf8\xcf\xc0\xf0\x1f\0\x05\0\x01\xff\x89\x99=\x1d\0\0\0\0IEND\xaeB`\x82";
    let uploaded = images
        .upload(png.to_vec(), "dot.png", None, None)
        .await
        .unwrap();
    assert_eq!(uploaded.content_type, "image/png");
    assert_eq!(uploaded.size_bytes as usize, png.len());
    assert!(images
        .list(None, None)
        .await
        .unwrap()
        .iter()
        .any(|i| i.id == uploaded.id));
    assert_eq!(images.get(&uploaded.id).await.unwrap().id, uploaded.id);
    assert_eq!(&images.content(&uploaded.id).await.unwrap()[..], &png[..]);
    assert!(!images.thumbnail(&uploaded.id).await.unwrap().is_empty());
    images.delete(&uploaded.id).await.unwrap();
    assert!(matches!(
        images.get(&uploaded.id).await,
        Err(Error::NotFound(_))
    ));
}
