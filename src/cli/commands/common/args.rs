//! The clap forms of message fields (`put`'s attributes, `search`'s filters); each turns
//! into its library type in `message`, which does the work.

use jiff::Timestamp;

use crate::message::compose::Compose;
use crate::message::criteria::{Filter, Filters};
use crate::wire::SearchCriteria;

/// Message attributes given as flags to `put`.
#[derive(Debug, Clone, Default, clap::Args)]
pub struct ComposeArgs {
    /// Message context: sms, mms, chat, file, standalone, … or a full Message-Context value.
    #[arg(long, value_name = "CONTEXT")]
    pub context: Option<String>,
    /// Sender address (From).
    #[arg(long, value_name = "ADDR")]
    pub from: Option<String>,
    /// Recipient address (To); repeatable.
    #[arg(long, value_name = "ADDR")]
    pub to: Vec<String>,
    /// Message date: RFC 3339, a day, or an age like 2h (default: now).
    #[arg(long, value_name = "WHEN")]
    pub date: Option<String>,
    /// Direction: in or out (for SMS inferred from --from/--to when omitted).
    #[arg(long, value_name = "DIR", value_parser = ["in", "out"], ignore_case = true)]
    pub direction: Option<String>,
    /// Conversation-ID.
    #[arg(long, value_name = "ID")]
    pub conversation: Option<String>,
    /// Subject.
    #[arg(long)]
    pub subject: Option<String>,
    /// Any attribute NAME=VALUE; repeatable (a repeated NAME adds values).
    #[arg(long = "attr", value_name = "NAME=VALUE")]
    pub attrs: Vec<String>,
    /// Flags to set on the new object (seen, flagged, …); repeatable.
    #[arg(long = "flag", value_name = "FLAG")]
    pub flags: Vec<String>,
    /// correlationId to store (IMDN Message-ID, MMS Message-ID).
    #[arg(long, value_name = "ID")]
    pub correlation_id: Option<String>,
    /// correlationTag to store instead of the computed SMS hash.
    #[arg(long, value_name = "TAG")]
    pub correlation_tag: Option<String>,
    /// Content type of the payload (default: guessed from the file name).
    #[arg(long, value_name = "TYPE")]
    pub content_type: Option<String>,
}

impl ComposeArgs {
    /// The library's form of these flags.
    pub fn compose(&self) -> Compose {
        Compose {
            context: self.context.clone(),
            from: self.from.clone(),
            to: self.to.clone(),
            date: self.date.clone(),
            direction: self.direction.clone(),
            conversation: self.conversation.clone(),
            subject: self.subject.clone(),
            attrs: self.attrs.clone(),
            flags: self.flags.clone(),
            correlation_id: self.correlation_id.clone(),
            correlation_tag: self.correlation_tag.clone(),
            content_type: self.content_type.clone(),
        }
    }
}

/// Filters that select objects, given as flags. Several filters combine with AND.
#[derive(Debug, Clone, Default, clap::Args)]
pub struct FilterArgs {
    /// Sender address; a number matches however it is stored (+1555…, tel:+1555…, sip:+1555…@host;user=phone).
    #[arg(long, value_name = "ADDR")]
    pub from: Option<String>,
    /// Recipient address, matched like --from (not Cc/Bcc).
    #[arg(long, value_name = "ADDR")]
    pub to: Option<String>,
    /// Sender or recipient address, matched like --from.
    #[arg(long, value_name = "ADDR")]
    pub participant: Option<String>,
    /// Message context: sms, mms, chat, file, standalone, imdn, voice, … or a full value
    /// such as pager-message.
    #[arg(long, value_name = "CONTEXT")]
    pub context: Option<String>,
    /// Conversation-ID.
    #[arg(long, value_name = "ID")]
    pub conversation: Option<String>,
    /// Contribution-ID.
    #[arg(long, value_name = "ID")]
    pub contribution: Option<String>,
    /// InReplyTo-Contribution-ID.
    #[arg(long, value_name = "ID")]
    pub in_reply_to: Option<String>,
    /// correlationId (IMDN Message-ID of chat/FT, Message-ID of MMS).
    #[arg(long, value_name = "ID")]
    pub correlation_id: Option<String>,
    /// correlationTag (SMS hash).
    #[arg(long, value_name = "TAG")]
    pub correlation_tag: Option<String>,
    /// Only objects with this flag (seen, flagged, answered, deleted, draft, …); repeatable.
    #[arg(long = "flag", value_name = "FLAG")]
    pub flags: Vec<String>,
    /// Only objects without this flag; repeatable (e.g. --no-flag seen for unread).
    #[arg(long = "no-flag", value_name = "FLAG")]
    pub no_flags: Vec<String>,
    /// Stored on or after: an age (30m, 12h, 7d, 2w), a day (2024-05-01, UTC) or RFC 3339.
    #[arg(long, value_name = "WHEN")]
    pub since: Option<String>,
    /// Stored before (exclusive): same forms as --since.
    #[arg(long, value_name = "WHEN")]
    pub until: Option<String>,
    /// Case-insensitive substring of any text attribute (subject, text, names).
    #[arg(long, value_name = "TEXT")]
    pub text: Option<String>,
    /// Attribute NAME=VALUE (exact); repeatable.
    #[arg(long = "attr", value_name = "NAME=VALUE")]
    pub attrs: Vec<String>,
}

impl FilterArgs {
    /// The library's form of these flags.
    pub fn filter(&self) -> Filter {
        Filter {
            from: self.from.clone(),
            to: self.to.clone(),
            participant: self.participant.clone(),
            context: self.context.clone(),
            conversation: self.conversation.clone(),
            contribution: self.contribution.clone(),
            in_reply_to: self.in_reply_to.clone(),
            correlation_id: self.correlation_id.clone(),
            correlation_tag: self.correlation_tag.clone(),
            flags: self.flags.clone(),
            no_flags: self.no_flags.clone(),
            since: self.since.clone(),
            until: self.until.clone(),
            text: self.text.clone(),
            attrs: self.attrs.clone(),
        }
    }

    /// Combines the flags with optional raw criteria from `--criteria` (see [`Filter::build`]).
    pub fn build(&self, now: Timestamp, raw: Option<SearchCriteria>) -> Result<Filters, String> {
        self.filter().build(now, raw)
    }
}
