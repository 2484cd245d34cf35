//! The async NMS / Notification Channel client over reqwest: typed calls, paging streams, retries. Never prints.
