//! Pure converters between NMS objects and the files people hold or want (DESIGN.md
//! "formats" layer): no network, only `Read`/`Write`; may use `wire`, nothing higher.

pub mod smsbr;
