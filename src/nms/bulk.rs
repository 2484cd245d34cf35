//! Bulk operations: bulkCreation (multipart), bulkUpdate, bulkDelete (DELETE with a body,
//! POST when the server refuses that method).

use reqwest::Method;

use super::client::{Call, NmsClient, Reply};
use super::error::Error;
use super::objects::{NewObject, attachments_part, form_body};
use crate::wire::multipart;
use crate::wire::{self, BulkDelete, BulkResponseList, BulkUpdate, ObjectList};

impl NmsClient {
    fn bulk_list(&self, reply: &Reply) -> Result<BulkResponseList, Error> {
        if reply.is_empty() { Ok(BulkResponseList::default()) } else { self.decode(reply) }
    }

    /// `POST objects/operations/bulkCreation`: a `root-fields` part with
    /// `{"objectList":{"object":[…]}}`, then one `attachments` part per object, in order.
    /// Not retried on 5xx (objects may have been created).
    pub async fn bulk_create(&self, objs: &[NewObject]) -> Result<BulkResponseList, Error> {
        let list = ObjectList { object: objs.iter().map(|o| o.object.clone()).collect(), ..Default::default() };
        let mut parts = vec![multipart::form_part("root-fields", "application/json", wire::encode(&list))];
        parts.extend(objs.iter().map(|o| attachments_part(&o.parts)));
        let (ctype, body) = form_body(&parts);
        let mut call = Call::new(Method::POST, self.url(&["objects", "operations", "bulkCreation"])).raw(ctype, body);
        call.nwk_rsp = true;
        let reply = self.execute(call).await?;
        self.bulk_list(&reply)
    }

    /// `POST objects/operations/bulkUpdate`. Adding or removing flags is idempotent, so it
    /// is retried like a PUT.
    pub async fn bulk_update(&self, u: &BulkUpdate) -> Result<BulkResponseList, Error> {
        let mut call =
            Call::new(Method::POST, self.url(&["objects", "operations", "bulkUpdate"])).json(u).idempotent(true);
        call.nwk_rsp = true;
        let reply = self.execute(call).await?;
        self.bulk_list(&reply)
    }

    /// `DELETE objects/operations/bulkDelete` with a JSON body; on 405 (or 501) the same
    /// request is sent as POST, as AT&T-style servers expect.
    pub async fn bulk_delete(&self, d: &BulkDelete) -> Result<BulkResponseList, Error> {
        let url = self.url(&["objects", "operations", "bulkDelete"]);
        let mut call = Call::new(Method::DELETE, url.clone()).json(d);
        call.nwk_rsp = true;
        let reply = match self.execute(call.clone()).await {
            Err(e) if matches!(e.status(), Some(405 | 501)) => {
                call.method = Method::POST;
                self.execute(call).await?
            }
            other => other?,
        };
        self.bulk_list(&reply)
    }
}
