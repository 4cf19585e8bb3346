//! Session lifecycles (DOMAIN.md section 6): for each product, given timed activity, the
//! changes of the session and the moment each happens. Pure: no ticket, no engine, no I/O.
//!
//! A [`Session`] is told what happens ([`Session::act`]) and answers with the changes that
//! happen at once; between activities, [`Session::next_due`] says which time-out comes
//! next, and [`Session::expire`] makes it happen. [`lifecycle`] drives both over a list of
//! timed activities.
//!
//! # Readings of the article
//!
//! - **Messaging inactivity** runs, for an assigned conversation, from the agent's first
//!   message after the end user's last one (none yet: the conversation waits on the
//!   agent and does not turn inactive); for an unassigned one, from the end user's last
//!   message, always 10 minutes. It also turns inactive at once when the status leaves
//!   New/Open, as the engine's `session_state` says.
//! - **Capacity auto-release** starts when the conversation turns inactive, for any
//!   reason; a new end-user message stops it.
//! - **An idle visitor** (live chat) is one who `goes idle` in the timeline: their last
//!   mouse or keyboard activity. They are Idle 10 minutes later, and the session ends
//!   20 minutes after that last activity (not after turning idle), with up to 5 minutes
//!   either way: the range 15 to 25 minutes. A visitor the timeline does not send idle
//!   stays active on the page.
//! - **A closed window** ends the chat 20 seconds to 2 minutes later.
//! - **Chat SDK**: the hour without activity counts messages of either side; a message
//!   from the visitor brings them back (reconnected, app in the foreground).
//!
//! Where the article gives a range, the change carries it, and happens at the end the
//! caller picked ([`Pick`]).

use std::fmt;

use crate::model::{InactiveReason, Status, Timestamp};

/// The product a conversation happens in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Product {
    /// Messaging (web widget or SDK, asynchronous): the end user cannot end a session.
    Messaging,
    /// Live chat in the classic web widget: the visitor controls the session.
    LiveChat,
    /// Live chat served in the Agent Workspace, where an agent can end the chat.
    AgentWorkspaceChat,
    /// The Chat mobile SDK.
    ChatSdk,
}

impl Product {
    /// Every product, with the name a timeline gives it.
    pub const ALL: [(Product, &'static str); 4] = [
        (Product::Messaging, "messaging"),
        (Product::LiveChat, "live chat"),
        (Product::AgentWorkspaceChat, "agent workspace chat"),
        (Product::ChatSdk, "chat sdk"),
    ];

    /// The name a timeline gives the product.
    pub fn name(self) -> &'static str {
        Product::ALL
            .iter()
            .find(|(p, _)| *p == self)
            .map_or("", |(_, n)| n)
    }

    /// Whether the product is a chat (live chat or SDK), whose ticket is written when the
    /// chat ends rather than at its first message.
    pub fn is_chat(self) -> bool {
        self != Product::Messaging
    }
}

impl fmt::Display for Product {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// The account settings sessions depend on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Settings {
    /// Minutes of silence after which an assigned messaging conversation is inactive.
    pub inactivity_minutes: u32,
    /// Messaging capacity auto-release, when the account turned it on.
    pub release: Option<Release>,
    /// Whether the SDK app has push notifications (without them, 30 minutes in the
    /// background end the chat).
    pub push_notifications: bool,
}

impl Default for Settings {
    /// Zendesk's defaults: 10 minutes, no auto-release, push notifications on.
    fn default() -> Settings {
        Settings {
            inactivity_minutes: crate::model::DEFAULT_INACTIVITY_MINUTES,
            release: None,
            push_notifications: true,
        }
    }
}

/// Capacity auto-release: timed reminders after a conversation turns inactive, each
/// possibly setting a status; with `end_session`, the session ends with the last one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Release {
    /// The reminders, in order, each timed from the one before (the first from the
    /// moment the conversation turned inactive); at most three.
    pub steps: Vec<ReleaseStep>,
    /// Whether the last step ends the session.
    pub end_session: bool,
}

/// One reminder of capacity auto-release.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ReleaseStep {
    /// Minutes after the previous step (or after the conversation turned inactive).
    pub after_minutes: u32,
    /// The status the step sets, if any.
    pub status: Option<Status>,
}

/// The most reminders auto-release sends.
pub const MAX_RELEASE_STEPS: usize = 3;

impl Default for Release {
    /// Zendesk's defaults: a reminder after 5 minutes and Pending, another after 5 more,
    /// a last after 1 more and Solved; the session is not ended.
    fn default() -> Release {
        let step = |after_minutes, status| ReleaseStep {
            after_minutes,
            status,
        };
        Release {
            steps: vec![
                step(5, Some(Status::Pending)),
                step(5, None),
                step(1, Some(Status::Solved)),
            ],
            end_session: false,
        }
    }
}

/// Something that happens in a conversation, in an admin's words.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Activity {
    /// The end user (visitor) writes a message.
    EndUserWrites,
    /// An agent joins the conversation (is assigned it).
    AgentJoins,
    /// An agent replies.
    AgentReplies,
    /// An agent leaves a live chat (it goes on without them).
    AgentLeaves,
    /// An agent ends the conversation.
    AgentEnds,
    /// An agent sets the ticket's status.
    AgentSetsStatus(Status),
    /// The visitor ends the chat.
    VisitorEnds,
    /// The visitor closes the last browser window holding the widget.
    VisitorClosesWindow,
    /// The visitor stops moving the mouse or typing on the page.
    VisitorGoesIdle,
    /// The SDK app goes to the background.
    AppGoesToBackground,
    /// The SDK visitor loses their connection.
    VisitorDisconnects,
}

impl Activity {
    /// The activities a timeline names, without the status one (`agent sets status`).
    pub const NAMED: [(Activity, &'static str); 10] = [
        (Activity::EndUserWrites, "end user writes"),
        (Activity::AgentJoins, "agent joins"),
        (Activity::AgentReplies, "agent replies"),
        (Activity::AgentLeaves, "agent leaves"),
        (Activity::AgentEnds, "agent ends the chat"),
        (Activity::VisitorEnds, "visitor ends the chat"),
        (Activity::VisitorClosesWindow, "visitor closes the window"),
        (Activity::VisitorGoesIdle, "visitor goes idle"),
        (Activity::AppGoesToBackground, "app goes to the background"),
        (Activity::VisitorDisconnects, "visitor disconnects"),
    ];

    /// The name a timeline gives the activity.
    pub fn name(self) -> &'static str {
        match self {
            Activity::AgentSetsStatus(_) => "agent sets status",
            _ => Activity::NAMED
                .iter()
                .find(|(a, _)| *a == self)
                .map_or("", |(_, n)| n),
        }
    }

    /// Whether `product` has this activity (a messaging end user never goes idle on a
    /// page; only the Agent Workspace and the SDK let an agent end a chat).
    pub fn happens_in(self, product: Product) -> bool {
        use Activity as A;
        use Product as P;
        match self {
            A::EndUserWrites | A::AgentJoins | A::AgentReplies | A::AgentSetsStatus(_) => true,
            A::AgentEnds => matches!(product, P::Messaging | P::AgentWorkspaceChat | P::ChatSdk),
            A::AgentLeaves | A::VisitorClosesWindow | A::VisitorGoesIdle => {
                matches!(product, P::LiveChat | P::AgentWorkspaceChat)
            }
            A::VisitorEnds => product.is_chat(),
            A::AppGoesToBackground | A::VisitorDisconnects => product == P::ChatSdk,
        }
    }
}

/// Why a session ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Ending {
    /// An agent ended it.
    Agent,
    /// A trigger's End session action ended it.
    Trigger,
    /// The visitor ended it.
    Visitor,
    /// The last step of capacity auto-release ended it.
    CapacityReleased,
    /// The visitor closed the window holding the widget.
    WindowClosed,
    /// The visitor stayed idle.
    Idle,
    /// An hour passed without activity in the chat.
    NoActivity,
    /// The visitor stayed disconnected.
    Disconnected,
    /// The disconnect time-out after an agent ended the SDK chat.
    AgentEndedTimeout,
    /// The app stayed in the background without push notifications.
    Background,
}

impl Ending {
    /// In the log's words.
    pub fn text(self) -> &'static str {
        match self {
            Ending::Agent => "ended by agent",
            Ending::Trigger => "ended by trigger",
            Ending::Visitor => "ended by the visitor",
            Ending::CapacityReleased => "capacity released",
            Ending::WindowClosed => "the widget's window was closed",
            Ending::Idle => "the visitor stayed idle",
            Ending::NoActivity => "an hour without activity",
            Ending::Disconnected => "an hour disconnected",
            Ending::AgentEndedTimeout => "5 minutes after the agent ended the chat",
            Ending::Background => "30 minutes in the background without push notifications",
        }
    }
}

/// A change of the session.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Change {
    /// The conversation began.
    Started,
    /// The conversation is active again.
    Active,
    /// The messaging conversation is inactive.
    Inactive(InactiveReason),
    /// A capacity auto-release reminder (1-based), with the status it sets.
    Reminder {
        /// Which reminder.
        number: u8,
        /// The status it sets.
        status: Option<Status>,
    },
    /// The live chat visitor is idle.
    Idle,
    /// An agent left the chat.
    AgentLeft,
    /// A visitor message put a chat its agent left back in the queue.
    Requeued,
    /// An agent ended the SDK chat; it ends when the visitor's time-out runs out.
    AgentEndedChat,
    /// The session ended.
    Ended(Ending),
    /// A message after the end: a new session (and ticket) begins.
    NewSession,
}

impl fmt::Display for Change {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Change::Started => f.write_str("session started"),
            Change::Active => f.write_str("session active"),
            Change::Inactive(InactiveReason::StatusChanged) => {
                f.write_str("session inactive (status changed)")
            }
            Change::Inactive(_) => f.write_str("session inactive (end user silent)"),
            Change::Reminder { number, status } => {
                write!(f, "capacity release: reminder {number}")?;
                match status {
                    Some(s) => write!(f, ", status set to {}", status_name(*s)),
                    None => Ok(()),
                }
            }
            Change::Idle => f.write_str("visitor idle"),
            Change::AgentLeft => f.write_str("agent left the chat"),
            Change::Requeued => f.write_str("chat back in the queue"),
            Change::AgentEndedChat => f.write_str("agent ended the chat (visitor time-out 5 min)"),
            Change::Ended(by) => write!(f, "session ended ({})", by.text()),
            Change::NewSession => f.write_str("new session"),
        }
    }
}

/// A status as the log writes it.
pub fn status_name(status: Status) -> &'static str {
    match status {
        Status::New => "new",
        Status::Open => "open",
        Status::Pending => "pending",
        Status::Hold => "hold",
        Status::Solved => "solved",
        Status::Closed => "closed",
    }
}

/// Which end of a documented range a time-out is placed at.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Pick {
    /// The earliest moment the article allows.
    Earliest,
    /// The latest (the default).
    #[default]
    Latest,
}

/// A time-out to come: the change, when it happens, and the range the article gives.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Due {
    /// When it happens.
    pub at: Timestamp,
    /// The documented range `at` was picked from, when the article gives one.
    pub range: Option<(Timestamp, Timestamp)>,
    /// What happens.
    pub change: Change,
}

/// Seconds in a minute, for the time-outs below.
const MINUTE: i64 = 60;

/// One conversation's session.
#[derive(Debug, Clone)]
pub struct Session {
    product: Product,
    settings: Settings,
    pick: Pick,
    started: bool,
    ended: bool,
    status: Status,
    /// Messaging: assigned to an agent.
    assigned: bool,
    /// Messaging: inactive (not ended).
    inactive: bool,
    last_end_user: Option<Timestamp>,
    /// Messaging: the agent's first message after the end user's last one.
    agent_reply: Option<Timestamp>,
    /// Messaging auto-release: the next step, and since when it counts.
    release: Option<(usize, Timestamp)>,
    /// Chat: an agent ever joined, and one is in the chat now.
    joined: bool,
    present: bool,
    window_closed: Option<Timestamp>,
    /// Live chat: the visitor's last activity before going idle, and whether Idle yet.
    idle_from: Option<Timestamp>,
    idle: bool,
    /// SDK: last message of either side, disconnection, agent's end, background.
    last_activity: Option<Timestamp>,
    disconnected: Option<Timestamp>,
    agent_ended: Option<Timestamp>,
    background: Option<Timestamp>,
}

impl Session {
    /// A session not begun yet.
    pub fn new(product: Product, settings: Settings, pick: Pick) -> Session {
        Session {
            product,
            settings,
            pick,
            started: false,
            ended: false,
            status: Status::New,
            assigned: false,
            inactive: false,
            last_end_user: None,
            agent_reply: None,
            release: None,
            joined: false,
            present: false,
            window_closed: None,
            idle_from: None,
            idle: false,
            last_activity: None,
            disconnected: None,
            agent_ended: None,
            background: None,
        }
    }

    /// The messaging session a ticket records, resumed: started, assigned or not, its
    /// silence counted from `last_end_user_activity_at` (as the engine counts it), and its
    /// state as recorded.
    pub fn resume(
        settings: Settings,
        pick: Pick,
        record: &crate::model::MessagingSession,
        assigned: bool,
        status: Status,
    ) -> Session {
        use crate::model::SessionState;
        let mut session = Session::new(Product::Messaging, settings, pick);
        let last = record.last_end_user_activity_at;
        session.started = true;
        session.assigned = assigned;
        session.status = status;
        session.last_end_user = last;
        session.agent_reply = if assigned { last } else { None };
        session.inactive = record.state == Some(SessionState::Inactive);
        session.ended = record.state == Some(SessionState::Ended);
        session
    }

    /// Whether the session ended.
    pub fn ended(&self) -> bool {
        self.ended
    }

    /// Whether an agent ever joined the chat (a chat none joined is missed).
    pub fn joined(&self) -> bool {
        self.joined
    }

    /// Messaging: the moment the inactivity period runs from (DOMAIN 6), if it runs.
    pub fn silence_from(&self) -> Option<Timestamp> {
        if self.assigned {
            self.agent_reply
        } else {
            self.last_end_user
        }
    }

    /// Messaging: whether the conversation is inactive now.
    pub fn inactive(&self) -> bool {
        self.inactive
    }

    /// What `activity` at `at` changes at once. The caller checks that the product has
    /// the activity ([`Activity::happens_in`]); one it does not have changes nothing.
    pub fn act(&mut self, at: Timestamp, activity: Activity) -> Vec<Change> {
        let mut changes = Vec::new();
        if !activity.happens_in(self.product) {
            return changes;
        }
        if self.ended {
            if activity == Activity::EndUserWrites {
                *self = Session::new(self.product, self.settings.clone(), self.pick);
                self.begin(at, &mut changes);
                self.end_user_writes(at, &mut changes);
                changes[0] = Change::NewSession;
            }
            return changes;
        }
        if !self.started {
            self.begin(at, &mut changes);
        }
        match activity {
            Activity::EndUserWrites => self.end_user_writes(at, &mut changes),
            Activity::AgentJoins => {
                self.assigned = true;
                self.joined = true;
                self.present = true;
            }
            Activity::AgentReplies => {
                if self.agent_reply.is_none() && self.last_end_user.is_some() {
                    self.agent_reply = Some(at);
                }
                self.last_activity = Some(at);
            }
            Activity::AgentLeaves => {
                if self.present {
                    self.present = false;
                    changes.push(Change::AgentLeft);
                }
            }
            Activity::AgentEnds if self.product == Product::ChatSdk => {
                if self.agent_ended.is_none() {
                    self.agent_ended = Some(at);
                    changes.push(Change::AgentEndedChat);
                }
            }
            Activity::AgentEnds => changes.push(self.end(Ending::Agent)),
            Activity::VisitorEnds => changes.push(self.end(Ending::Visitor)),
            Activity::AgentSetsStatus(status) => changes.extend(self.note_status(at, status)),
            Activity::VisitorClosesWindow => {
                self.window_closed.get_or_insert(at);
            }
            Activity::VisitorGoesIdle => {
                self.idle_from.get_or_insert(at);
            }
            Activity::AppGoesToBackground => {
                self.background.get_or_insert(at);
            }
            Activity::VisitorDisconnects => {
                self.disconnected.get_or_insert(at);
            }
        }
        changes
    }

    fn begin(&mut self, at: Timestamp, changes: &mut Vec<Change>) {
        self.started = true;
        self.last_activity = Some(at);
        changes.push(Change::Started);
    }

    fn end_user_writes(&mut self, at: Timestamp, changes: &mut Vec<Change>) {
        self.last_end_user = Some(at);
        self.agent_reply = None;
        self.last_activity = Some(at);
        self.release = None;
        // Writing is activity: the visitor is back on the page, connected, in the app.
        self.window_closed = None;
        self.disconnected = None;
        self.background = None;
        self.idle_from = None;
        if std::mem::take(&mut self.idle) {
            changes.push(Change::Active);
        }
        if self.joined && !self.present {
            changes.push(Change::Requeued);
        }
        if !matches!(self.status, Status::New | Status::Open) {
            // An end user's reply reopens the ticket.
            self.status = Status::Open;
        }
        if self.inactive {
            self.inactive = false;
            changes.push(Change::Active);
        }
    }

    /// The ticket's status became `status` (an agent, a trigger or an automation set it):
    /// a messaging conversation turns inactive at once when it leaves New/Open, and may be
    /// active again when it comes back while the end user is not silent.
    pub fn note_status(&mut self, at: Timestamp, status: Status) -> Option<Change> {
        self.status = status;
        if self.product != Product::Messaging || self.ended || !self.started {
            return None;
        }
        let inactive = !matches!(status, Status::New | Status::Open) || self.silent_at(at);
        match (self.inactive, inactive) {
            (false, true) => Some(self.turn_inactive(at, InactiveReason::StatusChanged)),
            (true, false) => {
                self.inactive = false;
                self.release = None;
                Some(Change::Active)
            }
            _ => None,
        }
    }

    /// Whether the end user has been silent for the inactivity period at `at`.
    fn silent_at(&self, at: Timestamp) -> bool {
        self.silence_due().is_some_and(|due| at >= due)
    }

    /// When the silence turns the conversation inactive, if it does.
    fn silence_due(&self) -> Option<Timestamp> {
        let minutes = if self.assigned {
            self.settings.inactivity_minutes
        } else {
            crate::model::DEFAULT_INACTIVITY_MINUTES
        };
        after(self.silence_from()?, i64::from(minutes) * MINUTE)
    }

    fn turn_inactive(&mut self, at: Timestamp, reason: InactiveReason) -> Change {
        self.inactive = true;
        if self.settings.release.is_some() {
            self.release = Some((0, at));
        }
        Change::Inactive(reason)
    }

    /// Ends the session (an agent, the visitor, or a trigger's End session action).
    pub fn end(&mut self, by: Ending) -> Change {
        self.ended = true;
        self.inactive = false;
        self.release = None;
        Change::Ended(by)
    }

    /// The next time-out, if one is running.
    pub fn next_due(&self) -> Option<Due> {
        if self.ended || !self.started {
            return None;
        }
        match self.product {
            Product::Messaging => self.messaging_due(),
            Product::LiveChat | Product::AgentWorkspaceChat => self.chat_due(),
            Product::ChatSdk => self.sdk_due(),
        }
    }

    fn messaging_due(&self) -> Option<Due> {
        if !self.inactive {
            let at = self.silence_due()?;
            return Some(exact(
                at,
                Change::Inactive(InactiveReason::UserInactiveOrOffline),
            ));
        }
        let release = self.settings.release.as_ref()?;
        let (next, since) = self.release?;
        let Some(step) = release.steps.get(next) else {
            // After the last reminder, at the same moment, the session ends if told to.
            return (release.end_session && next == release.steps.len())
                .then(|| exact(since, Change::Ended(Ending::CapacityReleased)));
        };
        let at = after(since, i64::from(step.after_minutes) * MINUTE)?;
        let change = Change::Reminder {
            number: u8::try_from(next + 1).unwrap_or(u8::MAX),
            status: step.status,
        };
        Some(exact(at, change))
    }

    fn chat_due(&self) -> Option<Due> {
        let closed = self
            .window_closed
            .and_then(|t| self.ranged(t, 20, 120, Change::Ended(Ending::WindowClosed)));
        let idle = self.idle_from.and_then(|t| {
            let end = self.ranged(t, 15 * MINUTE, 25 * MINUTE, Change::Ended(Ending::Idle));
            let turn_idle = (!self.idle)
                .then(|| after(t, 10 * MINUTE).map(|at| exact(at, Change::Idle)))
                .flatten();
            earliest([turn_idle, end])
        });
        earliest([closed, idle])
    }

    fn sdk_due(&self) -> Option<Due> {
        let timer = |from: Option<Timestamp>, minutes: i64, by: Ending| {
            after(from?, minutes * MINUTE).map(|at| exact(at, Change::Ended(by)))
        };
        let background = if self.settings.push_notifications {
            None
        } else {
            timer(self.background, 30, Ending::Background)
        };
        earliest([
            timer(self.agent_ended, 5, Ending::AgentEndedTimeout),
            background,
            timer(self.disconnected, 60, Ending::Disconnected),
            timer(self.last_activity, 60, Ending::NoActivity),
        ])
    }

    /// A time-out the article gives as a range of seconds after `from`.
    fn ranged(&self, from: Timestamp, lo: i64, hi: i64, change: Change) -> Option<Due> {
        let (lo, hi) = (after(from, lo)?, after(from, hi)?);
        let at = match self.pick {
            Pick::Earliest => lo,
            Pick::Latest => hi,
        };
        Some(Due {
            at,
            range: Some((lo, hi)),
            change,
        })
    }

    /// Makes `due` (from [`Session::next_due`]) happen.
    pub fn expire(&mut self, due: &Due) {
        match due.change {
            Change::Inactive(reason) => {
                self.turn_inactive(due.at, reason);
            }
            Change::Reminder { status, .. } => {
                if let Some(s) = status {
                    self.status = s;
                }
                if let Some((next, _)) = self.release {
                    self.release = Some((next + 1, due.at));
                }
            }
            Change::Idle => self.idle = true,
            Change::Ended(by) => {
                self.end(by);
            }
            _ => {}
        }
    }
}

fn exact(at: Timestamp, change: Change) -> Due {
    Due {
        at,
        range: None,
        change,
    }
}

/// `seconds` after `t`, or `None` past the end of time.
pub fn after(t: Timestamp, seconds: i64) -> Option<Timestamp> {
    Timestamp::from_second(t.as_second().checked_add(seconds)?)
}

/// The first of the time-outs (the earlier listed wins a tie).
fn earliest<const N: usize>(dues: [Option<Due>; N]) -> Option<Due> {
    dues.into_iter()
        .flatten()
        .fold(None, |best: Option<Due>, d| match best {
            Some(b) if b.at <= d.at => Some(b),
            _ => Some(d),
        })
}

/// The changes of a session over `activities` (in time order), up to `until`
/// included: each with its moment and, for a time-out, its documented range.
pub fn lifecycle(
    product: Product,
    settings: Settings,
    pick: Pick,
    activities: &[(Timestamp, Activity)],
    until: Timestamp,
) -> Vec<Due> {
    let mut session = Session::new(product, settings, pick);
    let mut log = Vec::new();
    let mut next = activities.iter().peekable();
    loop {
        let due = session.next_due().filter(|d| d.at <= until);
        let act = next.peek().filter(|(t, _)| *t <= until);
        match (due, act) {
            // A time-out at the very moment of an activity happens first.
            (Some(d), Some((t, _))) if d.at <= *t => {
                session.expire(&d);
                log.push(d);
            }
            (_, Some(&&(t, activity))) => {
                next.next();
                log.extend(session.act(t, activity).into_iter().map(|c| exact(t, c)));
            }
            (Some(d), None) => {
                session.expire(&d);
                log.push(d);
            }
            (None, None) => return log,
        }
    }
}

#[cfg(test)]
#[path = "session_tests.rs"]
mod tests;
