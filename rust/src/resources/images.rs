//! `client.images()`: upload images for messages, list, fetch and delete them.

use bytes::Bytes;

use super::{seg, Base, Call};
use crate::generated::{ImageInfo, ImageUploadResponse};
use crate::{Error, Everruns};

/// Images to refer to from message content parts.
#[derive(Clone, Debug)]
pub struct Images(Base);

/// The content type of image bytes, from their first bytes.
fn sniff(data: &[u8]) -> Option<&'static str> {
    const SIGNATURES: [(&[u8], &str); 4] = [
        (b"\x89PNG\r\n\x1a\n", "image/png"),
        (b"\xff\xd8\xff", "image/jpeg"),
        (b"GIF8", "image/gif"),
        (b"RIFF", "image/webp"),
    ];
    SIGNATURES
        .iter()
        .find(|(magic, _)| data.starts_with(magic))
        .map(|(_, kind)| *kind)
}

impl Images {
    pub(crate) fn new(client: &Everruns) -> Self {
        Self(Base::new(client))
    }

    /// Upload an image (multipart `file` field); the content type is `content_type`,
    /// else sniffed from the bytes. Use the returned `id` in an `image_file` part.
    pub async fn upload(
        &self,
        data: impl Into<Bytes>,
        filename: &str,
        content_type: Option<&str>,
        session_id: Option<&str>,
    ) -> Result<ImageUploadResponse, Error> {
        let data = data.into();
        let kind = content_type
            .or_else(|| sniff(&data))
            .unwrap_or("application/octet-stream");
        if [filename, kind]
            .iter()
            .any(|v| v.contains(['"', '\r', '\n']))
        {
            return Err(Error::Validation(
                "filename and content type must not contain quotes or line breaks".into(),
            ));
        }
        let boundary = format!(
            "everruns-{:016x}",
            (crate::retry::random_unit() * u64::MAX as f64) as u64
        );
        let mut body = format!(
            "--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{filename}\"\r\nContent-Type: {kind}\r\n\r\n"
        )
        .into_bytes();
        body.extend_from_slice(&data);
        body.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
        let call = Call::post("/v1/images".into())
            .query("session_id", session_id)
            .raw_typed(format!("multipart/form-data; boundary={boundary}"), body)?;
        self.0.json(call).await
    }

    /// Images, `limit` at a time from `offset`.
    pub async fn list(
        &self,
        limit: Option<u64>,
        offset: Option<u64>,
    ) -> Result<Vec<ImageInfo>, Error> {
        self.0
            .list(
                Call::get("/v1/images".into())
                    .query("limit", limit)
                    .query("offset", offset),
            )
            .await
    }

    /// The metadata of one image (the API has no endpoint for it: this pages through
    /// `list`, 100 at a time, and answers `NotFound` when no image has this ID).
    pub async fn get(&self, image_id: &str) -> Result<ImageInfo, Error> {
        let mut offset = 0;
        loop {
            let page = self.list(Some(100), Some(offset)).await?;
            let n = page.len() as u64;
            if let Some(found) = page.into_iter().find(|i| i.id == image_id) {
                return Ok(found);
            }
            if n < 100 {
                let message = format!("image {image_id} not found");
                return Err(Error::from_api(crate::error::ApiError::synthetic(
                    404,
                    "not_found",
                    message,
                )));
            }
            offset += n;
        }
    }

    /// The image bytes.
    pub async fn content(&self, image_id: &str) -> Result<Bytes, Error> {
        self.0
            .bytes(
                Call::get(format!("/v1/images/{}", seg("image_id", image_id)?)).accept("image/*"),
            )
            .await
    }

    /// The thumbnail bytes (JPEG).
    pub async fn thumbnail(&self, image_id: &str) -> Result<Bytes, Error> {
        self.0
            .bytes(
                Call::get(format!(
                    "/v1/images/{}/thumbnail",
                    seg("image_id", image_id)?
                ))
                .accept("image/*"),
            )
            .await
    }

    /// Delete an image.
    pub async fn delete(&self, image_id: &str) -> Result<(), Error> {
        self.0
            .empty(Call::delete(format!(
                "/v1/images/{}",
                seg("image_id", image_id)?
            )))
            .await
    }
}
