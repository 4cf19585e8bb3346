//! The recipes in rhai: one expression per trigger ([`RULES`]), each compiled once to an
//! [`AST`], evaluated against a [`Scope`] holding the event's four parts as `ticket`,
//! `previous`, `update` and `account`.
//!
//! The data is rhai's own form: [`Dynamic`] object maps in a scope, one scope per event.
//! The driver changes the scope's `ticket` map in place between evaluations, so nothing is
//! converted again, per change or per rule. Like declic, the cycle works on a copy of the
//! ticket (one map clone per event; rhai strings are shared, so it copies the maps'
//! spines, not the text); the three read-only parts are read where they are. From JSON
//! text the parts are moved into the scope instead, with nothing to clone.

use rhai::{Dynamic, Engine, ImmutableString, Map, Scope, AST};

use super::{Doc, Fired, Leaf, Put, TITLES};

/// The conditions of the triggers of [`TITLES`], in the same order. `?.` reads through a
/// missing object (giving `()`), and a missing key reads as `()`: the way to say "not
/// present" and "the ticket before the update had no such value".
pub const RULES: [&str; 9] = [
    // A messaging trigger: only on `conversation requested`, never once the session ended.
    r#"update.conversation_event == "conversation_requested"
        && ticket.messaging_session?.state != "ended"
        && account.in_business_hours == false
        && !ticket.tags.contains("after_hours_notice")"#,
    // Ticket is Created: the update says so, or, when it does not, there is no ticket before.
    r#"(if update.kind != () { update.kind == "create" } else { previous == () })
        && ticket.via?.id == 75
        && account.in_business_hours == false
        && !ticket.tags.contains("after_hours")"#,
    r#"ticket.via?.id == 75
        && ticket.messaging_session?.state == "inactive"
        && ticket.assignee_id == ()
        && ticket.routing_channel == ()
        && !ticket.tags.contains("abandoned_queue")"#,
    r#"ticket.via?.id == 75
        && ticket.routing_channel == "messaging"
        && ticket.messaging_session?.state == "inactive"
        && ticket.assignee_id == ()
        && !ticket.tags.contains("abandoned_queue")"#,
    // Session state changed to Inactive: Inactive now, not before (or no ticket before).
    r#"ticket.messaging_session?.state == "inactive"
        && previous?.messaging_session?.state != "inactive"
        && ticket.messaging_session?.inactive_reason == "user_inactive_or_offline"
        && ticket.routing_channel == "messaging"
        && !ticket.tags.contains("email_follow_up")
        && !ticket.tags.contains("abandoned_conversation")
        && !ticket.tags.contains("abandoned_queue")"#,
    r#"ticket.status == "open"
        && ticket.messaging_session?.state == "inactive"
        && previous?.messaging_session?.state != "inactive"
        && ticket.messaging_session?.inactive_reason == "user_inactive_or_offline"
        && !ticket.tags.contains("abandoned_conversation")
        && !ticket.tags.contains("email_follow_up")
        && !ticket.tags.contains("abandoned_queue")"#,
    r#"ticket.via?.id == 75
        && ticket.messaging_session?.end_reason == "ended_by_agent"
        && !ticket.tags.contains("session_ended_by_agent")"#,
    r#"ticket.via?.id == 75
        && ticket.messaging_session?.end_reason == "ended_by_trigger"
        && !ticket.tags.contains("session_ended_by_trigger")"#,
    // Any of: status category changed to Solved (Closed counts as Solved), end reason
    // changed to Ended by agent. A ticket without a rating is Unoffered.
    r#"ticket.via?.id == 75
        && (ticket.satisfaction_rating?.score ?? "unoffered") == "unoffered"
        && !ticket.tags.contains("csat_email")
        && ((ticket.status in ["solved", "closed"]
                && !(previous?.status in ["solved", "closed"]))
            || (ticket.messaging_session?.end_reason == "ended_by_agent"
                && previous?.messaging_session?.end_reason != "ended_by_agent"))"#,
];

/// The four variables of the scope, in the order they are pushed.
const PARTS: [&str; 4] = ["ticket", "previous", "update", "account"];

/// The rules, compiled.
pub struct Rhai {
    engine: Engine,
    rules: Vec<AST>,
}

impl Rhai {
    pub fn new() -> Rhai {
        let engine = Engine::new();
        let rules = RULES
            .iter()
            .zip(TITLES)
            .map(|(rule, title)| {
                engine
                    .compile(rule)
                    .unwrap_or_else(|e| panic!("the rhai rule of `{title}` compiles: {e}"))
            })
            .collect();
        Rhai { engine, rules }
    }

    /// Runs the cycle on one event already in rhai's form, and leaves it as it was.
    pub fn run(&self, event: &mut Scope<'static>) -> Fired {
        let ticket = event.get("ticket").expect("a ticket").clone();
        let fired = self.cycle(event);
        *event.get_mut("ticket").expect("a ticket") = ticket;
        fired
    }

    /// Reads `text` into a scope with serde, then runs the cycle.
    pub fn run_json(&self, text: &str, scope: &mut Scope<'static>) -> Fired {
        scope.clear();
        fill(scope, text);
        self.cycle(scope)
    }

    fn cycle(&self, scope: &mut Scope<'static>) -> Fired {
        let mut doc = Vars(scope);
        super::run(&mut doc, |i, doc| {
            self.engine
                .eval_ast_with_scope::<bool>(doc.0, &self.rules[i])
                .unwrap_or_else(|e| panic!("the rhai rule of `{}` runs: {e}", TITLES[i]))
        })
    }
}

/// Events in rhai's form, read once with serde (not timed: the rows that start from this
/// form measure evaluation only).
pub fn prepare(texts: &[String]) -> Vec<Scope<'static>> {
    texts
        .iter()
        .map(|t| {
            let mut scope = Scope::new();
            fill(&mut scope, t);
            scope
        })
        .collect()
}

/// Pushes the parts of the event `text` into `scope` (a missing part as `()`).
fn fill(scope: &mut Scope<'static>, text: &str) {
    let mut event: Map = serde_json::from_str::<Dynamic>(text)
        .expect("valid")
        .try_cast()
        .expect("an event is an object");
    for part in PARTS {
        scope.push_dynamic(part, event.remove(part).unwrap_or(Dynamic::UNIT));
    }
}

/// One event as the rules see it: the scope's variables.
struct Vars<'s>(&'s mut Scope<'static>);

impl Doc for Vars<'_> {
    fn read<R>(&self, path: &[&str], f: impl FnOnce(Leaf<'_>) -> R) -> R {
        let Some((var, rest)) = path.split_first() else {
            return f(Leaf::Other);
        };
        match self.0.get(var) {
            Some(v) => read(v, rest, f),
            None => f(Leaf::Null),
        }
    }

    fn write(&mut self, path: &[&'static str], value: Put) {
        let (var, rest) = path.split_first().expect("a path names a variable");
        let v = self
            .0
            .get_mut(var)
            .expect("the scope holds the event's parts");
        write(v, rest, value);
    }

    fn has_tag(&self, tag: &str) -> bool {
        let Some(ticket) = self.0.get("ticket") else {
            return false;
        };
        let Ok(ticket) = ticket.as_map_ref() else {
            return false;
        };
        ticket
            .get("tags")
            .and_then(|tags| tags.as_array_ref().ok())
            .is_some_and(|tags| {
                tags.iter()
                    .any(|t| t.as_immutable_string_ref().is_ok_and(|s| s.as_str() == tag))
            })
    }

    fn push_tag(&mut self, tag: &'static str) {
        let ticket = self.0.get_mut("ticket").expect("a ticket");
        let mut ticket = ticket.as_map_mut().expect("the ticket is a map");
        let tags = ticket
            .entry("tags".into())
            .or_insert_with(|| Dynamic::from_array(Vec::new()));
        if let Ok(mut tags) = tags.as_array_mut() {
            tags.push(Dynamic::from(ImmutableString::from(tag)));
        };
    }
}

/// Calls `f` with the value at `path` under `v`; strings are read behind rhai's guard.
fn read<R>(v: &Dynamic, path: &[&str], f: impl FnOnce(Leaf<'_>) -> R) -> R {
    if let Some((key, rest)) = path.split_first() {
        return match v.as_map_ref() {
            Ok(map) => match map.get(*key) {
                Some(child) => read(child, rest, f),
                None => f(Leaf::Null),
            },
            Err(_) => f(Leaf::Null),
        };
    }
    if v.is_unit() {
        f(Leaf::Null)
    } else if let Ok(b) = v.as_bool() {
        f(Leaf::Bool(b))
    } else if let Ok(i) = v.as_int() {
        f(Leaf::Int(i))
    } else if let Ok(s) = v.as_immutable_string_ref() {
        f(Leaf::Str(s.as_str()))
    } else {
        f(Leaf::Other)
    }
}

/// Sets the value at `path` under `v`, turning what is not a map on the way into one.
fn write(v: &mut Dynamic, path: &[&'static str], value: Put) {
    let Some((key, rest)) = path.split_first() else {
        *v = match value {
            Put::Null => Dynamic::UNIT,
            Put::Int(i) => Dynamic::from_int(i),
            Put::Str(s) => Dynamic::from(ImmutableString::from(s)),
        };
        return;
    };
    if !v.is_map() {
        *v = Dynamic::from_map(Map::new());
    }
    let mut map = v.as_map_mut().expect("a map");
    write(
        map.entry((*key).into()).or_insert(Dynamic::UNIT),
        rest,
        value,
    );
}
