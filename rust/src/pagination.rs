//! Pages of list results, and a stream that walks every page.

use std::future::Future;
use std::pin::Pin;

use futures_core::Stream;

use crate::Error;

/// One page of a paginated list.
#[derive(Clone, Debug, PartialEq)]
#[non_exhaustive]
pub struct Page<T> {
    /// The items of this page.
    pub data: Vec<T>,
    /// Items in the whole list.
    pub total: u64,
    /// Position of the first item of this page in the list.
    pub offset: u64,
    /// Page size asked for.
    pub limit: u64,
}

impl<T> Page<T> {
    /// Whether items follow this page.
    pub fn has_next_page(&self) -> bool {
        !self.data.is_empty() && self.offset + (self.data.len() as u64) < self.total
    }

    /// The offset of the next page, if there is one.
    pub fn next_offset(&self) -> Option<u64> {
        self.has_next_page()
            .then(|| self.offset + self.data.len() as u64)
    }
}

/// Every item of a paginated list, fetching pages as they are needed.
pub type ItemStream<T> = Pin<Box<dyn Stream<Item = Result<T, Error>> + Send>>;

type Fetch<T> =
    Box<dyn Fn(u64) -> Pin<Box<dyn Future<Output = Result<Page<T>, Error>> + Send>> + Send + Sync>;

/// The items of every page that `fetch(offset)` returns, from offset 0.
pub(crate) fn walk<T: Send + 'static>(fetch: Fetch<T>) -> ItemStream<T> {
    let state = (Some(0u64), Vec::<T>::new().into_iter(), fetch);
    Box::pin(futures_util::stream::try_unfold(
        state,
        |(mut next, mut items, fetch)| async move {
            loop {
                if let Some(item) = items.next() {
                    return Ok(Some((item, (next, items, fetch))));
                }
                let Some(offset) = next else { return Ok(None) };
                let page = fetch(offset).await?;
                next = page.next_offset();
                items = page.data.into_iter();
            }
        },
    ))
}

pub(crate) fn boxed_fetch<T, F, Fut>(f: F) -> Fetch<T>
where
    F: Fn(u64) -> Fut + Send + Sync + 'static,
    Fut: Future<Output = Result<Page<T>, Error>> + Send + 'static,
{
    Box::new(move |offset| Box::pin(f(offset)))
}
