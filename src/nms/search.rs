//! Object search: one page, or a stream of pages with the cursor handled inside
//! (../shared/docs/nms-protocol.md §5.1; 204 and a missing cursor both end the stream).

use futures::Stream;
use reqwest::Method;

use super::client::{Call, NmsClient, Reply};
use super::error::Error;
use crate::wire::{Object, ObjectList, ObjectReferenceList, SelectionCriteria};

/// The root key of a one-key JSON object, if it is `name` (case-insensitive).
pub(crate) fn root_is(value: &serde_json::Value, name: &str) -> bool {
    value.as_object().is_some_and(|m| m.len() == 1 && m.keys().all(|k| k.eq_ignore_ascii_case(name)))
}

/// The next cursor to send, or `None` when paging is over: no cursor, an empty one, or the
/// one just sent (a server that repeats itself would otherwise loop forever).
pub(crate) fn next_cursor(answered: Option<&str>, sent: Option<&str>) -> Option<String> {
    match answered {
        Some(c) if !c.is_empty() && Some(c) != sent => Some(c.to_string()),
        _ => None,
    }
}

impl NmsClient {
    /// `POST objects/operations/search`: one page. 204 or an empty body is an empty page; an
    /// `objectReferenceList` answer (a spec alternative) becomes objects with only their URL.
    pub async fn search_page(&self, c: &SelectionCriteria) -> Result<ObjectList, Error> {
        let call = Call::new(Method::POST, self.url(&["objects", "operations", "search"])).json(c).idempotent(true);
        let reply = self.execute(call).await?;
        self.object_list(&reply)
    }

    fn object_list(&self, reply: &Reply) -> Result<ObjectList, Error> {
        if reply.is_empty() {
            return Ok(ObjectList::default());
        }
        // Most pages are an objectList: decoded without building a `Value` of the whole page
        // first (a tenth of a first-time sync's client instructions went to that detour).
        if let Some(list) = self.decode_wrapped::<ObjectList>(reply) {
            return Ok(list);
        }
        let value = reply.json()?;
        if root_is(&value, "objectReferenceList") {
            let refs: ObjectReferenceList = self.decode_value(reply, value)?;
            let object = refs
                .object_reference
                .into_iter()
                .map(|r| Object { resource_url: Some(r.resource_url), path: r.path, ..Default::default() })
                .collect();
            return Ok(ObjectList { object, ..Default::default() });
        }
        self.decode_value(reply, value)
    }

    /// All pages of a search, fetched one at a time as the stream is polled (constant
    /// memory). The criteria's `fromCursor` is where it starts; the stream ends after an
    /// error.
    pub fn search_stream(
        &self,
        c: SelectionCriteria,
    ) -> impl Stream<Item = Result<ObjectList, Error>> + Send + Unpin + use<> {
        let client = self.clone();
        Box::pin(futures::stream::try_unfold(Some(c), move |state| {
            let client = client.clone();
            async move {
                let Some(mut c) = state else { return Ok(None) };
                let page = client.search_page(&c).await?;
                let next = next_cursor(page.cursor.as_deref(), c.from_cursor.as_deref()).map(|cur| {
                    c.from_cursor = Some(cur);
                    c
                });
                Ok(Some((page, next)))
            }
        }))
    }
}
