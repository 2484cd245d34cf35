//! The demo box's people and message texts: fixed tables so the generated content reads like a real phone.

/// A person the demo user talks to.
pub struct Contact {
    pub name: &'static str,
    /// `tel:` for most, `sip:` for a few IMS / RCS-only identities.
    pub uri: &'static str,
}

pub const CONTACTS: &[Contact] = &[
    Contact { name: "Alice Moreau", uri: "tel:+15550002222" },
    Contact { name: "Bob Okafor", uri: "tel:+15550003333" },
    Contact { name: "Carla Jiménez", uri: "tel:+15550004444" },
    Contact { name: "Dmitri Volkov", uri: "sip:+15550005555@ims.example.net" },
    Contact { name: "Emma O'Brien", uri: "tel:+15550006666" },
    Contact { name: "Farid Haddad", uri: "tel:+15550007777" },
    Contact { name: "Grace Lee", uri: "sip:grace.lee@rcs.example.com" },
    Contact { name: "Hiro Tanaka", uri: "tel:+15550008888" },
    Contact { name: "Inês Duarte", uri: "tel:+15550009999" },
    Contact { name: "Jonas Berg", uri: "tel:+15550001234" },
    Contact { name: "Kemi Adeyemi", uri: "tel:+15550004321" },
    Contact { name: "Liam Walsh", uri: "sip:+15550005678@ims.example.net" },
    Contact { name: "Maya Patel", uri: "tel:+15550008765" },
    Contact { name: "Noah Fischer", uri: "tel:+15550002468" },
];

/// A group chat: its subject and the indexes of its members in [`CONTACTS`].
pub struct Group {
    pub subject: &'static str,
    pub members: &'static [usize],
}

pub const GROUPS: &[Group] = &[
    Group { subject: "Weekend hike 🥾", members: &[0, 1, 4, 9] },
    Group { subject: "Family", members: &[2, 8, 12] },
    Group { subject: "Project Falcon standup", members: &[3, 5, 6, 10, 11] },
    Group { subject: "Book club <Thursdays>", members: &[4, 7, 12, 13] },
];

/// One line of a dialogue: speaker 0 is the demo user, n > 0 is the n-th other
/// participant (wrapped around the conversation's member count).
pub type Line = (usize, &'static str);

pub const ONE_TO_ONE: &[&[Line]] = &[
    &[
        (1, "Hey! Are we still on for lunch tomorrow?"),
        (0, "Yes, 12:30 at the usual place?"),
        (1, "Perfect, see you there"),
        (0, "👍"),
    ],
    &[
        (0, "Did you get home ok?"),
        (1, "Yes, thanks! Traffic was terrible though"),
        (0, "Glad you made it"),
        (1, "Let's do that again soon"),
    ],
    &[
        (1, "Can you send me the address again?"),
        (0, "221 Harbour Street, 3rd floor"),
        (1, "Got it, thanks"),
        (1, "Running 10 min late, sorry!"),
        (0, "No worries"),
    ],
    &[
        (0, "Happy birthday!! 🎂🎉"),
        (1, "Aww thank you so much!"),
        (0, "Any plans tonight?"),
        (1, "Dinner with the family, then probably bed 😄"),
    ],
    &[
        (1, "Did you watch the game last night?"),
        (0, "Only the second half, what a finish"),
        (1, "I couldn't believe that last goal"),
        (0, "Rematch is on the 14th"),
        (1, "We should watch it together"),
    ],
    &[
        (0, "Can you pick up milk on the way?"),
        (1, "Sure, anything else?"),
        (0, "Bread & eggs if they have them"),
        (1, "On it"),
    ],
    &[
        (1, "The report is ready for review"),
        (0, "Thanks, I'll look at it after my 3pm"),
        (0, "Looks good, two small comments on page 4"),
        (1, "Fixed, sending the new version now"),
    ],
    &[
        (1, "Is the flight still at 7:45?"),
        (0, "Delayed to 8:20 now"),
        (1, "Ugh. Coffee at the gate then"),
        (0, "Deal ☕"),
    ],
    &[
        (0, "Thanks for the book recommendation, loved it"),
        (1, "Told you! The sequel is even better"),
        (0, "Adding it to my list"),
    ],
    &[
        (1, "Are you coming to the meetup on Thursday?"),
        (0, "Probably, what time does it start?"),
        (1, "18:00, there will be pizza"),
        (0, "Then definitely yes"),
    ],
    &[(1, "Call me when you have a minute"), (0, "In a meeting, 20 min?"), (1, "Sure, no rush")],
    &[
        (0, "Where did you park? I can't find the car"),
        (1, "Level 2, row F, next to the elevator"),
        (0, "Found it, thanks!"),
    ],
];

pub const GROUP_DIALOGUES: &[&[Line]] = &[
    &[
        (1, "Who's in for Saturday?"),
        (2, "Me!"),
        (0, "Count me in"),
        (3, "I can drive, I have 4 seats"),
        (1, "Great, meet at 8 at the trailhead parking"),
        (0, "I'll bring snacks"),
    ],
    &[
        (2, "Photos from yesterday are up"),
        (1, "These are amazing 😍"),
        (0, "The one at the lake is my favourite"),
        (3, "Same"),
    ],
    &[
        (0, "Quick update: the build is green again"),
        (1, "Nice, what was it?"),
        (0, "A flaky test in the payment module"),
        (2, "Can we merge the release branch then?"),
        (3, "Go for it"),
    ],
    &[
        (1, "Reminder: dinner at grandma's on Sunday"),
        (2, "What time?"),
        (1, "1pm, bring dessert if you can"),
        (0, "I'll make the apple pie"),
        (2, "❤️"),
    ],
    &[
        (3, "Finished chapter 12, no spoilers please"),
        (1, "My lips are sealed 🤐"),
        (0, "Same here, see you all Thursday"),
        (2, "Can we start 30 min later? 7:30?"),
        (1, "Works for me"),
    ],
    &[(1, "Standup moved to 9:45 today"), (2, "ok"), (0, "Noted"), (3, "I'll be 5 min late, dentist")],
];

/// SMS threads with ordinary people.
pub const SMS_LINES: &[Line] = &[
    (1, "Hi, it's me, new number"),
    (0, "Saved it, thanks"),
    (1, "Are you home?"),
    (0, "Back in 15 min"),
    (1, "Call me back when you can"),
    (0, "OK"),
    (1, "The plumber comes at 10, can you be there?"),
    (0, "Yes, I'll work from home"),
    (1, "Thanks for today!"),
    (0, "Anytime :)"),
    (1, "Don't forget the keys"),
    (0, "Already in my bag"),
    (1, "Meeting moved to 4pm"),
    (0, "Got it"),
    (1, "Rent split: 1250/2 = 625 each"),
    (0, "Sent via the bank app"),
    (1, "Café à côté at 6?"),
    (0, "Oui, à tout à l'heure"),
];

/// Messages from a short code: one-way notifications.
pub const SHORT_CODE_LINES: &[&str] = &[
    "Your verification code is 482913. It expires in 10 minutes.",
    "ExampleBank: a card payment of $42.17 was approved at GROCERY MART.",
    "Your parcel 1Z999AA10123456784 is out for delivery today.",
    "Reminder: your appointment with Dr. Singh is tomorrow at 09:30. Reply C to confirm.",
    "Your verification code is 730561. Do not share it with anyone.",
    "ExampleBank: your statement is ready. Balance due: $318.40 by the 15th.",
];

/// MMS subjects and captions.
pub const MMS: &[(&str, &str)] = &[
    ("Look at this!", "Sunset from the balcony"),
    ("New couch", "What do you think of the colour?"),
    ("Receipt", "Here's the receipt for the tickets"),
    ("", "The kids at the beach"),
    ("Menu", "Tonight's specials"),
];

/// Standalone (pager-mode) messages, some from chatbots and services.
pub const STANDALONE_SENDERS: &[(&str, &str)] = &[
    ("Example Airlines", "sip:notifications@bot.airline.example.com"),
    ("City Library", "sip:library@bot.citylib.example.org"),
    ("Grace Lee", "sip:grace.lee@rcs.example.com"),
    ("Hiro Tanaka", "tel:+15550008888"),
];

pub const STANDALONE_LINES: &[&str] = &[
    "Your boarding pass for flight EA 214 is ready. Gate closes 20 min before departure.",
    "Check-in is now open for your trip to Lisbon.",
    "The book you reserved, \"The Left Hand of Darkness\", is ready for pickup.",
    "Reminder: 2 items are due back on Friday.",
    "Sent you the slides by mail, check when you can",
    "Landed, will call later",
    "Flight EA 214 is delayed by 35 minutes. New departure time: 18:05.",
    "Thanks for your feedback! Rate us 1-5 by replying to this message.",
];

/// Outgoing standalone messages the demo user sent.
pub const STANDALONE_OUT: &[&str] = &["On my way", "Can't talk now, will call you back", "Thanks, received"];
