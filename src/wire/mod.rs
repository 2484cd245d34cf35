//! Serde types for every NMS and Notification Channel body: pure data, no I/O.
//!
//! Decoding is tolerant where real servers and clients differ (../shared/docs/nms-protocol.md §3):
//! bodies wrapped in their root element or bare, attribute values as a string or an
//! array, numbers as strings, `link` as one object or an array, unknown fields ignored.
//! Encoding is canonical: always wrapped, arrays always arrays, numbers as numbers.

pub mod bulk;
pub mod channel;
pub mod correlation;
pub mod envelope;
pub mod error;
pub mod folder;
pub mod lenient;
pub mod multipart;
pub mod names;
pub mod object;
pub mod search;
pub mod segment;
pub mod strict;
pub mod subscription;

pub use bulk::{BulkDelete, BulkOperation, BulkResponse, BulkResponseList, BulkUpdate};
pub use channel::{
    ChannelData, LargePollingNotification, Notification, NotificationChannel, NotificationChannelLifetime,
    NotificationChannelList, NotificationList,
};
pub use envelope::{Root, decode, decode_value, encode, encode_value};
pub use error::{ExceptionDetail, RequestError};
pub use folder::{Folder, FolderList};
pub use object::{
    Attribute, AttributeList, Empty, FlagList, FolderReferenceList, Object, ObjectList, ObjectReferenceList, PathList,
    PayloadPartInfo, Reference, ReferenceList, TargetSourceRef,
};
pub use search::{SearchCriteria, SearchCriterion, SelectionCriteria, SortCriterion};
pub use subscription::{
    CallbackReference, ChangedFolder, ChangedObject, DeletedFolder, DeletedObject, Link, NmsEvent, NmsEventList,
    NmsSubscription, NmsSubscriptionList, NmsSubscriptionUpdate,
};
