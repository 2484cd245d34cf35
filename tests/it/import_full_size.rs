//! Issue 13's first done-when at full size: an SMS Backup & Restore file of 5,000 SMS and 200 MMS
//! (images, group MMS, emoji, entities, multi-line bodies, repeated "Ok"s) imports with every
//! field right and every MMS image byte-exact; the same file again creates nothing; a newer,
//! overlapping backup creates only its new messages.

use crate::cmd_support::Fixture;
use crate::import_support::full_cycle;

#[test]
fn smsbr_5000_sms_and_200_mms_import_once_each() {
    full_cycle(&Fixture::demo(), 5_000, 200);
}
